package dev.usermgmt.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import dev.usermgmt.Action;
import dev.usermgmt.ConflictException;
import dev.usermgmt.Decision;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.UserMgmtException;
import dev.usermgmt.access.AccessPolicy;
import dev.usermgmt.access.Actor;
import dev.usermgmt.access.DefaultAccessPolicy;
import dev.usermgmt.access.FeatureFlag;
import dev.usermgmt.access.FeatureFlags;
import dev.usermgmt.access.Relation;
import dev.usermgmt.access.UserWrite;
import dev.usermgmt.access.Visibility;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.audit.ChangeSet;
import dev.usermgmt.audit.FieldDiff;
import dev.usermgmt.bulk.ActionImportPlan;
import dev.usermgmt.bulk.ActionSpec;
import dev.usermgmt.bulk.ApplyResult;
import dev.usermgmt.bulk.BulkEngine;
import dev.usermgmt.bulk.BulkListener;
import dev.usermgmt.bulk.RowPreview;
import dev.usermgmt.bulk.SelectionAction;
import dev.usermgmt.bulk.SelectionPlan;
import dev.usermgmt.bulk.UpdateOptions;
import dev.usermgmt.bulk.UpdatePlan;
import dev.usermgmt.bulk.UpdateRow;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.group.Group;
import dev.usermgmt.query.UserQuery;
import dev.usermgmt.role.DomainRole;
import dev.usermgmt.role.Role;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.tenant.TenantSettings;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserDraft;
import dev.usermgmt.user.UserField;
import dev.usermgmt.user.UserPatch;
import dev.usermgmt.user.UserStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.SourceDSL;

/**
 * The authority every store must keep: each way a hostile admin, manager or learner once got past
 * the gating tables through the public API is refused, and the refusal leaves the users, the change
 * log, the attributes and the groups as they were. A store author subclasses it with one method:
 *
 * <pre>{@code
 * final class MyAuthorityTest extends AuthorityContract {
 *   protected Stores stores() { return MyStores.shared(); }
 * }
 * }</pre>
 *
 * <p>Every test works in a fresh tenant, so the stores may be shared.
 */
public abstract class AuthorityContract {
  /** The reference catalog. */
  protected static final RoleCatalog ROLES = RoleCatalog.defaultCatalog();

  /** Owner (6). */
  protected static final Role OWNER = ROLES.parse("owner");

  /** Admin (5). */
  protected static final Role ADMIN = ROLES.adminRole();

  /** Manager (3). */
  protected static final Role MANAGER = ROLES.managerRole();

  /** Learner (1). */
  protected static final Role LEARNER = ROLES.defaultRole();

  /** Blocked (99, ranked below every active role). */
  protected static final Role BLOCKED = ROLES.blockedRole();

  private static final byte[] KEY =
      "authority-contract-signing-key".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  /** The tenant of the running test. */
  protected TenantId tenant;

  /** The clock of the running test's directory. */
  protected MutableClock clock;

  /** A directory with the default policy over the stores. */
  protected UserDirectory directory;

  /** The bulk engine over {@link #directory}. */
  protected BulkEngine engine;

  /**
   * The stores under test; may be the same instance for every test.
   *
   * @return the stores
   */
  protected abstract Stores stores();

  @BeforeEach
  final void freshTenant() {
    tenant = Fixtures.freshTenant();
    clock = new MutableClock(Fixtures.T0.plus(Duration.ofDays(30)));
    directory = directory(DefaultAccessPolicy.of(ROLES, FeatureFlags.defaults()));
    engine = BulkEngine.of(directory);
  }

  /**
   * A directory over the stores with a policy, the test's clock and the shared signing key.
   *
   * @param policy the policy
   * @return the directory
   */
  protected final UserDirectory directory(AccessPolicy policy) {
    return UserDirectory.builder()
        .stores(stores())
        .clock(clock)
        .policy(policy)
        .signingKey(KEY)
        .build();
  }

  // ------------------------------------------------------------------ fixtures

  /**
   * Stores a user of the test's tenant.
   *
   * @param id the id (the e-mail is {@code id@example.com})
   * @param role the platform role
   * @param more further settings
   * @return the stored user
   */
  protected final User put(String id, Role role, UnaryOperator<User.Builder> more) {
    User u = more.apply(Fixtures.user(tenant, id).toBuilder().role(role)).build();
    stores().users().insert(tenant, List.of(u));
    return stores().users().get(tenant, u.id()).orElseThrow();
  }

  /**
   * Stores an active user with a role.
   *
   * @param id the id
   * @param role the role
   * @return the stored user
   */
  protected final User put(String id, Role role) {
    return put(id, role, b -> b);
  }

  /**
   * The actor a stored user is, as a host builds it from the record.
   *
   * @param id the user's id
   * @return the actor
   */
  protected final Actor as(String id) {
    return Actor.forUser(stored(id), ROLES).build();
  }

  /**
   * A stored user.
   *
   * @param id the id
   * @return the user as stored now
   */
  protected final User stored(String id) {
    return stores().users().get(tenant, UserId.of(id)).orElseThrow();
  }

  /**
   * Everything of the tenant a write could change.
   *
   * @param users the users
   * @param log the change log
   * @param attributes the custom attribute definitions
   * @param groups the groups
   */
  protected record State(
      List<User> users,
      List<ChangeSet> log,
      List<AttributeDefinition> attributes,
      List<Group> groups) {}

  /**
   * The tenant as stored now.
   *
   * @return the state
   */
  protected final State state() {
    return new State(
        stores().users().scan(tenant, Optional.empty(), 10_000),
        stores().changeLog().page(tenant, 0, 10_000),
        stores().attributes().list(tenant),
        stores().groups().list(tenant));
  }

  /**
   * Asserts that a call is refused with {@code access_denied} and changes nothing.
   *
   * @param call the call
   */
  protected final void assertDenied(ThrowingCallable call) {
    assertRefused(ErrorCode.ACCESS_DENIED, call);
  }

  /**
   * Asserts that a call is refused with a code and changes nothing.
   *
   * @param code the error code
   * @param call the call
   */
  protected final void assertRefused(ErrorCode code, ThrowingCallable call) {
    State before = state();
    assertThatThrownBy(call)
        .isInstanceOf(UserMgmtException.class)
        .extracting(e -> ((UserMgmtException) e).code())
        .isEqualTo(code);
    assertThat(state()).isEqualTo(before);
  }

  /**
   * Asserts that applying a plan writes nothing and reports the planned users as denied.
   *
   * @param apply the apply
   * @param users the users it must refuse
   */
  protected final void assertApplyDenied(
      java.util.function.Supplier<ApplyResult> apply, User... users) {
    State before = state();
    ApplyResult r = apply.get();
    assertThat(r.changed()).isEmpty();
    for (User u : users) {
      assertThat(r.failed())
          .hasEntrySatisfying(u.id(), p -> assertThat(p.code()).isEqualTo(ErrorCode.ACCESS_DENIED));
    }
    assertThat(state()).isEqualTo(before);
  }

  private static UserPatch grants(String... actions) {
    return UserPatch.builder().set(UserField.PERMISSION_GRANTS, Set.of(actions)).build();
  }

  private static UpdateRow row(long n, User u, String column, String value) {
    return new UpdateRow(
        n, Map.of("primaryEmail", u.primaryEmail().orElseThrow().value(), column, value));
  }

  /**
   * Plans rows as an update file; every row must be refused by the policy, and applying writes
   * nothing.
   */
  private void assertUpdateFileDenied(Actor actor, List<UpdateRow> rows) {
    assertUpdateFileDenied(actor, rows, UpdateOptions.defaults());
  }

  private void assertUpdateFileDenied(Actor actor, List<UpdateRow> rows, UpdateOptions options) {
    State before = state();
    UpdatePlan plan = engine.planUpdate(actor, rows, options, BulkListener.NONE);
    assertThat(plan.rows()).allSatisfy(r -> assertThat(r.kind()).isEqualTo(RowPreview.Kind.ERROR));
    assertThat(plan.rows())
        .allSatisfy(
            r ->
                assertThat(r.problems())
                    .extracting(p -> p.code())
                    .contains(ErrorCode.ACCESS_DENIED));
    assertThat(state()).isEqualTo(before);
    ApplyResult r = engine.applyUpdate(actor, plan, BulkListener.NONE);
    assertThat(r.changed()).isEmpty();
    assertThat(state()).isEqualTo(before);
  }

  // ------------------------------------------------------------------ grants and revocations

  @Test
  public void aDeletedUsersSessionMayDoNothing() {
    put("boss", OWNER);
    put("admin", ADMIN);
    User x = put("x", LEARNER);
    Actor session = as("admin"); // the host's session, made at sign-in
    directory.deactivate(as("boss"), UserId.of("admin"));
    UserPatch title = UserPatch.builder().set(UserField.JOB_TITLE, "Engineer").build();
    assertDenied(() -> directory.edit(session, x.id(), x.version(), title));
    directory.delete(as("boss"), UserId.of("admin"));
    // once the record was gone, the session was taken as given: an admin again
    assertDenied(() -> directory.edit(session, x.id(), x.version(), title));
    assertDenied(() -> directory.deactivate(session, x.id()));
  }

  @Test
  public void aUserReferenceIsWrittenAtCreationOnlyByWhoMaySeeIt() {
    UserDirectory hidden =
        directory(
            DefaultAccessPolicy.of(
                ROLES,
                FeatureFlags.of(Map.of(FeatureFlag.CAN_SEE_USER_TYPE_CUSTOM_ATTRIBUTES, false))));
    put("admin", ADMIN);
    User x = put("x", LEARNER);
    hidden.createAttribute(
        as("admin"),
        AttributeDefinition.builder()
            .key("buddy")
            .label("Buddy")
            .type(AttributeType.USER_REF)
            .build());
    AttributeValue buddy = AttributeValue.userRef(x.id());
    assertDenied(
        () ->
            hidden.edit(
                as("admin"),
                x.id(),
                x.version(),
                UserPatch.builder().attribute("buddy", buddy).build()));
    // the creation wrote it
    assertDenied(
        () ->
            hidden.create(
                as("admin"),
                List.of(
                    UserDraft.builder()
                        .primaryEmail(EmailAddress.parse("n@example.com"))
                        .attributes(Map.of("buddy", buddy))
                        .build())));
  }

  @Test
  public void anInvitationGivesNoActionTheInviterDoesNotHold() {
    UserDirectory synced =
        directory(
            DefaultAccessPolicy.of(
                ROLES, FeatureFlags.of(Map.of(FeatureFlag.USERS_INTEGRATION_CONFIGURED, true))));
    put("boss", OWNER);
    put("admin", ADMIN);
    User lee = put("lee", LEARNER, b -> b.status(UserStatus.STAGED));
    synced.edit(as("boss"), lee.id(), lee.version(), grants("SYNC_USERS"));
    // the admin may not activate lee, who would hold SYNC_USERS; the invitation, which the
    // invitee's own acceptance turns into an activation, let lee in
    assertDenied(() -> synced.activate(as("admin"), lee.id()));
    State before = state();
    synced.invite(as("admin"), List.of(lee.id()));
    assertThat(state()).isEqualTo(before);
    assertThat(stored("lee").status()).isEqualTo(UserStatus.STAGED);
    // nor may the admin send again an invitation the owner made
    synced.invite(as("boss"), List.of(lee.id()));
    assertThat(stored("lee").status()).isEqualTo(UserStatus.INVITE_PENDING);
    clock.advance(java.time.Duration.ofDays(1));
    State invited = state();
    synced.invite(as("admin"), List.of(lee.id()));
    assertThat(state()).isEqualTo(invited);
  }

  @Test
  public void adminCannotGrantThemselfSyncUsersByAnEdit() {
    User admin = put("admin", ADMIN);
    assertDenied(
        () -> directory.edit(as("admin"), admin.id(), admin.version(), grants("SYNC_USERS")));
  }

  @Test
  public void adminCannotGrantSomeoneElseSyncUsersByAnEdit() {
    put("admin", ADMIN);
    User lee = put("lee", LEARNER);
    assertDenied(() -> directory.edit(as("admin"), lee.id(), lee.version(), grants("SYNC_USERS")));
  }

  @Test
  public void adminCannotGrantSyncUsersByAnUpdateFile() {
    User admin = put("admin", ADMIN);
    User lee = put("lee", LEARNER);
    assertUpdateFileDenied(
        as("admin"),
        List.of(
            row(2, admin, "permissionGrants", "SYNC_USERS"),
            row(3, lee, "permissionGrants", "SYNC_USERS")));
  }

  @Test
  public void adminCannotClearTheirOwnExportAndUndoRevocations() {
    User admin = put("admin", ADMIN, b -> b.permissionRevocations(Set.of("EXPORT", "UNDO")));
    Actor actor = as("admin");
    assertDenied(
        () ->
            directory.edit(
                actor,
                admin.id(),
                admin.version(),
                UserPatch.builder().set(UserField.PERMISSION_REVOCATIONS, Set.of()).build()));
    assertDenied(
        () ->
            directory.edit(
                actor,
                admin.id(),
                admin.version(),
                UserPatch.builder().set(UserField.PERMISSION_REVOCATIONS, Set.of("UNDO")).build()));
    assertUpdateFileDenied(actor, List.of(row(2, admin, "permissionRevocations", "UNDO")));
    // and the revocations still bind the actor, even one who claims not to have them
    Actor claimsNone = Actor.builder().from(actor).revocations(Set.of()).build();
    assertThat(directory.decide(claimsNone, Action.EXPORT).allowed()).isFalse();
    assertThat(directory.decide(claimsNone, Action.UNDO).allowed()).isFalse();
  }

  @Test
  public void managerWithAnEditUserGrantCannotGrantThemselfUndoAnonymiseOrViewUsers() {
    put("boss", MANAGER, b -> b.permissionGrants(Set.of("EDIT_USER")));
    put("lee", LEARNER, b -> b.managerId(UserId.of("boss")));
    for (String action : List.of("UNDO", "ANONYMISE", "VIEW_USERS")) {
      User boss = stored("boss");
      assertDenied(
          () -> directory.edit(as("boss"), boss.id(), boss.version(), grants("EDIT_USER", action)));
      User lee = stored("lee");
      assertDenied(() -> directory.edit(as("boss"), lee.id(), lee.version(), grants(action)));
    }
  }

  @Test
  public void peopleDomainAdminWhoIsALearnerCannotRaiseTheirOwnPlatformRole() {
    User pat =
        put("pat", LEARNER, b -> b.domainRoles(Set.of(DomainRole.of(DomainRole.PEOPLE, ADMIN))));
    assertDenied(
        () ->
            directory.edit(
                as("pat"),
                pat.id(),
                pat.version(),
                UserPatch.builder().set(UserField.ROLE, ADMIN).build()));
    User lee = put("lee", LEARNER);
    // nor anyone else's above their own platform role
    assertDenied(
        () ->
            directory.edit(
                as("pat"),
                lee.id(),
                lee.version(),
                UserPatch.builder().set(UserField.ROLE, ADMIN).build()));
  }

  // ------------------------------------------------------------------ undo

  @Test
  public void adminCannotUndoAnOwnersChangeSetThatWouldRestoreAnotherOwnersRole() {
    put("owner", OWNER);
    put("admin", ADMIN);
    User olga = put("olga", OWNER);
    User demoted =
        directory.edit(
            as("owner"),
            olga.id(),
            olga.version(),
            UserPatch.builder().set(UserField.ROLE, ADMIN).build());
    assertThat(demoted.role()).isEqualTo(ADMIN);
    String changeSet = lastChangeSet().id();
    assertDenied(() -> directory.undo(as("admin"), changeSet));
    assertDenied(() -> engine.undo(as("admin"), List.of(changeSet)));
  }

  @Test
  public void adminCannotUndoAnOwnersCreationOfAnOwner() {
    put("owner", OWNER);
    put("admin", ADMIN);
    directory.create(
        as("owner"),
        List.of(
            UserDraft.builder()
                .displayName("New Owner")
                .primaryEmail(EmailAddress.parse("new.owner@example.com"))
                .role(OWNER)
                .build()));
    String changeSet = lastChangeSet().id();
    assertDenied(() -> directory.undo(as("admin"), changeSet));
  }

  private ChangeSet lastChangeSet() {
    List<ChangeSet> log = stores().changeLog().page(tenant, 0, 10_000);
    return log.get(log.size() - 1);
  }

  // ------------------------------------------------------------------ plans

  @Test
  public void ownersPlanIsNotWrittenAfterTheOwnerWasDemoted() {
    put("owner", OWNER);
    put("olga", OWNER);
    User lee = put("lee", LEARNER);
    Actor owner = as("owner");
    UpdatePlan plan =
        engine.planUpdate(
            owner,
            List.of(row(2, lee, "role", "owner")),
            UpdateOptions.defaults(),
            BulkListener.NONE);
    assertThat(plan.rows()).extracting(RowPreview::kind).containsExactly(RowPreview.Kind.CHANGED);
    User o = stored("owner");
    directory.edit(
        as("olga"), o.id(), o.version(), UserPatch.builder().set(UserField.ROLE, ADMIN).build());
    // the host still presents the actor it built when the plan was made
    assertApplyDenied(() -> engine.applyUpdate(owner, plan, BulkListener.NONE), lee);
    assertThat(stored("lee").role()).isEqualTo(LEARNER);
  }

  @Test
  public void aPlanTheCallerBuiltIsRefusedAsInvalid() {
    put("admin", ADMIN);
    User lee = put("lee", LEARNER);
    UpdatePlan genuine =
        engine.planUpdate(
            as("admin"),
            List.of(row(2, lee, "department", "Sales")),
            UpdateOptions.defaults(),
            BulkListener.NONE);
    UpdatePlan built =
        new UpdatePlan(
            "my-own-plan",
            tenant,
            clock.instant(),
            genuine.options(),
            genuine.rows(),
            "not a seal");
    assertRefused(
        ErrorCode.INVALID_PLAN, () -> engine.applyUpdate(as("admin"), built, BulkListener.NONE));
    UpdatePlan unsealed =
        new UpdatePlan(
            genuine.id(), tenant, genuine.createdAt(), genuine.options(), genuine.rows(), "");
    assertRefused(
        ErrorCode.INVALID_PLAN, () -> engine.applyUpdate(as("admin"), unsealed, BulkListener.NONE));
  }

  @Test
  public void aPlanTheCallerModifiedIsRefusedAsInvalid() {
    put("admin", ADMIN);
    put("owner", OWNER);
    User lee = put("lee", LEARNER);
    Actor admin = as("admin");
    UpdatePlan update =
        engine.planUpdate(
            admin,
            List.of(row(2, lee, "department", "Sales")),
            UpdateOptions.defaults(),
            BulkListener.NONE);
    RowPreview r = update.rows().get(0);
    RowPreview promoted =
        new RowPreview(
            r.row(),
            r.kind(),
            r.key(),
            r.user(),
            List.of(FieldDiff.builder().field("role").before("learner").after("owner").build()),
            r.problems());
    UpdatePlan changedRows =
        new UpdatePlan(
            update.id(),
            update.tenant(),
            update.createdAt(),
            update.options(),
            List.of(promoted),
            update.seal());
    assertRefused(
        ErrorCode.INVALID_PLAN, () -> engine.applyUpdate(admin, changedRows, BulkListener.NONE));

    SelectionPlan selection =
        engine.planSelection(
            admin,
            List.of(lee.id(), UserId.of("owner")),
            ActionSpec.of(SelectionAction.DEACTIVATE),
            BulkListener.NONE);
    List<SelectionPlan.Outcome> all = new ArrayList<>();
    selection
        .outcomes()
        .forEach(
            o ->
                all.add(
                    new SelectionPlan.Outcome(
                        o.user(), SelectionPlan.Kind.WILL_CHANGE, Optional.empty())));
    SelectionPlan widened =
        new SelectionPlan(
            selection.id(),
            selection.tenant(),
            selection.createdAt(),
            selection.action(),
            all,
            selection.notFound(),
            selection.seal());
    assertRefused(
        ErrorCode.INVALID_PLAN, () -> engine.applySelection(admin, widened, BulkListener.NONE));

    ActionImportPlan actions =
        engine.planActionImport(
            admin, List.of(List.of("update", "lee@example.com", "Lee", "Renamed")), false);
    ActionImportPlan.Row a = actions.rows().get(0);
    ActionImportPlan retargeted =
        new ActionImportPlan(
            actions.id(),
            actions.tenant(),
            actions.createdAt(),
            List.of(
                new ActionImportPlan.Row(
                    a.row(),
                    "remove-user",
                    "owner@example.com",
                    ActionImportPlan.Kind.REMOVE,
                    Optional.of(UserId.of("owner")),
                    Optional.of(1L),
                    List.of(),
                    List.of())),
            actions.seal());
    assertRefused(
        ErrorCode.INVALID_PLAN,
        () -> engine.applyActionImport(admin, retargeted, BulkListener.NONE));
  }

  // ------------------------------------------------------------------ action files

  private void assertActionFileDenied(Actor actor, List<String> cells, User target) {
    State before = state();
    ActionImportPlan plan = engine.planActionImport(actor, List.of(cells), false);
    assertThat(plan.rows()).hasSize(1);
    assertThat(plan.rows().get(0).problems())
        .extracting(p -> p.code())
        .contains(ErrorCode.ACCESS_DENIED);
    ApplyResult r = engine.applyActionImport(actor, plan, BulkListener.NONE);
    assertThat(r.changed()).isEmpty();
    assertThat(state()).isEqualTo(before);
    assertThat(stored(target.id().value())).isEqualTo(target);
  }

  @Test
  public void actionFileCannotDeleteAnOwner() {
    put("admin", ADMIN);
    User owner = put("owner", OWNER);
    assertActionFileDenied(as("admin"), List.of("remove-user", "owner@example.com", "", ""), owner);
    // as a single-user deactivation of the same owner is refused
    assertDenied(() -> directory.deactivate(as("admin"), owner.id()));
  }

  @Test
  public void actionFileCannotRenameAnOwner() {
    put("admin", ADMIN);
    User owner = put("owner", OWNER);
    assertActionFileDenied(
        as("admin"), List.of("update", "owner@example.com", "Someone", "Else"), owner);
  }

  @Test
  public void actionFileCannotDeleteTheActorThemself() {
    User admin = put("admin", ADMIN);
    assertActionFileDenied(as("admin"), List.of("remove-user", "admin@example.com", "", ""), admin);
  }

  // ------------------------------------------------------------------ account takeover

  @Test
  public void updateFileCannotChangeADeactivatedOwnersEmail() {
    put("admin", ADMIN);
    User owner =
        put("owner", OWNER, b -> b.status(UserStatus.DEACTIVATED).deactivatedAt(Fixtures.T0));
    assertUpdateFileDenied(
        as("admin"),
        List.of(new UpdateRow(2, Map.of("id", "owner", "primaryEmail", "admin+owner@example.com"))),
        new UpdateOptions(
            UpdateOptions.MatchKey.ID,
            Map.of(),
            Optional.empty(),
            false,
            UpdateOptions.ApplyMode.VALID_ROWS,
            0));
    assertThat(stored("owner")).isEqualTo(owner);
  }

  @Test
  public void adminCannotReactivateADeactivatedOwner() {
    put("admin", ADMIN);
    User owner =
        put("owner", OWNER, b -> b.status(UserStatus.DEACTIVATED).deactivatedAt(Fixtures.T0));
    assertDenied(() -> directory.reactivate(as("admin"), owner.id()));
    assertApplyDenied(
        () ->
            engine.applySelection(
                as("admin"),
                engine.planSelection(
                    as("admin"),
                    List.of(owner.id()),
                    ActionSpec.of(SelectionAction.REACTIVATE),
                    BulkListener.NONE),
                BulkListener.NONE));
  }

  // ------------------------------------------------------------------ attribute definitions

  private static AttributeDefinition attribute(String key, AttributeType type, String label) {
    return AttributeDefinition.builder().key(key).label(label).type(type).build();
  }

  @Test
  public void aRequiredAttributeIsNotLeftOutByAnActionFileNorRemovedByAnUndo() {
    put("admin", ADMIN);
    put("x", LEARNER);
    AttributeDefinition cost = attribute("costCentre", AttributeType.TEXT, "Cost centre");
    directory.createAttribute(as("admin"), cost);
    setValue("x", "costCentre", AttributeValue.text("CC-1"));
    ChangeSet setIt = lastChangeSet();
    directory.updateAttribute(as("admin"), cost.toBuilder().required(true).build());
    // the edit may not remove it; the undo of the edit that set it did
    assertRefused(ErrorCode.UNDO_CONFLICT, () -> directory.undo(as("admin"), setIt.id()));
    // the creation refuses a user without it; an action file's add-user wrote one
    ActionImportPlan plan =
        engine.planActionImport(
            as("admin"), List.of(List.of("add-user", "new@example.com", "New", "Person")), false);
    assertThat(plan.rows())
        .extracting(ActionImportPlan.Row::kind)
        .containsExactly(ActionImportPlan.Kind.ERROR);
    assertThat(plan.rows().get(0).problems())
        .extracting(Problem::code)
        .containsExactly(ErrorCode.MISSING_FIELD);
    State before = state();
    engine.applyActionImport(as("admin"), plan, BulkListener.NONE);
    assertThat(state()).isEqualTo(before);
  }

  @Test
  public void anUpdateFileAppliedLaterLeavesNoManagerCycleNorMissingManager() {
    put("admin", ADMIN);
    User x = put("x", LEARNER);
    User y = put("y", LEARNER);
    User z = put("z", LEARNER);
    // a plan made before y was put under x: applied, x and y managed each other
    UpdatePlan cycle =
        engine.planUpdate(
            as("admin"),
            List.of(row(2, x, "managerId", "y")),
            UpdateOptions.defaults(),
            BulkListener.NONE);
    directory.setManager(as("admin"), y.id(), Optional.of(x.id()));
    ApplyResult applied = engine.applyUpdate(as("admin"), cycle, BulkListener.NONE);
    assertThat(applied.failed())
        .containsOnlyKeys(x.id())
        .allSatisfy((id, p) -> assertThat(p.code()).isEqualTo(ErrorCode.MANAGER_CYCLE));
    assertThat(stored("x").managerId()).isEmpty();
    // a plan whose end state had no cycle, applied in part: y's row went stale, x's was written
    UpdateOptions clear =
        new UpdateOptions(
            UpdateOptions.MatchKey.EMAIL,
            Map.of(),
            Optional.of("#clear"),
            false,
            UpdateOptions.ApplyMode.VALID_ROWS,
            0);
    UpdatePlan swap =
        engine.planUpdate(
            as("admin"),
            List.of(row(2, stored("y"), "managerId", "#clear"), row(3, x, "managerId", "y")),
            clear,
            BulkListener.NONE);
    User yNow = stored("y");
    directory.edit(
        as("admin"),
        y.id(),
        yNow.version(),
        UserPatch.builder().set(UserField.JOB_TITLE, "Engineer").build());
    engine.applyUpdate(as("admin"), swap, BulkListener.NONE);
    assertThat(stored("x").managerId()).isEmpty();
    assertThat(stored("y").managerId()).contains(x.id());
    // a plan naming a manager deleted since
    UpdatePlan gone =
        engine.planUpdate(
            as("admin"),
            List.of(row(2, x, "managerId", "z")),
            UpdateOptions.defaults(),
            BulkListener.NONE);
    directory.deactivate(as("admin"), z.id());
    directory.delete(as("admin"), z.id());
    assertThat(engine.applyUpdate(as("admin"), gone, BulkListener.NONE).failed())
        .containsOnlyKeys(x.id())
        .allSatisfy((id, p) -> assertThat(p.code()).isEqualTo(ErrorCode.UNKNOWN_MANAGER));
    assertThat(stored("x").managerId()).isEmpty();
  }

  @Test
  public void anUndoGivesNoAddressThatLooksLikeAnotherUsers() {
    put("admin", ADMIN);
    put("u", LEARNER, b -> b.primaryEmail(EmailAddress.parse("paypal@example.com")));
    // an update file gives u another address (the edit form keeps it read-only)
    engine.applyUpdate(
        as("admin"),
        engine.planUpdate(
            as("admin"),
            List.of(new UpdateRow(2, Map.of("id", "u", "primaryEmail", "u2@example.com"))),
            new UpdateOptions(
                UpdateOptions.MatchKey.ID,
                Map.of(),
                Optional.empty(),
                false,
                UpdateOptions.ApplyMode.VALID_ROWS,
                0),
            BulkListener.NONE),
        BulkListener.NONE);
    ChangeSet moved = lastChangeSet();
    // the address is free, and a look-alike of it is given to someone else
    directory.create(as("admin"), List.of(person("paypa1")));
    assertRefused(
        ErrorCode.CONFUSABLE_IDENTITY,
        () -> directory.create(as("admin"), List.of(person("paypal"))));
    // the undo gave it back
    assertRefused(ErrorCode.UNDO_CONFLICT, () -> directory.undo(as("admin"), moved.id()));
    assertThat(stored("u").primaryEmail()).contains(EmailAddress.parse("u2@example.com"));
  }

  @Test
  public void anAllOrNothingFileThatWouldCloseACycleWritesNothing() {
    put("admin", ADMIN);
    User x = put("x", LEARNER);
    User y = put("y", LEARNER);
    UpdatePlan cycle =
        engine.planUpdate(
            as("admin"),
            List.of(row(2, x, "managerId", "y")),
            new UpdateOptions(
                UpdateOptions.MatchKey.EMAIL,
                Map.of(),
                Optional.empty(),
                false,
                UpdateOptions.ApplyMode.ALL_OR_NOTHING,
                0),
            BulkListener.NONE);
    directory.setManager(as("admin"), y.id(), Optional.of(x.id()));
    // a retry of the refused row found its write in the file's transaction, took it for done and
    // committed the cycle without a change set
    assertRefused(
        ErrorCode.MANAGER_CYCLE, () -> engine.applyUpdate(as("admin"), cycle, BulkListener.NONE));
    assertThat(stored("x").managerId()).isEmpty();
  }

  /** Gives a stored user a custom value, by an edit of the admin. */
  private void setValue(String id, String key, AttributeValue value) {
    User u = stored(id);
    directory.edit(
        as("admin"), u.id(), u.version(), UserPatch.builder().attribute(key, value).build());
  }

  /** A new user for the directory to create (so that the change log holds the creation). */
  private static UserDraft person(String name) {
    return UserDraft.builder()
        .displayName(name)
        .primaryEmail(EmailAddress.parse(name.toLowerCase(Locale.ROOT) + "@example.com"))
        .build();
  }

  /**
   * Undoing an attribute's deletion cannot bring it back over the definition of the same key
   * created since (of another type, whose values users now hold, though none held the deleted
   * one's): an attribute's type never changes, by any path.
   */
  @Test
  public void undoCannotRestoreADeletedAttributeOverItsKeyDefinedAgain() {
    put("admin", ADMIN);
    put("lee", LEARNER);
    directory.createAttribute(as("admin"), attribute("level", AttributeType.NUMBER, "Level"));
    directory.deleteAttribute(as("admin"), "level");
    ChangeSet deletion = lastChangeSet();
    directory.createAttribute(as("admin"), attribute("level", AttributeType.TEXT, "Level"));
    setValue("lee", "level", AttributeValue.text("senior"));
    assertRefused(ErrorCode.UNDO_CONFLICT, () -> directory.undo(as("admin"), deletion.id()));
    assertThat(stores().attributes().get(tenant, "level").orElseThrow().type())
        .isEqualTo(AttributeType.TEXT);
  }

  /**
   * Undoing an undo that took a value away cannot give it back once its attribute is deleted: an
   * undo writes only values an edit could write now.
   */
  @Test
  public void undoCannotSetAValueOfAnAttributeDeletedSince() {
    put("admin", ADMIN);
    put("lee", LEARNER);
    directory.createAttribute(as("admin"), attribute("level", AttributeType.TEXT, "Level"));
    setValue("lee", "level", AttributeValue.text("senior"));
    directory.undo(as("admin"), lastChangeSet().id());
    ChangeSet undone = lastChangeSet();
    directory.deleteAttribute(as("admin"), "level");
    assertRefused(ErrorCode.UNDO_CONFLICT, () -> directory.undo(as("admin"), undone.id()));
    assertThat(stored("lee").attributes()).isEmpty();
  }

  /**
   * Undoing a change of an attribute definition, or its creation, is refused once the definition
   * changed again: undo never overwrites or deletes what someone did later.
   */
  @Test
  public void undoOfADefinitionChangeIsRefusedOnceItChangedAgain() {
    put("admin", ADMIN);
    AttributeDefinition level = attribute("level", AttributeType.TEXT, "Level");
    directory.createAttribute(as("admin"), level);
    ChangeSet creation = lastChangeSet();
    directory.updateAttribute(as("admin"), level.withLabel("Grade"));
    ChangeSet renaming = lastChangeSet();
    directory.updateAttribute(as("admin"), level.withLabel("Rank"));
    assertRefused(ErrorCode.UNDO_CONFLICT, () -> directory.undo(as("admin"), renaming.id()));
    assertRefused(ErrorCode.UNDO_CONFLICT, () -> directory.undo(as("admin"), creation.id()));
    directory.deleteAttribute(as("admin"), "level");
    assertRefused(ErrorCode.UNDO_CONFLICT, () -> directory.undo(as("admin"), renaming.id()));
  }

  /**
   * Model-based property: random sequences of attribute-definition writes (create, relabel,
   * delete), value edits and undos of any earlier change set, by an admin. After every step: a
   * refused step wrote nothing; every value a user holds is of a defined key and of its type; and
   * replaying the change log rebuilds the users it created exactly (no value changed unrecorded).
   */
  @Test
  public void definitionsValuesAndTheLogAgreeThroughAnySequence() {
    qt().withExamples(100)
        .forAll(
            SourceDSL.lists()
                .of(SourceDSL.integers().between(0, Integer.MAX_VALUE))
                .ofSizeBetween(1, 20))
        .checkAssert(
            codes -> {
              freshTenant();
              put("admin", ADMIN);
              Actor admin = as("admin");
              List<UserId> people =
                  directory.create(admin, List.of(person("Lee"), person("Kim"))).created().stream()
                      .map(User::id)
                      .toList();
              int n = 0;
              for (int code : codes) {
                // one key three times in four, so that steps meet the same definition; a value
                // of the defined type when there is one, so that edits mostly succeed
                String key = (code / 5) % 4 == 0 ? "badge" : "level";
                Optional<AttributeDefinition> defined = stores().attributes().get(tenant, key);
                AttributeType type =
                    (code / 20) % 4 == 0 || defined.isEmpty()
                        ? ((code / 80) % 2 == 0 ? AttributeType.TEXT : AttributeType.NUMBER)
                        : defined.get().type();
                State before = state();
                try {
                  switch (code % 5) {
                    case 0 -> directory.createAttribute(admin, attribute(key, type, key));
                    case 1 ->
                        directory.updateAttribute(
                            admin,
                            stores()
                                .attributes()
                                .get(tenant, key)
                                .orElse(attribute(key, type, key))
                                .withLabel(key + " " + n));
                    case 2 -> directory.deleteAttribute(admin, key);
                    case 3 -> {
                      User u =
                          stores().users().get(tenant, people.get((code / 160) % 2)).orElseThrow();
                      directory.edit(
                          admin,
                          u.id(),
                          u.version(),
                          UserPatch.builder()
                              .attribute(
                                  key,
                                  type == AttributeType.TEXT
                                      ? AttributeValue.text("t" + n)
                                      : AttributeValue.number(n))
                              .build());
                    }
                    default -> {
                      // one of the last four change sets, the last two most often, never the
                      // first (it created the people)
                      List<ChangeSet> log = before.log();
                      if (log.size() > 1) {
                        int back = (code / 320) % 8 / 3 % Math.min(4, log.size() - 1);
                        directory.undo(admin, log.get(log.size() - 1 - back).id());
                      }
                    }
                  }
                } catch (dev.usermgmt.UserMgmtException e) {
                  assertThat(state()).as("after a refused step").isEqualTo(before);
                }
                n++;
                Map<String, AttributeType> types = new java.util.HashMap<>();
                stores().attributes().list(tenant).forEach(d -> types.put(d.key(), d.type()));
                for (UserId id : people) {
                  stores()
                      .users()
                      .get(tenant, id)
                      .orElseThrow()
                      .attributes()
                      .forEach(
                          (k, v) ->
                              assertThat(v.type())
                                  .as("the value of " + k + " on " + id)
                                  .isEqualTo(types.get(k)));
                }
                Map<UserId, User> replayed =
                    dev.usermgmt.audit.internal.Replay.replay(
                        tenant, stores().changeLog().page(tenant, 0, 10_000), ROLES);
                for (UserId id : people) {
                  assertThat(replayed.get(id))
                      .as("user " + id + " replayed from the log")
                      .isEqualTo(stores().users().get(tenant, id).orElseThrow());
                }
              }
            });
  }

  /**
   * A value set while its attribute is deleted, in either order, ends dropped with the attribute,
   * or one of the two is refused: no user is left holding a value of a key no definition has. The
   * first writer holds its transaction open for a while before it commits; the second acts
   * meanwhile.
   */
  @Test
  public void aValueSetWhileItsAttributeIsDeletedIsDroppedOrRefused() throws Exception {
    put("admin", ADMIN);
    UserId lee = directory.create(as("admin"), List.of(person("Lee"))).created().get(0).id();
    Runnable setValue = () -> setValue(lee.value(), "level", AttributeValue.number(5));
    Runnable delete = () -> directory.deleteAttribute(as("admin"), "level");
    for (boolean valueFirst : List.of(true, false)) {
      directory.createAttribute(as("admin"), attribute("level", AttributeType.NUMBER, "Level"));
      interleave(valueFirst ? setValue : delete, valueFirst ? delete : setValue);
      Optional<AttributeDefinition> level = stores().attributes().get(tenant, "level");
      assertThat(stored(lee.value()).attributes())
          .as("values of undefined keys, " + (valueFirst ? "value" : "deletion") + " first")
          .allSatisfy(
              (k, v) -> assertThat(level).map(AttributeDefinition::type).contains(v.type()));
      if (level.isPresent()) {
        directory.deleteAttribute(as("admin"), "level");
      }
      Map<UserId, User> replayed =
          dev.usermgmt.audit.internal.Replay.replay(
              tenant, stores().changeLog().page(tenant, 0, 10_000), ROLES);
      assertThat(replayed.get(lee)).isEqualTo(stored(lee.value()));
    }
  }

  /** A directory like {@link #directory} whose tenants have a seat limit. */
  private UserDirectory withSeats(long seats) {
    return UserDirectory.builder()
        .stores(stores())
        .clock(clock)
        .signingKey(KEY)
        .settings(t -> TenantSettings.builder().seatLimit(java.util.OptionalLong.of(seats)).build())
        .build();
  }

  /**
   * Two admins creating a user each at once, with one seat left, do not pass the seat limit: the
   * check of seats in use and the creation hold together.
   */
  @Test
  public void concurrentCreationsKeepTheSeatLimit() throws Exception {
    put("admin", ADMIN);
    directory = withSeats(2);
    java.util.function.IntFunction<Runnable> create =
        k -> () -> directory.create(as("admin"), List.of(person("New" + k)));
    interleave(create.apply(1), create.apply(2));
    assertThat(stores().users().countByStatus(tenant, java.util.EnumSet.of(UserStatus.ACTIVE)))
        .isEqualTo(2);
  }

  /**
   * An undo seats users only within the seat limit, as a creation or a reactivation does: undoing a
   * deactivation whose seat was taken since is refused.
   */
  @Test
  public void undoCannotPassTheSeatLimit() {
    put("admin", ADMIN);
    put("x", LEARNER);
    directory = withSeats(2);
    directory.deactivate(as("admin"), UserId.of("x"));
    ChangeSet deactivation = lastChangeSet();
    directory.create(as("admin"), List.of(person("Y")));
    assertRefused(
        ErrorCode.SEAT_LIMIT_REACHED, () -> directory.undo(as("admin"), deactivation.id()));
  }

  /**
   * Two admins each making one of two users the other's manager at once leave no cycle: the check
   * of the manager chain and the write hold together.
   */
  @Test
  public void concurrentManagerChangesMakeNoCycle() throws Exception {
    put("admin", ADMIN);
    put("x", LEARNER);
    put("y", LEARNER);
    interleave(
        () -> directory.setManager(as("admin"), UserId.of("x"), Optional.of(UserId.of("y"))),
        () -> directory.setManager(as("admin"), UserId.of("y"), Optional.of(UserId.of("x"))));
    assertThat(
            stored("x").managerId().equals(Optional.of(UserId.of("y")))
                && stored("y").managerId().equals(Optional.of(UserId.of("x"))))
        .as("x and y manage each other")
        .isFalse();
  }

  /**
   * An undo writes only managers an edit could set now: undoing the undo of a manager change is
   * refused ({@code undo_conflict}, as for any change since) once it would close a reporting cycle,
   * or name a manager deleted since.
   */
  @Test
  public void undoCannotMakeAManagerCycleOrNameAGoneManager() {
    put("admin", ADMIN);
    put("x", LEARNER);
    put("y", LEARNER);
    UserId x = UserId.of("x");
    UserId y = UserId.of("y");
    directory.setManager(as("admin"), x, Optional.of(y));
    directory.undo(as("admin"), lastChangeSet().id());
    ChangeSet unset = lastChangeSet();
    directory.setManager(as("admin"), y, Optional.of(x));
    assertRefused(ErrorCode.UNDO_CONFLICT, () -> directory.undo(as("admin"), unset.id()));

    put("z", LEARNER);
    UserId z = UserId.of("z");
    directory.setManager(as("admin"), x, Optional.of(z));
    directory.undo(as("admin"), lastChangeSet().id());
    ChangeSet unsetZ = lastChangeSet();
    directory.deactivate(as("admin"), z);
    directory.delete(as("admin"), z);
    assertRefused(ErrorCode.UNDO_CONFLICT, () -> directory.undo(as("admin"), unsetZ.id()));
  }

  /**
   * Undoing a bulk deletion of a manager and their report restores both, the report with its
   * manager, whatever order the deletion recorded them in: a unit's managers are checked once all
   * its writes are made.
   */
  @Test
  public void undoingTheDeletionOfAManagerAndTheirReportRestoresBoth() {
    put("admin", ADMIN);
    User m = put("m", LEARNER, b -> b.status(UserStatus.DEACTIVATED).deactivatedAt(Fixtures.T0));
    User r =
        put(
            "r",
            LEARNER,
            b ->
                b.status(UserStatus.DEACTIVATED)
                    .deactivatedAt(Fixtures.T0)
                    .managerId(UserId.of("m")));
    dev.usermgmt.bulk.ApplyResult deleted =
        engine.applySelection(
            as("admin"),
            engine.planSelection(
                as("admin"),
                List.of(m.id(), r.id()),
                ActionSpec.of(SelectionAction.DELETE),
                BulkListener.NONE),
            BulkListener.NONE);
    assertThat(deleted.changed()).containsExactlyInAnyOrder(m.id(), r.id());
    engine.undo(as("admin"), deleted.changeSetIds());
    assertThat(stored("r").managerId()).contains(m.id());
    assertThat(stored("m").status()).isEqualTo(UserStatus.DEACTIVATED);
  }

  /**
   * A manager chain deeper than the hierarchy keeps (256) is taken for a cycle: giving its top the
   * bottom as manager is refused, as a shorter cycle is.
   */
  @Test
  public void aManagerClosingAChainDeeperThanTheLimitIsRefused() {
    put("admin", ADMIN);
    put("u0", LEARNER);
    for (int i = 1; i <= 300; i++) {
      UserId up = UserId.of("u" + (i - 1));
      put("u" + i, LEARNER, b -> b.managerId(up));
    }
    assertRefused(
        ErrorCode.MANAGER_CYCLE,
        () -> directory.setManager(as("admin"), UserId.of("u0"), Optional.of(UserId.of("u300"))));
  }

  /**
   * Runs {@code first} in a transaction that stays open for half a second after it, and {@code
   * second} on another thread once {@code first} is done; a refusal of either is an outcome, not a
   * failure.
   */
  private void interleave(Runnable first, Runnable second) throws Exception {
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      java.util.concurrent.Future<?> other =
          pool.submit(
              () -> {
                done.await();
                try {
                  second.run();
                } catch (dev.usermgmt.UserMgmtException refused) {
                  // the store refused the later writer
                }
                return null;
              });
      try {
        stores()
            .transactions()
            .inTransaction(
                () -> {
                  first.run();
                  done.countDown();
                  try {
                    other.get(500, java.util.concurrent.TimeUnit.MILLISECONDS);
                  } catch (java.util.concurrent.TimeoutException waiting) {
                    // the second waits for this transaction: commit
                  } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException(e);
                  }
                  return null;
                });
      } catch (dev.usermgmt.UserMgmtException refused) {
        // the store refused the earlier writer
      } finally {
        done.countDown();
      }
      other.get(60, java.util.concurrent.TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Admins creating one attribute at once act as one at a time: one creates it, the others are told
   * it exists, and the change log records one creation.
   */
  @Test
  public void concurrentCreationsOfOneAttributeCreateItOnce() throws Exception {
    put("admin", ADMIN);
    Actor admin = as("admin");
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(4);
      List<java.util.concurrent.Future<Optional<ErrorCode>>> outcomes = new ArrayList<>();
      for (int k = 0; k < 4; k++) {
        AttributeDefinition mine = attribute("level", AttributeType.TEXT, "Level " + k);
        outcomes.add(
            pool.submit(
                () -> {
                  start.await();
                  try {
                    directory.createAttribute(admin, mine);
                    return Optional.<ErrorCode>empty();
                  } catch (ConflictException e) {
                    return Optional.of(e.code());
                  }
                }));
      }
      List<Optional<ErrorCode>> codes = new ArrayList<>();
      for (java.util.concurrent.Future<Optional<ErrorCode>> f : outcomes) {
        codes.add(f.get(60, java.util.concurrent.TimeUnit.SECONDS));
      }
      assertThat(codes).filteredOn(Optional::isEmpty).hasSize(1);
      assertThat(codes)
          .filteredOn(Optional::isPresent)
          .extracting(Optional::get)
          .containsOnly(ErrorCode.ALREADY_EXISTS);
    } finally {
      pool.shutdownNow();
    }
    List<ChangeSet> creations =
        stores().changeLog().page(tenant, 0, 10_000).stream()
            .filter(c -> c.operation().equals("attribute.create"))
            .toList();
    assertThat(creations).hasSize(1);
    assertThat(creations.get(0).definitionChanges().get(0).after())
        .isEqualTo(stores().attributes().get(tenant, "level"));
  }

  // ------------------------------------------------------------------ reads

  private void defineAttribute(String key, boolean visibleToManagers) {
    stores()
        .attributes()
        .put(
            tenant,
            java.util.Optional.empty(),
            AttributeDefinition.builder()
                .key(key)
                .label(key)
                .type(AttributeType.TEXT)
                .visibleToManagers(visibleToManagers)
                .build());
  }

  @Test
  public void reportsHideAttributesTheManagerMayNotSee() {
    defineAttribute("salary", false);
    defineAttribute("desk", true);
    put("boss", MANAGER);
    put(
        "lee",
        LEARNER,
        b ->
            b.managerId(UserId.of("boss"))
                .putAttributes("salary", AttributeValue.text("90000"))
                .putAttributes("desk", AttributeValue.text("4F")));
    State before = state();
    List<User> reports = directory.reports(as("boss"), UserId.of("boss"), true);
    assertThat(reports).extracting(User::id).containsExactly(UserId.of("lee"));
    assertThat(reports.get(0).attributes()).containsOnlyKeys("desk");
    assertThat(reports.get(0).permissionGrants()).isEmpty();
    assertThat(state()).isEqualTo(before);
  }

  @Test
  public void ancestorsHideAttributesTheReaderMayNotSee() {
    defineAttribute("notes", false);
    put("top", MANAGER, b -> b.putAttributes("notes", AttributeValue.text("difficult")));
    put(
        "boss",
        MANAGER,
        b ->
            b.managerId(UserId.of("top")).putAttributes("notes", AttributeValue.text("on notice")));
    put("lee", LEARNER, b -> b.managerId(UserId.of("boss")).permissionGrants(Set.of("VIEW_USER")));
    State before = state();
    List<User> managers = directory.ancestors(as("lee"), UserId.of("lee"));
    assertThat(managers).extracting(User::id).containsExactly(UserId.of("boss"), UserId.of("top"));
    assertThat(managers).allSatisfy(m -> assertThat(m.attributes()).doesNotContainKey("notes"));
    // a reader who may see nobody else gets no managers at all
    put("kim", LEARNER, b -> b.managerId(UserId.of("boss")));
    assertDenied(() -> directory.ancestors(as("kim"), UserId.of("kim")));
    assertThat(state().users()).hasSize(before.users().size() + 1);
  }

  // ------------------------------------------------------------------ Blocked

  private Actor blocked() {
    put("bob", BLOCKED);
    return as("bob");
  }

  @Test
  public void blockedActorCannotViewUsers() {
    Actor bob = blocked();
    put("lee", LEARNER);
    assertDenied(() -> directory.get(bob, UserId.of("lee")));
    assertDenied(() -> directory.search(bob, UserQuery.all()));
    assertDenied(() -> directory.walk(bob, UserQuery.all(), page -> {}));
    assertThat(directory.decide(bob, Action.VIEW_USERS).allowed()).isFalse();
  }

  @Test
  public void blockedActorCannotDeactivate() {
    Actor bob = blocked();
    User lee = put("lee", LEARNER);
    assertDenied(() -> directory.deactivate(bob, lee.id()));
    assertDenied(() -> directory.deactivate(hostBuilt(bob), lee.id()));
  }

  @Test
  public void blockedActorCannotDelete() {
    Actor bob = blocked();
    User dee =
        put("dee", LEARNER, b -> b.status(UserStatus.DEACTIVATED).deactivatedAt(Fixtures.T0));
    assertDenied(() -> directory.delete(bob, dee.id()));
    assertDenied(() -> directory.delete(hostBuilt(bob), dee.id()));
    assertDenied(
        () ->
            engine.planDeletion(
                Actor.builder().from(hostBuilt(bob)).supportLevel(2).build(),
                List.of(dee.id()),
                false));
  }

  @Test
  public void blockedActorCannotExport() {
    Actor bob = blocked();
    put("lee", LEARNER);
    assertThat(directory.decide(bob, Action.EXPORT).allowed()).isFalse();
    assertThat(directory.decide(hostBuilt(bob), Action.EXPORT).allowed()).isFalse();
    assertDenied(() -> directory.walk(hostBuilt(bob), UserQuery.all(), page -> {}));
  }

  @Test
  public void blockedActorCannotAnonymise() {
    Actor bob = blocked();
    User dee =
        put("dee", LEARNER, b -> b.status(UserStatus.DEACTIVATED).deactivatedAt(Fixtures.T0));
    assertDenied(() -> directory.anonymise(bob, dee.id()));
    assertDenied(() -> directory.anonymise(hostBuilt(bob), dee.id()));
  }

  /** A Blocked actor the host describes itself (not a stored user), with the number 99. */
  private Actor hostBuilt(Actor stored) {
    return Actor.builder()
        .tenant(tenant)
        .userId(UserId.of("host-" + stored.userId().orElseThrow().value()))
        .role(BLOCKED)
        .build();
  }

  // ------------------------------------------------------------------ a host's policy

  /** A host's policy wrapping the default one: it protects "vip" and records what it is asked. */
  private static final class HostPolicy implements AccessPolicy {
    final AccessPolicy inner;
    final List<String> asked = new ArrayList<>();

    HostPolicy(AccessPolicy inner) {
      this.inner = inner;
    }

    @Override
    public Decision decide(Actor actor, Action action) {
      return inner.decide(actor, action);
    }

    @Override
    public Decision decide(Actor actor, Action action, User target, Relation relation) {
      asked.add(action + " " + target.id());
      if (target.id().value().equals("vip")) {
        return Decision.deny(Decision.Reason.TARGET_OUTRANKS, "the host protects vip");
      }
      return inner.decide(actor, action, target, relation);
    }

    @Override
    public Decision decideWrite(Actor actor, UserWrite write) {
      User target = write.target();
      asked.add("write " + target.id());
      if (target.id().value().equals("vip")) {
        return Decision.deny(Decision.Reason.TARGET_OUTRANKS, "the host protects vip");
      }
      return inner.decideWrite(actor, write);
    }

    @Override
    public Visibility visibility(
        Actor actor, Relation relation, AttributeSchema schema, Visibility.Purpose purpose) {
      return inner.visibility(actor, relation, schema, purpose);
    }
  }

  @Test
  public void hostPolicyWrappingTheDefaultGetsTheTargetAwareCalls() {
    HostPolicy host =
        new HostPolicy(
            DefaultAccessPolicy.of(
                ROLES, FeatureFlags.of(Map.of(FeatureFlag.DEACTIVATE_USERS_EXCEL, true))));
    UserDirectory hosted = directory(host);
    BulkEngine bulk = BulkEngine.of(hosted);
    put("admin", ADMIN);
    User vip = put("vip", LEARNER);
    User lee = put("lee", LEARNER);
    Actor admin = as("admin");
    assertDenied(() -> hosted.deactivate(admin, vip.id()));
    assertThat(host.asked).contains("DEACTIVATE_USER vip");
    assertDenied(
        () ->
            hosted.edit(
                admin,
                vip.id(),
                vip.version(),
                UserPatch.builder().set(UserField.DEPARTMENT, "X").build()));
    assertThat(hosted.decide(admin, Action.DEACTIVATE_USER, vip.id()).allowed()).isFalse();
    assertThat(hosted.decide(admin, Action.DEACTIVATE_USER, lee.id()).allowed()).isTrue();
    assertApplyDenied(
        () ->
            bulk.applySelection(
                admin,
                // planned where the host's rule is not in force, applied where it is
                engine.planSelection(
                    admin,
                    List.of(vip.id()),
                    ActionSpec.of(SelectionAction.SUSPEND),
                    BulkListener.NONE),
                BulkListener.NONE),
        vip);
    assertThat(host.asked).contains("write vip");
    // and the default's own target-aware rules still hold through the wrapper
    User owner = put("owner", OWNER);
    assertDenied(() -> hosted.deactivate(admin, owner.id()));
    assertThat(hosted.deactivate(admin, lee.id()).status()).isEqualTo(UserStatus.DEACTIVATED);
    assertThat(host.asked).contains("DEACTIVATE_USER lee", "write lee");
  }

  // ------------------------------------------------------------------ a policy that denies all

  /** A host's policy that allows nothing and shows nothing. */
  private static final class DenyAll implements AccessPolicy {
    private static Decision no() {
      return Decision.deny(Decision.Reason.ROLE_TOO_LOW, "the host denies everything");
    }

    @Override
    public Decision decide(Actor actor, Action action) {
      return no();
    }

    @Override
    public Decision decide(Actor actor, Action action, User target, Relation relation) {
      return no();
    }

    @Override
    public Decision decideWrite(Actor actor, UserWrite write) {
      return no();
    }

    @Override
    public Visibility visibility(
        Actor actor, Relation relation, AttributeSchema schema, Visibility.Purpose purpose) {
      return Visibility.none();
    }
  }

  /**
   * Public methods of the host-facing entry points that need no authority, with the reason: they
   * make a facade or return configuration, never a user or a change.
   */
  protected static final Map<String, String> NEEDS_NO_AUTHORITY =
      Map.of(
          "UserDirectory.builder()", "makes a builder",
          "UserDirectory.roles()", "the role catalog the host configured",
          "UserDirectory.filterLimits()", "the filter limits the host configured",
          "UserDirectory.settings(TenantId)", "the tenant settings the host configured",
          "UserDirectory.schema(TenantId)",
              "the custom attribute definitions (keys, labels, types): configuration, no user data",
          "BulkEngine.of(UserDirectory)", "makes an engine over a directory",
          "BulkEngine.of(UserDirectory,BulkLimits)", "makes an engine over a directory");

  /**
   * The public methods a class declares, as {@code Class.name(ParamType,…)}.
   *
   * @param type the class
   * @return the signatures
   */
  protected static java.util.SortedSet<String> publicMethods(Class<?> type) {
    java.util.SortedSet<String> out = new java.util.TreeSet<>();
    for (java.lang.reflect.Method m : type.getDeclaredMethods()) {
      if (java.lang.reflect.Modifier.isPublic(m.getModifiers()) && !m.isSynthetic()) {
        StringBuilder b = new StringBuilder(type.getSimpleName()).append('.').append(m.getName());
        b.append('(');
        Class<?>[] params = m.getParameterTypes();
        for (int i = 0; i < params.length; i++) {
          b.append(i == 0 ? "" : ",").append(params[i].getSimpleName());
        }
        out.add(b.append(')').toString());
      }
    }
    return out;
  }

  /** An invocation of one public method; a method answering a {@link Decision} returns it. */
  @FunctionalInterface
  protected interface Call {
    /**
     * Invokes the method.
     *
     * @return its answer
     * @throws Exception whatever it throws
     */
    Object invoke() throws Exception;
  }

  @Test
  public void aHostPolicyThatDeniesEverythingRefusesEveryPublicReadAndWrite() {
    FeatureFlags flags =
        FeatureFlags.of(
            Map.of(
                FeatureFlag.DEACTIVATE_USERS_EXCEL, true,
                FeatureFlag.LMS_ONLY_TENANT, true));
    UserDirectory allowing = directory(DefaultAccessPolicy.of(ROLES, flags));
    BulkEngine allowingBulk = BulkEngine.of(allowing);
    UserDirectory d = directory(new DenyAll());
    BulkEngine bulk = BulkEngine.of(d);
    Instant past = clock.instant().minus(Duration.ofDays(1));
    put("boss", ADMIN);
    User lee = put("lee", LEARNER, b -> b.managerId(UserId.of("boss")));
    User dee =
        put("dee", LEARNER, b -> b.status(UserStatus.DEACTIVATED).deactivatedAt(Fixtures.T0));
    User sue = put("sue", LEARNER, b -> b.status(UserStatus.SUSPENDED));
    User sta = put("sta", LEARNER, b -> b.status(UserStatus.STAGED).activationScheduledAt(past));
    User pen = put("pen", LEARNER, b -> b.status(UserStatus.INVITE_PENDING).invitedAt(past));
    defineAttribute("level", true);
    Actor boss = Actor.builder().from(as("boss")).supportLevel(2).tenantPurpose(Actor.DEMO).build();
    allowing.setModules(boss, lee.id(), Set.of("LMS"));
    String changeSet = lastChangeSet().id();
    lee = stored("lee");
    UserQuery all = UserQuery.all();
    var deactivation =
        allowingBulk.planDeactivation(
            boss,
            new dev.usermgmt.bulk.DeactivationRequest(List.of("lee@example.com"), false),
            BulkListener.NONE);
    var deletion = allowingBulk.planDeletion(boss, List.of(dee.id()), false);
    SelectionPlan selection =
        allowingBulk.planSelection(
            boss, List.of(lee.id()), ActionSpec.of(SelectionAction.SUSPEND), BulkListener.NONE);
    UpdatePlan update =
        allowingBulk.planUpdate(
            boss,
            List.of(row(2, lee, "department", "Sales")),
            UpdateOptions.defaults(),
            BulkListener.NONE);
    ActionImportPlan actions =
        allowingBulk.planActionImport(
            boss, List.of(List.of("update", "lee@example.com", "Lee", "Renamed")), false);
    assertThat(update.rows()).extracting(RowPreview::kind).containsExactly(RowPreview.Kind.CHANGED);
    assertThat(selection.changing()).hasSize(1);
    AttributeDefinition level = stores().attributes().list(tenant).get(0);
    UserId leeId = lee.id();
    long leeVersion = lee.version();
    java.util.function.Consumer<List<User>> pages = page -> {};

    Map<String, Call> calls = new java.util.HashMap<>();
    calls.put("UserDirectory.decide(Actor,Action)", () -> d.decide(boss, Action.VIEW_USERS));
    calls.put(
        "UserDirectory.decide(Actor,Action,UserId)",
        () -> d.decide(boss, Action.DEACTIVATE_USER, leeId));
    calls.put("UserDirectory.get(Actor,UserId)", () -> d.get(boss, leeId));
    calls.put(
        "UserDirectory.findByEmails(Actor,Collection)",
        () -> d.findByEmails(boss, List.of(EmailAddress.parse("lee@example.com"))));
    calls.put("UserDirectory.search(Actor,UserQuery)", () -> d.search(boss, all));
    calls.put(
        "UserDirectory.walk(Actor,UserQuery,Consumer)",
        () -> {
          d.walk(boss, all, pages);
          return "done";
        });
    calls.put(
        "UserDirectory.distinctValues(Actor,String,String,int)",
        () -> d.distinctValues(boss, "department", "", 10));
    calls.put("UserDirectory.suggestUsers(Actor,String,int)", () -> d.suggestUsers(boss, "l", 10));
    calls.put("UserDirectory.ancestors(Actor,UserId)", () -> d.ancestors(boss, leeId));
    calls.put(
        "UserDirectory.reports(Actor,UserId,boolean)",
        () -> d.reports(boss, UserId.of("boss"), true));
    UserDraft draft =
        UserDraft.builder()
            .displayName("New")
            .primaryEmail(EmailAddress.parse("new@example.com"))
            .build();
    calls.put("UserDirectory.create(Actor,List)", () -> d.create(boss, List.of(draft)));
    calls.put(
        "UserDirectory.create(Actor,List,CreateOptions)",
        () -> d.create(boss, List.of(draft), dev.usermgmt.directory.CreateOptions.defaults()));
    calls.put(
        "UserDirectory.edit(Actor,UserId,long,UserPatch)",
        () ->
            d.edit(
                boss,
                leeId,
                leeVersion,
                UserPatch.builder().set(UserField.DEPARTMENT, "Sales").build()));
    calls.put(
        "UserDirectory.setManager(Actor,UserId,Optional)",
        () -> d.setManager(boss, leeId, Optional.empty()));
    calls.put(
        "UserDirectory.setModules(Actor,UserId,Set)", () -> d.setModules(boss, leeId, Set.of()));
    calls.put("UserDirectory.deactivate(Actor,UserId)", () -> d.deactivate(boss, leeId));
    calls.put("UserDirectory.reactivate(Actor,UserId)", () -> d.reactivate(boss, dee.id()));
    calls.put("UserDirectory.suspend(Actor,UserId)", () -> d.suspend(boss, leeId));
    calls.put("UserDirectory.unsuspend(Actor,UserId)", () -> d.unsuspend(boss, sue.id()));
    calls.put("UserDirectory.activate(Actor,UserId)", () -> d.activate(boss, sta.id()));
    calls.put(
        "UserDirectory.scheduleActivation(Actor,UserId,Instant)",
        () -> d.scheduleActivation(boss, sta.id(), clock.instant().plus(Duration.ofDays(2))));
    calls.put(
        "UserDirectory.scheduleInvitation(Actor,UserId,Instant)",
        () -> d.scheduleInvitation(boss, sta.id(), clock.instant().plus(Duration.ofDays(2))));
    calls.put(
        "UserDirectory.acceptInvitation(TenantId,UserId)",
        () -> d.acceptInvitation(tenant, pen.id()));
    calls.put(
        "UserDirectory.recordLogin(TenantId,UserId,Instant)",
        () -> d.recordLogin(tenant, leeId, clock.instant()));
    calls.put(
        "UserDirectory.delete(Actor,UserId)",
        () -> {
          d.delete(boss, dee.id());
          return "done";
        });
    calls.put("UserDirectory.anonymise(Actor,UserId)", () -> d.anonymise(boss, dee.id()));
    calls.put("UserDirectory.invite(Actor,List)", () -> d.invite(boss, List.of(pen.id())));
    calls.put("UserDirectory.inviteView(Actor,UserQuery)", () -> d.inviteView(boss, all));
    calls.put("UserDirectory.runDueSchedules(TenantId)", () -> d.runDueSchedules(tenant));
    calls.put("UserDirectory.unlock(Actor,UserId)", () -> d.unlock(boss, leeId));
    calls.put(
        "UserDirectory.forcePasswordChange(Actor,UserId)",
        () -> d.forcePasswordChange(boss, leeId));
    calls.put(
        "UserDirectory.requireMfa(Actor,UserId,boolean)", () -> d.requireMfa(boss, leeId, true));
    calls.put("UserDirectory.recordLockout(TenantId,UserId)", () -> d.recordLockout(tenant, leeId));
    calls.put(
        "UserDirectory.reset(Actor,UserId)",
        () -> {
          d.reset(boss, leeId);
          return "done";
        });
    calls.put(
        "UserDirectory.transferOwnership(Actor,UserId,UserId)",
        () -> d.transferOwnership(boss, dee.id(), leeId));
    calls.put("UserDirectory.mayImpersonate(Actor,UserId)", () -> d.mayImpersonate(boss, leeId));
    calls.put(
        "UserDirectory.generateDemoPasswords(Actor,List)",
        () -> d.generateDemoPasswords(boss, List.of(leeId)));
    calls.put(
        "UserDirectory.createAttribute(Actor,AttributeDefinition)",
        () ->
            d.createAttribute(
                boss,
                AttributeDefinition.builder()
                    .key("grade")
                    .label("Grade")
                    .type(AttributeType.TEXT)
                    .build()));
    calls.put(
        "UserDirectory.updateAttribute(Actor,AttributeDefinition)",
        () ->
            d.updateAttribute(
                boss, AttributeDefinition.builder().from(level).label("Renamed").build()));
    calls.put(
        "UserDirectory.deleteAttribute(Actor,String)", () -> d.deleteAttribute(boss, "level"));
    calls.put("UserDirectory.putGroup(Actor,Group)", () -> d.putGroup(boss, Group.of("g", "G")));
    calls.put("UserDirectory.changeLog(Actor,long,int)", () -> d.changeLog(boss, 0, 100));
    calls.put("UserDirectory.undo(Actor,String)", () -> d.undo(boss, changeSet));
    calls.put("UserDirectory.replay(Actor)", () -> d.replay(boss));

    calls.put(
        "BulkEngine.planDeactivation(Actor,DeactivationRequest,BulkListener)",
        () ->
            bulk.planDeactivation(
                boss,
                new dev.usermgmt.bulk.DeactivationRequest(List.of("lee@example.com"), false),
                BulkListener.NONE));
    calls.put(
        "BulkEngine.applyDeactivation(Actor,DeactivationPlan,BulkListener)",
        () -> bulk.applyDeactivation(boss, deactivation, BulkListener.NONE));
    calls.put(
        "BulkEngine.planDeletion(Actor,List,boolean)",
        () -> bulk.planDeletion(boss, List.of(dee.id()), false));
    calls.put(
        "BulkEngine.applyDeletion(Actor,DeletionPlan,BulkListener)",
        () -> bulk.applyDeletion(boss, deletion, BulkListener.NONE));
    calls.put(
        "BulkEngine.planSelection(Actor,List,ActionSpec,BulkListener)",
        () ->
            bulk.planSelection(
                boss, List.of(leeId), ActionSpec.of(SelectionAction.SUSPEND), BulkListener.NONE));
    calls.put(
        "BulkEngine.planSelection(Actor,UserQuery,ActionSpec,BulkListener)",
        () ->
            bulk.planSelection(
                boss, all, ActionSpec.of(SelectionAction.SUSPEND), BulkListener.NONE));
    calls.put(
        "BulkEngine.applySelection(Actor,SelectionPlan,BulkListener)",
        () -> bulk.applySelection(boss, selection, BulkListener.NONE));
    calls.put(
        "BulkEngine.planUpdate(Actor,List,UpdateOptions,BulkListener)",
        () ->
            bulk.planUpdate(
                boss,
                List.of(row(2, stored("lee"), "department", "Sales")),
                UpdateOptions.defaults(),
                BulkListener.NONE));
    calls.put(
        "BulkEngine.planUpdate(Actor,Stream,UpdateOptions,BulkListener)",
        () ->
            bulk.planUpdate(
                boss,
                java.util.stream.Stream.of(row(2, stored("lee"), "department", "Sales")),
                UpdateOptions.defaults(),
                BulkListener.NONE));
    calls.put(
        "BulkEngine.applyUpdate(Actor,UpdatePlan,BulkListener)",
        () -> bulk.applyUpdate(boss, update, BulkListener.NONE));
    calls.put(
        "BulkEngine.planActionImport(Actor,List,boolean)",
        () ->
            bulk.planActionImport(
                boss, List.of(List.of("update", "lee@example.com", "Lee", "Renamed")), false));
    calls.put(
        "BulkEngine.planActionRows(Actor,List,boolean)",
        () ->
            bulk.planActionRows(
                boss,
                List.of(
                    dev.usermgmt.bulk.ActionRow.of(
                        3, List.of("update", "lee@example.com", "Lee", "Renamed"))),
                false));
    calls.put(
        "BulkEngine.applyActionImport(Actor,ActionImportPlan,BulkListener)",
        () -> bulk.applyActionImport(boss, actions, BulkListener.NONE));
    calls.put("BulkEngine.sendInvitations(Actor,UserQuery)", () -> bulk.sendInvitations(boss, all));
    calls.put("BulkEngine.undo(Actor,List)", () -> bulk.undo(boss, List.of(changeSet)));

    java.util.SortedSet<String> methods = publicMethods(UserDirectory.class);
    methods.addAll(publicMethods(BulkEngine.class));
    methods.removeAll(NEEDS_NO_AUTHORITY.keySet());
    assertThat(new java.util.TreeSet<>(calls.keySet()))
        .as("every public method of the entry points has a case, or a reason to need none")
        .isEqualTo(methods);
    for (Map.Entry<String, Call> c : new java.util.TreeMap<>(calls).entrySet()) {
      State before = state();
      Object answer;
      try {
        answer = c.getValue().invoke();
      } catch (UserMgmtException e) {
        assertThat(e.code()).as(c.getKey() + " fails with").isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(state()).as(c.getKey() + " leaves the store").isEqualTo(before);
        continue;
      } catch (Exception e) {
        throw new AssertionError(c.getKey() + " threw " + e, e);
      }
      assertThat(answer)
          .as(c.getKey() + " answers a denial, not " + answer)
          .isInstanceOf(Decision.class);
      assertThat(((Decision) answer).allowed()).as(c.getKey() + " allows").isFalse();
      assertThat(state()).as(c.getKey() + " leaves the store").isEqualTo(before);
    }
    // and the same calls are allowed by the default policy, so the host's policy is what refused
    assertThat(allowing.decide(boss, Action.DEACTIVATE_USER, leeId).allowed()).isTrue();
    assertThat(allowing.get(boss, leeId)).isEqualTo(stored("lee"));
  }
}
