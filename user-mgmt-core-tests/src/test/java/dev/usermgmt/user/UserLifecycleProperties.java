package dev.usermgmt.user;

import static dev.usermgmt.user.UserStatus.ACTIVE;
import static dev.usermgmt.user.UserStatus.ANONYMISED;
import static dev.usermgmt.user.UserStatus.DEACTIVATED;
import static dev.usermgmt.user.UserStatus.INVITE_PENDING;
import static dev.usermgmt.user.UserStatus.INVITE_SCHEDULED;
import static dev.usermgmt.user.UserStatus.STAGED;
import static dev.usermgmt.user.UserStatus.SUSPENDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import dev.usermgmt.ConflictException;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.testkit.DomainGenerators;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle against an oracle written out by hand from the reference documents (the table in
 * {@link UserLifecycle}'s Javadoc), independent of the implementation's own tables.
 */
final class UserLifecycleProperties {
  /** (from, transition) → to; a missing pair is forbidden; DELETE leads to no status. */
  private static final Map<String, Optional<UserStatus>> ORACLE =
      Map.ofEntries(
          legal(STAGED, Transition.INVITE, INVITE_PENDING),
          legal(INVITE_SCHEDULED, Transition.INVITE, INVITE_PENDING),
          legal(INVITE_PENDING, Transition.INVITE, INVITE_PENDING),
          legal(STAGED, Transition.SCHEDULE_INVITE, INVITE_SCHEDULED),
          legal(INVITE_SCHEDULED, Transition.SCHEDULE_INVITE, INVITE_SCHEDULED),
          legal(INVITE_PENDING, Transition.ACCEPT, ACTIVE),
          legal(STAGED, Transition.ACTIVATE, ACTIVE),
          legal(INVITE_SCHEDULED, Transition.ACTIVATE, ACTIVE),
          legal(INVITE_PENDING, Transition.ACTIVATE, ACTIVE),
          legal(SUSPENDED, Transition.ACTIVATE, ACTIVE),
          legal(STAGED, Transition.SCHEDULE_ACTIVATION, STAGED),
          legal(INVITE_SCHEDULED, Transition.SCHEDULE_ACTIVATION, INVITE_SCHEDULED),
          legal(INVITE_PENDING, Transition.SCHEDULE_ACTIVATION, INVITE_PENDING),
          legal(SUSPENDED, Transition.SCHEDULE_ACTIVATION, SUSPENDED),
          legal(ACTIVE, Transition.SUSPEND, SUSPENDED),
          legal(SUSPENDED, Transition.UNSUSPEND, ACTIVE),
          legal(STAGED, Transition.DEACTIVATE, DEACTIVATED),
          legal(INVITE_SCHEDULED, Transition.DEACTIVATE, DEACTIVATED),
          legal(INVITE_PENDING, Transition.DEACTIVATE, DEACTIVATED),
          legal(ACTIVE, Transition.DEACTIVATE, DEACTIVATED),
          legal(SUSPENDED, Transition.DEACTIVATE, DEACTIVATED),
          legal(DEACTIVATED, Transition.REACTIVATE, ACTIVE),
          legal(DEACTIVATED, Transition.ANONYMISE, ANONYMISED),
          Map.entry(key(DEACTIVATED, Transition.DELETE), Optional.empty()),
          Map.entry(key(ANONYMISED, Transition.DELETE), Optional.empty()));

  private static Map.Entry<String, Optional<UserStatus>> legal(
      UserStatus from, Transition t, UserStatus to) {
    return Map.entry(key(from, t), Optional.of(to));
  }

  private static String key(UserStatus s, Transition t) {
    return s + "/" + t;
  }

  @Test
  void randomSequencesFollowTheTableAndForbiddenMovesAreRejectedWithTheirCode() {
    qt().withExamples(1000)
        .forAll(DomainGenerators.statuses(), DomainGenerators.transitionSequences(30))
        .checkAssert(
            (start, moves) -> {
              UserStatus state = start;
              for (Transition t : moves) {
                String k = key(state, t);
                if (ORACLE.containsKey(k)) {
                  Optional<UserStatus> next = UserLifecycle.next(state, t);
                  assertThat(next).isEqualTo(ORACLE.get(k));
                  if (next.isEmpty()) {
                    return; // deleted: the record is gone
                  }
                  state = next.get();
                } else {
                  UserStatus from = state;
                  assertThat(UserLifecycle.isAllowed(from, t)).isFalse();
                  assertThatThrownBy(() -> UserLifecycle.next(from, t))
                      .isInstanceOf(ConflictException.class)
                      .hasMessageContaining(from.name())
                      .extracting(e -> ((ConflictException) e).code())
                      .isEqualTo(ErrorCode.ILLEGAL_TRANSITION);
                }
              }
            });
  }

  @Test
  void onlyDeactivatedUsersCanBeDeletedOrAnonymised() {
    qt().forAll(DomainGenerators.statuses())
        .checkAssert(
            s -> {
              assertThat(UserLifecycle.isAllowed(s, Transition.DELETE))
                  .isEqualTo(s == DEACTIVATED || s == ANONYMISED);
              assertThat(UserLifecycle.isAllowed(s, Transition.ANONYMISE))
                  .isEqualTo(s == DEACTIVATED);
            });
  }
}
