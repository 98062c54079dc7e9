package dev.usermgmt.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usermgmt.Action;
import dev.usermgmt.Decision;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.role.DomainRole;
import dev.usermgmt.role.Role;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserField;
import dev.usermgmt.user.UserPatch;
import dev.usermgmt.user.UserStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One case per row of the reference gating tables, each showing an allow and a deny. */
final class DefaultAccessPolicyTest {
  private static final RoleCatalog ROLES = RoleCatalog.defaultCatalog();
  private static final TenantId T = TenantId.of("acme");
  private static final FeatureFlags DEFAULTS = FeatureFlags.defaults();
  private static final DefaultAccessPolicy POLICY = DefaultAccessPolicy.of(ROLES, DEFAULTS);

  static Actor actor(String role) {
    return Actor.builder().tenant(T).userId(UserId.of("me")).role(ROLES.parse(role)).build();
  }

  static Actor support(int level) {
    return Actor.builder()
        .tenant(T)
        .userId(UserId.of("staff"))
        .role(ROLES.parse("support"))
        .supportLevel(level)
        .build();
  }

  static DefaultAccessPolicy with(FeatureFlag flag, boolean on) {
    return DefaultAccessPolicy.of(ROLES, FeatureFlags.of(Map.of(flag, on)));
  }

  /** action, policy, allowed actor, denied actor, denied reason. */
  static Stream<Arguments> gatingRows() {
    Actor admin = actor("admin");
    Actor learner = actor("learner");
    Actor peopleAdmin =
        Actor.builder()
            .from(learner)
            .addDomainRoles(DomainRole.of(DomainRole.PEOPLE, ROLES.adminRole()))
            .build();
    Actor contentAdmin =
        Actor.builder()
            .from(learner)
            .addDomainRoles(DomainRole.of(DomainRole.CONTENT, ROLES.adminRole()))
            .build();
    Actor owner = actor("owner");
    Actor manager = actor("manager");
    Actor demoAdmin = Actor.builder().from(admin).tenantPurpose(Actor.DEMO).build();
    return Stream.of(
        // Employees tab access: "Admin role or a People domain admin role"
        Arguments.of(
            "tab: Admin", Action.VIEW_USERS, POLICY, admin, learner, Decision.Reason.ROLE_TOO_LOW),
        Arguments.of(
            "tab: People domain admin",
            Action.VIEW_USERS,
            POLICY,
            peopleAdmin,
            contentAdmin,
            Decision.Reason.ROLE_TOO_LOW),
        // top bar
        Arguments.of(
            "Add Users: route permission ≤ People role",
            Action.ADD_USERS,
            POLICY,
            peopleAdmin,
            manager,
            Decision.Reason.ROLE_TOO_LOW),
        Arguments.of(
            "Update Users from CSV: UPDATE_USERS_EXCEL",
            Action.UPDATE_FROM_FILE,
            POLICY,
            admin,
            learner,
            Decision.Reason.ROLE_TOO_LOW),
        Arguments.of(
            "Update Users from CSV: flag off",
            Action.UPDATE_FROM_FILE,
            with(FeatureFlag.UPDATE_USERS_EXCEL, false),
            null,
            admin,
            Decision.Reason.FLAG_DISABLED),
        Arguments.of(
            "Manage Custom Attributes: flag off",
            Action.MANAGE_CUSTOM_ATTRIBUTES,
            with(FeatureFlag.CAN_ADD_USERS_CUSTOM_ATTRIBUTES, false),
            null,
            admin,
            Decision.Reason.FLAG_DISABLED),
        Arguments.of(
            "Manage Custom Attributes",
            Action.MANAGE_CUSTOM_ATTRIBUTES,
            POLICY,
            admin,
            learner,
            Decision.Reason.ROLE_TOO_LOW),
        Arguments.of(
            "Sync Users: People role > Admin",
            Action.SYNC_USERS,
            with(FeatureFlag.USERS_INTEGRATION_CONFIGURED, true),
            owner,
            admin,
            Decision.Reason.ROLE_TOO_LOW),
        Arguments.of(
            "Sync Users: integration mapping configured",
            Action.SYNC_USERS,
            POLICY,
            null,
            owner,
            Decision.Reason.FLAG_DISABLED),
        Arguments.of(
            "Send Invitation Email: People role ≥ Admin (5)",
            Action.SEND_INVITATIONS,
            POLICY,
            admin,
            actor("manager_instructor"),
            Decision.Reason.ROLE_TOO_LOW),
        Arguments.of(
            "Bulk Delete Users: support level ≥ 2",
            Action.BULK_DELETE,
            POLICY,
            support(2),
            owner,
            Decision.Reason.SUPPORT_LEVEL_TOO_LOW),
        Arguments.of(
            "Bulk Delete Users: support level 1",
            Action.BULK_DELETE,
            POLICY,
            support(3),
            support(1),
            Decision.Reason.SUPPORT_LEVEL_TOO_LOW),
        Arguments.of(
            "Deactivate from file: blocked by default",
            Action.DEACTIVATE_FROM_FILE,
            POLICY,
            null,
            support(2),
            Decision.Reason.FLAG_DISABLED),
        Arguments.of(
            "Deactivate from file: flag and support ≥ 2",
            Action.DEACTIVATE_FROM_FILE,
            with(FeatureFlag.DEACTIVATE_USERS_EXCEL, true),
            support(2),
            owner,
            Decision.Reason.SUPPORT_LEVEL_TOO_LOW),
        Arguments.of(
            "Generate POC Passwords: demo tenants",
            Action.GENERATE_DEMO_PASSWORDS,
            POLICY,
            demoAdmin,
            admin,
            Decision.Reason.NOT_DEMO_TENANT),
        Arguments.of("Export", Action.EXPORT, POLICY, admin, manager, Decision.Reason.ROLE_TOO_LOW),
        // user actions menu
        Arguments.of(
            "Edit User: CAN_EDIT_USERS",
            Action.EDIT_USER,
            with(FeatureFlag.CAN_EDIT_USERS, false),
            null,
            owner,
            Decision.Reason.FLAG_DISABLED),
        Arguments.of(
            "Edit User", Action.EDIT_USER, POLICY, admin, learner, Decision.Reason.ROLE_TOO_LOW),
        Arguments.of(
            "Reset User: CAN_RESET_USER",
            Action.RESET_USER,
            with(FeatureFlag.CAN_RESET_USER, false),
            null,
            admin,
            Decision.Reason.FLAG_DISABLED),
        Arguments.of(
            "Reset User", Action.RESET_USER, POLICY, admin, manager, Decision.Reason.ROLE_TOO_LOW),
        Arguments.of(
            "Deactivate User: CAN_DEACTIVATE_USER",
            Action.DEACTIVATE_USER,
            with(FeatureFlag.CAN_DEACTIVATE_USER, false),
            null,
            admin,
            Decision.Reason.FLAG_DISABLED),
        Arguments.of(
            "Delete User: CAN_DEACTIVATE_USER",
            Action.DELETE_USER,
            with(FeatureFlag.CAN_DEACTIVATE_USER, false),
            null,
            owner,
            Decision.Reason.FLAG_DISABLED),
        Arguments.of(
            "Delete User",
            Action.DELETE_USER,
            POLICY,
            admin,
            learner,
            Decision.Reason.ROLE_TOO_LOW),
        Arguments.of(
            "Set user modules: CAN_EDIT_MODULES",
            Action.SET_MODULES,
            with(FeatureFlag.CAN_EDIT_MODULES, false),
            null,
            admin,
            Decision.Reason.FLAG_DISABLED),
        Arguments.of(
            "Set user modules",
            Action.SET_MODULES,
            POLICY,
            admin,
            learner,
            Decision.Reason.ROLE_TOO_LOW),
        Arguments.of(
            "Transfer ownership: CAN_TRANSFER_OWNERSHIP",
            Action.TRANSFER_OWNERSHIP,
            with(FeatureFlag.CAN_TRANSFER_OWNERSHIP, false),
            null,
            admin,
            Decision.Reason.FLAG_DISABLED),
        Arguments.of(
            "Transfer ownership",
            Action.TRANSFER_OWNERSHIP,
            POLICY,
            admin,
            manager,
            Decision.Reason.ROLE_TOO_LOW),
        Arguments.of(
            "Impersonate: LMS-only tenant",
            Action.IMPERSONATE,
            with(FeatureFlag.LMS_ONLY_TENANT, true),
            admin,
            null,
            null),
        Arguments.of(
            "Impersonate: not LMS-only",
            Action.IMPERSONATE,
            POLICY,
            null,
            owner,
            Decision.Reason.FLAG_DISABLED),
        Arguments.of(
            "User-reference attributes: flag",
            Action.SEE_USER_REF_ATTRIBUTES,
            POLICY,
            learner,
            null,
            null),
        Arguments.of(
            "User-reference attributes: flag off",
            Action.SEE_USER_REF_ATTRIBUTES,
            with(FeatureFlag.CAN_SEE_USER_TYPE_CUSTOM_ATTRIBUTES, false),
            null,
            owner,
            Decision.Reason.FLAG_DISABLED),
        // people platform role table
        Arguments.of(
            "Login as another user: Admin, Owner",
            Action.LOGIN_AS_USER,
            POLICY,
            owner,
            manager,
            Decision.Reason.ROLE_TOO_LOW),
        Arguments.of(
            "Anonymise users: Admin, Owner",
            Action.ANONYMISE,
            POLICY,
            admin,
            actor("instructor"),
            Decision.Reason.ROLE_TOO_LOW),
        Arguments.of(
            "Deactivate/Reactivate users",
            Action.REACTIVATE_USER,
            POLICY,
            owner,
            learner,
            Decision.Reason.ROLE_TOO_LOW),
        // open directory actions menu
        Arguments.of(
            "Activate Users",
            Action.ACTIVATE,
            POLICY,
            admin,
            learner,
            Decision.Reason.ROLE_TOO_LOW),
        Arguments.of(
            "Schedule Activation",
            Action.SCHEDULE_ACTIVATION,
            POLICY,
            admin,
            manager,
            Decision.Reason.ROLE_TOO_LOW),
        Arguments.of(
            "Suspend Users", Action.SUSPEND, POLICY, admin, manager, Decision.Reason.ROLE_TOO_LOW),
        Arguments.of(
            "Unlock User Accounts",
            Action.UNLOCK,
            POLICY,
            admin,
            manager,
            Decision.Reason.ROLE_TOO_LOW),
        Arguments.of(
            "Force Password Change",
            Action.FORCE_PASSWORD_CHANGE,
            POLICY,
            admin,
            manager,
            Decision.Reason.ROLE_TOO_LOW),
        Arguments.of(
            "Change User MFA Requirement",
            Action.MANAGE_MFA,
            POLICY,
            admin,
            manager,
            Decision.Reason.ROLE_TOO_LOW),
        Arguments.of(
            "Add To User Group",
            Action.MANAGE_GROUPS,
            POLICY,
            admin,
            manager,
            Decision.Reason.ROLE_TOO_LOW),
        // the library's own
        Arguments.of(
            "Read the change log",
            Action.READ_CHANGE_LOG,
            POLICY,
            admin,
            manager,
            Decision.Reason.ROLE_TOO_LOW),
        Arguments.of("Undo", Action.UNDO, POLICY, owner, manager, Decision.Reason.ROLE_TOO_LOW),
        Arguments.of(
            "Import action file",
            Action.IMPORT_ACTIONS,
            POLICY,
            admin,
            manager,
            Decision.Reason.ROLE_TOO_LOW),
        Arguments.of(
            "Sign-ins are recorded by the system only",
            Action.RECORD_SIGN_IN,
            POLICY,
            Actor.system(T, ROLES),
            owner,
            Decision.Reason.ROLE_TOO_LOW));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("gatingRows")
  void gatingTableRow(
      String row,
      Action action,
      DefaultAccessPolicy policy,
      @org.jspecify.annotations.Nullable Actor allowed,
      @org.jspecify.annotations.Nullable Actor denied,
      Decision.@org.jspecify.annotations.Nullable Reason reason) {
    if (allowed != null) {
      assertThat(policy.decide(allowed, action).allowed()).as(row).isTrue();
    }
    if (denied != null) {
      Decision d = policy.decide(denied, action);
      assertThat(d.allowed()).as(row).isFalse();
      assertThat(d.reason()).as(row).contains(reason);
      assertThat(d.message()).contains(action.name());
    }
  }

  @Test
  void everyActionHasAGatingRow() {
    assertThat(gatingRows().map(a -> (Action) a.get()[1]).distinct())
        .containsAll(
            Stream.of(Action.values())
                .filter(a -> a != Action.VIEW_USER && a != Action.EDIT_OWN_PROFILE)
                .toList());
  }

  @Test
  void ownProfileAndViewingFollowTheRelation() {
    Actor learner = actor("learner");
    assertThat(
            POLICY
                .decide(learner, Action.EDIT_OWN_PROFILE, target("learner"), Relation.SELF)
                .allowed())
        .isTrue();
    assertThat(
            POLICY
                .decide(learner, Action.EDIT_OWN_PROFILE, target("learner"), Relation.OTHER)
                .reason())
        .contains(Decision.Reason.NOT_SELF_OR_REPORT);
    assertThat(
            POLICY
                .decide(learner, Action.VIEW_USER, target("learner"), Relation.DIRECT_REPORT)
                .allowed())
        .isTrue();
    assertThat(
            POLICY.decide(learner, Action.VIEW_USER, target("learner"), Relation.OTHER).allowed())
        .isFalse();
  }

  @Test
  void hostsWithAnHrRoleLetItEditAndDeactivateButNotBulkUpdateOrAnonymise() {
    RoleCatalog learnAmp =
        RoleCatalog.builder()
            .role("learner", "Learner", 1)
            .role("curator", "Curator", 2)
            .role("reporter", "Reporter", 3)
            .role("hr", "HR", 4)
            .role("admin", "Admin", 5)
            .role("owner", "Owner", 6)
            .role("blocked", "Blocked", 99)
            .defaultRole("learner")
            .adminRole("admin")
            .blockedRole("blocked")
            .build();
    Role hrRole = learnAmp.parse("HR");
    DefaultAccessPolicy policy =
        DefaultAccessPolicy.builder(learnAmp, DEFAULTS)
            .threshold(Action.EDIT_USER, hrRole)
            .threshold(Action.DEACTIVATE_USER, hrRole)
            .threshold(Action.REACTIVATE_USER, hrRole)
            .threshold(Action.VIEW_USERS, hrRole)
            .build();
    Actor hr = Actor.builder().tenant(T).role(hrRole).build();
    Actor reporter = Actor.builder().tenant(T).role(learnAmp.parse("reporter")).build();
    assertThat(policy.decide(hr, Action.EDIT_USER).allowed()).isTrue();
    assertThat(policy.decide(hr, Action.DEACTIVATE_USER).allowed()).isTrue();
    assertThat(policy.decide(hr, Action.UPDATE_FROM_FILE).allowed()).isFalse();
    assertThat(policy.decide(hr, Action.ANONYMISE).allowed()).isFalse();
    assertThat(policy.decide(reporter, Action.EDIT_USER).allowed()).isFalse();
  }

  @Test
  void perUserGrantsAndRevocations() {
    Actor granted = Actor.builder().from(actor("learner")).addGrants(Action.EXPORT).build();
    Actor revoked = Actor.builder().from(actor("owner")).addRevocations(Action.EXPORT).build();
    assertThat(POLICY.decide(granted, Action.EXPORT).allowed()).isTrue();
    assertThat(POLICY.decide(granted, Action.ANONYMISE).allowed()).isFalse();
    assertThat(POLICY.decide(revoked, Action.EXPORT).reason())
        .contains(Decision.Reason.PERMISSION_REVOKED);
    Actor grantedButFlagged =
        Actor.builder().from(actor("learner")).addGrants(Action.DEACTIVATE_FROM_FILE).build();
    assertThat(POLICY.decide(grantedButFlagged, Action.DEACTIVATE_FROM_FILE).reason())
        .contains(Decision.Reason.FLAG_DISABLED);
    Actor inactive = Actor.builder().from(actor("owner")).active(false).build();
    assertThat(POLICY.decide(inactive, Action.EXPORT).reason())
        .contains(Decision.Reason.ACTOR_INACTIVE);
  }

  // ------------------------------------------------------------------ field rules

  private static final AttributeSchema SCHEMA =
      AttributeSchema.of(
          List.of(
              AttributeDefinition.builder()
                  .key("level")
                  .label("Level")
                  .type(AttributeType.NUMBER)
                  .visibleToManagers(true)
                  .editableByManagers(true)
                  .build(),
              AttributeDefinition.builder()
                  .key("ready")
                  .label("Ready After 6 months?")
                  .type(AttributeType.BOOLEAN)
                  .visibleToManagers(true)
                  .build(),
              AttributeDefinition.builder()
                  .key("salary")
                  .label("Salary")
                  .type(AttributeType.NUMBER)
                  .build()));

  static User target(String role) {
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    return User.builder()
        .id(UserId.of("target"))
        .tenant(T)
        .primaryEmail(EmailAddress.parse("t@example.com"))
        .role(ROLES.parse(role))
        .status(UserStatus.ACTIVE)
        .putAttributes("level", AttributeValue.number(1))
        .putAttributes("ready", AttributeValue.bool(true))
        .putAttributes("salary", AttributeValue.number(100))
        .createdAt(t0)
        .updatedAt(t0)
        .build();
  }

  @Test
  void nobodyAssignsARoleAboveTheirOwn() {
    UserPatch toOwner = UserPatch.builder().set(UserField.ROLE, ROLES.parse("owner")).build();
    UserPatch toAdmin = UserPatch.builder().set(UserField.ROLE, ROLES.parse("admin")).build();
    Actor admin = actor("admin");
    assertThat(
            POLICY
                .decideWrite(
                    admin, write(target("learner"), Relation.OTHER, toOwner, EditChannel.FORM))
                .reason())
        .contains(Decision.Reason.ROLE_ABOVE_OWN);
    assertThat(
            POLICY
                .decideWrite(
                    admin, write(target("learner"), Relation.OTHER, toAdmin, EditChannel.FORM))
                .allowed())
        .isTrue();
    assertThat(
            POLICY
                .decideWrite(
                    admin, write(target("owner"), Relation.OTHER, toAdmin, EditChannel.FORM))
                .reason())
        .contains(Decision.Reason.TARGET_OUTRANKS);
  }

  @Test
  void emailIsReadOnlyInTheEditForm() {
    UserPatch email =
        UserPatch.builder()
            .set(UserField.PRIMARY_EMAIL, EmailAddress.parse("new@example.com"))
            .build();
    assertThat(
            POLICY
                .decideWrite(
                    actor("owner"),
                    write(target("learner"), Relation.OTHER, email, EditChannel.FORM))
                .reason())
        .contains(Decision.Reason.FIELD_READ_ONLY);
    assertThat(
            POLICY
                .decideWrite(
                    actor("owner"),
                    write(target("learner"), Relation.OTHER, email, EditChannel.FILE))
                .allowed())
        .isTrue();
  }

  @Test
  void managersEditOnlyAttributesEditableByManagersOfTheirReports() {
    Actor manager = actor("manager");
    UserPatch level = UserPatch.builder().attribute("level", AttributeValue.number(2)).build();
    UserPatch ready = UserPatch.builder().attribute("ready", AttributeValue.bool(false)).build();
    UserPatch dept = UserPatch.builder().set(UserField.DEPARTMENT, "Sales").build();
    assertThat(
            POLICY
                .decideWrite(
                    manager,
                    write(target("learner"), Relation.INDIRECT_REPORT, level, EditChannel.FORM))
                .allowed())
        .isTrue();
    assertThat(
            POLICY
                .decideWrite(
                    manager,
                    write(target("learner"), Relation.DIRECT_REPORT, ready, EditChannel.FORM))
                .reason())
        .contains(Decision.Reason.FIELD_READ_ONLY);
    assertThat(
            POLICY
                .decideWrite(
                    manager,
                    write(target("learner"), Relation.DIRECT_REPORT, dept, EditChannel.FORM))
                .reason())
        .contains(Decision.Reason.FIELD_READ_ONLY);
    assertThat(
            POLICY
                .decideWrite(
                    manager, write(target("learner"), Relation.OTHER, level, EditChannel.FORM))
                .allowed())
        .isFalse();
  }

  @Test
  void usersEditTheirOwnProfileButNotTheirRoleOrStatusFields() {
    Actor me =
        Actor.builder().tenant(T).userId(UserId.of("target")).role(ROLES.defaultRole()).build();
    UserPatch name = UserPatch.builder().set(UserField.DISPLAY_NAME, "New Name").build();
    UserPatch role = UserPatch.builder().set(UserField.ROLE, ROLES.parse("manager")).build();
    UserPatch modules = UserPatch.builder().set(UserField.MODULES, java.util.Set.of("LMS")).build();
    assertThat(
            POLICY
                .decideWrite(me, write(target("learner"), Relation.SELF, name, EditChannel.FORM))
                .allowed())
        .isTrue();
    assertThat(
            POLICY
                .decideWrite(me, write(target("learner"), Relation.SELF, role, EditChannel.FORM))
                .allowed())
        .isFalse();
    assertThat(
            POLICY
                .decideWrite(me, write(target("learner"), Relation.SELF, modules, EditChannel.FORM))
                .allowed())
        .isFalse();
  }

  static UserWrite write(User before, Relation relation, UserPatch patch, EditChannel channel) {
    return UserWrite.of(
        Optional.of(before), Optional.of(patch.applyTo(before)), () -> relation, channel, SCHEMA);
  }

  @Test
  void managersSeeOnlyAttributesVisibleToManagers() {
    User seen =
        POLICY
            .visibility(actor("manager"), Relation.DIRECT_REPORT, SCHEMA, Visibility.Purpose.RECORD)
            .apply(target("learner"));
    assertThat(seen.attributes()).containsOnlyKeys("level", "ready");
    User all =
        POLICY
            .visibility(actor("admin"), Relation.OTHER, SCHEMA, Visibility.Purpose.RECORD)
            .apply(target("learner"));
    assertThat(all.attributes()).containsOnlyKeys("level", "ready", "salary");
    assertThat(Optional.of(seen.id())).contains(UserId.of("target"));
  }
}
