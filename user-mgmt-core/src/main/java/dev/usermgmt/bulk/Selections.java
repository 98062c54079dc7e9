package dev.usermgmt.bulk;

import dev.usermgmt.Decision;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.access.EditChannel;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.bulk.Chunks.Step;
import dev.usermgmt.internal.service.Services;
import dev.usermgmt.user.PasswordState;
import dev.usermgmt.user.Transition;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserLifecycle;
import dev.usermgmt.user.UserStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Actions on checked rows or a whole view: what each does to a user, planned and applied. */
final class Selections {
  private final Services services;
  private final Chunks chunks;

  Selections(Services services, Chunks chunks) {
    this.services = services;
    this.chunks = chunks;
  }

  SelectionPlan plan(Actor actor, List<UserId> ids, ActionSpec spec, BulkListener listener) {
    Actor now = services.current(actor);
    services.require(now, spec.action().permission());
    checkParameters(now.tenant(), spec);
    List<UserId> distinct = List.copyOf(new LinkedHashSet<>(ids));
    Map<UserId, User> found =
        Engine.lookup(services, now.tenant(), distinct, Engine.lookupBatch(services), listener);
    AttributeSchema schema = services.schema(now.tenant());
    Instant at = services.clock().instant();
    List<SelectionPlan.Outcome> outcomes = new ArrayList<>();
    List<String> notFound = new ArrayList<>();
    // a user the actor may not see is answered as one that does not exist: an id list learns
    // neither names nor states of users outside the actor's sight
    java.util.function.Predicate<User> visible = services.seen(now);
    for (UserId id : distinct) {
      User u = found.get(id);
      if (u == null || !visible.test(u)) {
        notFound.add(id.value());
        continue;
      }
      Step s = step(u, spec, at);
      if (s.kind() == Chunks.Kind.CHANGE || s.kind() == Chunks.Kind.DELETE) {
        Decision may =
            services.checkWrite(now, Optional.of(u), s.after(), EditChannel.FILE, schema);
        if (!may.allowed()) {
          s = Step.refuse(ErrorCode.ACCESS_DENIED, may.message());
        }
      }
      SelectionPlan.Kind kind =
          switch (s.kind()) {
            case NO_OP -> SelectionPlan.Kind.NO_OP;
            case REFUSE -> SelectionPlan.Kind.REFUSED;
            default -> SelectionPlan.Kind.WILL_CHANGE;
          };
      outcomes.add(
          new SelectionPlan.Outcome(PlannedUser.of(u), kind, s.problem().map(Problem::message)));
    }
    return SelectionPlan.sealed(
        services.seals(), services.newId(), now.tenant(), at, spec, outcomes, notFound);
  }

  ApplyResult apply(Actor actor, SelectionPlan plan, BulkListener listener) {
    services.seals().verify(plan, plan.seal());
    Engine.requireTenant(actor, plan.tenant());
    services.require(services.current(actor), plan.action().action().permission());
    return chunks.apply(
        actor,
        plan.id(),
        "bulk." + plan.action().action().name().toLowerCase(Locale.ROOT),
        plan.changing(),
        (w, current) -> step(current, plan.action(), w.now()),
        listener,
        Integer.MAX_VALUE);
  }

  private void checkParameters(TenantId tenant, ActionSpec spec) {
    if (spec.group().isPresent()
        && services.stores().groups().get(tenant, spec.group().get()).isEmpty()) {
      throw new InvalidInputException(
          Problem.ofField(
              ErrorCode.UNKNOWN_GROUP, "group", "no group '" + spec.group().get() + "'"));
    }
    Set<String> unknown = new TreeSet<>(spec.modules());
    unknown.removeAll(services.settings(tenant).modules());
    if (!unknown.isEmpty()) {
      throw new InvalidInputException(
          Problem.ofField(ErrorCode.UNKNOWN_MODULE, "modules", "unknown modules " + unknown));
    }
  }

  /** What an action does to a user as stored now; whether the actor may is the policy's to say. */
  static Step step(User u, ActionSpec spec, Instant now) {
    Optional<Instant> at = spec.at();
    return switch (spec.action()) {
      case ACTIVATE -> lifecycle(u, Transition.ACTIVATE, now, at, Optional.of(UserStatus.ACTIVE));
      case SCHEDULE_ACTIVATION ->
          u.activationScheduledAt().equals(at)
              ? Step.noOp()
              : lifecycle(u, Transition.SCHEDULE_ACTIVATION, now, at, Optional.empty());
      case SUSPEND -> lifecycle(u, Transition.SUSPEND, now, at, Optional.of(UserStatus.SUSPENDED));
      case UNSUSPEND -> lifecycle(u, Transition.UNSUSPEND, now, at, Optional.of(UserStatus.ACTIVE));
      case DEACTIVATE -> lifecycle(u, Transition.DEACTIVATE, now, at, Optional.empty());
      case REACTIVATE ->
          lifecycle(u, Transition.REACTIVATE, now, at, Optional.of(UserStatus.ACTIVE));
      case DELETE -> lifecycle(u, Transition.DELETE, now, at, Optional.empty());
      default -> field(u, spec);
    };
  }

  /** A lifecycle move; a no-op when the user is already where the move leads. */
  static Step lifecycle(
      User u, Transition t, Instant now, Optional<Instant> at, Optional<UserStatus> target) {
    if (target.isPresent() && u.status() == target.get()) {
      return Step.noOp();
    }
    if (t == Transition.DEACTIVATE && u.status().isInactive()) {
      return Step.noOp();
    }
    if (!UserLifecycle.isAllowed(u.status(), t)) {
      return Step.refuse(
          ErrorCode.ILLEGAL_TRANSITION,
          "cannot " + t.label() + " a user whose status is " + u.status());
    }
    Optional<User> after = UserLifecycle.apply(u, t, now, at);
    return after.map(Step::change).orElseGet(Step::delete);
  }

  private static Step field(User u, ActionSpec spec) {
    User after =
        switch (spec.action()) {
          case ADD_TO_GROUP -> u.toBuilder().addGroups(spec.group().orElseThrow()).build();
          case REMOVE_FROM_GROUP -> {
            Set<String> groups = new TreeSet<>(u.groups());
            groups.remove(spec.group().orElseThrow());
            yield u.toBuilder().groups(groups).build();
          }
          case SET_MODULES -> u.toBuilder().modules(spec.modules()).build();
          case UNLOCK -> u.toBuilder().lockedOut(false).build();
          case FORCE_PASSWORD_CHANGE -> u.toBuilder().passwordState(PasswordState.EXPIRED).build();
          case REQUIRE_MFA -> u.toBuilder().mfaRequired(true).build();
          case REMOVE_MFA -> u.toBuilder().mfaRequired(false).build();
          default -> u;
        };
    return after.equals(u) ? Step.noOp() : Step.change(after);
  }
}
