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
import dev.usermgmt.user.UserField;
import dev.usermgmt.user.UserPatch;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A review of the rules that keep hidden values out of answers: a write is judged by the fields it
 * names whatever their values (modules, groups, a rank, grants), the change log and an undo judge a
 * user by the same relation, and an attribute manager undoes the deletion of a plain attribute.
 */
final class WritesJudgedByWhatTheyNameTest extends OneTenant {
  /** What an edit throws (null when it goes through). */
  Throwable edit(UserDirectory d, String actor, String id, long version, UserPatch.Builder p) {
    return catchThrowable(() -> d.edit(as(actor), UserId.of(id), version, p.build()));
  }

  static UserPatch.Builder set(UserField f, Object v) {
    return UserPatch.builder().set(f, v);
  }

  static String code(Throwable t) {
    return String.valueOf(((UserMgmtException) t).code());
  }

  // 1. the no-op oracle through MODULES / GROUPS, which the unseen rule lets through

  @Test
  void unseenUsersModulesAndGroupsAnswerAlikeWhateverTheyHold() {
    put("lee", ROLES.defaultRole(), b -> b.modules(Set.of("LMS")).groups(Set.of("layoffs")));
    put(
        "kim",
        ROLES.defaultRole(),
        b -> b.permissionGrants(Set.of("SET_MODULES", "MANAGE_GROUPS")));
    assertThat(catchThrowable(() -> directory.get(as("kim"), UserId.of("lee")))).isNotNull();
    // stale version: nothing is written either way; right guess access_denied, wrong one
    // version_conflict
    assertThat(code(edit(directory, "kim", "lee", 99, set(UserField.MODULES, Set.of("LMS")))))
        .isEqualTo(code(edit(directory, "kim", "lee", 99, set(UserField.MODULES, Set.of("LXP")))));
    assertThat(code(edit(directory, "kim", "lee", 99, set(UserField.GROUPS, Set.of("layoffs")))))
        .isEqualTo(code(edit(directory, "kim", "lee", 99, set(UserField.GROUPS, Set.of("x")))));
  }

  @Test
  void whoMayNotSeeAUserWritesNoneOfTheirModules() {
    put("lee", ROLES.defaultRole(), b -> b.modules(Set.of("LMS")));
    put("kim", ROLES.defaultRole(), b -> b.permissionGrants(Set.of("SET_MODULES")));
    var unused =
        catchThrowable(() -> directory.setModules(as("kim"), UserId.of("lee"), Set.of("LXP")));
    assertThat(stores.users().get(tenant, UserId.of("lee")).orElseThrow().modules())
        .containsExactly("LMS");
  }

  // 2. the outrank refusal comes before the unseen one

  @Test
  void anEditOfAnUnseenUserAnswersAlikeWhateverTheirRole() {
    put("kim", ROLES.defaultRole(), b -> b.permissionGrants(Set.of("EDIT_USER")));
    put("lee", ROLES.defaultRole(), b -> b);
    put("max", ROLES.managerRole(), b -> b);
    // "the actor may not see this user" vs "the user holds a role above the actor's Learner (1)"
    assertThat(edit(directory, "kim", "max", 99, set(UserField.JOB_TITLE, "x")).getMessage())
        .isEqualTo(edit(directory, "kim", "lee", 99, set(UserField.JOB_TITLE, "x")).getMessage());
  }

  // 3. refusals naming grants the actor may not read (VIEW_USER: grants hidden)

  @Test
  void refusalsNameNoGrantTheActorMayNotSee() {
    put("kim", ROLES.managerRole(), b -> b.permissionGrants(Set.of("VIEW_USER", "EDIT_USER")));
    put("lee", ROLES.defaultRole(), b -> b.permissionGrants(Set.of("EXPORT")));
    assertThat(directory.get(as("kim"), UserId.of("lee")).permissionGrants()).isEmpty();
    // "the username of a user who may take EXPORT changes only by someone who holds it"
    assertThat(edit(directory, "kim", "lee", 1, set(UserField.USERNAME, "lee2")).getMessage())
        .doesNotContain("EXPORT");
    // "nobody grants or revokes an action they do not hold: EXPORT"
    assertThat(
            edit(directory, "kim", "lee", 1, set(UserField.PERMISSION_GRANTS, Set.of()))
                .getMessage())
        .doesNotContain("EXPORT");
  }

  // 4. undo judges by relation; the change log reads every other user as OTHER

  @Test
  void aManagerReadsAndUndoesAUsersHistoryAlike() {
    define("rating", AttributeType.TEXT, false, true);
    put("ann", ROLES.adminRole(), b -> b);
    put("boss", ROLES.managerRole(), b -> b.permissionGrants(Set.of("UNDO", "READ_CHANGE_LOG")));
    put(
        "lee",
        ROLES.defaultRole(),
        b -> b.managerId(UserId.of("boss")).putAttributes("rating", AttributeValue.text("poor")));
    put("sam", ROLES.defaultRole(), b -> b.putAttributes("rating", AttributeValue.text("poor")));
    for (String id : List.of("lee", "sam")) {
      assertThat(
              edit(
                  directory,
                  "ann",
                  id,
                  1,
                  UserPatch.builder().attribute("rating", AttributeValue.text("good"))))
          .isNull();
    }
    List<ChangeSet> log = directory.changeLog(as("boss"), 0, 100);
    ChangeSet ofLee = log.get(log.size() - 2);
    ChangeSet ofSam = log.get(log.size() - 1);
    // the change log read every other user as no report: it hid the history of boss's report lee,
    // which the undo (judging lee as a report) gave back
    assertThat(ofLee.changes().get(0).diffs()).allSatisfy(d -> assertThat(d.redacted()).isFalse());
    assertThat(ofSam.changes().get(0).diffs()).allSatisfy(d -> assertThat(d.redacted()).isTrue());
    directory.undo(as("boss"), ofLee.id());
    assertThat(directory.get(as("boss"), UserId.of("lee")).attributes().get("rating"))
        .isEqualTo(AttributeValue.text("poor"));
    assertThat(catchThrowable(() -> directory.undo(as("boss"), ofSam.id())))
        .isInstanceOf(dev.usermgmt.AccessDeniedException.class);
  }

  /**
   * Whether the change log reads users by their relation to the reader is decided by every kind of
   * diff a change set holds, not by its first: here a sensitive attribute's diff, which a manager
   * reads of no one, comes before one of an attribute visible to managers, which they read of their
   * reports alone.
   */
  @Test
  void aManagerReadsAReportsHistoryWhateverDiffComesFirst() {
    define("bonus", AttributeType.TEXT, true, true);
    define("rating", AttributeType.TEXT, false, true);
    put("ann", ROLES.adminRole(), b -> b);
    put("boss", ROLES.managerRole(), b -> b.permissionGrants(Set.of("READ_CHANGE_LOG")));
    put("lee", ROLES.defaultRole(), b -> b.managerId(UserId.of("boss")));
    assertThat(
            edit(
                directory,
                "ann",
                "lee",
                1,
                UserPatch.builder()
                    .attribute("bonus", AttributeValue.text("high"))
                    .attribute("rating", AttributeValue.text("good"))))
        .isNull();
    List<ChangeSet> log = directory.changeLog(as("boss"), 0, 100);
    List<FieldDiff> diffs = log.get(log.size() - 1).changes().get(0).diffs();
    assertThat(diffs)
        .extracting(FieldDiff::field)
        .containsExactly(
            FieldDiff.ATTRIBUTE_PREFIX + "bonus", FieldDiff.ATTRIBUTE_PREFIX + "rating");
    assertThat(diffs).extracting(FieldDiff::redacted).containsExactly(true, false);
  }

  // 5. regression: passes at 4043269

  @Test
  void anAttributeManagerUndoesTheDeletionOfAPlainAttribute() {
    UserDirectory noRefs = withoutUserReferences();
    put("ann", ROLES.adminRole(), b -> b);
    put("lee", ROLES.defaultRole(), b -> b);
    noRefs.createAttribute(
        as("ann"),
        AttributeDefinition.builder().key("shirt").label("Shirt").type(AttributeType.TEXT).build());
    assertThat(
            edit(
                noRefs,
                "ann",
                "lee",
                1,
                UserPatch.builder().attribute("shirt", AttributeValue.text("L"))))
        .isNull();
    noRefs.deleteAttribute(as("ann"), "shirt");
    List<ChangeSet> log = noRefs.changeLog(as("ann"), 0, 100);
    // access_denied: "the change set holds attributes.shirt of a user, which the actor may not
    // read in the change log" (a deleted key is read as if it may have been a user reference)
    noRefs.undo(as("ann"), log.get(log.size() - 1).id());
    assertThat(noRefs.get(as("ann"), UserId.of("lee")).attributes())
        .containsEntry("shirt", AttributeValue.text("L"));
  }
}
