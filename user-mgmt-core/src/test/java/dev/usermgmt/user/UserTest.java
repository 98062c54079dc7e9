package dev.usermgmt.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.role.DomainRole;
import dev.usermgmt.role.RoleCatalog;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class UserTest {
  static final RoleCatalog ROLES = RoleCatalog.defaultCatalog();
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static User.Builder alex() {
    return User.builder()
        .id(UserId.of("u1"))
        .tenant(TenantId.of("acme"))
        .firstName("Alex")
        .lastName("Doe")
        .primaryEmail(EmailAddress.parse("alex@example.com"))
        .role(ROLES.defaultRole())
        .status(UserStatus.ACTIVE)
        .createdAt(T0)
        .updatedAt(T0);
  }

  @Test
  void displayNameDefaultsToFirstAndLastNameThenContact() {
    assertThat(alex().build().displayName()).isEqualTo("Alex Doe");
    User noName =
        User.builder()
            .id(UserId.of("u2"))
            .tenant(TenantId.of("acme"))
            .phoneNumber(PhoneNumber.parse("+442079460958"))
            .role(ROLES.defaultRole())
            .status(UserStatus.STAGED)
            .createdAt(T0)
            .updatedAt(T0)
            .build();
    assertThat(noName.displayName()).isEqualTo("+442079460958");
  }

  @Test
  void emailOrPhoneIsRequiredAndEveryProblemIsReportedAtOnce() {
    assertThatThrownBy(
            () -> alex().primaryEmail(Optional.empty()).department("  ").skillsCount(-1).build())
        .isInstanceOf(InvalidInputException.class)
        .satisfies(
            e ->
                assertThat(((InvalidInputException) e).problems())
                    .extracting(Problem::code, p -> p.field().orElse(""))
                    .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(
                            ErrorCode.EMAIL_OR_PHONE_REQUIRED, "primaryEmail"),
                        org.assertj.core.groups.Tuple.tuple(ErrorCode.INVALID_VALUE, "department"),
                        org.assertj.core.groups.Tuple.tuple(
                            ErrorCode.INVALID_VALUE, "skillsCount")));
  }

  @Test
  void aMissingRequiredAttributeIsAnInputErrorNotAnIllegalState() {
    assertThatThrownBy(() -> User.builder().id(UserId.of("u1")).build())
        .isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).code())
        .isEqualTo(ErrorCode.MISSING_FIELD);
  }

  @Test
  void aUserCannotManageThemself() {
    assertThatThrownBy(() -> alex().managerId(UserId.of("u1")).build())
        .isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).code())
        .isEqualTo(ErrorCode.MANAGER_CYCLE);
  }

  @Test
  void deactivatedUsersAreEffectivelyBlockedAndDomainRolesRaiseTheEffectiveRole() {
    User learner =
        alex().addDomainRoles(DomainRole.of(DomainRole.PEOPLE, ROLES.adminRole())).build();
    assertThat(learner.effectiveRole(ROLES)).isEqualTo(ROLES.defaultRole());
    assertThat(learner.effectiveRole(ROLES, DomainRole.PEOPLE)).isEqualTo(ROLES.adminRole());
    assertThat(learner.effectiveRole(ROLES, DomainRole.CONTENT)).isEqualTo(ROLES.defaultRole());
    User off = learner.toBuilder().status(UserStatus.DEACTIVATED).build();
    assertThat(off.effectiveRole(ROLES)).isEqualTo(ROLES.blockedRole());
    assertThat(off.effectiveRole(ROLES, DomainRole.PEOPLE)).isEqualTo(ROLES.blockedRole());
  }

  @Test
  void holdsEveryFieldTheReferencesShow() {
    User u =
        alex()
            .jobTitle("Engineer")
            .position("IC3")
            .department("Engineering")
            .company("Acme")
            .location("London")
            .office("HQ")
            .userType("Contractor")
            .employeeId("00123")
            .managerId(UserId.of("boss"))
            .hireDate(LocalDate.of(2024, 2, 29))
            .addModules("LMS", "LXP")
            .addGroups("g1")
            .skillsCount(4)
            .takingABreak(true)
            .mfaRequired(true)
            .passwordState(PasswordState.ACTIVE)
            .putAttributes("level", AttributeValue.number(3))
            .build();
    assertThat(u.employeeId()).contains("00123");
    assertThat(u.modules()).containsExactly("LMS", "LXP");
    assertThat(u.neverLoggedIn()).isTrue();
    assertThat(u.attributes()).containsEntry("level", AttributeValue.number(3));
    assertThat(u.groups()).isEqualTo(Set.of("g1"));
  }
}
