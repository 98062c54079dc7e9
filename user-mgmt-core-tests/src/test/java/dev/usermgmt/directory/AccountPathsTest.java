package dev.usermgmt.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.usermgmt.AccessDeniedException;
import dev.usermgmt.Action;
import dev.usermgmt.Decision;
import dev.usermgmt.UserId;
import dev.usermgmt.UserMgmtException;
import dev.usermgmt.audit.ChangeSet;
import dev.usermgmt.bulk.BulkEngine;
import dev.usermgmt.bulk.BulkListener;
import dev.usermgmt.bulk.UpdateOptions;
import dev.usermgmt.bulk.UpdatePlan;
import dev.usermgmt.bulk.UpdateRow;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.user.EmailAddress;
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

/** Review of the account actions, decide, the change log's strings and the due schedules. */
/**
 * Paths a review of accounts, schedules and the change log found telling or doing what the
 * single-user path refuses: a row menu's decision on an unseen user, the change log's description
 * of who acted, a scheduled activation made before an acceptance and a suspension, an update file's
 * manager given by e-mail.
 */
final class AccountPathsTest extends OneTenant {
  static String code(Throwable t) {
    return t == null ? "ok" : String.valueOf(((UserMgmtException) t).code());
  }

  // ---- 1. decide(actor, action, id) tells the rank an edit carefully hides ----

  @Test
  void decideOnAnUnseenUserTellsWhatTheEditRefusesToTell() {
    put("sam", ROLES.defaultRole(), b -> b.permissionGrants(Set.of("EDIT_USER", "SET_MODULES")));
    put("own", ROLES.parse(RoleCatalog.OWNER), b -> b);
    put("lee", ROLES.defaultRole(), b -> b);
    // sam may see neither user
    assertThat(catchThrowable(() -> directory.get(as("sam"), UserId.of("own"))))
        .isInstanceOf(AccessDeniedException.class);
    assertThat(catchThrowable(() -> directory.get(as("sam"), UserId.of("lee"))))
        .isInstanceOf(AccessDeniedException.class);
    // the edit answers alike, whatever the users' ranks
    UserPatch patch = UserPatch.builder().set(UserField.TIME_ZONE, ZoneId.of("UTC")).build();
    AccessDeniedException e1 =
        (AccessDeniedException)
            catchThrowable(() -> directory.edit(as("sam"), UserId.of("own"), 1, patch));
    AccessDeniedException e2 =
        (AccessDeniedException)
            catchThrowable(() -> directory.edit(as("sam"), UserId.of("lee"), 1, patch));
    assertThat(e1.getMessage()).isEqualTo(e2.getMessage());
    // ... and so does setModules
    assertThat(
            code(catchThrowable(() -> directory.setModules(as("sam"), UserId.of("own"), Set.of()))))
        .isEqualTo(
            code(
                catchThrowable(() -> directory.setModules(as("sam"), UserId.of("lee"), Set.of()))));
    // but the row menu's decision tells the owner apart
    for (Action a : List.of(Action.EDIT_USER, Action.SET_MODULES)) {
      Decision onOwner = directory.decide(as("sam"), a, UserId.of("own"));
      Decision onLee = directory.decide(as("sam"), a, UserId.of("lee"));
      assertThat(onOwner.reason()).as(a + " on the owner").isEqualTo(onLee.reason());
      assertThat(onOwner.allowed()).as(a + " on the owner").isEqualTo(onLee.allowed());
    }
  }

  // ---- 2. the change log's actorDescription tells the acting user's role ----

  @Test
  void theChangeLogsActorDescriptionTellsARoleTheReaderMayNotSee() {
    put("ann", ROLES.parse(RoleCatalog.OWNER), b -> b);
    put("kim", ROLES.defaultRole(), b -> b.permissionGrants(Set.of("READ_CHANGE_LOG")));
    assertThat(catchThrowable(() -> directory.get(as("kim"), UserId.of("ann"))))
        .isInstanceOf(AccessDeniedException.class);
    directory.edit(
        as("ann"),
        UserId.of("ann"),
        1,
        UserPatch.builder().set(UserField.TIME_ZONE, ZoneId.of("Europe/Paris")).build());
    List<ChangeSet> log = directory.changeLog(as("kim"), 0, 100);
    assertThat(log).isNotEmpty();
    // ann's own diffs are redacted for kim, but the description names her role
    assertThat(log).allSatisfy(cs -> assertThat(cs.actorDescription()).doesNotContain("owner"));
  }

  // ---- 3. a scheduled activation outlives the acceptance and lifts a later suspension ----

  @Test
  void aStaleScheduledActivationLiftsALaterSuspension() {
    put("ann", ROLES.parse(RoleCatalog.OWNER), b -> b);
    // kim may schedule activations, and sees nobody else
    put("kim", ROLES.defaultRole(), b -> b.permissionGrants(Set.of("SCHEDULE_ACTIVATION")));
    put("pat", ROLES.defaultRole(), b -> b.status(UserStatus.INVITE_PENDING));
    directory.scheduleActivation(as("kim"), UserId.of("pat"), Instant.now().plusMillis(500));
    // pat accepts the invitation: active, and the schedule is left on the record
    directory.acceptInvitation(tenant, UserId.of("pat"));
    // the owner makes pat an admin, then suspends pat
    long v = directory.get(as("ann"), UserId.of("pat")).version();
    directory.edit(
        as("ann"),
        UserId.of("pat"),
        v,
        UserPatch.builder().set(UserField.ROLE, ROLES.adminRole()).build());
    directory.suspend(as("ann"), UserId.of("pat"));
    assertThat(directory.get(as("ann"), UserId.of("pat")).status()).isEqualTo(UserStatus.SUSPENDED);
    // kim could not give pat access back now
    assertThat(catchThrowable(() -> directory.activate(as("kim"), UserId.of("pat"))))
        .isInstanceOf(AccessDeniedException.class);
    sleep(700);
    directory.runDueSchedules(tenant);
    // nobody lifted the suspension after it was made
    assertThat(directory.get(as("ann"), UserId.of("pat")).status()).isEqualTo(UserStatus.SUSPENDED);
  }

  @Test
  void anUpdateFilesManagerEmailTellsWhoHoldsAnAddressTheActorMayNotSee() {
    put(
        "boss",
        ROLES.managerRole(),
        b -> b.permissionGrants(Set.of("EDIT_USER", "UPDATE_FROM_FILE")));
    put("lee", ROLES.defaultRole(), b -> b.managerId(UserId.of("boss")));
    put("x7q", ROLES.defaultRole(), b -> b.primaryEmail(EmailAddress.parse("ceo@corp.example")));
    assertThat(catchThrowable(() -> directory.get(as("boss"), UserId.of("x7q"))))
        .isInstanceOf(AccessDeniedException.class);
    UpdatePlan plan =
        BulkEngine.of(directory)
            .planUpdate(
                as("boss"),
                List.of(
                    new UpdateRow(
                        1,
                        Map.of(
                            "primaryEmail", "lee@example.com", "managerId", "ceo@corp.example"))),
                UpdateOptions.defaults(),
                BulkListener.NONE);
    // boss may name x7q by id (setManager), but learns nothing of who holds an address
    assertThat(plan.rows().get(0).diffs())
        .allSatisfy(d -> assertThat(d.after()).isNotEqualTo(Optional.of("x7q")));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  // 500 users whose activation can never be made (active already: left by an older acceptance)
  void usersWhoseScheduleKeepsFailingDoNotHideTheOthersFromARun() {
    put("ann", ROLES.adminRole(), b -> b);
    // what an acceptance leaves behind (as in the test above), 500 times
    Instant past = Instant.now().minusSeconds(60);
    for (int i = 0; i < 500; i++) {
      put(String.format("a%03d", i), ROLES.defaultRole(), b -> b.activationScheduledAt(past));
    }
    put("zed", ROLES.defaultRole(), b -> b.status(UserStatus.STAGED));
    directory.scheduleActivation(as("ann"), UserId.of("zed"), past);
    directory.runDueSchedules(tenant);
    directory.runDueSchedules(tenant);
    assertThat(directory.get(as("ann"), UserId.of("zed")).status()).isEqualTo(UserStatus.ACTIVE);
  }

  // ---- 4. impersonation check and ownership transfer tell an unseen user's status ----

}
