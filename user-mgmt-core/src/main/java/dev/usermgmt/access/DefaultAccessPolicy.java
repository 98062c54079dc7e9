package dev.usermgmt.access;

import dev.usermgmt.AccessDeniedException;
import dev.usermgmt.Action;
import dev.usermgmt.Decision;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.role.DomainRole;
import dev.usermgmt.role.Role;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserField;
import dev.usermgmt.user.UserPatch;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The reference gating tables as a policy. Every action needs an active actor of the right tenant
 * and passes these checks in order: not revoked; the feature flag on; the vendor support level; a
 * demo tenant; the (effective People-domain) role at or above the action's threshold — or a
 * per-user grant of the action.
 *
 * <table>
 *   <caption>Default rules (threshold "admin" is the catalog's admin role, Admin 5 by default)</caption>
 *   <tr><th>action</th><th>role</th><th>flag</th><th>other</th></tr>
 *   <tr><td>VIEW_USERS, EXPORT, SEND_INVITATIONS, ANONYMISE, LOGIN_AS_USER, ACTIVATE,
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
 *   <tr><td>IMPERSONATE</td><td>admin</td><td>LMS_ONLY_TENANT</td><td>target not above actor</td></tr>
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
 *   <tr><td>VIEW_USER</td><td>admin</td><td>—</td><td>or self, or a manager of the user</td></tr>
 * </table>
 *
 * <p>Thresholds, flags and support levels are configurable per action through {@link #builder}; a
 * host whose catalog has an HR role lets it deactivate with {@code
 * threshold(Action.DEACTIVATE_USER, hr)}.
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

  private final RoleCatalog roles;
  private final FeatureFlags flags;
  private final Map<Action, Rule> rules;

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

  @Override
  public Decision decide(Actor actor, Action action, Relation relation) {
    if (!actor.active()) {
      return Decision.deny(Decision.Reason.ACTOR_INACTIVE, "the acting user is not active");
    }
    if (actor.revocations().contains(action)) {
      return Decision.deny(
          Decision.Reason.PERMISSION_REVOKED, action + " was revoked from this user");
    }
    if (actor.system()) {
      return Decision.allow();
    }
    if (action == Action.EDIT_OWN_PROFILE) {
      return relation == Relation.SELF
          ? Decision.allow()
          : Decision.deny(Decision.Reason.NOT_SELF_OR_REPORT, "only your own profile");
    }
    if (action == Action.VIEW_USER && (relation == Relation.SELF || relation.isReport())) {
      return Decision.allow();
    }
    Rule rule = rules.getOrDefault(action, rules.get(Action.VIEW_USERS));
    if (rule == null) {
      return Decision.deny(Decision.Reason.ROLE_TOO_LOW, "no rule for " + action);
    }
    if (rule.flag().isPresent() && !flags.isEnabled(actor.tenant(), rule.flag().get())) {
      return Decision.deny(
          Decision.Reason.FLAG_DISABLED,
          action + " needs the " + rule.flag().get() + " feature flag, which is off");
    }
    if (actor.supportLevel() < rule.support()) {
      return Decision.deny(
          Decision.Reason.SUPPORT_LEVEL_TOO_LOW,
          action + " needs support level " + rule.support() + " or more");
    }
    if (rule.demo() && !actor.tenantPurpose().map(Actor.DEMO::equals).orElse(false)) {
      return Decision.deny(
          Decision.Reason.NOT_DEMO_TENANT, action + " is for demo / POC tenants only");
    }
    if (rule.threshold().isPresent() && !actor.grants().contains(action)) {
      Role have = actor.peopleRole();
      Role need = rule.threshold().get();
      boolean ok = rule.strictlyAbove() ? have.level() > need.level() : have.atLeast(need);
      if (!ok) {
        return Decision.deny(
            Decision.Reason.ROLE_TOO_LOW,
            action
                + " needs an effective People role "
                + (rule.strictlyAbove() ? "above " : "of at least ")
                + need
                + "; the actor has "
                + have);
      }
    }
    return Decision.allow();
  }

  /**
   * Like {@link #decide} for an action on a target, adding the rule that the target's role may not
   * be above the actor's (for impersonation and edits).
   *
   * @param actor who acts
   * @param action what
   * @param target the user acted on
   * @param relation how the target relates to the actor
   * @return the decision
   */
  public Decision decideOn(Actor actor, Action action, User target, Relation relation) {
    if (!target.tenant().equals(actor.tenant())) {
      return Decision.deny(Decision.Reason.OTHER_TENANT, "the user belongs to another tenant");
    }
    Decision d = decide(actor, action, relation);
    if (d.allowed()
        && !actor.system()
        && relation != Relation.SELF
        && target.effectiveRole(roles, DomainRole.PEOPLE).level() > actor.peopleRole().level()
        && !target.status().isInactive()) {
      return Decision.deny(
          Decision.Reason.TARGET_OUTRANKS,
          "the user's role " + target.role() + " is above the actor's " + actor.peopleRole());
    }
    return d;
  }

  @Override
  public Decision decideEdit(
      Actor actor,
      User target,
      Relation relation,
      UserPatch patch,
      AttributeSchema schema,
      EditChannel channel) {
    if (!target.tenant().equals(actor.tenant())) {
      return Decision.deny(Decision.Reason.OTHER_TENANT, "the user belongs to another tenant");
    }
    Decision admin = decideOn(actor, Action.EDIT_USER, target, relation);
    if (admin.allowed()) {
      return adminFieldRules(actor, patch, schema, channel);
    }
    if (relation == Relation.SELF && decide(actor, Action.EDIT_OWN_PROFILE, relation).allowed()) {
      for (UserField f : patch.fields().keySet()) {
        if (!SELF_SERVICE_FIELDS.contains(f)) {
          return Decision.deny(
              Decision.Reason.FIELD_READ_ONLY, f.key() + " cannot be changed on your own profile");
        }
      }
      if (!patch.attributes().isEmpty()) {
        return Decision.deny(
            Decision.Reason.FIELD_READ_ONLY, "custom attributes are set by admins or managers");
      }
      return Decision.allow();
    }
    if (relation.isReport() && actor.active()) {
      if (!patch.fields().isEmpty()) {
        return Decision.deny(
            Decision.Reason.FIELD_READ_ONLY,
            "managers may change only attributes editable by managers, not "
                + patch.fields().keySet().iterator().next().key());
      }
      for (String key : patch.attributes().keySet()) {
        boolean editable =
            schema.definition(key).map(AttributeDefinition::editableByManagers).orElse(false);
        if (!editable) {
          return Decision.deny(
              Decision.Reason.FIELD_READ_ONLY, "'" + key + "' is not editable by managers");
        }
      }
      return Decision.allow();
    }
    return admin;
  }

  private Decision adminFieldRules(
      Actor actor, UserPatch patch, AttributeSchema schema, EditChannel channel) {
    Role own = actor.peopleRole();
    if (channel == EditChannel.FORM && patch.fields().containsKey(UserField.PRIMARY_EMAIL)) {
      return Decision.deny(
          Decision.Reason.FIELD_READ_ONLY, "the e-mail address is read-only after creation");
    }
    Optional<Object> role = patch.fields().getOrDefault(UserField.ROLE, Optional.empty());
    if (role.isPresent() && ((Role) role.get()).level() > own.level() && !actor.system()) {
      return Decision.deny(
          Decision.Reason.ROLE_ABOVE_OWN,
          "nobody assigns a role above their own: " + role.get() + " > " + own);
    }
    if (role.isPresent() && role.get().equals(roles.blockedRole())) {
      return Decision.deny(
          Decision.Reason.ROLE_ABOVE_OWN, "Blocked is not assigned; deactivate the user instead");
    }
    Optional<Object> domainRoles =
        patch.fields().getOrDefault(UserField.DOMAIN_ROLES, Optional.empty());
    if (domainRoles.isPresent() && !actor.system()) {
      for (Object o : (Set<?>) domainRoles.get()) {
        if (((DomainRole) o).role().level() > own.level()) {
          return Decision.deny(
              Decision.Reason.ROLE_ABOVE_OWN, "nobody assigns a domain role above their own: " + o);
        }
      }
    }
    if (patch.fields().containsKey(UserField.MODULES)) {
      Decision m = decide(actor, Action.SET_MODULES, Relation.OTHER);
      if (!m.allowed()) {
        return m;
      }
    }
    if (patch.fields().containsKey(UserField.GROUPS)) {
      Decision g = decide(actor, Action.MANAGE_GROUPS, Relation.OTHER);
      if (!g.allowed()) {
        return g;
      }
    }
    for (Map.Entry<String, Optional<AttributeValue>> e : patch.attributes().entrySet()) {
      boolean userRef =
          schema.definition(e.getKey()).map(d -> d.type() == AttributeType.USER_REF).orElse(false);
      if (userRef) {
        Decision d = decide(actor, Action.SEE_USER_REF_ATTRIBUTES, Relation.OTHER);
        if (!d.allowed()) {
          return d;
        }
      }
    }
    return Decision.allow();
  }

  @Override
  public User visiblePart(Actor actor, User target, Relation relation, AttributeSchema schema) {
    if (!target.tenant().equals(actor.tenant())) {
      throw new AccessDeniedException(
          Decision.deny(Decision.Reason.OTHER_TENANT, "the user belongs to another tenant"));
    }
    Decision d = decide(actor, Action.VIEW_USER, relation);
    if (!d.allowed()) {
      throw new AccessDeniedException(d);
    }
    boolean admin =
        decide(actor, Action.VIEW_USERS, Relation.OTHER).allowed() || relation == Relation.SELF;
    boolean seeRefs = decide(actor, Action.SEE_USER_REF_ATTRIBUTES, Relation.OTHER).allowed();
    Map<String, AttributeValue> visible = new LinkedHashMap<>();
    target
        .attributes()
        .forEach(
            (k, v) -> {
              Optional<AttributeDefinition> def = schema.definition(k);
              boolean show =
                  (admin || def.map(AttributeDefinition::visibleToManagers).orElse(false))
                      && (seeRefs || v.type() != AttributeType.USER_REF);
              if (show) {
                visible.put(k, v);
              }
            });
    return visible.size() == target.attributes().size()
        ? target
        : target.toBuilder().attributes(visible).build();
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
      Rule r = java.util.Objects.requireNonNull(rules.get(action));
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
      Rule r = java.util.Objects.requireNonNull(rules.get(action));
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
      Rule r = java.util.Objects.requireNonNull(rules.get(action));
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
