package dev.usermgmt.bulk;

import dev.usermgmt.TenantId;
import dev.usermgmt.internal.service.Seals;
import java.time.Instant;
import java.util.List;

/**
 * The dry run of "Bulk Delete Users" from a list of ids.
 *
 * @param id the plan id
 * @param tenant the tenant
 * @param createdAt when it was planned
 * @param toDelete deactivated users that will be deleted
 * @param stillActive users not deactivated: not deleted unless {@code deactivateFirst}
 * @param notFound ids no user of the tenant has
 * @param deactivateFirst whether active users are deactivated and deleted too
 * @param seal the engine's seal over everything else: apply refuses a plan whose seal does not
 *     match (a plan the engine did not make, or one changed since)
 */
public record DeletionPlan(
    String id,
    TenantId tenant,
    Instant createdAt,
    List<PlannedUser> toDelete,
    List<PlannedUser> stillActive,
    List<String> notFound,
    boolean deactivateFirst,
    String seal) {

  static DeletionPlan sealed(
      Seals seals,
      String id,
      TenantId tenant,
      Instant createdAt,
      List<PlannedUser> toDelete,
      List<PlannedUser> stillActive,
      List<String> notFound,
      boolean deactivateFirst) {
    DeletionPlan p =
        new DeletionPlan(
            id, tenant, createdAt, toDelete, stillActive, notFound, deactivateFirst, "");
    return new DeletionPlan(
        id, tenant, createdAt, toDelete, stillActive, notFound, deactivateFirst, seals.seal(p));
  }
}
