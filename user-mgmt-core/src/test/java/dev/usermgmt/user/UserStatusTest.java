package dev.usermgmt.user;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every status word of the reference documents maps to one lifecycle state. */
final class UserStatusTest {

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
    // Employees admin tab, "User Status" column and the deactivation API's "inactive: true"
    "active, ACTIVE",
    "inactive, DEACTIVATED",
    "invited, INVITE_PENDING",
    "Blocked, DEACTIVATED",
    // people platform (statuses and GDPR document): the five statuses
    "Not Yet Invited, STAGED",
    "Invite Scheduled, INVITE_SCHEDULED",
    "Invite Pending, INVITE_PENDING",
    "Confirmed, ACTIVE",
    "Deactivated, DEACTIVATED",
    "anonymised, ANONYMISED",
    "Anonymized, ANONYMISED",
    // open directory (user states and lifecycle document)
    "Staged, STAGED",
    "Active, ACTIVE",
    "Suspended, SUSPENDED",
    // property CRM (manage users document): Active / Inactive, "set to de-active"
    "Inactive, DEACTIVATED",
    "de-active, DEACTIVATED",
    // the enum's own names
    "INVITE_SCHEDULED, INVITE_SCHEDULED",
    "invite_pending, INVITE_PENDING"
  })
  void mapsEveryReferenceStatusWord(String word, UserStatus expected) {
    assertThat(UserStatus.fromWord(word)).contains(expected);
  }

  @Test
  void takingABreakIsAFlagNotAStatus() {
    assertThat(UserStatus.fromWord("taking a break")).isEmpty();
    assertThat(UserStatus.fromWord("")).isEmpty();
  }

  @Test
  void employeesTabWordsAndAccessFollowTheStatus() {
    assertThat(UserStatus.ACTIVE.simpleWord()).isEqualTo("active");
    assertThat(UserStatus.DEACTIVATED.simpleWord()).isEqualTo("inactive");
    assertThat(UserStatus.INVITE_PENDING.simpleWord()).isEqualTo("invited");
    assertThat(UserStatus.ACTIVE.canSignIn()).isTrue();
    assertThat(UserStatus.SUSPENDED.canSignIn()).isFalse();
    assertThat(UserStatus.DEACTIVATED.occupiesSeat()).isFalse();
    assertThat(UserStatus.STAGED.occupiesSeat()).isTrue();
  }
}
