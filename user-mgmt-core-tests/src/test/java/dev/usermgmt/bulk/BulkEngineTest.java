package dev.usermgmt.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usermgmt.AccessDeniedException;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.access.FeatureFlag;
import dev.usermgmt.access.FeatureFlags;
import dev.usermgmt.audit.ChangeSet;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.group.Group;
import dev.usermgmt.memory.InMemoryStores;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.tenant.TenantSettings;
import dev.usermgmt.testkit.Fixtures;
import dev.usermgmt.testkit.MutableClock;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserField;
import dev.usermgmt.user.UserPatch;
import dev.usermgmt.user.UserStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

final class BulkEngineTest {
  static final RoleCatalog ROLES = RoleCatalog.defaultCatalog();
  final TenantId tenant = TenantId.of("acme");
  final Stores memory = InMemoryStores.create();
  final CountingUserStore counting = new CountingUserStore(memory.users());
  final Stores stores = counting.over(memory);
  final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T10:00:00Z"));
  TenantSettings settings =
      TenantSettings.builder().addInternalEmailDomains("vendor-staff.example").build();
  final UserDirectory directory =
      UserDirectory.builder()
          .stores(stores)
          .clock(clock)
          .featureFlags(FeatureFlags.of(Map.of(FeatureFlag.DEACTIVATE_USERS_EXCEL, true)))
          .settings(t -> settings)
          .build();
  final BulkEngine engine = BulkEngine.of(directory);
  final Actor support =
      Actor.builder()
          .tenant(tenant)
          .userId(UserId.of("staff"))
          .role(ROLES.parse("support"))
          .supportLevel(2)
          .build();
  final Actor admin =
      Actor.builder().tenant(tenant).userId(UserId.of("admin")).role(ROLES.adminRole()).build();

  User put(String id, String email, UserStatus status) {
    User u =
        Fixtures.user(tenant, id).toBuilder()
            .primaryEmail(EmailAddress.parse(email))
            .firstName(id.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + id.substring(1))
            .lastName(id.equals("alex") ? "Doe" : "Lee")
            .status(status)
            .deactivatedAt(status.isInactive() ? Optional.of(Fixtures.T0) : Optional.empty())
            .build();
    stores.users().insert(tenant, List.of(u));
    return u;
  }

  @Test
  void theDryRunGivesTheRowOfEveryInvalidRepeatedAndInternalAddressAndCountsEveryGroup() {
    put("alex", "alex@example.com", UserStatus.ACTIVE);
    put("sam", "sam@example.com", UserStatus.DEACTIVATED);
    DeactivationRequest request =
        new DeactivationRequest(
            List.of(
                "alex@example.com",
                "not an address",
                "ALEX@example.com",
                "ops@vendor-staff.example",
                "sam@example.com",
                "jordan@example.com",
                "ops@vendor-staff.example"),
            false,
            List.of(2L, 3L, 5L, 6L, 7L, 9L, 12L));
    DeactivationPlan plan = engine.planDeactivation(support, request, BulkListener.NONE);
    assertThat(plan.flagged())
        .containsExactly(
            new FlaggedAddress(
                3, "not an address", FlaggedAddress.Reason.INVALID, OptionalLong.empty()),
            new FlaggedAddress(
                5, "ALEX@example.com", FlaggedAddress.Reason.DUPLICATE, OptionalLong.of(2)),
            new FlaggedAddress(
                6,
                "ops@vendor-staff.example",
                FlaggedAddress.Reason.INTERNAL,
                OptionalLong.empty()),
            new FlaggedAddress(
                12,
                "ops@vendor-staff.example",
                FlaggedAddress.Reason.DUPLICATE,
                OptionalLong.of(6)));
    assertThat(plan.counts()).isEqualTo(new DeactivationPlan.Counts(1, 1, 1, 1, 2, 1, 0));
    // without a file, the row is the position in the list
    DeactivationPlan listed =
        engine.planDeactivation(
            support,
            new DeactivationRequest(List.of("alex@example.com", "x"), false),
            BulkListener.NONE);
    assertThat(listed.flagged()).extracting(FlaggedAddress::row).containsExactly(2L);
    assertThat(engine.applyDeactivation(support, plan, BulkListener.NONE).deactivatedCount())
        .isEqualTo(1);
  }

  @Test
  void replaysTheReferenceExampleFile() {
    put("alex", "alex@example.com", UserStatus.ACTIVE);
    put("sam", "sam@example.com", UserStatus.DEACTIVATED);
    // the reference's example file: a single column named email
    DeactivationRequest request =
        new DeactivationRequest(
            List.of("alex@example.com", "sam@example.com", "jordan@example.com"), false);
    DeactivationPlan plan = engine.planDeactivation(support, request, BulkListener.NONE);
    assertThat(plan.toDeactivate())
        .extracting(PlannedUser::primaryEmail)
        .containsExactly(Optional.of("alex@example.com"));
    assertThat(plan.toDeactivate().get(0).firstName()).contains("Alex");
    assertThat(plan.toDeactivate().get(0).lastName()).contains("Doe");
    assertThat(plan.alreadyInactive())
        .extracting(PlannedUser::primaryEmail)
        .containsExactly(Optional.of("sam@example.com"));
    assertThat(plan.notFound()).containsExactly("jordan@example.com");
    assertThat(stores.users().get(tenant, UserId.of("alex")).orElseThrow().status())
        .isEqualTo(UserStatus.ACTIVE);

    DeactivationResult result = engine.applyDeactivation(support, plan, BulkListener.NONE);
    assertThat(result.deactivatedCount()).isEqualTo(1);
    assertThat(result.failedEmails()).isEmpty();
    User alex = stores.users().get(tenant, UserId.of("alex")).orElseThrow();
    assertThat(alex.status()).isEqualTo(UserStatus.DEACTIVATED);
    assertThat(alex.effectiveRole(ROLES)).isEqualTo(ROLES.blockedRole());
    assertThat(alex.role()).isEqualTo(ROLES.defaultRole());
    assertThat(alex.deactivatedAt()).contains(clock.instant());

    DeactivationResult again = engine.applyDeactivation(support, plan, BulkListener.NONE);
    assertThat(again.deactivatedCount()).isZero();
    assertThat(again.failedEmails()).isEmpty();
    assertThat(stores.users().get(tenant, UserId.of("alex")).orElseThrow()).isEqualTo(alex);

    engine.undo(support, result.changeSetIds());
    assertThat(stores.users().get(tenant, UserId.of("alex")).orElseThrow().status())
        .isEqualTo(UserStatus.ACTIVE);
  }

  @Test
  void malformedDuplicateAndInternalAddressesAreSortedOut() {
    put("alex", "alex@example.com", UserStatus.ACTIVE);
    put("ops", "ops@vendor-staff.example", UserStatus.ACTIVE);
    DeactivationRequest request =
        new DeactivationRequest(
            List.of(
                "ALEX@example.com",
                " alex@EXAMPLE.com ",
                "not an email",
                "ops@vendor-staff.example",
                "x@eu.vendor-staff.example",
                ""),
            false);
    DeactivationPlan plan = engine.planDeactivation(support, request, BulkListener.NONE);
    assertThat(plan.toDeactivate()).hasSize(1);
    assertThat(plan.invalid()).containsExactly("not an email");
    assertThat(plan.excludedInternal())
        .containsExactly("ops@vendor-staff.example", "x@eu.vendor-staff.example");
    DeactivationPlan allowed =
        engine.planDeactivation(
            support, new DeactivationRequest(request.emails(), true), BulkListener.NONE);
    assertThat(allowed.toDeactivate())
        .extracting(p -> p.id().value())
        .containsExactly("alex", "ops");
    assertThat(allowed.notFound()).containsExactly("x@eu.vendor-staff.example");
  }

  @Test
  void limitsAndGatesAreEnforced() {
    assertThatThrownBy(
            () ->
                engine.planDeactivation(
                    support, new DeactivationRequest(List.of(" "), false), BulkListener.NONE))
        .isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).code())
        .isEqualTo(ErrorCode.TOO_FEW_ITEMS);
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 5001; i++) {
      many.add("u" + i + "@example.com");
    }
    assertThatThrownBy(
            () ->
                engine.planDeactivation(
                    support, new DeactivationRequest(many, false), BulkListener.NONE))
        .isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).code())
        .isEqualTo(ErrorCode.LIMIT_EXCEEDED);
    assertThatThrownBy(
            () ->
                engine.planDeactivation(
                    admin,
                    new DeactivationRequest(List.of("a@example.com"), false),
                    BulkListener.NONE))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("support_level_too_low");
    UserDirectory defaults = UserDirectory.builder().stores(stores).build();
    assertThatThrownBy(
            () ->
                BulkEngine.of(defaults)
                    .planDeactivation(
                        support,
                        new DeactivationRequest(List.of("a@example.com"), false),
                        BulkListener.NONE))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("DEACTIVATE_USERS_EXCEL");
  }

  @Test
  void aConcurrentEditBetweenPlanAndApplyIsNeverOverwritten() {
    User alex = put("alex", "alex@example.com", UserStatus.ACTIVE);
    put("kim", "kim@example.com", UserStatus.ACTIVE);
    DeactivationPlan plan =
        engine.planDeactivation(
            support,
            new DeactivationRequest(List.of("alex@example.com", "kim@example.com"), false),
            BulkListener.NONE);
    directory.edit(
        admin,
        alex.id(),
        alex.version(),
        UserPatch.builder().set(UserField.DEPARTMENT, "Sales").build());
    DeactivationResult r = engine.applyDeactivation(support, plan, BulkListener.NONE);
    assertThat(r.deactivatedCount()).isEqualTo(1);
    assertThat(r.failedEmails()).containsExactly("alex@example.com");
    User after = stores.users().get(tenant, alex.id()).orElseThrow();
    assertThat(after.status()).isEqualTo(UserStatus.ACTIVE);
    assertThat(after.department()).contains("Sales");
  }

  @Test
  void aPlanFor5000EmailsAgainst100000UsersMakesOneLookupPerChunk() {
    List<User> users = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      users.add(Fixtures.user(tenant, "u" + i));
      if (users.size() == 10_000) {
        memory.users().insert(tenant, users);
        users.clear();
      }
    }
    List<String> emails = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      emails.add("u" + (i * 19) + "@example.com");
    }
    BulkEngine engine500 = BulkEngine.of(directory, new BulkLimits(1, 5000, 500));
    counting.batchLookups.set(0);
    counting.wholeUsersByEmail.set(0);
    counting.gets.set(0);
    List<Long> progress = new ArrayList<>();
    DeactivationPlan plan =
        engine500.planDeactivation(
            support,
            new DeactivationRequest(emails, false),
            (step, done, total) -> progress.add(done));
    assertThat(plan.toDeactivate()).hasSize(5000);
    // a plan only reads: it looks the addresses up in the store's largest batches, not in the
    // apply's chunks of 500 (and their look-alikes in as many)
    int batch = counting.maxBatchSize();
    int lookups = (5000 + batch - 1) / batch;
    assertThat(lookups).isLessThan(10);
    assertThat(counting.batchLookups.get()).isLessThanOrEqualTo(2 * lookups);
    // the preview needs each user's summary, never the whole record
    assertThat(counting.wholeUsersByEmail.get()).isZero();
    // one read of the actor's own record, for their rights now; none per user
    assertThat(counting.gets.get()).isLessThanOrEqualTo(1);
    assertThat(progress).hasSize(lookups).endsWith(5000L);
    counting.batchLookups.set(0);
    DeactivationResult r = engine500.applyDeactivation(support, plan, BulkListener.NONE);
    assertThat(r.deactivatedCount()).isEqualTo(5000);
    assertThat(r.changeSetIds()).hasSize(10);
    assertThat(counting.batchLookups.get()).isLessThanOrEqualTo(10 + 10);
    // the actor's rights are read again in each chunk's transaction; none per user
    assertThat(counting.gets.get()).isLessThanOrEqualTo(1 + 1 + 10);
  }

  @Test
  void anAdminsUpdatePlanWalksNoUsersManagers() {
    // two thousand users under a chain of managers: an admin sees every field of each whatever
    // their relation, so the plan asks no user's managers (one read each, up the chain)
    UpdatePlan plan = planOverATree(admin);
    assertThat(plan.rows())
        .allSatisfy(r -> assertThat(r.kind()).isEqualTo(RowPreview.Kind.CHANGED));
    // the actor's own record, for their rights now
    assertThat(counting.gets.get()).isLessThanOrEqualTo(1);
  }

  @Test
  void aGrantHolderWhoSeesEveryOtherUserAlikeWalksNoUsersManagers() {
    // reads every user (VIEW_USER) the same way, whatever the relation; only their own record
    // shows more (their grants), which needs no walk to recognise
    Actor clerk =
        Actor.builder()
            .tenant(tenant)
            .userId(UserId.of("clerk"))
            .role(ROLES.defaultRole())
            .grants(
                java.util.Set.of(
                    dev.usermgmt.Action.VIEW_USER,
                    dev.usermgmt.Action.EDIT_USER,
                    dev.usermgmt.Action.UPDATE_FROM_FILE))
            .build();
    UpdatePlan plan = planOverATree(clerk);
    assertThat(plan.rows())
        .allSatisfy(r -> assertThat(r.kind()).isEqualTo(RowPreview.Kind.CHANGED));
    // its own record differs from the others' in the grants shown: each row's managers were read
    // to tell reports from other users (17,965 reads)
    assertThat(counting.gets.get()).isLessThanOrEqualTo(1);
  }

  /**
   * An actor's plan of a department for each of 2,000 users, each under a chain of managers (a
   * binary tree), the user store's single reads counted from the plan's start.
   */
  private UpdatePlan planOverATree(Actor actor) {
    List<User> users = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      User.Builder b = Fixtures.user(tenant, "u" + i).toBuilder();
      if (i > 0) {
        b.managerId(UserId.of("u" + (i - 1) / 2));
      }
      users.add(b.build());
    }
    memory.users().insert(tenant, users);
    List<UpdateRow> rows = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      rows.add(
          new UpdateRow(
              i + 2L, Map.of("primaryEmail", "u" + i + "@example.com", "department", "D" + i)));
    }
    counting.gets.set(0);
    return engine.planUpdate(actor, rows, UpdateOptions.defaults(), BulkListener.NONE);
  }

  @Test
  void aManagersUpdatePlanLooksEachManagerUpOnce() {
    // a manager over ten team leads of a hundred reports each: whether a row's user is below the
    // manager is worked out once a team lead, not once a row
    List<User> users = new ArrayList<>();
    users.add(
        Fixtures.user(tenant, "boss").toBuilder()
            .role(ROLES.managerRole())
            .permissionGrants(java.util.Set.of("UPDATE_FROM_FILE"))
            .build());
    List<UpdateRow> rows = new ArrayList<>();
    for (int t = 0; t < 10; t++) {
      users.add(Fixtures.user(tenant, "lead" + t).toBuilder().managerId(UserId.of("boss")).build());
      for (int i = 0; i < 100; i++) {
        String id = "r" + t + "-" + i;
        users.add(Fixtures.user(tenant, id).toBuilder().managerId(UserId.of("lead" + t)).build());
        rows.add(
            new UpdateRow(
                rows.size() + 2L,
                Map.of("primaryEmail", id + "@example.com", "attributes.rating", "good")));
      }
    }
    memory.users().insert(tenant, users);
    // what managers may set of their reports
    stores
        .attributes()
        .put(
            tenant,
            Optional.empty(),
            dev.usermgmt.attribute.AttributeDefinition.builder()
                .key("rating")
                .label("Rating")
                .type(dev.usermgmt.attribute.AttributeType.TEXT)
                .visibleToManagers(true)
                .editableByManagers(true)
                .build());
    Actor boss =
        Actor.forUser(stores.users().get(tenant, UserId.of("boss")).orElseThrow(), ROLES).build();
    counting.gets.set(0);
    UpdatePlan plan = engine.planUpdate(boss, rows, UpdateOptions.defaults(), BulkListener.NONE);
    assertThat(plan.rows())
        .allSatisfy(r -> assertThat(r.kind()).isEqualTo(RowPreview.Kind.CHANGED));
    // the actor's record, and each team lead once (it was each row's chain, twice: 2,011 reads)
    assertThat(counting.gets.get()).isLessThanOrEqualTo(1 + 10);
    counting.gets.set(0);
    ApplyResult applied = engine.applyUpdate(boss, plan, BulkListener.NONE);
    assertThat(applied.changed()).hasSize(1000);
    // each chunk's unit: the actor's record and each team lead once (it was each row's chain
    // again: 2,003 reads)
    int chunks = (1000 + BulkLimits.DEFAULT.chunkSize() - 1) / BulkLimits.DEFAULT.chunkSize();
    assertThat(counting.gets.get()).isLessThanOrEqualTo(chunks * (1 + 10) + 1);
  }

  @Test
  void aFileReorganisingManagersAcrossChunksAppliesThoughAChunkPassesThroughACycle() {
    reorganise(UpdateOptions.defaults());
  }

  @Test
  void aFileReorganisingManagersIsNotStoppedByTheCycleItPassesThrough() {
    // stopping after the first error: the refusal that a later chunk resolves is no error yet
    reorganise(
        new UpdateOptions(
            UpdateOptions.MatchKey.EMAIL,
            Map.of(),
            Optional.empty(),
            false,
            UpdateOptions.ApplyMode.STOP_AFTER_ERRORS,
            0));
  }

  private void reorganise(UpdateOptions options) {
    // u1 reports to u0; the file makes u0 report to u1 (chunk one) and u1 report to u2 (chunk two):
    // after chunk one they manage each other, after the file nobody does
    List<User> users = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      User u = Fixtures.user(tenant, "u" + i);
      users.add(i == 1 ? u.toBuilder().managerId(UserId.of("u0")).build() : u);
    }
    memory.users().insert(tenant, users);
    List<UpdateRow> rows = new ArrayList<>();
    rows.add(new UpdateRow(2, Map.of("primaryEmail", "u0@example.com", "managerId", "u1")));
    for (int i = 2; i < 600; i++) {
      rows.add(
          new UpdateRow(
              i + 1L, Map.of("primaryEmail", "u" + i + "@example.com", "department", "D")));
    }
    rows.add(new UpdateRow(601, Map.of("primaryEmail", "u1@example.com", "managerId", "u2")));
    UpdatePlan plan = engine.planUpdate(admin, rows, options, BulkListener.NONE);
    assertThat(plan.count(RowPreview.Kind.ERROR)).isZero();
    ApplyResult applied = engine.applyUpdate(admin, plan, BulkListener.NONE);
    assertThat(applied.failed()).isEmpty();
    assertThat(applied.changed()).hasSize(600);
    assertThat(stores.users().get(tenant, UserId.of("u0")).orElseThrow().managerId())
        .contains(UserId.of("u1"));
    assertThat(stores.users().get(tenant, UserId.of("u1")).orElseThrow().managerId())
        .contains(UserId.of("u2"));
  }

  @Test
  void aRowWhoseAttributeIsDeletedAfterThePlanFailsAloneAtTheApply() {
    directory.createAttribute(
        admin,
        dev.usermgmt.attribute.AttributeDefinition.builder()
            .key("level")
            .label("Level")
            .type(dev.usermgmt.attribute.AttributeType.TEXT)
            .build());
    List<User> users = new ArrayList<>();
    List<UpdateRow> rows = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      users.add(Fixtures.user(tenant, "a" + i));
      rows.add(
          new UpdateRow(
              i + 2L,
              i == 3
                  ? Map.of("primaryEmail", "a3@example.com", "attributes.level", "senior")
                  : Map.of("primaryEmail", "a" + i + "@example.com", "department", "D")));
    }
    memory.users().insert(tenant, users);
    UpdatePlan plan = engine.planUpdate(admin, rows, UpdateOptions.defaults(), BulkListener.NONE);
    assertThat(plan.count(RowPreview.Kind.CHANGED)).isEqualTo(6);
    directory.deleteAttribute(admin, "level");

    ApplyResult applied = engine.applyUpdate(admin, plan, BulkListener.NONE);

    assertThat(applied.changed()).hasSize(5).doesNotContain(UserId.of("a3"));
    assertThat(applied.failed())
        .containsOnlyKeys(UserId.of("a3"))
        .hasEntrySatisfying(
            UserId.of("a3"),
            p -> {
              assertThat(p.code()).isEqualTo(ErrorCode.UNKNOWN_ATTRIBUTE);
              assertThat(p.row()).hasValue(5L);
            });
    assertThat(stores.users().get(tenant, UserId.of("a3")).orElseThrow().attributes()).isEmpty();
  }

  @Test
  void aRowAddingAGroupTheTenantHasNotIsAnErrorInThePreview() {
    memory.groups().put(tenant, dev.usermgmt.group.Group.of("sales", "Sales"));
    memory
        .users()
        .insert(tenant, List.of(Fixtures.user(tenant, "g1"), Fixtures.user(tenant, "g2")));
    List<UpdateRow> rows =
        List.of(
            new UpdateRow(2, Map.of("primaryEmail", "g1@example.com", "groups", "sales")),
            new UpdateRow(3, Map.of("primaryEmail", "g2@example.com", "groups", "sales,ghosts")));
    UpdatePlan plan = engine.planUpdate(admin, rows, UpdateOptions.defaults(), BulkListener.NONE);
    assertThat(plan.rows().get(0).kind()).isEqualTo(RowPreview.Kind.CHANGED);
    assertThat(plan.rows().get(1).kind()).isEqualTo(RowPreview.Kind.ERROR);
    assertThat(plan.rows().get(1).problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.code()).isEqualTo(ErrorCode.UNKNOWN_GROUP);
              assertThat(p.row()).hasValue(3L);
              assertThat(p.field()).hasValue("groups");
            });
    ApplyResult applied = engine.applyUpdate(admin, plan, BulkListener.NONE);
    assertThat(applied.changed()).containsExactly(UserId.of("g1"));
    assertThat(stores.users().get(tenant, UserId.of("g2")).orElseThrow().groups()).isEmpty();
  }

  @Test
  void undoingABulkUpdateReadsEachChangeSetsUsersInOneLookupNotOneByOne() {
    List<User> users = new ArrayList<>();
    List<UpdateRow> rows = new ArrayList<>();
    for (int i = 0; i < 1200; i++) {
      users.add(Fixtures.user(tenant, "u" + i));
      rows.add(
          new UpdateRow(
              i + 2L, Map.of("primaryEmail", "u" + i + "@example.com", "department", "Ops " + i)));
    }
    memory.users().insert(tenant, users);
    UpdatePlan plan = engine.planUpdate(admin, rows, UpdateOptions.defaults(), BulkListener.NONE);
    ApplyResult applied = engine.applyUpdate(admin, plan, BulkListener.NONE);
    assertThat(applied.changed()).hasSize(1200);
    assertThat(applied.changeSetIds()).hasSize(3);
    counting.gets.set(0);
    counting.batchLookups.set(0);

    List<String> undone = engine.undo(admin, applied.changeSetIds());

    // the actor's rights are read for each change set; its users in one lookup, none one by one
    assertThat(counting.gets.get()).isLessThanOrEqualTo(3 * 2);
    assertThat(counting.batchLookups.get()).isLessThanOrEqualTo(3);
    // the undo's change sets by id, in the order recorded: the last three of the log, each undoing
    // one of the apply's, newest first
    List<ChangeSet> log = directory.changeLog(admin, 0, 100);
    assertThat(undone)
        .containsExactlyElementsOf(
            log.subList(log.size() - 3, log.size()).stream().map(ChangeSet::id).toList());
    List<String> newestFirst = new ArrayList<>(applied.changeSetIds());
    Collections.reverse(newestFirst);
    assertThat(log.subList(log.size() - 3, log.size()))
        .allSatisfy(cs -> assertThat(cs.operation()).isEqualTo("undo"))
        .extracting(ChangeSet::correlationId)
        .containsExactlyElementsOf(newestFirst);
    for (User u : users) {
      User now = stores.users().get(tenant, u.id()).orElseThrow();
      assertThat(now.department()).isEmpty();
      assertThat(now.version()).isEqualTo(u.version() + 2);
    }
  }

  @Test
  void aPlanKeptOnDiskIsAppliedAChunkAtATimeAndAFailureNamesItsRow() {
    List<User> users = new ArrayList<>();
    List<UpdateRow> rows = new ArrayList<>();
    for (int i = 0; i < 1200; i++) {
      users.add(Fixtures.user(tenant, "u" + i));
      rows.add(
          new UpdateRow(
              i + 2L, Map.of("primaryEmail", "u" + i + "@example.com", "department", "Ops " + i)));
    }
    memory.users().insert(tenant, users);
    // previews past the first 100 are kept in a temporary file
    BulkEngine onDisk = BulkEngine.of(directory, new BulkLimits(1, 5000, 500, 100));
    UpdatePlan plan = onDisk.planUpdate(admin, rows, UpdateOptions.defaults(), BulkListener.NONE);
    // a user of the last chunk changes between the plan and the apply
    User late = stores.users().get(tenant, UserId.of("u1100")).orElseThrow();
    stores
        .users()
        .update(
            tenant,
            List.of(late),
            List.of(late.toBuilder().version(late.version() + 1).jobTitle("Changed").build()));
    List<Long> progress = new ArrayList<>();
    ApplyResult applied =
        onDisk.applyUpdate(admin, plan, (step, done, total) -> progress.add(done * 10_000 + total));

    assertThat(applied.changed()).hasSize(1199);
    assertThat(applied.failed()).containsOnlyKeys(UserId.of("u1100"));
    assertThat(java.util.Objects.requireNonNull(applied.failed().get(UserId.of("u1100"))).row())
        .hasValue(1102L);
    assertThat(applied.changeSetIds()).hasSize(3);
    // one progress report a chunk, each out of every changed row of the plan
    assertThat(progress)
        .containsExactly(500 * 10_000L + 1200, 1000 * 10_000L + 1200, 1200 * 10_000L + 1200);
    assertThat(stores.users().get(tenant, UserId.of("u1199")).orElseThrow().department())
        .contains("Ops 1199");
  }

  @Test
  void bulkDeleteDeletesOnlyDeactivatedUsersUnlessAskedToDeactivateFirst() {
    put("gone", "gone@example.com", UserStatus.DEACTIVATED);
    put("here", "here@example.com", UserStatus.ACTIVE);
    DeletionPlan plan =
        engine.planDeletion(
            support, List.of(UserId.of("gone"), UserId.of("here"), UserId.of("ghost")), false);
    assertThat(plan.toDelete()).extracting(p -> p.id().value()).containsExactly("gone");
    assertThat(plan.stillActive()).extracting(p -> p.id().value()).containsExactly("here");
    assertThat(plan.notFound()).containsExactly("ghost");
    ApplyResult r = engine.applyDeletion(support, plan, BulkListener.NONE);
    assertThat(r.changed()).containsExactly(UserId.of("gone"));
    assertThat(stores.users().get(tenant, UserId.of("here"))).isPresent();
    DeletionPlan force = engine.planDeletion(support, List.of(UserId.of("here")), true);
    engine.applyDeletion(support, force, BulkListener.NONE);
    assertThat(stores.users().get(tenant, UserId.of("here"))).isEmpty();
    assertThatThrownBy(() -> engine.planDeletion(admin, List.of(UserId.of("x")), false))
        .isInstanceOf(AccessDeniedException.class);
  }

  @Test
  void actionsOnASelectionSayPerUserWhatWillHappen() {
    put("a", "a@example.com", UserStatus.ACTIVE);
    put("s", "s@example.com", UserStatus.SUSPENDED);
    put("d", "d@example.com", UserStatus.DEACTIVATED);
    SelectionPlan suspend =
        engine.planSelection(
            admin,
            List.of(UserId.of("a"), UserId.of("s"), UserId.of("d"), UserId.of("admin")),
            ActionSpec.of(SelectionAction.SUSPEND),
            BulkListener.NONE);
    assertThat(suspend.outcomes())
        .extracting(o -> o.user().id().value() + ":" + o.kind())
        .containsExactly("a:WILL_CHANGE", "s:NO_OP", "d:REFUSED");
    assertThat(suspend.notFound()).containsExactly("admin");
    assertThat(suspend.outcomes().get(2).reason().orElseThrow()).contains("DEACTIVATED");
    ApplyResult r = engine.applySelection(admin, suspend, BulkListener.NONE);
    assertThat(r.changed()).containsExactly(UserId.of("a"));
    assertThat(stores.users().get(tenant, UserId.of("a")).orElseThrow().status())
        .isEqualTo(UserStatus.SUSPENDED);

    stores.groups().put(tenant, Group.of("g1", "Pilots"));
    SelectionPlan group =
        engine.planSelection(
            admin,
            List.of(UserId.of("a"), UserId.of("s")),
            ActionSpec.group(SelectionAction.ADD_TO_GROUP, "g1"),
            BulkListener.NONE);
    engine.applySelection(admin, group, BulkListener.NONE);
    assertThat(stores.users().get(tenant, UserId.of("s")).orElseThrow().groups())
        .containsExactly("g1");
    assertThatThrownBy(
            () ->
                engine.planSelection(
                    admin,
                    List.of(UserId.of("a")),
                    ActionSpec.group(SelectionAction.ADD_TO_GROUP, "nope"),
                    BulkListener.NONE))
        .isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).code())
        .isEqualTo(ErrorCode.UNKNOWN_GROUP);
    Actor learner = Actor.builder().tenant(tenant).role(ROLES.defaultRole()).build();
    assertThatThrownBy(
            () ->
                engine.planSelection(
                    learner,
                    List.of(UserId.of("a")),
                    ActionSpec.of(SelectionAction.UNLOCK),
                    BulkListener.NONE))
        .isInstanceOf(AccessDeniedException.class);
  }

  @Test
  void reactivatingASelectionRespectsTheSeatLimit() {
    settings = TenantSettings.builder().seatLimit(OptionalLong.of(1)).build();
    put("a", "a@example.com", UserStatus.ACTIVE);
    put("d", "d@example.com", UserStatus.DEACTIVATED);
    SelectionPlan plan =
        engine.planSelection(
            admin,
            List.of(UserId.of("d")),
            ActionSpec.of(SelectionAction.REACTIVATE),
            BulkListener.NONE);
    ApplyResult r = engine.applySelection(admin, plan, BulkListener.NONE);
    assertThat(r.failed()).containsKey(UserId.of("d"));
    assertThat(r.failed())
        .hasEntrySatisfying(
            UserId.of("d"), p -> assertThat(p.code()).isEqualTo(ErrorCode.SEAT_LIMIT_REACHED));
    assertThat(stores.users().get(tenant, UserId.of("d")).orElseThrow().status())
        .isEqualTo(UserStatus.DEACTIVATED);
  }
}
