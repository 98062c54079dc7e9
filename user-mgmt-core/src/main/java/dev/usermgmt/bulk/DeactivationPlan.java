package dev.usermgmt.bulk;

import dev.usermgmt.TenantId;
import dev.usermgmt.internal.service.Seals;
import java.time.Instant;
import java.util.List;

/**
 * The dry run of a deactivation by e-mail list, in the reference's three groups plus the two the
 * reference only counts. Every distinct valid address of the request is in exactly one of {@link
 * #toDeactivate}, {@link #alreadyInactive}, {@link #notFound} and {@link #excludedInternal};
 * malformed ones are in {@link #invalid}. {@link #flagged} gives the file row of every invalid,
 * repeated and internal address, and {@link #counts} the size of every group.
 *
 * @param id the plan id (the correlation id of the change sets its apply writes)
 * @param tenant the tenant
 * @param createdAt when it was planned
 * @param toDeactivate active users that will be deactivated, with the version seen
 * @param alreadyInactive matched users already deactivated (no-op)
 * @param notFound addresses no user of the tenant has (normalised)
 * @param invalid malformed addresses, as given
 * @param excludedInternal addresses of the internal staff domains, excluded unless allowed
 * @param flagged every invalid, repeated, internal and look-alike address with its row, in row
 *     order
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
    List<FlaggedAddress> flagged,
    String seal) {

  /** Copies the lists. */
  public DeactivationPlan {
    toDeactivate = List.copyOf(toDeactivate);
    alreadyInactive = List.copyOf(alreadyInactive);
    notFound = List.copyOf(notFound);
    invalid = List.copyOf(invalid);
    excludedInternal = List.copyOf(excludedInternal);
    flagged = List.copyOf(flagged);
  }

  /**
   * A plan without row details (as the reference API's JSON has it); the engine's seal covers the
   * details, so such a copy of a plan with flagged rows does not apply.
   *
   * @param id the plan id
   * @param tenant the tenant
   * @param createdAt when it was planned
   * @param toDeactivate active users that will be deactivated
   * @param alreadyInactive matched users already deactivated
   * @param notFound addresses no user has
   * @param invalid malformed addresses
   * @param excludedInternal internal addresses excluded
   * @param seal the seal
   */
  public DeactivationPlan(
      String id,
      TenantId tenant,
      Instant createdAt,
      List<PlannedUser> toDeactivate,
      List<PlannedUser> alreadyInactive,
      List<String> notFound,
      List<String> invalid,
      List<String> excludedInternal,
      String seal) {
    this(
        id,
        tenant,
        createdAt,
        toDeactivate,
        alreadyInactive,
        notFound,
        invalid,
        excludedInternal,
        List.of(),
        seal);
  }

  /**
   * The size of each group, for a summary a UI shows beside the lists.
   *
   * @param toDeactivate users that will be deactivated
   * @param alreadyInactive users already deactivated
   * @param notFound distinct addresses no user has
   * @param invalid malformed addresses
   * @param duplicates rows that repeat an earlier row's address
   * @param excludedInternal distinct internal addresses excluded
   * @param lookAlikes addresses not found that look like an existing user's
   */
  public record Counts(
      int toDeactivate,
      int alreadyInactive,
      int notFound,
      int invalid,
      int duplicates,
      int excludedInternal,
      int lookAlikes) {}

  /**
   * The size of each group.
   *
   * @return the counts
   */
  public Counts counts() {
    int duplicates =
        (int) flagged.stream().filter(f -> f.reason() == FlaggedAddress.Reason.DUPLICATE).count();
    int lookAlikes =
        (int) flagged.stream().filter(f -> f.reason() == FlaggedAddress.Reason.LOOK_ALIKE).count();
    return new Counts(
        toDeactivate.size(),
        alreadyInactive.size(),
        notFound.size(),
        invalid.size(),
        duplicates,
        excludedInternal.size(),
        lookAlikes);
  }

  static DeactivationPlan sealed(
      Seals seals,
      String id,
      TenantId tenant,
      Instant createdAt,
      List<PlannedUser> toDeactivate,
      List<PlannedUser> alreadyInactive,
      List<String> notFound,
      List<String> invalid,
      List<String> excludedInternal,
      List<FlaggedAddress> flagged) {
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
            flagged,
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
        flagged,
        seals.seal(p));
  }
}
