package dev.usermgmt.bulk;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import java.util.Map;
import java.util.Optional;

/**
 * How an update file is applied: the match key, the migration policy per field, what a blank cell
 * means, whether unknown users are created, and how errors stop the apply.
 *
 * @param matchKey how rows find their user
 * @param policies the migration policy per field key (default {@link MergePolicy#OVERWRITE})
 * @param clearMarker a cell text that clears the field (blank cells mean "no change")
 * @param createMissing whether rows matching no user become "to create" rows (validated like Add
 *     Users)
 * @param mode how errors affect the apply
 * @param errorThreshold for {@link ApplyMode#STOP_AFTER_ERRORS}: the most failures before stopping
 * @param allowConfusableEmails whether a row may give a user (new or existing) an e-mail address
 *     that looks like another user's (the same UTS #39 skeleton, another identity); when false (the
 *     default) such a row is an error with {@code confusable_identity} naming that user, so a
 *     Cyrillic look-alike of an existing address is never silently "to create"
 */
public record UpdateOptions(
    MatchKey matchKey,
    Map<String, MergePolicy> policies,
    Optional<String> clearMarker,
    boolean createMissing,
    ApplyMode mode,
    int errorThreshold,
    boolean allowConfusableEmails) {

  /** How a row finds its user. */
  public enum MatchKey {
    /** Primary e-mail, case-insensitively (the default). */
    EMAIL,
    /** Employee ID, exactly; several matches make the row ambiguous. */
    EMPLOYEE_ID,
    /** The user id. */
    ID
  }

  /** How a cell's value meets the user's. */
  public enum MergePolicy {
    /** Replace the value. */
    OVERWRITE,
    /** Only fill a blank value. */
    SKIP,
    /** Add to a list field (modules, groups). */
    APPEND
  }

  /** What errors do to the apply. */
  public enum ApplyMode {
    /** Write every valid row; report the rest. */
    VALID_ROWS,
    /** Write nothing unless every row is valid and nothing changed since the plan. */
    ALL_OR_NOTHING,
    /**
     * Write valid rows in order until the failures pass the threshold (like SCIM bulk
     * failOnErrors).
     */
    STOP_AFTER_ERRORS
  }

  /** Copies and checks. */
  public UpdateOptions {
    policies = Map.copyOf(policies);
    if (errorThreshold < 0) {
      throw new InvalidInputException(
          Problem.ofField(
              ErrorCode.INVALID_CONFIGURATION, "errorThreshold", "must not be negative"));
    }
  }

  /**
   * Options that refuse confusable e-mail addresses.
   *
   * @param matchKey how rows find their user
   * @param policies the migration policy per field key
   * @param clearMarker a cell text that clears the field
   * @param createMissing whether rows matching no user become "to create" rows
   * @param mode how errors affect the apply
   * @param errorThreshold the most failures before stopping
   */
  public UpdateOptions(
      MatchKey matchKey,
      Map<String, MergePolicy> policies,
      Optional<String> clearMarker,
      boolean createMissing,
      ApplyMode mode,
      int errorThreshold) {
    this(matchKey, policies, clearMarker, createMissing, mode, errorThreshold, false);
  }

  /**
   * These options with confusable e-mail addresses allowed or refused.
   *
   * @param allow whether rows may give a user an address that looks like another user's
   * @return the options
   */
  public UpdateOptions withConfusableEmailsAllowed(boolean allow) {
    return new UpdateOptions(
        matchKey, policies, clearMarker, createMissing, mode, errorThreshold, allow);
  }

  /**
   * The defaults: match by e-mail, overwrite, blank means no change, never create, write valid
   * rows, refuse confusable addresses.
   *
   * @return the options
   */
  public static UpdateOptions defaults() {
    return new UpdateOptions(
        MatchKey.EMAIL, Map.of(), Optional.empty(), false, ApplyMode.VALID_ROWS, 0);
  }

  /**
   * The policy of a field.
   *
   * @param field a field key
   * @return its policy
   */
  public MergePolicy policy(String field) {
    return policies.getOrDefault(field, MergePolicy.OVERWRITE);
  }
}
