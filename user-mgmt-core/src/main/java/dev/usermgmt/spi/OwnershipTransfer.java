package dev.usermgmt.spi;

import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;

/** Moves content and objects owned by one user to another; the host owns that content. */
@FunctionalInterface
public interface OwnershipTransfer {
  /**
   * Transfers everything {@code from} owns to {@code to}.
   *
   * @param tenant the tenant
   * @param from the current owner
   * @param to the new owner
   * @return how many objects moved
   */
  long transfer(TenantId tenant, UserId from, UserId to);
}
