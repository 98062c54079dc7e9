package dev.usermgmt.bulk;

import dev.usermgmt.TenantId;
import dev.usermgmt.internal.service.Seals;
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
 * @param seal the engine's seal over everything else: apply refuses a plan whose seal does not
 *     match (a plan the engine did not make, or one changed since)
 */
public record DeactivationPlan(
    String id,
    TenantId tenant,
    Instant createdAt,
    List<PlannedUser> toDeactivate,
    List<PlannedUser> alreadyInactive,
    List<String> notFound,
    List<String> invalid,
    List<String> excludedInternal,
    String seal) {

  static DeactivationPlan sealed(
      Seals seals,
      String id,
      TenantId tenant,
      Instant createdAt,
      List<PlannedUser> toDeactivate,
      List<PlannedUser> alreadyInactive,
      List<String> notFound,
      List<String> invalid,
      List<String> excludedInternal) {
    DeactivationPlan p =
        new DeactivationPlan(
            id,
            tenant,
            createdAt,
            toDeactivate,
            alreadyInactive,
            notFound,
            invalid,
            excludedInternal,
            "");
    return new DeactivationPlan(
        id,
        tenant,
        createdAt,
        toDeactivate,
        alreadyInactive,
        notFound,
        invalid,
        excludedInternal,
        seals.seal(p));
  }
}
