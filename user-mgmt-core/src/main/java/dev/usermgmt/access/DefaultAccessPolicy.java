package dev.usermgmt.access;

import dev.usermgmt.Action;
import dev.usermgmt.Decision;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.role.DomainRole;
import dev.usermgmt.role.Role;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserField;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The reference gating tables as a policy. Every action needs an active actor whose role is an
 * active role of the catalog (Blocked ranks below every active role, whatever its number), and
 * passes these checks in order: not revoked; the feature flag on; the vendor support level; a demo
 * tenant; the effective People role (the higher of the platform role and a People-domain role) at
 * or above the action's threshold — or a per-user grant of the action.
 *
 * <table>
 *   <caption>Default rules (threshold "admin" is the catalog's admin role, Admin 5 by default)</caption>
 *   <tr><th>action</th><th>role</th><th>flag</th><th>other</th></tr>
 *   <tr><td>VIEW_USERS, VIEW_USER, EXPORT, SEND_INVITATIONS, ANONYMISE, LOGIN_AS_USER, ACTIVATE,
 *       SCHEDULE_ACTIVATION, SUSPEND, UNLOCK, FORCE_PASSWORD_CHANGE, MANAGE_MFA, MANAGE_GROUPS,
 *       READ_CHANGE_LOG, UNDO, IMPORT_ACTIONS</td><td>admin</td><td>—</td><td></td></tr>
 *   <tr><td>ADD_USERS</td><td>the addUser route permission (admin)</td><td>—</td><td></td></tr>
 *   <tr><td>EDIT_USER</td><td>admin</td><td>CAN_EDIT_USERS</td><td>managers: their reports'
 *       manager-editable attributes only</td></tr>
 *   <tr><td>RESET_USER</td><td>admin</td><td>CAN_RESET_USER</td><td></td></tr>
 *   <tr><td>DEACTIVATE_USER, REACTIVATE_USER, DELETE_USER</td><td>admin</td>
 *       <td>CAN_DEACTIVATE_USER</td><td></td></tr>
 *   <tr><td>SET_MODULES</td><td>admin</td><td>CAN_EDIT_MODULES</td><td></td></tr>
 *   <tr><td>TRANSFER_OWNERSHIP</td><td>admin</td><td>CAN_TRANSFER_OWNERSHIP</td><td></td></tr>
 *   <tr><td>IMPERSONATE</td><td>admin</td><td>LMS_ONLY_TENANT</td><td>an active target</td></tr>
 *   <tr><td>UPDATE_FROM_FILE</td><td>admin</td><td>UPDATE_USERS_EXCEL</td><td></td></tr>
 *   <tr><td>DEACTIVATE_FROM_FILE</td><td>—</td><td>DEACTIVATE_USERS_EXCEL (off)</td>
 *       <td>support level ≥ 2</td></tr>
 *   <tr><td>BULK_DELETE</td><td>—</td><td>—</td><td>support level ≥ 2</td></tr>
 *   <tr><td>MANAGE_CUSTOM_ATTRIBUTES</td><td>admin</td><td>CAN_ADD_USERS_CUSTOM_ATTRIBUTES</td>
 *       <td></td></tr>
 *   <tr><td>SEE_USER_REF_ATTRIBUTES</td><td>—</td><td>CAN_SEE_USER_TYPE_CUSTOM_ATTRIBUTES</td>
 *       <td></td></tr>
 *   <tr><td>SYNC_USERS</td><td>above admin</td><td>USERS_INTEGRATION_CONFIGURED</td><td></td></tr>
 *   <tr><td>GENERATE_DEMO_PASSWORDS</td><td>admin</td><td>—</td><td>demo tenant</td></tr>
 *   <tr><td>EDIT_OWN_PROFILE</td><td>any</td><td>—</td><td>self only</td></tr>
 *   <tr><td>RECORD_SIGN_IN</td><td>—</td><td>—</td><td>the system actor only</td></tr>
 * </table>
 *
 * <p>On a target user: the target's held rank (the higher of their stored platform role and their
 * People-domain roles, whatever their status) may not be above the actor's, except for reads and
 * for the actor themself; nobody deactivates, suspends, deletes, anonymises or impersonates
 * themself; the user themself and their managers may view the record. The system actor (scheduled
 * work and the host's sign-in reports) may only carry out due schedules — activate a user whose
 * activation is scheduled, invite a user whose invitation is scheduled — and record sign-ins.
 *
 * <p>Writes are judged by what they change ({@link #decideWrite}); what of a user a reader sees by
 * {@link #visibility}. Whatever a write changes, it gives no user an action, or a rank in any
 * domain, that the writer does not hold (a role, a grant, a lifted revocation, a status move that
 * lets the user sign in again, an activation scheduled), and nobody changes the e-mail or username
 * of someone who may take an action they may not. Thresholds, flags and support levels are
 * configurable per action through {@link #builder}; a host whose catalog has an HR role lets it
 * deactivate with {@code threshold(Action.DEACTIVATE_USER, hr)}.
 */
public final class DefaultAccessPolicy implements AccessPolicy {
  /** The fields a user may change on their own profile. */
  public static final Set<UserField> SELF_SERVICE_FIELDS =
      EnumSet.of(
          UserField.DISPLAY_NAME,
          UserField.FIRST_NAME,
          UserField.LAST_NAME,
          UserField.INITIALS,
          UserField.PHONE_NUMBER,
          UserField.TIME_ZONE,
          UserField.LANGUAGE,
          UserField.TAKING_A_BREAK);

  /** Actions that only read: a target above the actor does not stop them. */
  private static final Set<Action> READS =
      EnumSet.of(
          Action.VIEW_USERS,
          Action.VIEW_USER,
          Action.EXPORT,
          Action.READ_CHANGE_LOG,
          Action.SEE_USER_REF_ATTRIBUTES);

  /** Actions nobody takes on themself. */
  private static final Set<Action> NOT_ON_SELF =
      EnumSet.of(
          Action.DEACTIVATE_USER,
          Action.DEACTIVATE_FROM_FILE,
          Action.SUSPEND,
          Action.DELETE_USER,
          Action.BULK_DELETE,
          Action.ANONYMISE,
          Action.IMPERSONATE,
          Action.LOGIN_AS_USER);

  /** What the system actor does: carry out due schedules, record the host's sign-in reports. */
  private static final Set<Action> SYSTEM =
      EnumSet.of(Action.ACTIVATE, Action.SEND_INVITATIONS, Action.RECORD_SIGN_IN);

  private final RoleCatalog roles;
  private final FeatureFlags flags;
  private final Map<Action, Rule> rules;
  private final WriteRules writes;

  private record Rule(
      Optional<Role> threshold,
      boolean strictlyAbove,
      Optional<FeatureFlag> flag,
      int support,
      boolean demo) {}

  private DefaultAccessPolicy(Builder b) {
    this.roles = b.roles;
    this.flags = b.flags;
    this.rules = new EnumMap<>(b.rules);
    this.writes = new WriteRules(this, roles);
  }

  /**
   * The default rules over a catalog and the host's flags.
   *
   * @param roles the tenant's role catalog
   * @param flags the host's feature flags
   * @return the policy
   */
  public static DefaultAccessPolicy of(RoleCatalog roles, FeatureFlags flags) {
    return builder(roles, flags).build();
  }

  /**
   * A builder starting from the default rules.
   *
   * @param roles the tenant's role catalog
   * @param flags the host's feature flags
   * @return the builder
   */
  public static Builder builder(RoleCatalog roles, FeatureFlags flags) {
    return new Builder(roles, flags);
  }

  /**
   * The rank of an actor in a domain: the higher rank of their platform role and their roles in
   * that domain; below every active role when the actor is inactive or their platform role is.
   */
  int actorRank(Actor actor, String domain) {
    if (!actor.active() || !roles.isActive(actor.role())) {
      return Integer.MIN_VALUE;
    }
    return heldRank(actor.role(), actor.domainRoles(), domain);
  }

  /** The rank of an actor's platform role, which counts in every domain. */
  int platformRank(Actor actor) {
    return actor.active() ? roles.rank(actor.role()) : Integer.MIN_VALUE;
  }

  /** The rank a stored user holds in a domain, whatever their status. */
  int heldRank(User user, String domain) {
    return heldRank(user.role(), user.domainRoles(), domain);
  }

  private int heldRank(Role role, Set<DomainRole> domainRoles, String domain) {
    int best = roles.rank(role);
    for (DomainRole d : domainRoles) {
      if (d.domain().equals(domain)) {
        best = Math.max(best, roles.rank(d.role()));
      }
    }
    return best;
  }

  @Override
  public Decision decide(Actor actor, Action action) {
    return decide(actor, action, true);
  }

  /**
   * Whether the actor may take the action: {@link #decide(Actor, Action)}'s rules, without putting
   * a denial into words. The write rules ask it of every action for both records of each user a
   * bulk lifecycle change writes, and the reads for every row; the words of those denials were most
   * of a bulk deactivation's time in the access rules, and nobody reads them.
   */
  boolean allows(Actor actor, Action action) {
    return decide(actor, action, false).allowed();
  }

  /** The rules of {@link #decide(Actor, Action)}; a denial's message only when {@code explain}. */
  private Decision decide(Actor actor, Action action, boolean explain) {
    if (actorRank(actor, DomainRole.PEOPLE) == Integer.MIN_VALUE) {
      return deny(
          explain,
          Decision.Reason.ACTOR_INACTIVE,
          () -> "the acting user is not active (role " + actor.role() + ")");
    }
    if (actor.revocations().contains(action)) {
      return deny(
          explain,
          Decision.Reason.PERMISSION_REVOKED,
          () -> action + " was revoked from this user");
    }
    if (actor.system()) {
      return SYSTEM.contains(action)
          ? Decision.allow()
          : deny(
              explain,
              Decision.Reason.ROLE_TOO_LOW,
              () -> "the system only carries out schedules and records sign-ins, not " + action);
    }
    if (action == Action.RECORD_SIGN_IN) {
      return deny(
          explain,
          Decision.Reason.ROLE_TOO_LOW,
          () -> action + ": sign-ins are recorded by the system, not by users");
    }
    if (action == Action.EDIT_OWN_PROFILE) {
      return Decision.allow();
    }
    Rule rule = Objects.requireNonNull(rules.get(action));
    if (rule.flag().isPresent() && !flags.isEnabled(actor.tenant(), rule.flag().get())) {
      var flag = rule.flag().get();
      return deny(
          explain,
          Decision.Reason.FLAG_DISABLED,
          () -> action + " needs the " + flag + " feature flag, which is off");
    }
    if (actor.supportLevel() < rule.support()) {
      return deny(
          explain,
          Decision.Reason.SUPPORT_LEVEL_TOO_LOW,
          () -> action + " needs support level " + rule.support() + " or more");
    }
    if (rule.demo() && !actor.tenantPurpose().map(Actor.DEMO::equals).orElse(false)) {
      return deny(
          explain,
          Decision.Reason.NOT_DEMO_TENANT,
          () -> action + " is for demo / POC tenants only");
    }
    if (rule.threshold().isPresent() && !actor.grants().contains(action)) {
      Role threshold = rule.threshold().get();
      int have = actorRank(actor, DomainRole.PEOPLE);
      int need = roles.rank(threshold);
      boolean ok = rule.strictlyAbove() ? have > need : have >= need;
      if (!ok) {
        return deny(
            explain,
            Decision.Reason.ROLE_TOO_LOW,
            () ->
                action
                    + " needs an effective People role "
                    + (rule.strictlyAbove() ? "above " : "of at least ")
                    + threshold
                    + "; the actor has "
                    + actor.peopleRole());
      }
    }
    return Decision.allow();
  }

  /** A denial, in words when {@code explain}, else one of {@link #UNEXPLAINED}. */
  private static Decision deny(boolean explain, Decision.Reason reason, Supplier<String> message) {
    return explain
        ? Decision.deny(reason, message.get())
        : Objects.requireNonNull(UNEXPLAINED.get(reason));
  }

  /** A denial for each reason, named by the reason alone: all that {@link #allows} reads. */
  private static final Map<Decision.Reason, Decision> UNEXPLAINED = unexplained();

  private static Map<Decision.Reason, Decision> unexplained() {
    Map<Decision.Reason, Decision> out = new EnumMap<>(Decision.Reason.class);
    for (Decision.Reason r : Decision.Reason.values()) {
      out.put(r, Decision.deny(r, r.id()));
    }
    return out;
  }

  @Override
  public Decision decide(Actor actor, Action action, User target, Relation relation) {
    if (!target.tenant().equals(actor.tenant())) {
      return Decision.deny(Decision.Reason.OTHER_TENANT, "the user belongs to another tenant");
    }
    boolean self = relation == Relation.SELF;
    if (action == Action.EDIT_OWN_PROFILE && !self) {
      return Decision.deny(Decision.Reason.NOT_SELF_OR_REPORT, "only your own profile");
    }
    if (action == Action.VIEW_USER && (self || relation.isReport())) {
      return actorRank(actor, DomainRole.PEOPLE) == Integer.MIN_VALUE
          ? Decision.deny(Decision.Reason.ACTOR_INACTIVE, "the acting user is not active")
          : Decision.allow();
    }
    Decision d = decide(actor, action);
    if (!d.allowed()) {
      return d;
    }
    if (actor.system() && action == Action.ACTIVATE && target.activationScheduledAt().isEmpty()) {
      return Decision.deny(
          Decision.Reason.ROLE_TOO_LOW,
          "the system activates only users whose activation someone scheduled");
    }
    if (self && NOT_ON_SELF.contains(action)) {
      return Decision.deny(Decision.Reason.NOT_ON_SELF, "nobody takes " + action + " on themself");
    }
    if (!self && !READS.contains(action) && outranks(target, actor)) {
      return Decision.deny(
          Decision.Reason.TARGET_OUTRANKS,
          "the user holds a role above the actor's " + actor.peopleRole());
    }
    if ((action == Action.IMPERSONATE || action == Action.LOGIN_AS_USER)
        && !target.status().canSignIn()) {
      return Decision.deny(
          Decision.Reason.TARGET_INACTIVE, "only active users can be impersonated");
    }
    if (actor.system()) {
      return systemOn(action, target);
    }
    return d;
  }

  /** The system acts on a user only as a schedule someone set says. */
  private static Decision systemOn(Action action, User target) {
    boolean due =
        switch (action) {
          case ACTIVATE -> target.activationScheduledAt().isPresent();
          case SEND_INVITATIONS -> target.inviteScheduledAt().isPresent();
          default -> true;
        };
    return due
        ? Decision.allow()
        : Decision.deny(
            Decision.Reason.ROLE_TOO_LOW,
            "the system takes " + action + " only on users scheduled for it");
  }

  /** Whether a target holds a People rank above the actor's. */
  boolean outranks(User target, Actor actor) {
    return heldRank(target, DomainRole.PEOPLE) > actorRank(actor, DomainRole.PEOPLE);
  }

  @Override
  public Decision decideWrite(Actor actor, UserWrite write) {
    return writes.decide(actor, write);
  }

  @Override
  public Visibility visibility(
      Actor actor, Relation relation, AttributeSchema schema, Visibility.Purpose purpose) {
    if (actorRank(actor, DomainRole.PEOPLE) == Integer.MIN_VALUE || actor.system()) {
      return Visibility.none();
    }
    boolean self = relation == Relation.SELF;
    boolean full = self || allows(actor, Action.VIEW_USERS);
    boolean any = full || relation.isReport() || allows(actor, Action.VIEW_USER);
    if (!any) {
      return Visibility.none();
    }
    boolean seeRefs = allows(actor, Action.SEE_USER_REF_ATTRIBUTES);
    boolean seeSensitive =
        purpose == Visibility.Purpose.RECORD || allows(actor, Action.MANAGE_CUSTOM_ATTRIBUTES);
    boolean managerView = !full && relation.isReport();
    Set<UserField> fields = EnumSet.allOf(UserField.class);
    if (!full) {
      fields.remove(UserField.PERMISSION_GRANTS);
      fields.remove(UserField.PERMISSION_REVOCATIONS);
    }
    return Visibility.of(
        fields,
        key -> {
          Optional<AttributeDefinition> d = schema.definition(key);
          if (d.isEmpty()) {
            // a key with no definition now (the change log keeps a deleted attribute's values):
            // seen as the most guarded definition would be, since it may have been sensitive or
            // a user reference
            return full && seeRefs && seeSensitive;
          }
          return (full || (managerView && d.get().visibleToManagers()))
              && (seeRefs || d.get().type() != AttributeType.USER_REF)
              && (seeSensitive || !d.get().sensitive());
        });
  }

  /** Builds a {@link DefaultAccessPolicy}. */
  public static final class Builder {
    private final RoleCatalog roles;
    private final FeatureFlags flags;
    private final Map<Action, Rule> rules = new EnumMap<>(Action.class);

    private Builder(RoleCatalog roles, FeatureFlags flags) {
      this.roles = roles;
      this.flags = flags;
      Role admin = roles.adminRole();
      for (Action a : Action.values()) {
        rules.put(a, new Rule(Optional.of(admin), false, Optional.empty(), 0, false));
      }
      flag(Action.EDIT_USER, FeatureFlag.CAN_EDIT_USERS);
      flag(Action.RESET_USER, FeatureFlag.CAN_RESET_USER);
      flag(Action.DEACTIVATE_USER, FeatureFlag.CAN_DEACTIVATE_USER);
      flag(Action.REACTIVATE_USER, FeatureFlag.CAN_DEACTIVATE_USER);
      flag(Action.DELETE_USER, FeatureFlag.CAN_DEACTIVATE_USER);
      flag(Action.SET_MODULES, FeatureFlag.CAN_EDIT_MODULES);
      flag(Action.TRANSFER_OWNERSHIP, FeatureFlag.CAN_TRANSFER_OWNERSHIP);
      flag(Action.IMPERSONATE, FeatureFlag.LMS_ONLY_TENANT);
      flag(Action.UPDATE_FROM_FILE, FeatureFlag.UPDATE_USERS_EXCEL);
      flag(Action.MANAGE_CUSTOM_ATTRIBUTES, FeatureFlag.CAN_ADD_USERS_CUSTOM_ATTRIBUTES);
      rules.put(
          Action.SYNC_USERS,
          new Rule(
              Optional.of(admin),
              true,
              Optional.of(FeatureFlag.USERS_INTEGRATION_CONFIGURED),
              0,
              false));
      rules.put(
          Action.DEACTIVATE_FROM_FILE,
          new Rule(
              Optional.empty(), false, Optional.of(FeatureFlag.DEACTIVATE_USERS_EXCEL), 2, false));
      rules.put(Action.BULK_DELETE, new Rule(Optional.empty(), false, Optional.empty(), 2, false));
      rules.put(
          Action.SEE_USER_REF_ATTRIBUTES,
          new Rule(
              Optional.empty(),
              false,
              Optional.of(FeatureFlag.CAN_SEE_USER_TYPE_CUSTOM_ATTRIBUTES),
              0,
              false));
      rules.put(
          Action.GENERATE_DEMO_PASSWORDS,
          new Rule(Optional.of(admin), false, Optional.empty(), 0, true));
    }

    private void flag(Action action, FeatureFlag flag) {
      Rule r = Objects.requireNonNull(rules.get(action));
      rules.put(
          action,
          new Rule(r.threshold(), r.strictlyAbove(), Optional.of(flag), r.support(), r.demo()));
    }

    /**
     * Sets the role an action needs (for example the addUser route permission, or HR for
     * deactivation in a catalog that has it).
     *
     * @param action the action
     * @param role the lowest effective People role that may do it
     * @return this builder
     */
    public Builder threshold(Action action, Role role) {
      Rule r = Objects.requireNonNull(rules.get(action));
      rules.put(action, new Rule(Optional.of(role), false, r.flag(), r.support(), r.demo()));
      return this;
    }

    /**
     * Sets the vendor support level an action needs.
     *
     * @param action the action
     * @param level the lowest support level
     * @return this builder
     */
    public Builder supportLevel(Action action, int level) {
      Rule r = Objects.requireNonNull(rules.get(action));
      rules.put(action, new Rule(r.threshold(), r.strictlyAbove(), r.flag(), level, r.demo()));
      return this;
    }

    /**
     * Sets the feature flag an action needs.
     *
     * @param action the action
     * @param flag the flag
     * @return this builder
     */
    public Builder requireFlag(Action action, FeatureFlag flag) {
      flag(action, flag);
      return this;
    }

    /**
     * The policy.
     *
     * @return the policy
     */
    public DefaultAccessPolicy build() {
      return new DefaultAccessPolicy(this);
    }
  }
}
