package dev.usermgmt.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usermgmt.AccessDeniedException;
import dev.usermgmt.UserId;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.audit.ChangeSet;
import dev.usermgmt.bulk.ActionSpec;
import dev.usermgmt.bulk.BulkEngine;
import dev.usermgmt.bulk.BulkListener;
import dev.usermgmt.bulk.RowPreview;
import dev.usermgmt.bulk.SelectionAction;
import dev.usermgmt.bulk.SelectionPlan;
import dev.usermgmt.bulk.UpdateOptions;
import dev.usermgmt.bulk.UpdatePlan;
import dev.usermgmt.bulk.UpdateRow;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserPatch;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Paths that are not reads but answer with users: what a write returns, a change log after an
 * attribute is gone, the users a plan's preview names. Each showed what {@code get} refuses the
 * same actor, found by reading the code as an attacker.
 */
final class ReadsThroughOtherPathsTest extends OneTenant {
  @Test
  void anEditThatChangesNothingIsRefusedToWhoMayNotSeeTheUser() {
    define("salary", AttributeType.TEXT, true, false);
    put(
        "kim",
        ROLES.defaultRole(),
        b ->
            b.department("Legal")
                .permissionGrants(Set.of("EXPORT"))
                .putAttributes("salary", AttributeValue.text("120000")));
    put("lee", ROLES.defaultRole(), b -> b);
    assertThatThrownBy(() -> directory.get(as("lee"), UserId.of("kim")))
        .isInstanceOf(AccessDeniedException.class);
    // it answered with kim's whole record
    assertThatThrownBy(() -> directory.edit(as("lee"), UserId.of("kim"), 1, UserPatch.empty()))
        .isInstanceOf(AccessDeniedException.class);
    // as did setting the manager kim already has, and before the version check
    assertThatThrownBy(() -> directory.setManager(as("lee"), UserId.of("kim"), Optional.empty()))
        .isInstanceOf(AccessDeniedException.class);
    assertThatThrownBy(() -> directory.edit(as("lee"), UserId.of("kim"), 7, UserPatch.empty()))
        .isInstanceOf(AccessDeniedException.class);
  }

  @Test
  void anEditAnswersWithWhatTheActorMaySeeOfTheUser() {
    define("salary", AttributeType.TEXT, false, false);
    define("desk", AttributeType.TEXT, false, true);
    put("boss", ROLES.managerRole(), b -> b.permissionGrants(Set.of("SUSPEND")));
    put(
        "lee",
        ROLES.defaultRole(),
        b ->
            b.managerId(UserId.of("boss"))
                .permissionGrants(Set.of("EXPORT"))
                .putAttributes("salary", AttributeValue.text("90000")));
    assertThat(directory.get(as("boss"), UserId.of("lee")).attributes())
        .doesNotContainKey("salary");
    User after =
        directory.edit(
            as("boss"),
            UserId.of("lee"),
            1,
            UserPatch.builder().attribute("desk", AttributeValue.text("4F")).build());
    // it answered with the salary hidden from managers, and the grants
    assertThat(after.attributes()).containsOnlyKeys("desk");
    assertThat(after.permissionGrants()).isEmpty();
    // the lifecycle and account actions answer the same way
    assertThat(directory.suspend(as("boss"), UserId.of("lee")).attributes())
        .doesNotContainKey("salary");
  }

  @Test
  void whoMayActOnAUserUnseenIsAnsweredWithItsIdentity() {
    define("salary", AttributeType.TEXT, true, false);
    put(
        "kim",
        ROLES.defaultRole(),
        b ->
            b.department("Legal")
                .lockedOut(true)
                .putAttributes("salary", AttributeValue.text("120000")));
    put("sup", ROLES.defaultRole(), b -> b.permissionGrants(Set.of("UNLOCK")));
    assertThatThrownBy(() -> directory.get(as("sup"), UserId.of("kim")))
        .isInstanceOf(AccessDeniedException.class);
    // the unlock is made, and answers with kim's identity alone (a review found it rolled back)
    User answer = directory.unlock(as("sup"), UserId.of("kim"));
    assertThat(stores.users().get(tenant, UserId.of("kim")).orElseThrow().lockedOut()).isFalse();
    assertThat(answer.primaryEmail()).isPresent();
    assertThat(answer.department()).isEmpty();
    assertThat(answer.attributes()).isEmpty();
  }

  @Test
  void aManagerSavesTheirReportUnchanged() {
    define("desk", AttributeType.TEXT, false, true);
    put("boss", ROLES.managerRole(), b -> b);
    put(
        "lee",
        ROLES.defaultRole(),
        b -> b.managerId(UserId.of("boss")).putAttributes("desk", AttributeValue.text("4F")));
    User same =
        directory.edit(
            as("boss"),
            UserId.of("lee"),
            1,
            UserPatch.builder().attribute("desk", AttributeValue.text("4F")).build());
    assertThat(same.version()).isEqualTo(1);
  }

  @Test
  void aFileRowForAUserTheActorMayNotSeeIsAnErrorThatShowsNothing() {
    put(
        "lee",
        ROLES.defaultRole(),
        b -> b.displayName("Lee Secretname").jobTitle("Head of Secrets"));
    put(
        "kim",
        ROLES.defaultRole(),
        b -> b.permissionGrants(Set.of("UPDATE_FROM_FILE", "EDIT_USER")));
    UpdatePlan plan =
        BulkEngine.of(directory)
            .planUpdate(
                as("kim"),
                List.of(
                    new UpdateRow(2, Map.of("primaryEmail", "lee@example.com", "jobTitle", "X")),
                    new UpdateRow(3, Map.of("primaryEmail", "1ee@example.com", "jobTitle", "X"))),
                UpdateOptions.defaults(),
                BulkListener.NONE);
    List<RowPreview> rows = List.copyOf(plan.rows());
    // the row was CHANGED with lee's old values in its diffs, and its apply dropped it silently
    assertThat(rows.get(0).kind()).isEqualTo(RowPreview.Kind.ERROR);
    assertThat(rows.get(0).user()).isEmpty();
    assertThat(rows.get(0).diffs()).isEmpty();
    // a look-alike key named lee
    assertThat(rows.get(1).problems())
        .allSatisfy(p -> assertThat(p.message()).doesNotContain("Lee").doesNotContain("lee@"));
  }

  @Test
  void theHistoryOfADeletedSensitiveAttributeStaysRedacted() {
    leeWithSensitiveSalary();
    assertThat(diffs(directory.changeLog(as("bob"), 0, 100), "attributes.salary"))
        .isNotEmpty()
        .allSatisfy(d -> assertThat(d.redacted()).isTrue());
    directory.deleteAttribute(as("ann"), "salary");
    // bob read the values in clear once the definition was gone
    assertThat(diffs(directory.changeLog(as("bob"), 0, 100), "attributes.salary"))
        .hasSizeGreaterThan(1)
        .allSatisfy(d -> assertThat(d.before().or(d::after)).isEmpty());
    // ann, who may manage attributes, still reads them
    assertThat(diffs(directory.changeLog(as("ann"), 0, 100), "attributes.salary"))
        .anySatisfy(d -> assertThat(d.after()).contains("90000"));
  }

  @Test
  void aPlanNamesOnlyUsersTheActorMaySee() {
    put("admin", ROLES.adminRole(), b -> b);
    put("kim", ROLES.defaultRole(), b -> b.firstName("Kimberly").lastName("Secret"));
    put("olga", ROLES.parse("owner"), b -> b.lastName("Owner-Private"));
    put("rae", ROLES.defaultRole(), b -> b.managerId(UserId.of("boss")));
    put("boss", ROLES.managerRole(), b -> b.permissionGrants(Set.of("UPDATE_FROM_FILE", "UNLOCK")));
    assertThatThrownBy(() -> directory.get(as("boss"), UserId.of("kim")))
        .isInstanceOf(AccessDeniedException.class);
    BulkEngine engine = BulkEngine.of(directory);
    UpdatePlan plan =
        engine.planUpdate(
            as("boss"),
            List.of(
                new UpdateRow(2, Map.of("id", "kim")),
                new UpdateRow(3, Map.of("id", "olga", "department", "x")),
                new UpdateRow(4, Map.of("id", "rae", "department", "x"))),
            new UpdateOptions(
                UpdateOptions.MatchKey.ID,
                Map.of(),
                Optional.empty(),
                false,
                UpdateOptions.ApplyMode.VALID_ROWS,
                0),
            BulkListener.NONE);
    List<RowPreview> rows = List.copyOf(plan.rows());
    // kim's row (a key alone) was "unchanged" with kim's names; olga's refused row named her too
    assertThat(rows.get(0).kind()).isEqualTo(RowPreview.Kind.ERROR);
    assertThat(rows.get(0).user()).isEmpty();
    assertThat(rows.get(1).kind()).isEqualTo(RowPreview.Kind.ERROR);
    assertThat(rows.get(1).user()).isEmpty();
    // a report the manager sees is named
    assertThat(rows.get(2).user()).isPresent();
    // a selection of ids learns nothing of users the actor may not see
    SelectionPlan selection =
        engine.planSelection(
            as("boss"),
            List.of(UserId.of("kim"), UserId.of("olga"), UserId.of("rae")),
            ActionSpec.of(SelectionAction.UNLOCK),
            BulkListener.NONE);
    assertThat(selection.outcomes()).extracting(o -> o.user().id().value()).containsExactly("rae");
    assertThat(selection.notFound()).containsExactly("kim", "olga");
  }

  @Test
  void anUndoOfValuesTheActorMayNotReadInTheChangeLogIsRefused() {
    define("medical", AttributeType.TEXT, true, false);
    put("kim", ROLES.defaultRole(), b -> b.putAttributes("medical", AttributeValue.text("asthma")));
    put(
        "sup",
        ROLES.defaultRole(),
        b -> b.permissionGrants(Set.of("VIEW_USERS", "EDIT_USER", "UNDO", "READ_CHANGE_LOG")));
    put("ada", ROLES.adminRole(), b -> b);
    directory.edit(
        as("ada"),
        UserId.of("kim"),
        1,
        UserPatch.builder().attribute("medical", AttributeValue.text("diabetes")).build());
    // a sensitive attribute's history is for who manages attributes: sup reads it redacted
    ChangeSet edit = directory.changeLog(as("sup"), 0, 10).get(0);
    assertThat(edit.changes().get(0).diffs()).allSatisfy(d -> assertThat(d.redacted()).isTrue());
    // the undo was made (sup may edit the attribute), and its answer showed both values
    assertThatThrownBy(() -> directory.undo(as("sup"), edit.id()))
        .isInstanceOf(AccessDeniedException.class);
    assertThat(stores.users().get(tenant, UserId.of("kim")).orElseThrow().attributes())
        .containsEntry("medical", AttributeValue.text("diabetes"));
  }
}
