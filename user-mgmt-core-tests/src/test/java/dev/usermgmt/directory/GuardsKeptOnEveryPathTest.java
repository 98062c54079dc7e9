package dev.usermgmt.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.usermgmt.UserId;
import dev.usermgmt.UserMgmtException;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.audit.ChangeSet;
import dev.usermgmt.audit.FieldDiff;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.UserDraft;
import dev.usermgmt.user.UserField;
import dev.usermgmt.user.UserPatch;
import dev.usermgmt.user.UserStatus;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The guards on hidden values hold on the remaining paths (setting modules, an identity change, the
 * change log after a key is defined again or shown to managers) and refuse no legitimate flow.
 */
final class GuardsKeptOnEveryPathTest extends OneTenant {
  static String code(Throwable t) {
    return t == null ? "ok" : String.valueOf(((UserMgmtException) t).code());
  }

  // ---- 1. legitimate flows ----

  @Test
  void legitimateFlowsGoThrough() {
    define("rating", AttributeType.TEXT, false, true);
    define("salary", AttributeType.TEXT, true, false);
    put("ann", ROLES.adminRole(), b -> b);
    put("boss", ROLES.managerRole(), b -> b.permissionGrants(Set.of("EDIT_USER", "UNDO")));
    put("lee", ROLES.defaultRole(), b -> b.managerId(UserId.of("boss")));
    put("sam", ROLES.defaultRole(), b -> b);
    // self-service
    directory.edit(
        as("lee"),
        UserId.of("lee"),
        1,
        UserPatch.builder().set(UserField.TIME_ZONE, ZoneId.of("Europe/Paris")).build());
    // a manager on a report's manager attribute, then undoes it
    directory.edit(
        as("boss"),
        UserId.of("lee"),
        2,
        UserPatch.builder().attribute("rating", AttributeValue.text("good")).build());
    List<ChangeSet> log = directory.changeLog(as("ann"), 0, 100);
    directory.undo(as("boss"), log.get(log.size() - 1).id());
    // setManager of a report by a manager with EDIT_USER
    directory.setManager(as("boss"), UserId.of("lee"), Optional.of(UserId.of("ann")));
    // admin: sensitive attribute, grants
    directory.edit(
        as("ann"),
        UserId.of("sam"),
        1,
        UserPatch.builder()
            .attribute("salary", AttributeValue.text("1"))
            .set(UserField.PERMISSION_GRANTS, Set.of("EXPORT"))
            .build());
    log = directory.changeLog(as("ann"), 0, 100);
    directory.undo(as("ann"), log.get(log.size() - 1).id());
    // creation with attributes
    directory.create(
        as("ann"),
        List.of(
            UserDraft.builder()
                .primaryEmail(EmailAddress.parse("new@example.com"))
                .attributes(Map.of("salary", AttributeValue.text("2")))
                .build()));
    // attribute deletion and its undo
    directory.deleteAttribute(as("ann"), "salary");
    log = directory.changeLog(as("ann"), 0, 100);
    directory.undo(as("ann"), log.get(log.size() - 1).id());
    // grant holders who may not see the user: moves, anonymisation, account actions
    put(
        "kim",
        ROLES.defaultRole(),
        b ->
            b.permissionGrants(
                Set.of("DEACTIVATE_USER", "REACTIVATE_USER", "ANONYMISE", "UNLOCK", "MANAGE_MFA")));
    put("max", ROLES.defaultRole(), b -> b.lockedOut(true));
    directory.unlock(as("kim"), UserId.of("max"));
    directory.requireMfa(as("kim"), UserId.of("max"), true);
    directory.deactivate(as("kim"), UserId.of("max"));
    directory.reactivate(as("kim"), UserId.of("max"));
    directory.deactivate(as("kim"), UserId.of("max"));
    directory.anonymise(as("kim"), UserId.of("max"));
    // invitation accepted, system sign-in
    put("inv", ROLES.defaultRole(), b -> b.status(UserStatus.STAGED));
    directory.invite(as("ann"), List.of(UserId.of("inv")));
    directory.acceptInvitation(tenant, UserId.of("inv"));
    directory.recordLogin(tenant, UserId.of("inv"), Instant.now());
  }

  // ---- 2. oracles ----

  /** setModules asks the rank before the edit's unseen refusal: the answer tells the role. */
  @Test
  void setModulesOfAnUnseenUserAnswersAlikeWhateverTheirRole() {
    put("kim", ROLES.defaultRole(), b -> b.permissionGrants(Set.of("SET_MODULES")));
    put("lee", ROLES.defaultRole(), b -> b);
    put("max", ROLES.managerRole(), b -> b);
    assertThat(catchThrowable(() -> directory.get(as("kim"), UserId.of("max")))).isNotNull();
    Throwable toMax =
        catchThrowable(() -> directory.setModules(as("kim"), UserId.of("max"), Set.of("LMS")));
    Throwable toLee =
        catchThrowable(() -> directory.setModules(as("kim"), UserId.of("lee"), Set.of("LMS")));
    assertThat(toMax.getMessage()).isEqualTo(toLee.getMessage());
  }

  /** A username edit is refused or not by grants hidden from the editor. */
  @Test
  void aUsernameEditAnswersAlikeWhateverHiddenGrantsTheUserHolds() {
    put("kim", ROLES.managerRole(), b -> b.permissionGrants(Set.of("VIEW_USER", "EDIT_USER")));
    put("lee", ROLES.defaultRole(), b -> b.permissionGrants(Set.of("EXPORT")));
    put("sam", ROLES.defaultRole(), b -> b);
    assertThat(directory.get(as("kim"), UserId.of("lee")).permissionGrants()).isEmpty();
    // stale version: nothing is written either way
    Throwable lee =
        catchThrowable(
            () ->
                directory.edit(
                    as("kim"),
                    UserId.of("lee"),
                    99,
                    UserPatch.builder().set(UserField.USERNAME, "x1").build()));
    Throwable sam =
        catchThrowable(
            () ->
                directory.edit(
                    as("kim"),
                    UserId.of("sam"),
                    99,
                    UserPatch.builder().set(UserField.USERNAME, "x2").build()));
    assertThat(code(lee)).isEqualTo(code(sam));
  }

  /** A reactivation by who may not see the user is refused or not by the user's hidden grants. */
  @Test
  void aDeletedAttributesValuesStayHiddenWhenItsKeyIsDefinedAgainForManagers() {
    put("ann", ROLES.adminRole(), b -> b);
    put("boss", ROLES.managerRole(), b -> b.permissionGrants(Set.of("READ_CHANGE_LOG")));
    put("lee", ROLES.defaultRole(), b -> b.managerId(UserId.of("boss")));
    directory.createAttribute(
        as("ann"),
        AttributeDefinition.builder().key("pip").label("PIP").type(AttributeType.TEXT).build());
    directory.edit(
        as("ann"),
        UserId.of("lee"),
        1,
        UserPatch.builder().attribute("pip", AttributeValue.text("on-notice")).build());
    List<ChangeSet> before = directory.changeLog(as("boss"), 0, 100);
    assertThat(diffsOf(before, "attributes.pip")).allMatch(FieldDiff::redacted);
    directory.deleteAttribute(as("ann"), "pip");
    directory.createAttribute(
        as("ann"),
        AttributeDefinition.builder()
            .key("pip")
            .label("PIP")
            .type(AttributeType.TEXT)
            .visibleToManagers(true)
            .build());
    List<ChangeSet> after = directory.changeLog(as("boss"), 0, 100);
    assertThat(diffsOf(after, "attributes.pip")).hasSize(2).allMatch(FieldDiff::redacted);
  }

  /** Values written while an attribute was hidden from managers, then shown to them. */
  @Test
  void valuesWrittenHiddenFromManagersStayHiddenWhenTheAttributeIsShownToThem() {
    put("ann", ROLES.adminRole(), b -> b);
    put("boss", ROLES.managerRole(), b -> b.permissionGrants(Set.of("READ_CHANGE_LOG")));
    put("lee", ROLES.defaultRole(), b -> b.managerId(UserId.of("boss")));
    AttributeDefinition pip =
        AttributeDefinition.builder().key("pip").label("PIP").type(AttributeType.TEXT).build();
    directory.createAttribute(as("ann"), pip);
    directory.edit(
        as("ann"),
        UserId.of("lee"),
        1,
        UserPatch.builder().attribute("pip", AttributeValue.text("on-notice")).build());
    directory.edit(
        as("ann"),
        UserId.of("lee"),
        2,
        UserPatch.builder().attribute("pip", AttributeValue.text("cleared")).build());
    directory.updateAttribute(
        as("ann"), AttributeDefinition.builder().from(pip).visibleToManagers(true).build());
    // the earlier value "on-notice" is no longer in the record, yet the manager reads it
    assertThat(diffsOf(directory.changeLog(as("boss"), 0, 100), "attributes.pip"))
        .allMatch(FieldDiff::redacted);
  }

  static List<FieldDiff> diffsOf(List<ChangeSet> log, String field) {
    return log.stream()
        .flatMap(cs -> cs.changes().stream())
        .flatMap(c -> c.diffs().stream())
        .filter(d -> d.field().equals(field))
        .toList();
  }
}
