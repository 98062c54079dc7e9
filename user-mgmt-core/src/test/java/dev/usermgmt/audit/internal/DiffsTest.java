package dev.usermgmt.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.audit.FieldDiff;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.PhoneNumber;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

final class DiffsTest {
  private static final RoleCatalog ROLES = RoleCatalog.defaultCatalog();
  private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

  private static final User WITH_EMAIL =
      User.builder()
          .id(UserId.of("u1"))
          .tenant(TenantId.of("acme"))
          .firstName("Alex")
          .lastName("Doe")
          .primaryEmail(EmailAddress.parse("alex@example.com"))
          .role(ROLES.defaultRole())
          .status(UserStatus.ACTIVE)
          .createdAt(T0)
          .updatedAt(T0)
          .build();

  /** The time of the writes the tests apply diffs as. */
  private static final Instant T1 = T0.plusSeconds(60);

  private static final User WITH_PHONE =
      WITH_EMAIL.toBuilder()
          .primaryEmail(java.util.Optional.empty())
          .phoneNumber(PhoneNumber.parse("+442079460958"))
          .build();

  /**
   * A change that swaps the one contact for the other is applied whole, forwards and backwards: a
   * user without either contact is invalid, so applying its diffs one field at a time failed on the
   * state in between. The user comes out as the write at the given time stores it.
   */
  @Test
  void swapsOfTheOnlyContactApplyWholeBothWays() {
    List<FieldDiff> emailToPhone = Diffs.between(WITH_EMAIL, WITH_PHONE);
    assertThat(emailToPhone).hasSize(2);
    assertThat(Diffs.apply(WITH_EMAIL, emailToPhone, false, ROLES, T1))
        .isEqualTo(written(WITH_PHONE));
    assertThat(Diffs.apply(WITH_PHONE, emailToPhone, true, ROLES, T1))
        .isEqualTo(written(WITH_EMAIL));

    List<FieldDiff> phoneToEmail = Diffs.between(WITH_PHONE, WITH_EMAIL);
    assertThat(Diffs.apply(WITH_PHONE, phoneToEmail, false, ROLES, T1))
        .isEqualTo(written(WITH_EMAIL));
    assertThat(Diffs.apply(WITH_EMAIL, phoneToEmail, true, ROLES, T1))
        .isEqualTo(written(WITH_PHONE));
  }

  /** No diffs: the user itself, not a write of it. */
  @Test
  void noDiffsLeaveTheUserAsItIs() {
    assertThat(Diffs.apply(WITH_EMAIL, List.of(), false, ROLES, T1)).isSameAs(WITH_EMAIL);
  }

  /** A user as the write at {@link #T1} of it stores it. */
  private static User written(User u) {
    return u.toBuilder().version(u.version() + 1).updatedAt(T1).build();
  }
}
