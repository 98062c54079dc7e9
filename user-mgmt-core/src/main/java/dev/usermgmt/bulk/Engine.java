package dev.usermgmt.bulk;

import dev.usermgmt.ConflictException;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.internal.Batches;
import dev.usermgmt.internal.service.Services;
import dev.usermgmt.user.User;
import java.util.List;
import java.util.Map;

/** What every plan and apply of the bulk engine shares. */
final class Engine {
  private Engine() {}

  /**
   * How many keys a plan looks up in one store call: the store's largest batch. A plan only reads,
   * so its lookups are not cut to the apply's transaction size ({@link BulkLimits#chunkSize()}): a
   * deactivation plan of 5,000 addresses made ten round trips at the default chunk of 500, one at
   * the JDBC store's batch of 5,000.
   */
  static int lookupBatch(Services services) {
    return Math.max(1, services.stores().users().maxBatchSize());
  }

  /** Users by id, one store call per chunk, with progress. */
  static Map<UserId, User> lookup(
      Services services, TenantId tenant, List<UserId> ids, int chunk, BulkListener listener) {
    return Batches.lookup(
        ids,
        chunk,
        part -> services.stores().users().getAll(tenant, part),
        (done, total) -> listener.progress("lookup", done, total));
  }

  /** A plan is applied in the tenant it was made for. */
  static void requireTenant(Actor actor, TenantId planTenant) {
    if (!actor.tenant().equals(planTenant)) {
      throw new ConflictException(
          Problem.of(
              ErrorCode.STALE_PLAN,
              "the plan was made for tenant " + planTenant + ", not " + actor.tenant()));
    }
  }
}
