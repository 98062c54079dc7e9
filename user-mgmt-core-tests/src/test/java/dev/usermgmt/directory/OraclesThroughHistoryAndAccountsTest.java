package dev.usermgmt.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.usermgmt.AccessDeniedException;
import dev.usermgmt.UserId;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.user.UserPatch;
import dev.usermgmt.user.UserStatus;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * An attacker's review, second round: the change log after an attribute's key is used again,
 * invitations and refused lifecycle moves answered with what the single-user read hides from the
 * same actor.
 */
final class OraclesThroughHistoryAndAccountsTest extends OneTenant {

  // ------------------------------------------------------------------ change log

  @Test
  void aSensitiveAttributesHistoryStaysRedactedWhenItsKeyIsDefinedAgain() {
    leeWithSensitiveSalary();
    directory.deleteAttribute(as("ann"), "salary");
    assertThat(diffs(directory.changeLog(as("bob"), 0, 100), "attributes.salary"))
        .allSatisfy(d -> assertThat(d.before().or(d::after)).isEmpty());
    // the key is used again, for a new attribute that is not sensitive (a "salary band")
    directory.createAttribute(
        as("ann"),
        AttributeDefinition.builder()
            .key("salary")
            .label("Salary band")
            .type(AttributeType.TEXT)
            .build());
    // bob now reads the old, sensitive values of the deleted attribute in clear
    assertThat(diffs(directory.changeLog(as("bob"), 0, 100), "attributes.salary"))
        .allSatisfy(
            d -> {
              assertThat(d.before()).isNotEqualTo(java.util.Optional.of("90000"));
              assertThat(d.after()).isNotEqualTo(java.util.Optional.of("90000"));
            });
  }

  @Test
  void aSensitiveAttributesHistoryStaysRedactedOnceTheAttributeIsNoLongerSensitive() {
    put("ann", ROLES.adminRole(), b -> b);
    put("bob", ROLES.adminRole(), b -> b.permissionRevocations(Set.of("MANAGE_CUSTOM_ATTRIBUTES")));
    put("lee", ROLES.defaultRole(), b -> b);
    AttributeDefinition salary =
        AttributeDefinition.builder()
            .key("salary")
            .label("Salary")
            .type(AttributeType.TEXT)
            .sensitive(true)
            .build();
    directory.createAttribute(as("ann"), salary);
    directory.edit(
        as("ann"),
        UserId.of("lee"),
        1,
        UserPatch.builder().attribute("salary", AttributeValue.text("90000")).build());
    directory.edit(
        as("ann"),
        UserId.of("lee"),
        2,
        UserPatch.builder().attribute("salary", AttributeValue.text("95000")).build());
    directory.updateAttribute(
        as("ann"), AttributeDefinition.builder().from(salary).sensitive(false).build());
    // what was written while the attribute was sensitive stays so; the value now is read as any
    assertThat(directory.get(as("bob"), UserId.of("lee")).attributes())
        .containsEntry("salary", AttributeValue.text("95000"));
    assertThat(diffs(directory.changeLog(as("bob"), 0, 100), "attributes.salary"))
        .hasSize(2)
        .allSatisfy(d -> assertThat(d.redacted()).isTrue());
    directory.edit(
        as("ann"),
        UserId.of("lee"),
        3,
        UserPatch.builder().attribute("salary", AttributeValue.text("99000")).build());
    assertThat(diffs(directory.changeLog(as("bob"), 0, 100), "attributes.salary"))
        .last()
        .satisfies(d -> assertThat(d.after()).contains("99000"));
  }

  @Test
  void aUserReferencesHistoryStaysHiddenWhenItsKeyIsDefinedAgainAsText() {
    put("ann", ROLES.adminRole(), b -> b);
    // bob reads users and the change log, but user references are not for him
    put("bob", ROLES.adminRole(), b -> b.permissionRevocations(Set.of("SEE_USER_REF_ATTRIBUTES")));
    put("lee", ROLES.defaultRole(), b -> b);
    put("mentor", ROLES.defaultRole(), b -> b);
    directory.createAttribute(
        as("ann"),
        AttributeDefinition.builder()
            .key("buddy")
            .label("Buddy")
            .type(AttributeType.USER_REF)
            .build());
    directory.edit(
        as("ann"),
        UserId.of("lee"),
        1,
        UserPatch.builder()
            .attribute("buddy", AttributeValue.userRef(UserId.of("mentor")))
            .build());
    assertThat(diffs(directory.changeLog(as("bob"), 0, 100), "attributes.buddy"))
        .isNotEmpty()
        .allSatisfy(d -> assertThat(d.redacted()).isTrue());
    directory.deleteAttribute(as("ann"), "buddy");
    directory.createAttribute(
        as("ann"),
        AttributeDefinition.builder()
            .key("buddy")
            .label("Buddy (text)")
            .type(AttributeType.TEXT)
            .build());
    // the diffs still say they are USER_REF values, yet bob reads them: lee's buddy was "mentor"
    assertThat(diffs(directory.changeLog(as("bob"), 0, 100), "attributes.buddy"))
        .filteredOn(d -> d.attributeType().equals(java.util.Optional.of(AttributeType.USER_REF)))
        .isNotEmpty()
        .allSatisfy(d -> assertThat(d.before().or(d::after)).isEmpty());
  }

  // ------------------------------------------------------------------ invitations

  @Test
  void anInvitationAnswersAlikeWhetherAnUnseenUserEverSignedIn() {
    put("kim", ROLES.defaultRole(), b -> b.permissionGrants(Set.of("SEND_INVITATIONS")));
    put("never", ROLES.defaultRole(), b -> b);
    put("signed", ROLES.defaultRole(), b -> b.lastLoginAt(Instant.parse("2025-01-01T00:00:00Z")));
    // kim may not read either user, nor so their last sign-in
    assertThatThrownBy(() -> directory.get(as("kim"), UserId.of("never")))
        .isInstanceOf(AccessDeniedException.class);
    assertThatThrownBy(() -> directory.get(as("kim"), UserId.of("signed")))
        .isInstanceOf(AccessDeniedException.class);
    InvitationResult never = directory.invite(as("kim"), List.of(UserId.of("never")));
    InvitationResult signed = directory.invite(as("kim"), List.of(UserId.of("signed")));
    // "never" was sent a welcome, "signed" skipped: kim learned that "signed" has signed in
    assertThat(never.sent().isEmpty()).isEqualTo(signed.sent().isEmpty());
    assertThat(never.skipped().isEmpty()).isEqualTo(signed.skipped().isEmpty());
  }

  // ------------------------------------------------------------------ grants

  @Test
  void aRefusedActivationNamesNoGrantTheActorMayNotSee() {
    // kim may activate users, and sees nobody else
    put("kim", ROLES.defaultRole(), b -> b.permissionGrants(Set.of("ACTIVATE")));
    put(
        "stan",
        ROLES.defaultRole(),
        b -> b.status(UserStatus.STAGED).permissionGrants(Set.of("EXPORT")));
    assertThatThrownBy(() -> directory.get(as("kim"), UserId.of("stan")))
        .isInstanceOf(AccessDeniedException.class);
    AccessDeniedException unseen =
        catchThrowableOfType(
            () -> directory.activate(as("kim"), UserId.of("stan")), AccessDeniedException.class);
    assertThat(unseen).isNotNull();

    // a manager reads their report, but not the report's grants
    put("boss", ROLES.managerRole(), b -> b.permissionGrants(Set.of("REACTIVATE_USER")));
    put(
        "rae",
        ROLES.defaultRole(),
        b ->
            b.managerId(UserId.of("boss"))
                .status(UserStatus.DEACTIVATED)
                .deactivatedAt(Instant.parse("2025-01-01T00:00:00Z"))
                .permissionGrants(Set.of("EXPORT")));
    assertThat(directory.get(as("boss"), UserId.of("rae")).permissionGrants()).isEmpty();
    AccessDeniedException report =
        catchThrowableOfType(
            () -> directory.reactivate(as("boss"), UserId.of("rae")), AccessDeniedException.class);
    assertThat(report).isNotNull();
    // both: "nobody gives a user an action they do not hold themself: EXPORT"
    assertThat(List.of(unseen.getMessage(), report.getMessage()))
        .allSatisfy(m -> assertThat(m).doesNotContain("EXPORT"));
  }
}
