package dev.usermgmt.user;

import static dev.usermgmt.user.UserStatus.ACTIVE;
import static dev.usermgmt.user.UserStatus.ANONYMISED;
import static dev.usermgmt.user.UserStatus.DEACTIVATED;
import static dev.usermgmt.user.UserStatus.INVITE_PENDING;
import static dev.usermgmt.user.UserStatus.INVITE_SCHEDULED;
import static dev.usermgmt.user.UserStatus.STAGED;
import static dev.usermgmt.user.UserStatus.SUSPENDED;

import dev.usermgmt.ConflictException;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.Problem;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one state machine of user statuses. Every status change in the library goes through {@link
 * #next(UserStatus, Transition)}; nothing else writes a status.
 *
 * <table>
 *   <caption>Legal transitions (from → to)</caption>
 *   <tr><th>transition</th><th>from</th><th>to</th></tr>
 *   <tr><td>INVITE</td><td>STAGED, INVITE_SCHEDULED, INVITE_PENDING (resend)</td>
 *       <td>INVITE_PENDING</td></tr>
 *   <tr><td>SCHEDULE_INVITE</td><td>STAGED, INVITE_SCHEDULED</td><td>INVITE_SCHEDULED</td></tr>
 *   <tr><td>ACCEPT</td><td>INVITE_PENDING</td><td>ACTIVE</td></tr>
 *   <tr><td>ACTIVATE</td><td>STAGED, INVITE_SCHEDULED, INVITE_PENDING, SUSPENDED</td>
 *       <td>ACTIVE</td></tr>
 *   <tr><td>SCHEDULE_ACTIVATION</td><td>STAGED, INVITE_SCHEDULED, INVITE_PENDING, SUSPENDED</td>
 *       <td>unchanged (activation recorded for later)</td></tr>
 *   <tr><td>SUSPEND</td><td>ACTIVE</td><td>SUSPENDED</td></tr>
 *   <tr><td>UNSUSPEND</td><td>SUSPENDED</td><td>ACTIVE</td></tr>
 *   <tr><td>DEACTIVATE</td><td>STAGED, INVITE_SCHEDULED, INVITE_PENDING, ACTIVE, SUSPENDED</td>
 *       <td>DEACTIVATED</td></tr>
 *   <tr><td>REACTIVATE</td><td>DEACTIVATED</td><td>ACTIVE</td></tr>
 *   <tr><td>ANONYMISE</td><td>DEACTIVATED</td><td>ANONYMISED</td></tr>
 *   <tr><td>DELETE</td><td>DEACTIVATED, ANONYMISED</td><td>(record removed)</td></tr>
 * </table>
 *
 * <p>Anonymised is terminal but for deletion: an anonymised user is still deactivated in every
 * sense (sign-in blocked, effective role Blocked), so deleting it stays "delete only a deactivated
 * user".
 */
public final class UserLifecycle {
  private static final Map<Transition, Set<UserStatus>> FROM = new EnumMap<>(Transition.class);
  private static final Map<Transition, UserStatus> TO = new EnumMap<>(Transition.class);

  static {
    rule(Transition.INVITE, INVITE_PENDING, STAGED, INVITE_SCHEDULED, INVITE_PENDING);
    rule(Transition.SCHEDULE_INVITE, INVITE_SCHEDULED, STAGED, INVITE_SCHEDULED);
    rule(Transition.ACCEPT, ACTIVE, INVITE_PENDING);
    rule(Transition.ACTIVATE, ACTIVE, STAGED, INVITE_SCHEDULED, INVITE_PENDING, SUSPENDED);
    rule(Transition.SCHEDULE_ACTIVATION, null, STAGED, INVITE_SCHEDULED, INVITE_PENDING, SUSPENDED);
    rule(Transition.SUSPEND, SUSPENDED, ACTIVE);
    rule(Transition.UNSUSPEND, ACTIVE, SUSPENDED);
    rule(
        Transition.DEACTIVATE,
        DEACTIVATED,
        STAGED,
        INVITE_SCHEDULED,
        INVITE_PENDING,
        ACTIVE,
        SUSPENDED);
    rule(Transition.REACTIVATE, ACTIVE, DEACTIVATED);
    rule(Transition.ANONYMISE, ANONYMISED, DEACTIVATED);
    rule(Transition.DELETE, null, DEACTIVATED, ANONYMISED);
  }

  private UserLifecycle() {}

  private static void rule(
      Transition t, @org.jspecify.annotations.Nullable UserStatus to, UserStatus... from) {
    java.util.EnumSet<UserStatus> set = java.util.EnumSet.noneOf(UserStatus.class);
    Collections.addAll(set, from);
    FROM.put(t, Collections.unmodifiableSet(set));
    if (to != null) {
      TO.put(t, to);
    }
  }

  /**
   * Whether a transition is legal from a status.
   *
   * @param from the current status
   * @param transition the move
   * @return true when {@link #next} would accept it
   */
  public static boolean isAllowed(UserStatus from, Transition transition) {
    return FROM.getOrDefault(transition, Set.of()).contains(from);
  }

  /**
   * The statuses a transition is legal from.
   *
   * @param transition the move
   * @return the legal source statuses
   */
  public static Set<UserStatus> allowedFrom(Transition transition) {
    return FROM.getOrDefault(transition, Set.of());
  }

  /**
   * A user after a legal transition: the new status, and the fields the move sets with it —
   * deactivation stamps {@code deactivatedAt} and cancels schedules, reactivation clears the stamp,
   * activation clears schedules, acceptance activates the password and records the sign-in,
   * scheduling records the time. Version and update time are the writer's business.
   *
   * @param user the user before
   * @param transition the move
   * @param now the clock's time
   * @param when the scheduled time, for {@link Transition#SCHEDULE_INVITE} and {@link
   *     Transition#SCHEDULE_ACTIVATION}
   * @return the user after; empty when the move removes the record ({@link Transition#DELETE})
   * @throws ConflictException with {@link ErrorCode#ILLEGAL_TRANSITION} when the move is not legal
   */
  public static Optional<User> apply(
      User user, Transition transition, java.time.Instant now, Optional<java.time.Instant> when) {
    Optional<UserStatus> next = next(user.status(), transition);
    if (next.isEmpty()) {
      return Optional.empty();
    }
    User.Builder b = user.toBuilder().status(next.get());
    switch (transition) {
      case DEACTIVATE ->
          b.deactivatedAt(now)
              .activationScheduledAt(Optional.empty())
              .inviteScheduledAt(Optional.empty());
      case REACTIVATE -> b.deactivatedAt(Optional.empty());
      case ACTIVATE, UNSUSPEND ->
          b.activationScheduledAt(Optional.empty()).inviteScheduledAt(Optional.empty());
      case ACCEPT ->
          // signed in: a schedule made before is spent (left, it would move the user again when
          // it fell due, whatever happened since)
          b.passwordState(PasswordState.ACTIVE)
              .lastLoginAt(now)
              .lastActivityAt(now)
              .activationScheduledAt(Optional.empty())
              .inviteScheduledAt(Optional.empty());
      case SUSPEND ->
          // a suspension is not lifted by an activation scheduled before it
          b.activationScheduledAt(Optional.empty()).inviteScheduledAt(Optional.empty());
      case SCHEDULE_ACTIVATION -> b.activationScheduledAt(requireTime(when, transition));
      case SCHEDULE_INVITE -> b.inviteScheduledAt(requireTime(when, transition));
      default -> {}
    }
    return Optional.of(b.build());
  }

  private static java.time.Instant requireTime(Optional<java.time.Instant> when, Transition t) {
    return when.orElseThrow(
        () ->
            new dev.usermgmt.InvalidInputException(
                Problem.ofField(ErrorCode.MISSING_FIELD, "at", t + " needs a time")));
  }

  /**
   * The status after a legal transition.
   *
   * @param from the current status
   * @param transition the move
   * @return the new status; empty when the transition removes the record ({@link
   *     Transition#DELETE})
   * @throws ConflictException with {@link ErrorCode#ILLEGAL_TRANSITION} naming the status and the
   *     transition when the move is not legal from {@code from}
   */
  /**
   * The moves that lead from one status to another, in declaration order: empty when no single move
   * does (including {@code from == to}).
   *
   * @param from the status before
   * @param to the status after
   * @return the moves
   */
  public static Set<Transition> between(UserStatus from, UserStatus to) {
    java.util.EnumSet<Transition> out = java.util.EnumSet.noneOf(Transition.class);
    for (Transition t : Transition.values()) {
      if (from != to && isAllowed(from, t) && TO.get(t) == to) {
        out.add(t);
      }
    }
    return out;
  }

  public static Optional<UserStatus> next(UserStatus from, Transition transition) {
    if (!isAllowed(from, transition)) {
      throw new ConflictException(
          Problem.ofField(
              ErrorCode.ILLEGAL_TRANSITION,
              "status",
              "cannot "
                  + transition.name().toLowerCase(java.util.Locale.ROOT)
                  + " a user whose status is "
                  + from.name()
                  + "; allowed from "
                  + allowedFrom(transition)));
    }
    if (transition == Transition.DELETE) {
      return Optional.empty();
    }
    return Optional.of(TO.getOrDefault(transition, from));
  }
}
