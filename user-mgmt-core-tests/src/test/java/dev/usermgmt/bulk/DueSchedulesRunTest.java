package dev.usermgmt.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usermgmt.AccessDeniedException;
import dev.usermgmt.Action;
import dev.usermgmt.Decision;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.AccessPolicy;
import dev.usermgmt.access.Actor;
import dev.usermgmt.access.DefaultAccessPolicy;
import dev.usermgmt.access.FeatureFlags;
import dev.usermgmt.access.Relation;
import dev.usermgmt.access.UserWrite;
import dev.usermgmt.access.Visibility;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.directory.ScheduleRun;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.memory.InMemoryStores;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.InvitationSender;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.Fixtures;
import dev.usermgmt.testkit.MutableClock;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A run of the due schedules reads each due user once, however many of their moves fail: more due
 * users than a page, every invitation refused by the mail sender, still one read of each (the run
 * had read its failed users again with every page, a read that grew with the square of the
 * failures), and the next run tries them all again.
 */
final class DueSchedulesRunTest {
  private static final int INVITES = 1_234;
  private static final int ACTIVATIONS = 321;

  final TenantId tenant = TenantId.of("acme");
  final Stores memory = InMemoryStores.create();
  final CountingUserStore counting = new CountingUserStore(memory.users());
  final Stores stores = counting.over(memory);
  final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T10:00:00Z"));
  final UserDirectory directory =
      UserDirectory.builder()
          .stores(stores)
          .clock(clock)
          .invitationSender(
              (t, user, to, kind) -> {
                throw new IllegalStateException("the mail server is down");
              })
          .build();

  /** A staged user whose activation is due, for the policy tests. */
  private final User activation =
      Fixtures.user(tenant, "a").toBuilder()
          .status(UserStatus.STAGED)
          .activationScheduledAt(clock.instant().minusSeconds(1))
          .build();

  /** A user whose invitation is due, for the policy tests. */
  private final User invitation =
      Fixtures.user(tenant, "b").toBuilder()
          .status(UserStatus.INVITE_SCHEDULED)
          .inviteScheduledAt(clock.instant().minusSeconds(1))
          .build();

  @Test
  void aRunReadsEachDueUserOnceHoweverManyFail() {
    Instant now = clock.instant();
    List<User> users = new ArrayList<>();
    for (int i = 0; i < INVITES; i++) {
      // a few times, shared by many users, not in the order of their ids
      users.add(
          Fixtures.user(tenant, String.format(Locale.ROOT, "i%05d", i)).toBuilder()
              .status(UserStatus.INVITE_SCHEDULED)
              .inviteScheduledAt(now.minusSeconds(60L * ((i * 7L) % 11)))
              .build());
    }
    for (int i = 0; i < ACTIVATIONS; i++) {
      users.add(
          Fixtures.user(tenant, String.format(Locale.ROOT, "a%05d", i)).toBuilder()
              .status(UserStatus.STAGED)
              .activationScheduledAt(now.minusSeconds(i % 5))
              .build());
    }
    // not due yet
    users.add(
        Fixtures.user(tenant, "later").toBuilder()
            .status(UserStatus.INVITE_SCHEDULED)
            .inviteScheduledAt(now.plus(Duration.ofDays(1)))
            .build());
    stores.users().insert(tenant, users);

    ScheduleRun first = directory.runDueSchedules(tenant);
    assertThat(first.activated()).hasSize(ACTIVATIONS).doesNotHaveDuplicates();
    assertThat(first.invited()).isEmpty();
    assertThat(first.failed()).hasSize(INVITES).doesNotHaveDuplicates();
    assertThat(counting.dueUsersRead.get()).isEqualTo(INVITES + ACTIVATIONS);
    for (User u : users) {
      User now2 = stores.users().get(tenant, u.id()).orElseThrow();
      if (u.activationScheduledAt().isPresent()) {
        assertThat(now2.status()).isEqualTo(UserStatus.ACTIVE);
      } else {
        assertThat(now2.status()).isEqualTo(UserStatus.INVITE_SCHEDULED);
      }
    }

    // the failed invitations are still due: the next run tries each once more, and only them
    ScheduleRun second = directory.runDueSchedules(tenant);
    assertThat(second.activated()).isEmpty();
    Set<UserId> failedAgain = new HashSet<>(second.failed());
    assertThat(failedAgain).hasSize(INVITES).isEqualTo(new HashSet<>(first.failed()));
    assertThat(counting.dueUsersRead.get()).isEqualTo(2 * INVITES + ACTIVATIONS);
  }

  /**
   * A policy that lets the system activate but not invite: the run activates the due activations
   * and answers each due invitation as failed (it had thrown, and lost the activations it had made
   * from its answer); one that refuses both refuses the run.
   */
  @Test
  void aRunThePolicyLetsOnlyActivateAnswersTheInvitationsAsFailed() {
    ScheduleRun run = refusingTheSystem(Set.of(Action.SEND_INVITATIONS)).runDueSchedules(tenant);
    assertThat(run.activated()).containsExactly(activation.id());
    assertThat(run.invited()).isEmpty();
    assertThat(run.failed()).containsExactly(invitation.id());
    assertThat(stores.users().get(tenant, invitation.id()).orElseThrow().status())
        .isEqualTo(UserStatus.INVITE_SCHEDULED);
    UserDirectory neither = refusingTheSystem(Set.of(Action.SEND_INVITATIONS, Action.ACTIVATE));
    assertThatThrownBy(() -> neither.runDueSchedules(tenant))
        .isInstanceOf(AccessDeniedException.class);
  }

  /**
   * The other way round: a policy that lets the system invite but not activate answers each due
   * activation as failed, sends the due invitations, and does not throw.
   */
  @Test
  void aRunThePolicyLetsOnlyInviteAnswersTheActivationsAsFailed() {
    ScheduleRun run = refusingTheSystem(Set.of(Action.ACTIVATE)).runDueSchedules(tenant);
    assertThat(run.activated()).isEmpty();
    assertThat(run.failed()).containsExactly(activation.id());
    assertThat(run.invited()).containsExactly(invitation.id());
    assertThat(stores.users().get(tenant, activation.id()).orElseThrow().status())
        .isEqualTo(UserStatus.STAGED);
    assertThat(stores.users().get(tenant, invitation.id()).orElseThrow().status())
        .isEqualTo(UserStatus.INVITE_PENDING);
  }

  /**
   * A directory over the stores whose policy is the standard one but refuses the system actor the
   * given actions, with one due activation and one due invitation stored (a sender that sends).
   */
  private UserDirectory refusingTheSystem(Set<Action> refused) {
    if (stores.users().get(tenant, activation.id()).isEmpty()) {
      stores.users().insert(tenant, List.of(activation, invitation));
    }
    return UserDirectory.builder()
        .stores(stores)
        .clock(clock)
        .invitationSender(InvitationSender.none())
        .policy(
            refusingTheSystem(
                DefaultAccessPolicy.of(RoleCatalog.defaultCatalog(), FeatureFlags.defaults()),
                refused))
        .build();
  }

  /** The standard policy, but the system actor is refused the given actions. */
  private static AccessPolicy refusingTheSystem(AccessPolicy standard, Set<Action> refused) {
    return new AccessPolicy() {
      @Override
      public Decision decide(Actor actor, Action action) {
        return refuses(actor, action) ? refusal() : standard.decide(actor, action);
      }

      @Override
      public Decision decide(Actor actor, Action action, User target, Relation relation) {
        return refuses(actor, action)
            ? refusal()
            : standard.decide(actor, action, target, relation);
      }

      private boolean refuses(Actor actor, Action action) {
        return actor.system() && refused.contains(action);
      }

      private Decision refusal() {
        return Decision.deny(Decision.Reason.ROLE_TOO_LOW, "not the system's");
      }

      @Override
      public Decision decideWrite(Actor actor, UserWrite write) {
        return standard.decideWrite(actor, write);
      }

      @Override
      public Visibility visibility(
          Actor actor, Relation relation, AttributeSchema schema, Visibility.Purpose purpose) {
        return standard.visibility(actor, relation, schema, purpose);
      }
    };
  }
}
