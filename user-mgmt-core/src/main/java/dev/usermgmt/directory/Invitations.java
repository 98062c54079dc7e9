package dev.usermgmt.directory;

import dev.usermgmt.Action;
import dev.usermgmt.Decision;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.UserMgmtException;
import dev.usermgmt.access.Actor;
import dev.usermgmt.access.EditChannel;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.audit.ChangeSet;
import dev.usermgmt.internal.service.Services;
import dev.usermgmt.query.UserQuery;
import dev.usermgmt.spi.InvitationSender;
import dev.usermgmt.spi.UserLookup;
import dev.usermgmt.user.PasswordState;
import dev.usermgmt.user.Transition;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserLifecycle;
import dev.usermgmt.user.UserStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Invitations and welcome e-mails, to users or to a filtered view, and the due schedules. */
final class Invitations {
  private static final Logger LOG = LoggerFactory.getLogger(Invitations.class);
  private static final int SCHEDULE_PAGE = 500;

  private final Services services;
  private final Reads reads;
  private final Lifecycle lifecycle;

  Invitations(Services services, Reads reads, Lifecycle lifecycle) {
    this.services = services;
    this.reads = reads;
    this.lifecycle = lifecycle;
  }

  InvitationResult invite(Actor actor, List<UserId> ids) {
    return invite(actor, ids, false);
  }

  /**
   * Sends invitations or welcome e-mails to the users who may get one, as the actor may: a user the
   * actor may not see is skipped as an ineligible one is, whatever they hold (which e-mail a user
   * gets, or whether any, tells whether they ever signed in).
   *
   * @param created whether the users are those the actor has just created (theirs to invite)
   */
  InvitationResult invite(Actor actor, List<UserId> ids, boolean created) {
    Actor now = services.current(actor);
    services.require(now, Action.SEND_INVITATIONS);
    java.util.function.Predicate<User> seen =
        created || now.system() ? u -> true : services.seen(now);
    TenantId tenant = now.tenant();
    AttributeSchema schema = services.schema(tenant);
    List<UserId> sent = new ArrayList<>();
    List<UserId> failed = new ArrayList<>();
    List<UserId> skipped = new ArrayList<>();
    List<User> before = new ArrayList<>();
    List<User> after = new ArrayList<>();
    Instant at = services.clock().instant();
    int chunk = services.stores().users().maxBatchSize();
    List<UserId> distinct = List.copyOf(new LinkedHashSet<>(ids));
    for (int i = 0; i < distinct.size(); i += chunk) {
      List<UserId> part = distinct.subList(i, Math.min(distinct.size(), i + chunk));
      Map<UserId, User> found = services.stores().users().getAll(tenant, part);
      for (UserId id : part) {
        User u = found.get(id);
        Optional<InvitationSender.Kind> kind = u == null ? Optional.empty() : kind(u);
        if (u == null || !seen.test(u) || kind.isEmpty() || u.primaryEmail().isEmpty()) {
          skipped.add(id);
          continue;
        }
        User next = invited(u, kind.get(), at);
        boolean may =
            services
                .checkWrite(now, Optional.of(u), Optional.of(next), EditChannel.SYSTEM, schema)
                .allowed();
        if (!may) {
          skipped.add(id);
          continue;
        }
        try {
          services.invitations().send(tenant, id, u.primaryEmail().get(), kind.get());
        } catch (RuntimeException e) {
          LOG.warn("invitation to user {} in {} failed", id, tenant, e);
          failed.add(id);
          continue;
        }
        sent.add(id);
        before.add(u);
        after.add(next);
      }
    }
    if (sent.isEmpty()) {
      return new InvitationResult(sent, failed, skipped, Optional.empty());
    }
    Optional<String> cs =
        services.write(
            actor,
            "user.invite",
            EditChannel.SYSTEM,
            w -> {
              w.update(before, after);
              return w.commit().map(ChangeSet::id);
            });
    return new InvitationResult(sent, failed, skipped, cs);
  }

  private static User invited(User u, InvitationSender.Kind kind, Instant at) {
    User.Builder b = u.toBuilder().invitedAt(at).inviteScheduledAt(Optional.empty());
    if (kind == InvitationSender.Kind.INVITATION) {
      b.status(UserLifecycle.next(u.status(), Transition.INVITE).orElseThrow());
    }
    if (u.passwordState() == PasswordState.NONE) {
      b.passwordState(PasswordState.PENDING);
    }
    return b.build();
  }

  private static Optional<InvitationSender.Kind> kind(User u) {
    if (UserLifecycle.isAllowed(u.status(), Transition.INVITE)) {
      return Optional.of(InvitationSender.Kind.INVITATION);
    }
    if (u.status() == UserStatus.ACTIVE && u.neverLoggedIn()) {
      return Optional.of(InvitationSender.Kind.WELCOME);
    }
    return Optional.empty();
  }

  InvitationResult inviteView(Actor actor, UserQuery view) {
    services.require(services.current(actor), Action.SEND_INVITATIONS);
    List<UserId> eligible = new ArrayList<>();
    reads.walk(
        actor,
        view,
        page ->
            page.stream()
                .filter(
                    u ->
                        (u.status() == UserStatus.ACTIVE && u.neverLoggedIn())
                            || u.status() == UserStatus.INVITE_PENDING)
                .forEach(u -> eligible.add(u.id())));
    return invite(actor, eligible);
  }

  /**
   * Runs the due schedules as the system actor. A policy that lets the system neither activate nor
   * invite refuses the run as a whole, before anything is read, as every entry point refuses an
   * actor who may not take its action; each user's write is then judged on its own.
   */
  ScheduleRun runDueSchedules(TenantId tenant) {
    Actor system = Actor.system(tenant, services.roles());
    Decision activate = services.decide(system, Action.ACTIVATE);
    boolean mayInvite = services.decide(system, Action.SEND_INVITATIONS).allowed();
    if (!activate.allowed() && !mayInvite) {
      activate.orThrow();
    }
    Instant now = services.clock().instant();
    List<UserId> invited = new ArrayList<>();
    List<UserId> activated = new ArrayList<>();
    List<UserId> failedAll = new ArrayList<>();
    // each schedule is walked once, in order of its time and then of id: a user whose move fails
    // stays due for the next run and is behind this run's position, so a run reads each due user
    // once however many fail (a run that read the failed users again with every page had read
    // them quadratically, and sorted every due user by id for each page)
    walkDue(
        tenant,
        UserLookup.Schedule.ACTIVATION,
        now,
        page -> {
          for (User u : page) {
            try {
              lifecycle.move(
                  system,
                  u.id(),
                  Transition.ACTIVATE,
                  Optional.empty(),
                  "user.scheduled_activation");
              activated.add(u.id());
            } catch (UserMgmtException e) {
              LOG.warn(
                  "scheduled activation of {} in {} failed: {}", u.id(), tenant, e.getMessage());
              failedAll.add(u.id());
            }
          }
        });
    walkDue(
        tenant,
        UserLookup.Schedule.INVITATION,
        now,
        page -> {
          // a user whose activation is due as well was the first walk's, activated or failed there
          List<UserId> toInvite =
              page.stream()
                  .filter(u -> !isDue(UserLookup.Schedule.ACTIVATION, u, now))
                  .map(User::id)
                  .toList();
          if (!mayInvite) {
            // the policy lets the system activate but not invite: each due invitation fails, as
            // each activation does when it is the one refused, and the run keeps its answer
            failedAll.addAll(toInvite);
          } else if (!toInvite.isEmpty()) {
            InvitationResult r = invite(system, toInvite);
            invited.addAll(r.sent());
            failedAll.addAll(r.failed());
            failedAll.addAll(r.skipped());
          }
        });
    return new ScheduleRun(invited, activated, failedAll);
  }

  /** Every user whose schedule is due by {@code now}, a page at a time, each page once. */
  private void walkDue(
      TenantId tenant,
      UserLookup.Schedule schedule,
      Instant now,
      java.util.function.Consumer<List<User>> pages) {
    Optional<UserLookup.DuePosition> after = Optional.empty();
    while (true) {
      List<User> page =
          services.stores().users().findDue(tenant, schedule, now, after, SCHEDULE_PAGE);
      if (page.isEmpty()) {
        return;
      }
      after = Optional.of(UserLookup.DuePosition.of(schedule, page.get(page.size() - 1)));
      pages.accept(page);
      if (page.size() < SCHEDULE_PAGE) {
        return;
      }
    }
  }

  private static boolean isDue(UserLookup.Schedule schedule, User u, Instant now) {
    return schedule.of(u).map(t -> !t.isAfter(now)).orElse(false);
  }
}
