package dev.usermgmt.user;

import dev.usermgmt.UserId;
import java.util.Objects;
import java.util.Optional;

/**
 * A user as a list or a dry run shows them: identity, the version read, the lifecycle status and
 * the names, without the rest of the record. A store may read it without decoding the whole user
 * (see {@link dev.usermgmt.spi.UserLookup#findSummariesByEmails}); it is never written back, so
 * nothing decided from it needs more than these fields.
 *
 * @param id the id
 * @param version the version read
 * @param status the lifecycle status
 * @param primaryEmail the e-mail address as stored ({@link EmailAddress#value()})
 * @param firstName the first name
 * @param lastName the last name
 * @param displayName the display name
 */
public record UserSummary(
    UserId id,
    long version,
    UserStatus status,
    Optional<String> primaryEmail,
    Optional<String> firstName,
    Optional<String> lastName,
    String displayName) {

  /** Checks that no component is null. */
  public UserSummary {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(primaryEmail, "primaryEmail");
    Objects.requireNonNull(firstName, "firstName");
    Objects.requireNonNull(lastName, "lastName");
    Objects.requireNonNull(displayName, "displayName");
  }

  /**
   * The summary of a whole user.
   *
   * @param u the user
   * @return its summary
   */
  public static UserSummary of(User u) {
    return new UserSummary(
        u.id(),
        u.version(),
        u.status(),
        u.primaryEmail().map(EmailAddress::value),
        u.firstName(),
        u.lastName(),
        u.displayName());
  }
}
