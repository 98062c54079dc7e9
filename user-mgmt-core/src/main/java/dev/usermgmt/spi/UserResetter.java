package dev.usermgmt.spi;

import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;

/** "Reset User": resets a user's data or state in the host, as the organisation defines it. */
@FunctionalInterface
public interface UserResetter {
  /**
   * Resets one user.
   *
   * @param tenant the tenant
   * @param user the user
   */
  void reset(TenantId tenant, UserId user);
}
