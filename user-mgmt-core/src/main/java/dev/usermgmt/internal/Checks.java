package dev.usermgmt.internal;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.user.TenantId;
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
}
