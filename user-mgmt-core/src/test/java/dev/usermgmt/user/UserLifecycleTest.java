package dev.usermgmt.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usermgmt.ConflictException;
import dev.usermgmt.ErrorCode;
import org.junit.jupiter.api.Test;

final class UserLifecycleTest {

  @Test
  void deactivateKeepsTheRecordAndReactivateRestoresAccess() {
    assertThat(UserLifecycle.next(UserStatus.ACTIVE, Transition.DEACTIVATE))
        .contains(UserStatus.DEACTIVATED);
    assertThat(UserLifecycle.next(UserStatus.DEACTIVATED, Transition.REACTIVATE))
        .contains(UserStatus.ACTIVE);
  }

  @Test
  void deleteIsOnlyForDeactivatedUsersAndRemovesTheRecord() {
    assertThat(UserLifecycle.next(UserStatus.DEACTIVATED, Transition.DELETE)).isEmpty();
    assertThatThrownBy(() -> UserLifecycle.next(UserStatus.ACTIVE, Transition.DELETE))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("delete")
        .hasMessageContaining("ACTIVE")
        .extracting(e -> ((ConflictException) e).code())
        .isEqualTo(ErrorCode.ILLEGAL_TRANSITION);
  }

  @Test
  void anonymiseOnlyFromDeactivated() {
    assertThat(UserLifecycle.next(UserStatus.DEACTIVATED, Transition.ANONYMISE))
        .contains(UserStatus.ANONYMISED);
    assertThat(UserLifecycle.isAllowed(UserStatus.ACTIVE, Transition.ANONYMISE)).isFalse();
    assertThat(UserLifecycle.isAllowed(UserStatus.ANONYMISED, Transition.REACTIVATE)).isFalse();
  }

  @Test
  void invitationFlowFromStagedToConfirmed() {
    UserStatus s = UserStatus.STAGED;
    s = UserLifecycle.next(s, Transition.SCHEDULE_INVITE).orElseThrow();
    assertThat(s).isEqualTo(UserStatus.INVITE_SCHEDULED);
    s = UserLifecycle.next(s, Transition.INVITE).orElseThrow();
    assertThat(s).isEqualTo(UserStatus.INVITE_PENDING);
    s = UserLifecycle.next(s, Transition.INVITE).orElseThrow();
    assertThat(s).isEqualTo(UserStatus.INVITE_PENDING);
    s = UserLifecycle.next(s, Transition.ACCEPT).orElseThrow();
    assertThat(s).isEqualTo(UserStatus.ACTIVE);
  }

  @Test
  void scheduledActivationLeavesTheStatusUntilItIsDue() {
    assertThat(UserLifecycle.next(UserStatus.SUSPENDED, Transition.SCHEDULE_ACTIVATION))
        .contains(UserStatus.SUSPENDED);
    assertThat(UserLifecycle.next(UserStatus.SUSPENDED, Transition.ACTIVATE))
        .contains(UserStatus.ACTIVE);
  }
}
