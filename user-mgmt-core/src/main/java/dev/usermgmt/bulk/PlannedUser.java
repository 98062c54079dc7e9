package dev.usermgmt.bulk;

import dev.usermgmt.UserId;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserSummary;
import java.util.Optional;

/**
 * A user as a plan saw it: identity, the names a preview shows, and the version the plan was made
 * against (apply refuses to overwrite a user changed since).
 *
 * @param id the id
 * @param version the version the plan saw
 * @param primaryEmail the e-mail address
 * @param firstName the first name
 * @param lastName the last name
 * @param displayName the display name
 */
public record PlannedUser(
    UserId id,
    long version,
    Optional<String> primaryEmail,
    Optional<String> firstName,
    Optional<String> lastName,
    String displayName) {

  /**
   * How a plan records a user.
   *
   * @param u the user
   * @return the planned user
   */
  public static PlannedUser of(User u) {
    return new PlannedUser(
        u.id(),
        u.version(),
        u.primaryEmail().map(EmailAddress::value),
        u.firstName(),
        u.lastName(),
        u.displayName());
  }

  /**
   * How a plan records a user it read as a summary.
   *
   * @param s the summary
   * @return the planned user
   */
  public static PlannedUser of(UserSummary s) {
    return new PlannedUser(
        s.id(), s.version(), s.primaryEmail(), s.firstName(), s.lastName(), s.displayName());
  }
}
