package dev.usermgmt.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usermgmt.AccessDeniedException;
import dev.usermgmt.Action;
import dev.usermgmt.ConflictException;
import dev.usermgmt.Decision;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.UserMgmtException;
import dev.usermgmt.access.Actor;
import dev.usermgmt.access.FeatureFlag;
import dev.usermgmt.access.FeatureFlags;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.audit.ChangeSet;
import dev.usermgmt.audit.FieldDiff;
import dev.usermgmt.audit.internal.Replay;
import dev.usermgmt.memory.InMemoryStores;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.tenant.CreationChannel;
import dev.usermgmt.tenant.TenantSettings;
import dev.usermgmt.testkit.MutableClock;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.PasswordState;
import dev.usermgmt.user.PhoneNumber;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserDraft;
import dev.usermgmt.user.UserField;
import dev.usermgmt.user.UserPatch;
import dev.usermgmt.user.UserStatus;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

final class UserDirectoryTest {
  static final RoleCatalog ROLES = RoleCatalog.defaultCatalog();
  final TenantId tenant = TenantId.of("acme");
  final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T09:00:00Z"));
  final Stores stores = InMemoryStores.create();
  final List<String> mails = new ArrayList<>();
  final List<String> moved = new ArrayList<>();
  TenantSettings settings = TenantSettings.defaults();
  final UserDirectory directory =
      UserDirectory.builder()
          .stores(stores)
          .clock(clock)
          .featureFlags(FeatureFlags.of(Map.of(FeatureFlag.LMS_ONLY_TENANT, true)))
          .invitationSender(
              (t, user, to, kind) -> {
                if (to.localPart().startsWith("bounce")) {
                  throw new IllegalStateException("mail server refused " + to);
                }
                mails.add(kind + " " + to);
              })
          .ownershipTransfer(
              (t, from, to) -> {
                moved.add(from + "->" + to);
                return 3;
              })
          .settings(t -> settings)
          .build();
  final Actor admin =
      Actor.builder().tenant(tenant).userId(UserId.of("admin")).role(ROLES.adminRole()).build();
  final Actor learner =
      Actor.builder().tenant(tenant).userId(UserId.of("learner")).role(ROLES.defaultRole()).build();

  static UserDraft draft(String email) {
    return UserDraft.builder()
        .displayName("Name of " + email)
        .primaryEmail(EmailAddress.parse(email))
        .build();
  }

  User create(String email) {
    return directory.create(admin, List.of(draft(email))).created().get(0);
  }

  @Test
  void createsSeveralUsersInOneCallWithTheDefaultRole() {
    CreateResult r =
        directory.create(
            admin,
            List.of(
                draft("alex@example.com"),
                UserDraft.builder()
                    .firstName("Sam")
                    .lastName("Lee")
                    .phoneNumber(PhoneNumber.parse("+442079460958"))
                    .role(ROLES.parse("manager"))
                    .build()));
    assertThat(r.created()).hasSize(2);
    assertThat(r.created().get(0).role()).isEqualTo(ROLES.defaultRole());
    assertThat(r.created().get(0).status()).isEqualTo(UserStatus.ACTIVE);
    assertThat(r.created().get(1).displayName()).isEqualTo("Sam Lee");
    assertThat(r.created())
        .allMatch(u -> u.version() == 1 && u.createdAt().equals(clock.instant()));
    assertThat(stores.changeLog().get(tenant, r.changeSetId()).orElseThrow().changes()).hasSize(2);
  }

  @Test
  void createReportsEveryProblemOfEveryDraftAtOnceAndWritesNothing() {
    create("taken@example.com");
    List<UserDraft> drafts =
        List.of(
            draft("ok@example.com"),
            UserDraft.builder().displayName("No contact").build(),
            draft("TAKEN@example.com").withRole(ROLES.parse("owner")),
            UserDraft.builder()
                .primaryEmail(EmailAddress.parse("m@example.com"))
                .addModules("NOPE")
                .build());
    assertThatThrownBy(() -> directory.create(admin, drafts))
        .isInstanceOf(UserMgmtException.class)
        .satisfies(
            e ->
                assertThat(((UserMgmtException) e).problems())
                    .extracting(p -> p.row().orElse(0) + ":" + p.code().id())
                    .containsExactlyInAnyOrder(
                        "2:email_or_phone_required",
                        "3:access_denied",
                        "3:email_taken",
                        "4:unknown_module"));
    assertThat(stores.users().findByEmails(tenant, List.of(EmailAddress.parse("ok@example.com"))))
        .isEmpty();
  }

  @Test
  void learnersCannotAddUsersAndTheDenialSaysWhy() {
    assertThatThrownBy(() -> directory.create(learner, List.of(draft("x@example.com"))))
        .isInstanceOf(AccessDeniedException.class)
        .satisfies(
            e -> {
              Decision d = ((AccessDeniedException) e).decision();
              assertThat(d.reason()).contains(Decision.Reason.ROLE_TOO_LOW);
              assertThat(((AccessDeniedException) e).code()).isEqualTo(ErrorCode.ACCESS_DENIED);
            });
  }

  @Test
  void initialStatusFollowsTheChannelSettingAndInvitationsGoOutAfterCreation() {
    settings =
        TenantSettings.builder()
            .putInitialStatus(CreationChannel.FILE_IMPORT, UserStatus.STAGED)
            .build();
    CreateResult staged =
        directory.create(
            admin,
            List.of(draft("staged@example.com"), draft("bounce@example.com")),
            CreateOptions.builder()
                .channel(CreationChannel.FILE_IMPORT)
                .sendInvitations(true)
                .build());
    assertThat(staged.invited()).hasSize(1);
    assertThat(staged.invitationFailures()).hasSize(1);
    assertThat(staged.created().get(0).status()).isEqualTo(UserStatus.INVITE_PENDING);
    assertThat(staged.created().get(0).invitedAt()).contains(clock.instant());
    assertThat(staged.created().get(1).status()).isEqualTo(UserStatus.STAGED);
    CreateResult active =
        directory.create(
            admin,
            List.of(draft("active@example.com")),
            CreateOptions.builder().channel(CreationChannel.MANUAL).sendInvitations(true).build());
    assertThat(active.created().get(0).status()).isEqualTo(UserStatus.ACTIVE);
    assertThat(active.created().get(0).passwordState()).isEqualTo(PasswordState.PENDING);
    assertThat(mails)
        .containsExactly("INVITATION staged@example.com", "WELCOME active@example.com");
  }

  @Test
  void editsAreVersionCheckedAndEmailIsReadOnly() {
    User u = create("edit@example.com");
    User after =
        directory.edit(
            admin, u.id(), 1, UserPatch.builder().set(UserField.DEPARTMENT, "Sales").build());
    assertThat(after.version()).isEqualTo(2);
    assertThat(after.department()).contains("Sales");
    assertThatThrownBy(
            () ->
                directory.edit(
                    admin, u.id(), 1, UserPatch.builder().set(UserField.DEPARTMENT, "X").build()))
        .isInstanceOf(ConflictException.class)
        .extracting(e -> ((ConflictException) e).code())
        .isEqualTo(ErrorCode.VERSION_CONFLICT);
    assertThatThrownBy(
            () ->
                directory.edit(
                    admin,
                    u.id(),
                    2,
                    UserPatch.builder()
                        .set(UserField.PRIMARY_EMAIL, EmailAddress.parse("n@example.com"))
                        .build()))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("read-only");
  }

  @Test
  void concurrentEditsOfOneUserLetOneWinAndTheOtherConflict() throws Exception {
    User u = create("race@example.com");
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CyclicBarrier start = new CyclicBarrier(threads);
    List<Future<String>> results = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      String dept = "Dept " + i;
      results.add(
          pool.submit(
              () -> {
                start.await(10, TimeUnit.SECONDS);
                try {
                  directory.edit(
                      admin,
                      u.id(),
                      u.version(),
                      UserPatch.builder().set(UserField.DEPARTMENT, dept).build());
                  return "won " + dept;
                } catch (ConflictException e) {
                  return e.code().id();
                }
              }));
    }
    List<String> outcomes = new ArrayList<>();
    for (Future<String> f : results) {
      outcomes.add(f.get(30, TimeUnit.SECONDS));
    }
    pool.shutdown();
    assertThat(outcomes.stream().filter(o -> o.startsWith("won"))).hasSize(1);
    assertThat(outcomes.stream().filter(o -> o.equals("version_conflict"))).hasSize(threads - 1);
    User stored = stores.users().get(tenant, u.id()).orElseThrow();
    assertThat(stored.version()).isEqualTo(2);
    assertThat("won " + stored.department().orElseThrow()).isIn(outcomes);
  }

  @Test
  void deactivationBlocksTheUserAndOnlyDeactivatedUsersAreDeleted() {
    User u = create("bye@example.com");
    assertThatThrownBy(() -> directory.delete(admin, u.id()))
        .isInstanceOf(ConflictException.class)
        .extracting(e -> ((ConflictException) e).code())
        .isEqualTo(ErrorCode.ILLEGAL_TRANSITION);
    User off = directory.deactivate(admin, u.id());
    assertThat(off.status()).isEqualTo(UserStatus.DEACTIVATED);
    assertThat(off.effectiveRole(ROLES)).isEqualTo(ROLES.blockedRole());
    assertThat(off.deactivatedAt()).contains(clock.instant());
    assertThat(off.displayName()).isEqualTo(u.displayName());
    directory.delete(admin, u.id());
    assertThat(stores.users().get(tenant, u.id())).isEmpty();
  }

  @Test
  void seatLimitsRefuseCreationAndReactivationPastTheCap() {
    settings = TenantSettings.builder().seatLimit(OptionalLong.of(2)).build();
    User a = create("s1@example.com");
    create("s2@example.com");
    assertThatThrownBy(() -> create("s3@example.com"))
        .isInstanceOf(ConflictException.class)
        .extracting(e -> ((ConflictException) e).code())
        .isEqualTo(ErrorCode.SEAT_LIMIT_REACHED);
    directory.deactivate(admin, a.id());
    User c = create("s3@example.com");
    assertThatThrownBy(() -> directory.reactivate(admin, a.id()))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("seats");
    directory.deactivate(admin, c.id());
    assertThat(directory.reactivate(admin, a.id()).status()).isEqualTo(UserStatus.ACTIVE);
  }

  @Test
  void managerHierarchyRejectsCyclesAndListsAncestorsAndReports() {
    User ceo = create("ceo@example.com");
    User vp = create("vp@example.com");
    User dev = create("dev@example.com");
    directory.setManager(admin, vp.id(), Optional.of(ceo.id()));
    directory.setManager(admin, dev.id(), Optional.of(vp.id()));
    assertThatThrownBy(() -> directory.setManager(admin, ceo.id(), Optional.of(dev.id())))
        .isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).code())
        .isEqualTo(ErrorCode.MANAGER_CYCLE);
    assertThatThrownBy(() -> directory.setManager(admin, ceo.id(), Optional.of(UserId.of("ghost"))))
        .isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).code())
        .isEqualTo(ErrorCode.UNKNOWN_MANAGER);
    assertThat(directory.ancestors(admin, dev.id()))
        .extracting(User::id)
        .containsExactly(vp.id(), ceo.id());
    assertThat(directory.reports(admin, ceo.id(), false))
        .extracting(User::id)
        .containsExactly(vp.id());
    assertThat(directory.reports(admin, ceo.id(), true))
        .extracting(User::id)
        .containsExactly(vp.id(), dev.id());
    Actor vpActor =
        Actor.builder().tenant(tenant).userId(vp.id()).role(ROLES.parse("manager")).build();
    assertThat(directory.get(vpActor, dev.id()).id()).isEqualTo(dev.id());
    assertThatThrownBy(() -> directory.get(vpActor, ceo.id()))
        .isInstanceOf(AccessDeniedException.class);
  }

  @Test
  void anonymisationRemovesPersonalDataFromTheUserAndItsHistory() {
    directory.createAttribute(
        admin,
        AttributeDefinition.builder()
            .key("nin")
            .label("National ID")
            .type(AttributeType.TEXT)
            .personal(true)
            .build());
    directory.createAttribute(
        admin,
        AttributeDefinition.builder()
            .key("level")
            .label("Level")
            .type(AttributeType.NUMBER)
            .build());
    User u =
        directory
            .create(
                admin,
                List.of(
                    draft("gdpr@example.com")
                        .withAttributes(
                            Map.of(
                                "nin",
                                AttributeValue.text("AB123"),
                                "level",
                                AttributeValue.number(4)))))
            .created()
            .get(0);
    assertThatThrownBy(() -> directory.anonymise(admin, u.id()))
        .isInstanceOf(ConflictException.class);
    directory.deactivate(admin, u.id());
    User anon = directory.anonymise(admin, u.id());
    assertThat(anon.status()).isEqualTo(UserStatus.ANONYMISED);
    assertThat(anon.primaryEmail()).isEmpty();
    assertThat(anon.displayName()).isEqualTo("Anonymised user");
    assertThat(anon.attributes()).containsOnlyKeys("level");
    assertThat(anon.id()).isEqualTo(u.id());
    String history = stores.changeLog().page(tenant, 0, 100).toString();
    assertThat(history)
        .doesNotContain("gdpr@example.com")
        .doesNotContain("AB123")
        .doesNotContain("Name of");
    assertThat(history).contains("DEACTIVATED");
    Map<UserId, User> replayed =
        Replay.replay(tenant, stores.changeLog().page(tenant, 0, 100), ROLES);
    assertThat(replayed.get(u.id())).isEqualTo(stores.users().get(tenant, u.id()).orElseThrow());
  }

  @Test
  void scheduledInvitationsAndActivationsRunWhenTheClockSaysSo() {
    settings =
        TenantSettings.builder()
            .putInitialStatus(CreationChannel.MANUAL, UserStatus.STAGED)
            .build();
    User a = create("later@example.com");
    User b = create("start@example.com");
    directory.scheduleInvitation(admin, a.id(), clock.instant().plus(Duration.ofDays(1)));
    directory.scheduleActivation(admin, b.id(), clock.instant().plus(Duration.ofDays(2)));
    assertThat(directory.runDueSchedules(tenant).invited()).isEmpty();
    clock.advance(Duration.ofDays(1));
    assertThat(directory.runDueSchedules(tenant).invited()).containsExactly(a.id());
    assertThat(stores.users().get(tenant, a.id()).orElseThrow().status())
        .isEqualTo(UserStatus.INVITE_PENDING);
    clock.advance(Duration.ofDays(1));
    assertThat(directory.runDueSchedules(tenant).activated()).containsExactly(b.id());
    User active = stores.users().get(tenant, b.id()).orElseThrow();
    assertThat(active.status()).isEqualTo(UserStatus.ACTIVE);
    assertThat(active.activationScheduledAt()).isEmpty();
    assertThat(directory.runDueSchedules(tenant).activated()).isEmpty();
  }

  @Test
  void accountActionsHooksAndImpersonation() {
    User u = create("acct@example.com");
    directory.recordLockout(tenant, u.id());
    assertThat(directory.unlock(admin, u.id()).lockedOut()).isFalse();
    assertThat(directory.forcePasswordChange(admin, u.id()).passwordState())
        .isEqualTo(PasswordState.EXPIRED);
    assertThat(directory.requireMfa(admin, u.id(), true).mfaRequired()).isTrue();
    assertThat(directory.setModules(admin, u.id(), Set.of("LMS", "LXP")).modules())
        .containsExactly("LMS", "LXP");
    assertThatThrownBy(() -> directory.setModules(admin, u.id(), Set.of("CRM")))
        .isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).code())
        .isEqualTo(ErrorCode.UNKNOWN_MODULE);
    User heir = create("heir@example.com");
    assertThat(directory.transferOwnership(admin, u.id(), heir.id())).isEqualTo(3);
    assertThat(moved).containsExactly(u.id() + "->" + heir.id());
    assertThat(directory.mayImpersonate(admin, u.id()).allowed()).isTrue();
    Actor ownerActor =
        Actor.builder().tenant(tenant).userId(UserId.of("o")).role(ROLES.parse("owner")).build();
    User boss =
        directory
            .create(ownerActor, List.of(draft("boss@example.com").withRole(ROLES.parse("owner"))))
            .created()
            .get(0);
    assertThat(directory.mayImpersonate(admin, boss.id()).reason())
        .contains(Decision.Reason.TARGET_OUTRANKS);
    directory.deactivate(admin, u.id());
    assertThat(directory.mayImpersonate(admin, u.id()).reason())
        .contains(Decision.Reason.TARGET_INACTIVE);
  }

  @Test
  void demoPasswordsAreStrongAndForDemoTenantsOnly() {
    User u = create("demo@example.com");
    assertThatThrownBy(() -> directory.generateDemoPasswords(admin, List.of(u.id())))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("not_demo_tenant");
    Actor demo = Actor.builder().from(admin).tenantPurpose(Actor.DEMO).build();
    Map<UserId, String> pw = directory.generateDemoPasswords(demo, List.of(u.id()));
    String p = pw.get(u.id());
    assertThat(p)
        .hasSize(20)
        .matches(".*[A-Z].*")
        .matches(".*[a-z].*")
        .matches(".*[0-9].*")
        .matches(".*[^A-Za-z0-9].*");
    assertThat(stores.changeLog().page(tenant, 0, 100).toString()).doesNotContain(p);
  }

  @Test
  void deletingAnAttributeSaysHowManyValuesItDropsAndUndoBringsThemBack() {
    AttributeDefinition level =
        directory.createAttribute(
            admin,
            AttributeDefinition.builder()
                .key("level")
                .label("Level")
                .type(AttributeType.NUMBER)
                .build());
    User a =
        directory
            .create(
                admin,
                List.of(
                    draft("a@example.com")
                        .withAttributes(Map.of("level", AttributeValue.number(2)))))
            .created()
            .get(0);
    create("b@example.com");
    assertThat(directory.deleteAttribute(admin, "level")).isEqualTo(1);
    assertThat(stores.users().get(tenant, a.id()).orElseThrow().attributes()).isEmpty();
    ChangeSet deletion =
        stores.changeLog().page(tenant, 0, 100).stream()
            .filter(c -> c.operation().equals("attribute.delete"))
            .findFirst()
            .orElseThrow();
    directory.undo(admin, deletion.id());
    assertThat(stores.attributes().get(tenant, "level")).contains(level);
    assertThat(stores.users().get(tenant, a.id()).orElseThrow().attributes())
        .containsEntry("level", AttributeValue.number(2));
  }

  @Test
  void undoRestoresBeforeValuesAndRefusesWhenALaterChangeTouchedTheSameField() {
    User u = create("undo@example.com");
    directory.edit(
        admin,
        u.id(),
        1,
        UserPatch.builder()
            .set(UserField.DEPARTMENT, "Sales")
            .set(UserField.JOB_TITLE, "Rep")
            .build());
    ChangeSet edit = last();
    directory.edit(admin, u.id(), 2, UserPatch.builder().set(UserField.LOCATION, "Berlin").build());
    directory.undo(admin, edit.id());
    User after = stores.users().get(tenant, u.id()).orElseThrow();
    assertThat(after.department()).isEmpty();
    assertThat(after.jobTitle()).isEmpty();
    assertThat(after.location()).contains("Berlin");
    ChangeSet undo = last();
    assertThat(undo.operation()).isEqualTo("undo");
    assertThat(undo.correlationId()).isEqualTo(edit.id());
    directory.edit(
        admin,
        u.id(),
        after.version(),
        UserPatch.builder().set(UserField.LOCATION, "Paris").build());
    ChangeSet paris = last();
    directory.edit(
        admin,
        u.id(),
        after.version() + 1,
        UserPatch.builder().set(UserField.LOCATION, "Rome").build());
    assertThatThrownBy(() -> directory.undo(admin, paris.id()))
        .isInstanceOf(ConflictException.class)
        .satisfies(
            e ->
                assertThat(((ConflictException) e).problems())
                    .extracting(Problem::message)
                    .anyMatch(m -> m.contains("location")));
    assertThat(stores.users().get(tenant, u.id()).orElseThrow().location()).contains("Rome");
  }

  @Test
  void sensitiveAttributesAreRedactedForLogReadersWhoMayNotManageAttributes() {
    directory.createAttribute(
        admin,
        AttributeDefinition.builder()
            .key("salary")
            .label("Salary")
            .type(AttributeType.NUMBER)
            .sensitive(true)
            .build());
    directory.create(
        admin,
        List.of(
            draft("pay@example.com")
                .withAttributes(Map.of("salary", AttributeValue.number(99000)))));
    Actor auditor =
        Actor.builder().from(admin).addRevocations(Action.MANAGE_CUSTOM_ATTRIBUTES).build();
    assertThat(directory.changeLog(admin, 0, 100).toString()).contains("99000");
    List<ChangeSet> redacted = directory.changeLog(auditor, 0, 100);
    assertThat(redacted.toString()).doesNotContain("99000");
    assertThat(
            redacted.stream()
                .flatMap(c -> c.changes().stream())
                .flatMap(c -> c.diffs().stream())
                .filter(FieldDiff::redacted))
        .isNotEmpty();
    assertThatThrownBy(() -> directory.changeLog(learner, 0, 10))
        .isInstanceOf(AccessDeniedException.class);
  }

  @Test
  void aDirectoryNeverReadsAnotherTenant() {
    User u = create("mine@example.com");
    Actor otherAdmin =
        Actor.builder().tenant(TenantId.of("globex")).role(ROLES.adminRole()).build();
    assertThatThrownBy(() -> directory.get(otherAdmin, u.id()))
        .isInstanceOf(UserMgmtException.class)
        .extracting(e -> ((UserMgmtException) e).code())
        .isEqualTo(ErrorCode.USER_NOT_FOUND);
    assertThatThrownBy(() -> directory.deactivate(otherAdmin, u.id()))
        .isInstanceOf(UserMgmtException.class);
    assertThat(stores.users().get(tenant, u.id()).orElseThrow().status())
        .isEqualTo(UserStatus.ACTIVE);
    new CountDownLatch(0).countDown();
    assertThat(new SecureRandom()).isNotNull();
  }

  private ChangeSet last() {
    List<ChangeSet> all = stores.changeLog().page(tenant, 0, 10_000);
    return all.get(all.size() - 1);
  }
}
