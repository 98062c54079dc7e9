package dev.usermgmt.bulk;

import dev.usermgmt.TenantId;
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
 */
public record DeletionPlan(
    String id,
    TenantId tenant,
    Instant createdAt,
    List<PlannedUser> toDelete,
    List<PlannedUser> stillActive,
    List<String> notFound,
    boolean deactivateFirst) {}
