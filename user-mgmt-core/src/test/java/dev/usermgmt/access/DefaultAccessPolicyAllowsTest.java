package dev.usermgmt.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.usermgmt.Action;
import dev.usermgmt.Decision;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.role.DomainRole;
import dev.usermgmt.role.Role;
import dev.usermgmt.role.RoleCatalog;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

/**
 * {@link DefaultAccessPolicy#allows}, which the write rules and the reads ask without wanting a
 * denial's words, answers as {@link DefaultAccessPolicy#decide(Actor, Action)} does, for every
 * actor, action and set of feature flags.
 */
final class DefaultAccessPolicyAllowsTest {
  private static final RoleCatalog ROLES = RoleCatalog.defaultCatalog();
  private static final List<Action> ACTIONS = List.of(Action.values());
  private static final List<FeatureFlag> FLAGS = List.of(FeatureFlag.values());
  private static final List<String> DOMAINS =
      List.of(DomainRole.PEOPLE, DomainRole.CONTENT, "budget");

  private static <T> Gen<T> oneOf(List<T> values) {
    return SourceDSL.integers().between(0, values.size() - 1).map(values::get);
  }

  private static <T> Gen<List<T>> someOf(List<T> values) {
    return SourceDSL.lists().of(oneOf(values)).ofSizeBetween(0, 4);
  }

  /** An actor's rights, drawn apart from the flags that make the actor. */
  private record Rights(
      Role role, Optional<DomainRole> domainRole, List<Action> grants, List<Action> revocations) {}

  private static Gen<Actor> actors() {
    Gen<Role> roles = oneOf(ROLES.roles());
    Gen<Rights> rights =
        roles.zip(
            oneOf(DOMAINS).zip(roles, DomainRole::of).toOptionals(50),
            someOf(ACTIONS),
            someOf(ACTIONS),
            Rights::new);
    return rights.zip(
        SourceDSL.integers().between(0, 3),
        SourceDSL.integers().between(0, 7),
        (r, support, bits) -> {
          Actor.Builder b =
              Actor.builder()
                  .tenant(TenantId.of("acme"))
                  .userId(UserId.of("me"))
                  .role(r.role())
                  .supportLevel(support)
                  .active((bits & 1) == 0)
                  .system((bits & 2) != 0)
                  .addAllGrants(r.grants())
                  .addAllRevocations(r.revocations());
          r.domainRole().ifPresent(b::addDomainRoles);
          if ((bits & 4) != 0) {
            b.tenantPurpose(Actor.DEMO);
          }
          return b.build();
        });
  }

  private static Gen<FeatureFlags> flags() {
    return someOf(FLAGS)
        .zip(
            someOf(FLAGS),
            (on, off) -> {
              Map<FeatureFlag, Boolean> m = new EnumMap<>(FeatureFlag.class);
              off.forEach(f -> m.put(f, false));
              on.forEach(f -> m.put(f, true));
              return FeatureFlags.of(m);
            });
  }

  /** The actions whose rule a host can change (the other two are fixed: self, the system). */
  private static final List<Action> RULED =
      ACTIONS.stream()
          .filter(a -> a != Action.EDIT_OWN_PROFILE && a != Action.RECORD_SIGN_IN)
          .toList();

  /** One change a host makes to a rule: a threshold, a support level or a required flag. */
  private record Change(Action action, int kind, Role role, int level, FeatureFlag flag) {
    DefaultAccessPolicy.Builder on(DefaultAccessPolicy.Builder b) {
      return switch (kind) {
        case 0 -> b.threshold(action, role);
        case 1 -> b.supportLevel(action, level);
        default -> b.requireFlag(action, flag);
      };
    }
  }

  /** The default policy, or one with some of its rules changed as a host may. */
  private static Gen<DefaultAccessPolicy> policies() {
    Gen<Change> change =
        oneOf(RULED)
            .zip(
                SourceDSL.integers().between(0, 2),
                oneOf(ROLES.roles()),
                SourceDSL.integers().between(0, 3),
                oneOf(FLAGS),
                Change::new);
    return flags()
        .zip(
            SourceDSL.lists().of(change).ofSizeBetween(0, 6),
            (flags, changes) -> {
              DefaultAccessPolicy.Builder b = DefaultAccessPolicy.builder(ROLES, flags);
              changes.forEach(c -> c.on(b));
              return b.build();
            });
  }

  @Test
  void allowsAnswersAsDecideDoes() {
    qt().withExamples(3_000)
        .forAll(actors(), policies(), oneOf(ACTIONS))
        .checkAssert(
            (actor, policy, action) -> {
              Decision d = policy.decide(actor, action);
              assertThat(policy.allows(actor, action))
                  .as("%s for %s: %s", action, actor, d)
                  .isEqualTo(d.allowed());
              // a decision returned is always in words, never the bare reason allows reads
              if (!d.allowed()) {
                assertThat(d.message()).isNotEqualTo(d.reason().orElseThrow().id());
              }
            });
  }

  @Test
  void aDenialAskedForStillGivesItsWords() {
    Actor learner = Actor.builder().tenant(TenantId.of("acme")).role(ROLES.defaultRole()).build();
    DefaultAccessPolicy policy = DefaultAccessPolicy.of(ROLES, FeatureFlags.defaults());
    assertThat(policy.allows(learner, Action.EXPORT)).isFalse();
    Decision d = policy.decide(learner, Action.EXPORT);
    assertThat(d.reason()).contains(Decision.Reason.ROLE_TOO_LOW);
    assertThat(d.message()).startsWith("EXPORT needs an effective People role");
  }
}
