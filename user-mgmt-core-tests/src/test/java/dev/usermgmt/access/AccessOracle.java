package dev.usermgmt.access;

import dev.usermgmt.Action;
import dev.usermgmt.UserId;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.role.DomainRole;
import dev.usermgmt.role.Role;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserField;
import dev.usermgmt.user.UserStatus;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The security rules written again, from the reference gating tables (Employees tab: top bar, user
 * menu, roles; the people platform's role requirements) and the rules of "one authority", without
 * calling the library's policy, catalog ranks or lifecycle. It answers only yes or no; it is
 * deliberately no stricter than the rules, so that anything the library does beyond it is a hole.
 *
 * <p>Roles are compared by the reference's numbers, except that Blocked (99) and any role a stored
 * deactivated user holds count as nothing at all.
 */
final class AccessOracle {
  /** Admin (5) in the reference's numeric table: the threshold of every admin-only action. */
  static final int ADMIN = 5;

  static final int NONE = Integer.MIN_VALUE;

  /** One row of the gating tables. */
  private record Gate(int level, boolean above, Optional<FeatureFlag> flag, int support) {}

  private static final Map<Action, Gate> GATES = new EnumMap<>(Action.class);

  static {
    for (Action a : Action.values()) {
      GATES.put(a, new Gate(ADMIN, false, Optional.empty(), 0));
    }
    gate(Action.EDIT_USER, FeatureFlag.CAN_EDIT_USERS);
    gate(Action.RESET_USER, FeatureFlag.CAN_RESET_USER);
    gate(Action.DEACTIVATE_USER, FeatureFlag.CAN_DEACTIVATE_USER);
    gate(Action.REACTIVATE_USER, FeatureFlag.CAN_DEACTIVATE_USER);
    gate(Action.DELETE_USER, FeatureFlag.CAN_DEACTIVATE_USER);
    gate(Action.SET_MODULES, FeatureFlag.CAN_EDIT_MODULES);
    gate(Action.TRANSFER_OWNERSHIP, FeatureFlag.CAN_TRANSFER_OWNERSHIP);
    gate(Action.IMPERSONATE, FeatureFlag.LMS_ONLY_TENANT);
    gate(Action.UPDATE_FROM_FILE, FeatureFlag.UPDATE_USERS_EXCEL);
    gate(Action.MANAGE_CUSTOM_ATTRIBUTES, FeatureFlag.CAN_ADD_USERS_CUSTOM_ATTRIBUTES);
    GATES.put(
        Action.SYNC_USERS,
        new Gate(ADMIN, true, Optional.of(FeatureFlag.USERS_INTEGRATION_CONFIGURED), 0));
    GATES.put(
        Action.DEACTIVATE_FROM_FILE,
        new Gate(NONE, false, Optional.of(FeatureFlag.DEACTIVATE_USERS_EXCEL), 2));
    GATES.put(Action.BULK_DELETE, new Gate(NONE, false, Optional.empty(), 2));
    GATES.put(
        Action.SEE_USER_REF_ATTRIBUTES,
        new Gate(NONE, false, Optional.of(FeatureFlag.CAN_SEE_USER_TYPE_CUSTOM_ATTRIBUTES), 0));
  }

  private static void gate(Action a, FeatureFlag f) {
    GATES.put(a, new Gate(ADMIN, false, Optional.of(f), 0));
  }

  /** Actions never taken on oneself. */
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

  /** Reads: a target above the reader does not stop them. */
  private static final Set<Action> READS =
      EnumSet.of(
          Action.VIEW_USERS,
          Action.VIEW_USER,
          Action.EXPORT,
          Action.READ_CHANGE_LOG,
          Action.SEE_USER_REF_ATTRIBUTES);

  /** Fields a user changes on their own profile ("Edit your own profile"). */
  private static final Set<UserField> SELF_SERVICE =
      EnumSet.of(
          UserField.DISPLAY_NAME,
          UserField.FIRST_NAME,
          UserField.LAST_NAME,
          UserField.INITIALS,
          UserField.PHONE_NUMBER,
          UserField.TIME_ZONE,
          UserField.LANGUAGE,
          UserField.TAKING_A_BREAK);

  /** Fields only a status move or the named actions change. */
  private static final Map<UserField, Set<Action>> SYSTEM_FIELDS = new EnumMap<>(UserField.class);

  static {
    SYSTEM_FIELDS.put(
        UserField.DEACTIVATED_AT, EnumSet.of(Action.DEACTIVATE_USER, Action.REACTIVATE_USER));
    SYSTEM_FIELDS.put(
        UserField.ACTIVATION_SCHEDULED_AT, EnumSet.of(Action.SCHEDULE_ACTIVATION, Action.ACTIVATE));
    SYSTEM_FIELDS.put(UserField.INVITE_SCHEDULED_AT, EnumSet.of(Action.SEND_INVITATIONS));
    SYSTEM_FIELDS.put(UserField.INVITED_AT, EnumSet.of(Action.SEND_INVITATIONS));
    SYSTEM_FIELDS.put(
        UserField.PASSWORD_STATE,
        EnumSet.of(Action.FORCE_PASSWORD_CHANGE, Action.SEND_INVITATIONS, Action.RECORD_SIGN_IN));
    SYSTEM_FIELDS.put(UserField.LOCKED_OUT, EnumSet.of(Action.UNLOCK, Action.RECORD_SIGN_IN));
    SYSTEM_FIELDS.put(UserField.MFA_REQUIRED, EnumSet.of(Action.MANAGE_MFA));
    SYSTEM_FIELDS.put(UserField.LAST_LOGIN_AT, EnumSet.of(Action.RECORD_SIGN_IN));
    SYSTEM_FIELDS.put(UserField.LAST_ACTIVITY_AT, EnumSet.of(Action.RECORD_SIGN_IN));
    SYSTEM_FIELDS.put(UserField.SKILLS_COUNT, EnumSet.of(Action.RECORD_SIGN_IN));
    SYSTEM_FIELDS.put(UserField.MODULES, EnumSet.of(Action.SET_MODULES, Action.EDIT_USER));
    SYSTEM_FIELDS.put(UserField.GROUPS, EnumSet.of(Action.MANAGE_GROUPS, Action.EDIT_USER));
    SYSTEM_FIELDS.put(UserField.CREATED_AT, EnumSet.noneOf(Action.class));
  }

  private static final Set<UserField> RIGHTS =
      EnumSet.of(
          UserField.ROLE,
          UserField.DOMAIN_ROLES,
          UserField.PERMISSION_GRANTS,
          UserField.PERMISSION_REVOCATIONS);

  private static final Set<UserField> IDENTITY =
      EnumSet.of(UserField.PRIMARY_EMAIL, UserField.USERNAME);

  /**
   * The lifecycle moves of the reference (user states: not yet invited, invite scheduled, invite
   * pending, confirmed, suspended, deactivated, anonymised) and the action each needs. A status
   * change is allowed when some move leads from the status before to the one after, or back (undo).
   */
  private record Move(UserStatus from, UserStatus to, Action action) {}

  private static final List<Move> MOVES;

  static {
    List<Move> m = new java.util.ArrayList<>();
    for (UserStatus s :
        List.of(UserStatus.STAGED, UserStatus.INVITE_SCHEDULED, UserStatus.INVITE_PENDING)) {
      m.add(new Move(s, UserStatus.INVITE_PENDING, Action.SEND_INVITATIONS));
      m.add(new Move(s, UserStatus.ACTIVE, Action.ACTIVATE));
      m.add(new Move(s, UserStatus.DEACTIVATED, Action.DEACTIVATE_USER));
      m.add(new Move(s, UserStatus.DEACTIVATED, Action.DEACTIVATE_FROM_FILE));
    }
    m.add(new Move(UserStatus.STAGED, UserStatus.INVITE_SCHEDULED, Action.SEND_INVITATIONS));
    m.add(new Move(UserStatus.SUSPENDED, UserStatus.ACTIVE, Action.ACTIVATE));
    m.add(new Move(UserStatus.ACTIVE, UserStatus.SUSPENDED, Action.SUSPEND));
    m.add(new Move(UserStatus.SUSPENDED, UserStatus.ACTIVE, Action.SUSPEND));
    m.add(new Move(UserStatus.ACTIVE, UserStatus.DEACTIVATED, Action.DEACTIVATE_USER));
    m.add(new Move(UserStatus.SUSPENDED, UserStatus.DEACTIVATED, Action.DEACTIVATE_USER));
    m.add(new Move(UserStatus.ACTIVE, UserStatus.DEACTIVATED, Action.DEACTIVATE_FROM_FILE));
    m.add(new Move(UserStatus.SUSPENDED, UserStatus.DEACTIVATED, Action.DEACTIVATE_FROM_FILE));
    m.add(new Move(UserStatus.DEACTIVATED, UserStatus.ACTIVE, Action.REACTIVATE_USER));
    m.add(new Move(UserStatus.DEACTIVATED, UserStatus.ANONYMISED, Action.ANONYMISE));
    MOVES = List.copyOf(m);
  }

  /**
   * Who acts, as the oracle sees them at one moment: already narrowed to what their stored record
   * gives them now.
   */
  record Who(
      Optional<UserId> id,
      boolean system,
      boolean active,
      int level,
      Map<String, Integer> domains,
      Set<Action> grants,
      Set<Action> revocations,
      int support) {
    @Override
    public String toString() {
      return (system ? "system" : id.map(UserId::value).orElse("host"))
          + "(level "
          + (level == NONE ? "none" : level)
          + (active ? "" : ", inactive")
          + (domains.isEmpty() ? "" : ", " + domains)
          + (grants.isEmpty() ? "" : ", +" + grants)
          + (revocations.isEmpty() ? "" : ", -" + revocations)
          + (support > 0 ? ", support " + support : "")
          + ")";
    }
  }

  private final Map<FeatureFlag, Boolean> flags;

  AccessOracle(Map<FeatureFlag, Boolean> flags) {
    this.flags = Map.copyOf(flags);
  }

  // ------------------------------------------------------------------ ranks

  /** A role's weight: its number, and nothing at all for Blocked. */
  static int level(Role role) {
    return role.key().equals("blocked") || role.level() >= 99 ? NONE : role.level();
  }

  /** What a stored user holds in a domain, whatever their status. */
  static int held(User u, String domain) {
    int best = level(u.role());
    for (DomainRole d : u.domainRoles()) {
      if (d.domain().equals(domain)) {
        best = Math.max(best, level(d.role()));
      }
    }
    return best;
  }

  /** The actor's weight in a domain: nothing when inactive or Blocked. */
  static int rank(Who a, String domain) {
    if (!a.active() || a.level() == NONE) {
      return NONE;
    }
    return Math.max(a.level(), a.domains().getOrDefault(domain, NONE));
  }

  static int platform(Who a) {
    return a.active() ? a.level() : NONE;
  }

  /**
   * The actor as the host hands them in, narrowed to what their stored record gives them now: never
   * a higher role, domain role or grant than the record; every revocation of the record. An actor
   * who is not a stored user (a host's service account) is taken as given.
   */
  static Who now(Actor given, Map<UserId, User> store) {
    Map<String, Integer> domains = new HashMap<>();
    if (given.system()) {
      return new Who(
          Optional.empty(),
          true,
          given.active(),
          level(given.role()),
          domains,
          Set.of(),
          Set.of(),
          given.supportLevel());
    }
    Optional<User> stored = given.userId().map(store::get);
    int level = level(given.role());
    boolean active = given.active();
    Set<Action> grants = EnumSet.noneOf(Action.class);
    grants.addAll(given.grants());
    Set<Action> revocations = EnumSet.noneOf(Action.class);
    revocations.addAll(given.revocations());
    for (DomainRole d : given.domainRoles()) {
      domains.merge(d.domain(), level(d.role()), Math::max);
    }
    if (stored.isPresent()) {
      User u = stored.get();
      boolean signsIn = u.status() == UserStatus.ACTIVE;
      active = active && signsIn;
      level = Math.min(level, signsIn ? level(u.role()) : NONE);
      Map<String, Integer> has = new HashMap<>();
      for (DomainRole d : u.domainRoles()) {
        has.merge(d.domain(), level(d.role()), Math::max);
      }
      domains.replaceAll((k, v) -> Math.min(v, signsIn ? has.getOrDefault(k, NONE) : NONE));
      domains.values().removeIf(v -> v == NONE);
      grants.removeIf(g -> !u.permissionGrants().contains(g.name()));
      u.permissionRevocations().forEach(r -> Action.byName(r).ifPresent(revocations::add));
    } else if (given.storedUser()) {
      // README: an actor made from a user's record whose record is deleted may do nothing
      active = false;
      level = NONE;
      domains.clear();
      grants.clear();
    }
    return new Who(
        given.userId(), false, active, level, domains, grants, revocations, given.supportLevel());
  }

  /** A stored user as an actor of their own (support level 0), for counting their rights. */
  static Who asActor(User u) {
    Map<String, Integer> domains = new HashMap<>();
    boolean signsIn = u.status() == UserStatus.ACTIVE;
    for (DomainRole d : u.domainRoles()) {
      domains.merge(d.domain(), level(d.role()), Math::max);
    }
    Set<Action> grants = EnumSet.noneOf(Action.class);
    u.permissionGrants().forEach(g -> Action.byName(g).ifPresent(grants::add));
    Set<Action> revocations = EnumSet.noneOf(Action.class);
    u.permissionRevocations().forEach(g -> Action.byName(g).ifPresent(revocations::add));
    return new Who(
        Optional.of(u.id()), false, signsIn, level(u.role()), domains, grants, revocations, 0);
  }

  // ------------------------------------------------------------------ actions

  /** May the actor take an action with no target (the gating tables)? */
  boolean holds(Who a, Action x) {
    if (rank(a, DomainRole.PEOPLE) == NONE || a.revocations().contains(x)) {
      return false;
    }
    if (a.system()) {
      return x == Action.ACTIVATE || x == Action.SEND_INVITATIONS || x == Action.RECORD_SIGN_IN;
    }
    if (x == Action.RECORD_SIGN_IN) {
      return false;
    }
    if (x == Action.EDIT_OWN_PROFILE) {
      return true;
    }
    Gate g = Objects.requireNonNull(GATES.get(x));
    if (g.flag().isPresent() && !flags.getOrDefault(g.flag().get(), false)) {
      return false;
    }
    if (a.support() < g.support()) {
      return false;
    }
    if (x == Action.GENERATE_DEMO_PASSWORDS) {
      return false; // no demo tenants here
    }
    if (g.level() == NONE || a.grants().contains(x)) {
      return true;
    }
    int have = rank(a, DomainRole.PEOPLE);
    return g.above() ? have > g.level() : have >= g.level();
  }

  /** May the actor take an action on a stored user? */
  boolean holdsOn(Who a, Action x, User target, boolean report) {
    boolean self = a.id().equals(Optional.of(target.id()));
    if (x == Action.VIEW_USER && (self || report)) {
      return rank(a, DomainRole.PEOPLE) != NONE;
    }
    if (!holds(a, x)) {
      return false;
    }
    if (self && NOT_ON_SELF.contains(x)) {
      return false;
    }
    if (!self
        && !READS.contains(x)
        && held(target, DomainRole.PEOPLE) > rank(a, DomainRole.PEOPLE)) {
      return false;
    }
    if (a.system()) {
      return switch (x) {
        // a scheduled activation falling due, or the invitee's acceptance of an invitation
        case ACTIVATE ->
            target.activationScheduledAt().isPresent()
                || target.status() == UserStatus.INVITE_PENDING;
        case SEND_INVITATIONS -> target.inviteScheduledAt().isPresent();
        default -> true;
      };
    }
    return true;
  }

  /** The actions and ranks a stored user's record gives them now. */
  Set<String> rights(User u) {
    Who w = asActor(u);
    Set<String> out = new HashSet<>();
    for (Action x : Action.values()) {
      if (holds(w, x)) {
        out.add(x.name());
      }
    }
    int people = rank(w, DomainRole.PEOPLE);
    if (people != NONE) {
      for (int l = 1; l <= people; l++) {
        out.add("people-rank " + l);
      }
      for (int l = 1; l <= platform(w) && w.level() != NONE; l++) {
        out.add("platform-rank " + l);
      }
      for (Map.Entry<String, Integer> d : w.domains().entrySet()) {
        for (int l = 1; l <= Math.max(d.getValue(), w.level()); l++) {
          out.add(d.getKey() + "-rank " + l);
        }
      }
    }
    return out;
  }

  /** Whether the actor holds a right in the sense of {@link #rights}. */
  boolean holdsRight(Who a, String right) {
    if (right.contains("-rank ")) {
      String domain = right.substring(0, right.indexOf("-rank "));
      int l = Integer.parseInt(right.substring(right.indexOf("-rank ") + 6));
      int have =
          switch (domain) {
            case "platform" ->
                platform(a) == NONE || rank(a, DomainRole.PEOPLE) == NONE ? NONE : platform(a);
            case "people" -> rank(a, DomainRole.PEOPLE);
            default -> rank(a, domain);
          };
      return have >= l;
    }
    return holds(a, Action.valueOf(right));
  }

  // ------------------------------------------------------------------ writes

  /**
   * May the actor, now, turn the stored user {@code before} into {@code after}? Empty means yes;
   * otherwise the rule the write breaks.
   */
  Optional<String> write(
      Who a,
      Optional<User> before,
      Optional<User> after,
      AttributeSchema schema,
      Map<UserId, User> store) {
    User target = before.or(() -> after).orElseThrow();
    boolean self = a.id().equals(Optional.of(target.id()));
    if (before.isEmpty()) {
      if (!holds(a, Action.ADD_USERS)) {
        return Optional.of("creates without ADD_USERS");
      }
      return rightsChange(a, Optional.empty(), after.orElseThrow());
    }
    User b = before.get();
    if (!self && held(b, DomainRole.PEOPLE) > rank(a, DomainRole.PEOPLE)) {
      return Optional.of("writes a user who outranks the actor");
    }
    if (after.isEmpty()) {
      if (!holdsOn(a, Action.DELETE_USER, b, false) && !holdsOn(a, Action.BULK_DELETE, b, false)) {
        return Optional.of("deletes without DELETE_USER or BULK_DELETE on the user");
      }
      if (!(b.status() == UserStatus.DEACTIVATED || b.status() == UserStatus.ANONYMISED)
          && !holdsOn(a, Action.DEACTIVATE_USER, b, false)
          && !holdsOn(a, Action.DEACTIVATE_FROM_FILE, b, false)) {
        return Optional.of("deletes a user not deactivated without the right to deactivate");
      }
      return Optional.empty();
    }
    User n = after.get();
    boolean report = isReport(a, b, store);
    Set<UserField> changed = EnumSet.noneOf(UserField.class);
    for (UserField f : UserField.values()) {
      if (!f.get(b).equals(f.get(n))) {
        changed.add(f);
      }
    }
    Set<String> attributes = new HashSet<>(b.attributes().keySet());
    attributes.addAll(n.attributes().keySet());
    attributes.removeIf(k -> Objects.equals(b.attributes().get(k), n.attributes().get(k)));
    boolean moved = changed.remove(UserField.STATUS);
    if (moved) {
      boolean ok = false;
      for (Move m : MOVES) {
        boolean fits =
            (m.from() == b.status() && m.to() == n.status())
                || (m.from() == n.status() && m.to() == b.status());
        if (fits && holdsOn(a, m.action(), b, report)) {
          ok = true;
        }
      }
      if (!ok) {
        return Optional.of("moves " + b.status() + " -> " + n.status() + " without its action");
      }
      changed.removeIf(SYSTEM_FIELDS::containsKey);
      if (n.status() == UserStatus.ANONYMISED) {
        changed.removeIf(f -> f == UserField.DISPLAY_NAME || f.get(n).isEmpty());
        attributes.removeIf(k -> !n.attributes().containsKey(k));
      }
    }
    boolean edit = holdsOn(a, Action.EDIT_USER, b, report);
    Set<UserField> rightsChanged = EnumSet.noneOf(UserField.class);
    for (UserField f : changed) {
      if (RIGHTS.contains(f)) {
        rightsChanged.add(f);
      } else if (SYSTEM_FIELDS.containsKey(f)) {
        boolean ok = false;
        for (Action x : SYSTEM_FIELDS.get(f)) {
          ok |= holdsOn(a, x, b, report);
        }
        if (!ok) {
          return Optional.of("changes " + f.key() + " without " + SYSTEM_FIELDS.get(f));
        }
      } else if (IDENTITY.contains(f)) {
        if (!edit) {
          return Optional.of("changes " + f.key() + " without EDIT_USER");
        }
        if (!self && held(b, DomainRole.PEOPLE) >= rank(a, DomainRole.PEOPLE)) {
          return Optional.of("changes the " + f.key() + " of a user at or above the actor");
        }
      } else if (!edit
          && !(self && SELF_SERVICE.contains(f) && holds(a, Action.EDIT_OWN_PROFILE))) {
        return Optional.of("changes " + f.key() + " without EDIT_USER");
      }
    }
    if (!rightsChanged.isEmpty()) {
      if (self) {
        return Optional.of("changes their own rights " + rightsChanged);
      }
      if (!edit) {
        return Optional.of("changes rights without EDIT_USER");
      }
      Optional<String> r = rightsChange(a, before, n);
      if (r.isPresent()) {
        return r;
      }
    }
    for (String k : attributes) {
      Optional<AttributeDefinition> d = schema.definition(k);
      if (edit) {
        if (d.map(x -> x.type() == AttributeType.USER_REF).orElse(false)
            && !holds(a, Action.SEE_USER_REF_ATTRIBUTES)) {
          return Optional.of("sets user-reference attribute " + k + " without seeing them");
        }
        continue;
      }
      if (!(report && d.map(AttributeDefinition::editableByManagers).orElse(false))) {
        return Optional.of("sets attribute " + k + " neither as admin nor as its manager");
      }
    }
    return Optional.empty();
  }

  /** The rights a write gives: role ceilings, domain roles, grants and revocations. */
  private Optional<String> rightsChange(Who a, Optional<User> before, User after) {
    if (!before.map(User::role).equals(Optional.of(after.role()))) {
      int l = level(after.role());
      if (l == NONE) {
        return Optional.of("assigns the Blocked role");
      }
      if (l > platform(a) || rank(a, DomainRole.PEOPLE) == NONE) {
        return Optional.of("assigns role " + after.role().key() + " above the actor's own");
      }
    }
    Set<DomainRole> domains = new HashSet<>(after.domainRoles());
    Set<DomainRole> old = before.map(User::domainRoles).orElse(Set.of());
    Set<DomainRole> diff = new HashSet<>(domains);
    diff.removeAll(old);
    Set<DomainRole> removed = new HashSet<>(old);
    removed.removeAll(domains);
    diff.addAll(removed);
    for (DomainRole d : diff) {
      int l = level(d.role());
      if (l == NONE || l > rank(a, d.domain())) {
        return Optional.of("assigns or removes domain role " + d + " above the actor's own");
      }
    }
    Set<String> touched = new HashSet<>();
    touched.addAll(symmetric(after.permissionGrants(), before.map(User::permissionGrants)));
    touched.addAll(
        symmetric(after.permissionRevocations(), before.map(User::permissionRevocations)));
    if (touched.isEmpty()) {
      return Optional.empty();
    }
    int mine = rank(a, DomainRole.PEOPLE);
    if (held(after, DomainRole.PEOPLE) >= mine
        || before.map(b -> held(b, DomainRole.PEOPLE) >= mine).orElse(false)) {
      return Optional.of("changes the grants of a user not strictly below the actor");
    }
    for (String t : touched) {
      Optional<Action> x = Action.byName(t);
      if (x.isEmpty() || !holds(a, x.get())) {
        return Optional.of("grants or revokes " + t + ", which the actor does not hold");
      }
    }
    return Optional.empty();
  }

  private static Set<String> symmetric(Set<String> now, Optional<? extends Set<String>> was) {
    Set<String> out = new HashSet<>(now);
    Set<String> old = was.map(Set::copyOf).orElse(Set.of());
    out.removeAll(old);
    Set<String> gone = new HashSet<>(old);
    gone.removeAll(now);
    out.addAll(gone);
    return out;
  }

  /** Whether the target reports, directly or not, to the actor (by the stored manager chain). */
  static boolean isReport(Who a, User target, Map<UserId, User> store) {
    if (a.id().isEmpty()) {
      return false;
    }
    Optional<UserId> m = target.managerId();
    Set<UserId> seen = new HashSet<>();
    while (m.isPresent() && seen.add(m.get())) {
      if (m.equals(a.id())) {
        return true;
      }
      User next = store.get(m.get());
      m = next == null ? Optional.empty() : next.managerId();
    }
    return false;
  }

  // ------------------------------------------------------------------ reads

  /** Whether the reader sees the user at all. */
  boolean seesUser(Who r, User u, Map<UserId, User> store) {
    if (r.system() || rank(r, DomainRole.PEOPLE) == NONE) {
      return false;
    }
    boolean self = r.id().equals(Optional.of(u.id()));
    return self
        || isReport(r, u, store)
        || holds(r, Action.VIEW_USERS)
        || holdsOn(r, Action.VIEW_USER, u, false);
  }

  /** Whether the reader sees a user's grants and revocations. */
  boolean seesRights(Who r, User u) {
    return r.id().equals(Optional.of(u.id())) || holds(r, Action.VIEW_USERS);
  }

  /** Whether the reader sees an attribute of a user (history: in the change log). */
  boolean seesAttribute(
      Who r, User u, String key, AttributeSchema schema, boolean history, Map<UserId, User> store) {
    if (!seesUser(r, u, store)) {
      return false;
    }
    boolean full = seesRights(r, u);
    Optional<AttributeDefinition> d = schema.definition(key);
    if (d.isEmpty()) {
      return full;
    }
    boolean manager = isReport(r, u, store);
    return (full || (manager && d.get().visibleToManagers()))
        && (d.get().type() != AttributeType.USER_REF || holds(r, Action.SEE_USER_REF_ATTRIBUTES))
        && (!history || !d.get().sensitive() || holds(r, Action.MANAGE_CUSTOM_ATTRIBUTES));
  }
}
