package dev.usermgmt.internal.store;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
import dev.usermgmt.user.User;

/** Checks that every store shares. Not API. */
public final class Checks {
  private Checks() {}

  /**
   * Refuses a user of another tenant: no call path writes another tenant's rows.
   *
   * @param tenant the tenant of the call
   * @param user a user to write
   * @throws InvalidInputException with {@link ErrorCode#INVALID_ID} when they differ
   */
  public static void sameTenant(TenantId tenant, User user) {
    if (!user.tenant().equals(tenant)) {
      throw new InvalidInputException(
          Problem.ofField(
              ErrorCode.INVALID_ID,
              "tenant",
              "user " + user.id() + " belongs to tenant " + user.tenant() + ", not " + tenant));
    }
  }

  /**
   * Checks that each user of {@code after} replaces the one at the same place in {@code before}:
   * same id, next version.
   *
   * @param before stored users
   * @param after their replacements
   * @throws InvalidInputException with {@link ErrorCode#INVALID_REQUEST} when they do not pair up
   */
  public static void pairs(java.util.List<User> before, java.util.List<User> after) {
    boolean ok = before.size() == after.size();
    for (int i = 0; ok && i < after.size(); i++) {
      ok =
          before.get(i).id().equals(after.get(i).id())
              && before.get(i).version() + 1 == after.get(i).version();
    }
    if (!ok) {
      throw new InvalidInputException(
          Problem.of(
              ErrorCode.INVALID_REQUEST,
              "each updated user must follow its stored user: same id, the next version"));
    }
  }

  /**
   * Refuses a user with no stored version.
   *
   * @param user a user to insert
   * @throws InvalidInputException with {@link ErrorCode#INVALID_VALUE} for version 0
   */
  public static void storedVersion(User user) {
    if (user.version() < 1) {
      throw new InvalidInputException(
          Problem.ofField(ErrorCode.INVALID_VALUE, "version", "a stored user has version ≥ 1"));
    }
  }

  /**
   * The conflict of a version-checked write: the user changed (or went) since it was read.
   *
   * @param id the user
   * @param stored the stored version, or -1 when the user is gone
   * @param expected the version the write expected
   * @return the exception to throw
   */
  public static dev.usermgmt.ConflictException versionConflict(
      dev.usermgmt.UserId id, long stored, long expected) {
    return new dev.usermgmt.ConflictException(
        Problem.builder()
            .code(ErrorCode.VERSION_CONFLICT)
            .field("version")
            .message(
                stored < 0
                    ? "user " + id + " no longer exists"
                    : "user "
                        + id
                        + " is at version "
                        + stored
                        + ", not "
                        + expected
                        + "; it was changed by someone else")
            .build());
  }
}
