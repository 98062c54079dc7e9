package dev.usermgmt.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.usermgmt.AccessDeniedException;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.UserMgmtException;
import dev.usermgmt.access.Actor;
import dev.usermgmt.audit.ChangeSet;
import dev.usermgmt.audit.internal.Replay;
import dev.usermgmt.memory.InMemoryStores;
import dev.usermgmt.role.Role;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.MutableClock;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserDraft;
import dev.usermgmt.user.UserField;
import dev.usermgmt.user.UserPatch;
import dev.usermgmt.user.UserStatus;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.SourceDSL;

/**
 * Model-based property: random sequences of directory operations by random actors of two tenants
 * against the in-memory store. After every step: a refused operation wrote nothing; no tenant's
 * data changed through another tenant's actor; no actor exceeded their rights; no user left the
 * store unless deactivated (or its creation was undone); undoing the step restores the state before
 * it. At the end, replaying each tenant's change log from empty rebuilds its users exactly.
 */
final class UserDirectoryProperties {
  private static final RoleCatalog ROLES = RoleCatalog.defaultCatalog();
  private static final TenantId A = TenantId.of("tenant-a");
  private static final TenantId B = TenantId.of("tenant-b");
  private static final int OPS = 13;

  private record World(
      Stores stores, UserDirectory directory, MutableClock clock, List<Actor> actors) {}

  private static World world() {
    Stores stores = InMemoryStores.create();
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    SecureRandom random = new SecureRandom(new byte[] {1});
    UserDirectory directory =
        UserDirectory.builder().stores(stores).clock(clock).random(random).build();
    List<Actor> actors = new ArrayList<>();
    for (TenantId t : List.of(A, B)) {
      Actor seed = Actor.builder().tenant(t).role(ROLES.parse("owner")).build();
      directory.create(
          seed,
          List.of(
              draft("owner", t, "owner"),
              draft("admin", t, "admin"),
              draft("manager", t, "manager"),
              draft("learner", t, "learner"),
              draft("r1", t, "learner").toBuilder().managerId(UserId.of("manager")).build(),
              draft("r2", t, "instructor").toBuilder().managerId(UserId.of("r1")).build()));
      for (String who : List.of("owner", "admin", "manager", "learner")) {
        actors.add(Actor.builder().tenant(t).userId(UserId.of(who)).role(ROLES.parse(who)).build());
      }
    }
    return new World(stores, directory, clock, actors);
  }

  private static UserDraft draft(String id, TenantId t, String role) {
    return UserDraft.builder()
        .id(UserId.of(id))
        .displayName(id + " of " + t)
        .primaryEmail(EmailAddress.parse(id + "@" + t.value() + ".example"))
        .role(ROLES.parse(role))
        .build();
  }

  private static Map<UserId, User> snapshot(Stores stores, TenantId t) {
    Map<UserId, User> out = new TreeMap<>();
    stores.users().scan(t, Optional.empty(), 10_000).forEach(u -> out.put(u.id(), u));
    return out;
  }

  /** The state that undo must restore: users without their version and update time. */
  private static Map<UserId, User> normal(Map<UserId, User> users) {
    Map<UserId, User> out = new TreeMap<>();
    users.forEach(
        (id, u) -> out.put(id, u.toBuilder().version(0).updatedAt(u.createdAt()).build()));
    return out;
  }

  @Test
  void randomOperationSequencesKeepEveryRule() {
    qt().withExamples(150)
        .forAll(
            SourceDSL.lists()
                .of(SourceDSL.integers().between(0, Integer.MAX_VALUE))
                .ofSizeBetween(1, 30))
        .checkAssert(
            commands -> {
              World w = world();
              int created = 0;
              for (int code : commands) {
                Actor actor = w.actors().get(code % w.actors().size());
                int op = (code / 8) % OPS;
                List<UserId> targets =
                    new ArrayList<>(snapshot(w.stores(), actor.tenant()).keySet());
                targets.add(UserId.of("r1"));
                UserId target = targets.get((code / 104) % targets.size());
                Role role = ROLES.roles().get((code / 1000) % (ROLES.roles().size() - 1));
                boolean undoAfter = (code / 7000) % 3 == 0;
                w.clock().advance(Duration.ofMinutes(1));

                Map<UserId, User> beforeA = snapshot(w.stores(), A);
                Map<UserId, User> beforeB = snapshot(w.stores(), B);
                int logA = w.stores().changeLog().page(A, 0, 100_000).size();
                int logB = w.stores().changeLog().page(B, 0, 100_000).size();
                boolean ok;
                try {
                  run(w, actor, op, target, role, created++);
                  ok = true;
                } catch (UserMgmtException e) {
                  ok = false;
                }
                Map<UserId, User> afterA = snapshot(w.stores(), A);
                Map<UserId, User> afterB = snapshot(w.stores(), B);
                TenantId mine = actor.tenant();
                Map<UserId, User> before = mine.equals(A) ? beforeA : beforeB;
                Map<UserId, User> after = mine.equals(A) ? afterA : afterB;
                // never cross tenants
                assertThat(mine.equals(A) ? afterB : afterA)
                    .isEqualTo(mine.equals(A) ? beforeB : beforeA);
                assertThat(w.stores().changeLog().page(mine.equals(A) ? B : A, 0, 100_000))
                    .hasSize(mine.equals(A) ? logB : logA);
                if (!ok) {
                  // refused: nothing written
                  assertThat(after).isEqualTo(before);
                  assertThat(w.stores().changeLog().page(mine, 0, 100_000))
                      .hasSize(mine.equals(A) ? logA : logB);
                  continue;
                }
                // never exceed rights: below admin, only one's own profile changes
                if (actor.peopleRole().level() < ROLES.adminRole().level()) {
                  for (Map.Entry<UserId, User> e : after.entrySet()) {
                    User prior = before.get(e.getKey());
                    if (!e.getValue().equals(prior)) {
                      assertThat(Optional.of(e.getKey())).isEqualTo(actor.userId());
                      assertThat(prior).isNotNull();
                      assertThat(e.getValue().role())
                          .isEqualTo(prior == null ? null : prior.role());
                    }
                  }
                }
                for (Map.Entry<UserId, User> e : after.entrySet()) {
                  User prior = before.get(e.getKey());
                  if (prior == null || !prior.role().equals(e.getValue().role())) {
                    assertThat(e.getValue().role().level())
                        .isLessThanOrEqualTo(actor.peopleRole().level());
                  }
                }
                // one mutation, one change set; lifecycle fields agree with the status
                int grown =
                    w.stores().changeLog().page(mine, 0, 100_000).size()
                        - (mine.equals(A) ? logA : logB);
                assertThat(grown).isBetween(0, 1);
                if (!after.equals(before)) {
                  assertThat(grown).isEqualTo(1);
                }
                for (User u : after.values()) {
                  assertThat(u.deactivatedAt().isPresent())
                      .as(u.toString())
                      .isEqualTo(u.status().isInactive());
                }
                // never delete an active user
                for (Map.Entry<UserId, User> e : before.entrySet()) {
                  if (!after.containsKey(e.getKey())) {
                    assertThat(e.getValue().status())
                        .isIn(UserStatus.DEACTIVATED, UserStatus.ANONYMISED);
                  }
                }
                // undo restores the prior state
                List<ChangeSet> log = w.stores().changeLog().page(mine, 0, 100_000);
                if (undoAfter && log.size() > (mine.equals(A) ? logA : logB)) {
                  Actor owner = w.actors().get(mine.equals(A) ? 0 : 4);
                  try {
                    w.directory().undo(owner, log.get(log.size() - 1).id());
                    assertThat(normal(snapshot(w.stores(), mine))).isEqualTo(normal(before));
                  } catch (UserMgmtException e) {
                    // only an anonymisation (history redacted) cannot be undone
                    assertThat(e.code()).isEqualTo(ErrorCode.UNDO_CONFLICT);
                    assertThat(log.get(log.size() - 1).operation()).isEqualTo("user.anonymise");
                  }
                }
              }
              for (TenantId t : List.of(A, B)) {
                Map<UserId, User> replayed =
                    Replay.replay(t, w.stores().changeLog().page(t, 0, 100_000), ROLES);
                assertThat(replayed).isEqualTo(snapshot(w.stores(), t));
              }
            });
  }

  private static void run(World w, Actor actor, int op, UserId target, Role role, int n) {
    UserDirectory d = w.directory();
    switch (op) {
      case 0 ->
          d.create(
              actor,
              List.of(
                  UserDraft.builder()
                      .primaryEmail(EmailAddress.parse("new" + n + "@x.example"))
                      .role(role)
                      .build()));
      case 1 ->
          d.edit(
              actor,
              target,
              version(w.stores(), actor, target),
              UserPatch.builder().set(UserField.DEPARTMENT, "D" + n).build());
      case 2 ->
          d.edit(
              actor,
              target,
              version(w.stores(), actor, target),
              UserPatch.builder().set(UserField.ROLE, role).build());
      case 3 ->
          d.edit(
              actor,
              target,
              version(w.stores(), actor, target),
              UserPatch.builder().set(UserField.DISPLAY_NAME, "Name " + n).build());
      case 4 -> d.deactivate(actor, target);
      case 5 -> d.reactivate(actor, target);
      case 6 -> d.delete(actor, target);
      case 7 -> d.suspend(actor, target);
      case 8 -> d.unsuspend(actor, target);
      case 9 -> d.anonymise(actor, target);
      case 10 -> d.setManager(actor, target, Optional.of(UserId.of(n % 2 == 0 ? "manager" : "r2")));
      case 11 -> d.requireMfa(actor, target, n % 2 == 0);
      default -> d.invite(actor, List.of(target));
    }
  }

  private static long version(Stores stores, Actor actor, UserId target) {
    return stores.users().get(actor.tenant(), target).map(User::version).orElse(1L);
  }

  @Test
  void refusalsAreAccessDeniedForLearnersOnOthers() {
    World w = world();
    Actor learner = w.actors().get(3);
    try {
      w.directory().deactivate(learner, UserId.of("admin"));
      throw new AssertionError("a learner deactivated an admin");
    } catch (AccessDeniedException expected) {
      assertThat(expected.decision().allowed()).isFalse();
    }
  }
}
