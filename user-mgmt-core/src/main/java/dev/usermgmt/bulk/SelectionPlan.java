package dev.usermgmt.bulk;

import dev.usermgmt.TenantId;
import dev.usermgmt.internal.service.Seals;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The dry run of an action over a selection: per user, whether it will change, is already as asked
 * (no-op), or is refused and why.
 *
 * @param id the plan id
 * @param tenant the tenant
 * @param createdAt when it was planned
 * @param action the action
 * @param outcomes one per selected user, in selection order
 * @param notFound selected ids no user of the tenant has
 * @param seal the engine's seal over everything else: apply refuses a plan whose seal does not
 *     match (a plan the engine did not make, or one changed since)
 */
public record SelectionPlan(
    String id,
    TenantId tenant,
    Instant createdAt,
    ActionSpec action,
    List<Outcome> outcomes,
    List<String> notFound,
    String seal) {

  static SelectionPlan sealed(
      Seals seals,
      String id,
      TenantId tenant,
      Instant createdAt,
      ActionSpec action,
      List<Outcome> outcomes,
      List<String> notFound) {
    SelectionPlan p = new SelectionPlan(id, tenant, createdAt, action, outcomes, notFound, "");
    return new SelectionPlan(id, tenant, createdAt, action, outcomes, notFound, seals.seal(p));
  }

  /** What the plan says of one user. */
  public enum Kind {
    /** The user will change. */
    WILL_CHANGE,
    /** The user is already as asked. */
    NO_OP,
    /** The action is refused for this user. */
    REFUSED
  }

  /**
   * One user's outcome.
   *
   * @param user the user as seen
   * @param kind what will happen
   * @param reason why it is refused
   */
  public record Outcome(PlannedUser user, Kind kind, Optional<String> reason) {}

  /**
   * The users that will change.
   *
   * @return those users
   */
  public List<PlannedUser> changing() {
    return outcomes.stream().filter(o -> o.kind() == Kind.WILL_CHANGE).map(Outcome::user).toList();
  }
}
