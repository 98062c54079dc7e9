package dev.usermgmt.bulk;

import dev.usermgmt.TenantId;
import java.time.Instant;
import java.util.List;

/**
 * The dry run of a deactivation by e-mail list, in the reference's three groups plus the two the
 * reference only counts. Every distinct valid address of the request is in exactly one of {@link
 * #toDeactivate}, {@link #alreadyInactive}, {@link #notFound} and {@link #excludedInternal};
 * malformed ones are in {@link #invalid}.
 *
 * @param id the plan id (the correlation id of the change sets its apply writes)
 * @param tenant the tenant
 * @param createdAt when it was planned
 * @param toDeactivate active users that will be deactivated, with the version seen
 * @param alreadyInactive matched users already deactivated (no-op)
 * @param notFound addresses no user of the tenant has (normalised)
 * @param invalid malformed addresses, as given
 * @param excludedInternal addresses of the internal staff domains, excluded unless allowed
 */
public record DeactivationPlan(
    String id,
    TenantId tenant,
    Instant createdAt,
    List<PlannedUser> toDeactivate,
    List<PlannedUser> alreadyInactive,
    List<String> notFound,
    List<String> invalid,
    List<String> excludedInternal) {}
