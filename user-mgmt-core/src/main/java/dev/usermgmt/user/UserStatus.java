package dev.usermgmt.user;

import dev.usermgmt.internal.Texts;
import java.util.Map;
import java.util.Optional;

/**
 * Where a user is in the identity lifecycle. {@link UserLifecycle} says which moves between
 * statuses are legal.
 *
 * <p>How the reference products' status words map here ({@link #fromWord(String)} reads all of
 * them, case, spacing and hyphens ignored):
 *
 * <table>
 *   <caption>Status words</caption>
 *   <tr><th>status</th><th>Employees tab</th><th>people platform (GDPR doc)</th>
 *       <th>open directory</th><th>property CRM</th></tr>
 *   <tr><td>{@link #STAGED}</td><td>invited</td><td>Not Yet Invited</td><td>Staged</td><td>—</td></tr>
 *   <tr><td>{@link #INVITE_SCHEDULED}</td><td>invited</td><td>Invite Scheduled</td><td>—</td>
 *       <td>—</td></tr>
 *   <tr><td>{@link #INVITE_PENDING}</td><td>invited</td><td>Invite Pending</td>
 *       <td>(password pending)</td><td>—</td></tr>
 *   <tr><td>{@link #ACTIVE}</td><td>active</td><td>Confirmed</td><td>Active</td><td>Active</td></tr>
 *   <tr><td>{@link #SUSPENDED}</td><td>—</td><td>—</td><td>Suspended</td><td>—</td></tr>
 *   <tr><td>{@link #DEACTIVATED}</td><td>inactive</td><td>Deactivated</td><td>—</td>
 *       <td>Inactive (de-active)</td></tr>
 *   <tr><td>{@link #ANONYMISED}</td><td>inactive</td><td>(anonymised)</td><td>—</td><td>—</td></tr>
 * </table>
 *
 * <p>"Taking a break" is not a status: it is the {@code takingABreak} flag of an active user (it
 * only stops notifications).
 */
public enum UserStatus {
  /** Created, no invitation sent ("Not Yet Invited", "Staged"). No access yet. */
  STAGED("invited", 0),
  /** An invitation will be sent at {@code inviteScheduledAt}. No access yet. */
  INVITE_SCHEDULED("invited", 1),
  /** An invitation was sent and not yet accepted. */
  INVITE_PENDING("invited", 2),
  /** A confirmed user with access ("Active", "Confirmed"). */
  ACTIVE("active", 3),
  /** Access revoked temporarily; all data kept; can be unsuspended. */
  SUSPENDED("suspended", 4),
  /**
   * Sign-in blocked, data kept, effective role Blocked ("inactive: true"); can be reactivated,
   * anonymised or deleted.
   */
  DEACTIVATED("inactive", 5),
  /** A deactivated user whose personal data was removed for GDPR. Terminal but for deletion. */
  ANONYMISED("inactive", 6);

  private static final Map<String, UserStatus> WORDS =
      Map.ofEntries(
          Map.entry("staged", STAGED),
          Map.entry("notyetinvited", STAGED),
          Map.entry("notinvited", STAGED),
          Map.entry("invitescheduled", INVITE_SCHEDULED),
          Map.entry("scheduled", INVITE_SCHEDULED),
          Map.entry("invitepending", INVITE_PENDING),
          Map.entry("invited", INVITE_PENDING),
          Map.entry("pending", INVITE_PENDING),
          Map.entry("active", ACTIVE),
          Map.entry("confirmed", ACTIVE),
          Map.entry("suspended", SUSPENDED),
          Map.entry("deactivated", DEACTIVATED),
          Map.entry("inactive", DEACTIVATED),
          Map.entry("deactive", DEACTIVATED),
          Map.entry("disabled", DEACTIVATED),
          Map.entry("blocked", DEACTIVATED),
          Map.entry("anonymised", ANONYMISED),
          Map.entry("anonymized", ANONYMISED));

  private final String simpleWord;
  private final int rank;

  UserStatus(String simpleWord, int rank) {
    this.simpleWord = simpleWord;
    this.rank = rank;
  }

  /**
   * The position of the status in the lifecycle, from staged (0) to anonymised (6): the order in
   * which sorting by status lists users.
   *
   * @return the rank
   */
  public int rank() {
    return rank;
  }

  /**
   * The status for a word of any reference product (see the class table).
   *
   * @param word a status word, e.g. "Invite Pending", "inactive", "de-active", "Staged"
   * @return the status, or empty for a word no product uses
   */
  public static Optional<UserStatus> fromWord(String word) {
    String k = Texts.compactKey(word);
    for (UserStatus s : values()) {
      if (Texts.compactKey(s.name()).equals(k)) {
        return Optional.of(s);
      }
    }
    return Optional.ofNullable(WORDS.get(k));
  }

  /**
   * The three-valued word of the Employees table's "User Status" column (active / inactive /
   * invited), plus "suspended" which that product lacks.
   *
   * @return the word
   */
  public String simpleWord() {
    return simpleWord;
  }

  /**
   * Whether sign-in is allowed in this status.
   *
   * @return true only for {@link #ACTIVE}
   */
  public boolean canSignIn() {
    return this == ACTIVE;
  }

  /**
   * Whether the user is inactive in the Employees-tab sense ({@code inactive: true}): deactivated
   * or anonymised. Such a user's effective role is Blocked.
   *
   * @return true when deactivated or anonymised
   */
  public boolean isInactive() {
    return this == DEACTIVATED || this == ANONYMISED;
  }

  /**
   * Whether the user has not yet been confirmed: staged, invite scheduled or invite pending.
   *
   * @return true before activation
   */
  public boolean isPreActive() {
    return this == STAGED || this == INVITE_SCHEDULED || this == INVITE_PENDING;
  }

  /**
   * Whether the user occupies a licensed seat: every status but deactivated and anonymised.
   *
   * @return true when the user counts against a seat limit
   */
  public boolean occupiesSeat() {
    return !isInactive();
  }
}
