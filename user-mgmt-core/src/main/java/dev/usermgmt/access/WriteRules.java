package dev.usermgmt.access;

import dev.usermgmt.Action;
import dev.usermgmt.Decision;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.role.DomainRole;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.user.Transition;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserField;
import dev.usermgmt.user.UserLifecycle;
import dev.usermgmt.user.UserStatus;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The default policy's judgement of a write, by what it changes: which actions let someone make
 * each change, the role ceilings, the rules for grants and identities.
 */
final class WriteRules {
  /** Fields a lifecycle move sets along with the status; the move's action covers them. */
  private static final Set<UserField> MOVE_BOOKKEEPING =
      EnumSet.of(
          UserField.DEACTIVATED_AT,
          UserField.ACTIVATION_SCHEDULED_AT,
          UserField.INVITE_SCHEDULED_AT,
          UserField.INVITED_AT,
          UserField.PASSWORD_STATE,
          UserField.LAST_LOGIN_AT,
          UserField.LAST_ACTIVITY_AT);

  /** The actions that let someone change a system field outside a status move. */
  private static final Map<UserField, List<Action>> SYSTEM_FIELDS = new EnumMap<>(UserField.class);

  static {
    SYSTEM_FIELDS.put(
        UserField.DEACTIVATED_AT, List.of(Action.DEACTIVATE_USER, Action.REACTIVATE_USER));
    SYSTEM_FIELDS.put(UserField.ACTIVATION_SCHEDULED_AT, List.of(Action.SCHEDULE_ACTIVATION));
    SYSTEM_FIELDS.put(UserField.INVITE_SCHEDULED_AT, List.of(Action.SEND_INVITATIONS));
    SYSTEM_FIELDS.put(UserField.INVITED_AT, List.of(Action.SEND_INVITATIONS));
    SYSTEM_FIELDS.put(
        UserField.PASSWORD_STATE,
        List.of(Action.FORCE_PASSWORD_CHANGE, Action.SEND_INVITATIONS, Action.RECORD_SIGN_IN));
    SYSTEM_FIELDS.put(UserField.LOCKED_OUT, List.of(Action.UNLOCK, Action.RECORD_SIGN_IN));
    SYSTEM_FIELDS.put(UserField.MFA_REQUIRED, List.of(Action.MANAGE_MFA));
    SYSTEM_FIELDS.put(UserField.LAST_LOGIN_AT, List.of(Action.RECORD_SIGN_IN));
    SYSTEM_FIELDS.put(UserField.LAST_ACTIVITY_AT, List.of(Action.RECORD_SIGN_IN));
    SYSTEM_FIELDS.put(UserField.SKILLS_COUNT, List.of(Action.RECORD_SIGN_IN));
    SYSTEM_FIELDS.put(UserField.MODULES, List.of(Action.SET_MODULES));
    SYSTEM_FIELDS.put(UserField.GROUPS, List.of(Action.MANAGE_GROUPS));
  }

  /**
   * The fields of a user's account that who may act on it sets without seeing the user (unlocking,
   * MFA, passwords, invitations, sign-ins): the system fields but the modules and groups, which are
   * the user's profile.
   */
  private static final Set<UserField> ACCOUNT = EnumSet.noneOf(UserField.class);

  static {
    ACCOUNT.addAll(SYSTEM_FIELDS.keySet());
    ACCOUNT.remove(UserField.MODULES);
    ACCOUNT.remove(UserField.GROUPS);
  }

  /** The refusal of a write to a user the actor may not see, beyond their account and status. */
  private static final Decision UNSEEN = Visibility.unseen();

  /** The rights of a user record: changing them is governed by the grant rules. */
  private static final Set<UserField> RIGHTS =
      EnumSet.of(
          UserField.ROLE,
          UserField.DOMAIN_ROLES,
          UserField.PERMISSION_GRANTS,
          UserField.PERMISSION_REVOCATIONS);

  private static final Set<UserField> IDENTITY =
      EnumSet.of(UserField.PRIMARY_EMAIL, UserField.USERNAME);

  private final DefaultAccessPolicy policy;
  private final RoleCatalog roles;

  WriteRules(DefaultAccessPolicy policy, RoleCatalog roles) {
    this.policy = policy;
    this.roles = roles;
  }

  Decision decide(Actor actor, UserWrite w) {
    for (User u : List.of(w.before(), w.after()).stream().flatMap(Optional::stream).toList()) {
      if (!u.tenant().equals(actor.tenant())) {
        return Decision.deny(Decision.Reason.OTHER_TENANT, "the user belongs to another tenant");
      }
    }
    return switch (w.kind()) {
      case CREATE -> create(actor, w);
      case DELETE -> delete(actor, w);
      case UPDATE -> update(actor, w);
    };
  }

  private Decision create(Actor actor, UserWrite w) {
    User after = w.after().orElseThrow();
    Decision d = policy.decide(actor, Action.ADD_USERS);
    if (!d.allowed()) {
      return d;
    }
    for (String key : after.attributes().keySet()) {
      // a user-reference value is written, as it is read, only with the action that shows it
      if (w.schema()
          .definition(key)
          .map(def -> def.type() == AttributeType.USER_REF)
          .orElse(false)) {
        d = policy.decide(actor, Action.SEE_USER_REF_ATTRIBUTES);
        if (!d.allowed()) {
          return d;
        }
      }
    }
    d = rights(actor, Optional.empty(), after);
    return d.allowed() ? gained(actor, Optional.empty(), after, () -> true) : d;
  }

  private Decision delete(Actor actor, UserWrite w) {
    User before = w.before().orElseThrow();
    Relation r = near(actor, before);
    Decision d = anyOf(actor, before, r, Action.DELETE_USER, Action.BULK_DELETE);
    if (d.allowed() && !before.status().isInactive()) {
      // deleting a user who is not deactivated deactivates them first
      d = anyOf(actor, before, r, Action.DEACTIVATE_USER, Action.DEACTIVATE_FROM_FILE);
    }
    return d;
  }

  private Decision update(Actor actor, UserWrite w) {
    User before = w.before().orElseThrow();
    User after = w.after().orElseThrow();
    Relation near = near(actor, before);
    boolean self = near == Relation.SELF;
    if (w.changedFields().isEmpty() && w.changedAttributes().isEmpty() && !seesUser(actor, w)) {
      // a write that changes nothing answers with the user as stored: it is a read, for those who
      // may read the user (an empty edit of a user the actor may not see showed the whole record)
      return UNSEEN;
    }
    if (!self && writesProfile(w) && !seesUser(actor, w)) {
      // who may not see a user moves them and acts on their account, but writes nothing of their
      // profile, rights or attributes: refused as a write that changes nothing is, whatever the
      // user holds (their values, their rank), so that a guess at a hidden value learns nothing
      return UNSEEN;
    }
    if (!self && policy.outranks(before, actor)) {
      return Decision.deny(
          Decision.Reason.TARGET_OUTRANKS,
          "the user holds a role above the actor's " + actor.peopleRole());
    }
    Set<UserField> fields = EnumSet.noneOf(UserField.class);
    fields.addAll(w.changedFields());
    Set<String> attributes = new HashSet<>(w.changedAttributes());
    if (fields.contains(UserField.STATUS)) {
      Decision d = statusMove(actor, before, after, near, w.move());
      if (!d.allowed()) {
        return d;
      }
      fields.remove(UserField.STATUS);
      fields.removeAll(MOVE_BOOKKEEPING);
      if (after.status() == UserStatus.ANONYMISED) {
        // anonymisation is the removal of personal data: what it clears is part of the move
        fields.removeIf(f -> f == UserField.DISPLAY_NAME || f.get(after).isEmpty());
        attributes.removeIf(k -> !after.attributes().containsKey(k));
      }
    }
    if (fields.contains(UserField.CREATED_AT)) {
      return Decision.deny(Decision.Reason.FIELD_READ_ONLY, "createdAt never changes");
    }
    Set<UserField> rights = EnumSet.noneOf(UserField.class);
    for (UserField f : fields) {
      if (RIGHTS.contains(f)) {
        rights.add(f);
        continue;
      }
      Decision d =
          SYSTEM_FIELDS.containsKey(f)
              ? anyOf(actor, before, near, SYSTEM_FIELDS.get(f).toArray(new Action[0]))
              : profileField(actor, before, w, near, f);
      if (!d.allowed()) {
        return d;
      }
    }
    if (!rights.isEmpty()) {
      Decision edit = policy.decide(actor, Action.EDIT_USER, before, near);
      if (!edit.allowed()) {
        return edit;
      }
      if (self) {
        return Decision.deny(
            Decision.Reason.OWN_RIGHTS,
            "nobody changes their own role, domain roles, grants or revocations");
      }
      for (UserField f : rights) {
        if (!sees(actor, w, AttributeSchema.empty(), v -> v.sees(f))) {
          return Visibility.hiddenField(f.key());
        }
      }
      Decision d = rights(actor, Optional.of(before), after);
      if (!d.allowed()) {
        return d;
      }
    }
    for (String key : attributes) {
      if (!sees(actor, w, w.schema(), v -> v.seesAttribute(key))) {
        // written only by who may read it, as a file's cell is
        return Visibility.hiddenField(AttributeSchema.fieldOf(key));
      }
      Decision d = attribute(actor, before, w, near, key);
      if (!d.allowed()) {
        return d;
      }
    }
    return gained(
        actor, Optional.of(before), after, () -> sees(actor, w, UserField.PERMISSION_GRANTS));
  }

  /**
   * Whether a write changes something of the user's profile, rights or attributes: beyond their
   * status (and what a move sets with it, what an anonymisation clears) and their account.
   */
  private static boolean writesProfile(UserWrite w) {
    User after = w.after().orElseThrow();
    boolean move = w.changedFields().contains(UserField.STATUS);
    boolean anonymising = move && after.status() == UserStatus.ANONYMISED;
    for (String k : w.changedAttributes()) {
      if (!anonymising || after.attributes().containsKey(k)) {
        return true;
      }
    }
    for (UserField f : w.changedFields()) {
      boolean part =
          f == UserField.STATUS
              || ACCOUNT.contains(f)
              || (move && MOVE_BOOKKEEPING.contains(f))
              || (anonymising && (f == UserField.DISPLAY_NAME || f.get(after).isEmpty()));
      if (!part) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the actor may see the user a write is about (the system may): asked first of any user
   * (no relation worked out), then of the user as related to the actor.
   */
  private boolean seesUser(Actor actor, UserWrite w) {
    return sees(actor, w, AttributeSchema.empty(), Visibility::seesUser);
  }

  /** Whether the actor may see a field of the user a write is about (a refusal may name it). */
  private boolean sees(Actor actor, UserWrite w, UserField f) {
    return sees(actor, w, AttributeSchema.empty(), v -> v.sees(f));
  }

  /**
   * Whether the actor's view of the user a write is about passes a test (the system's does): asked
   * first of any user, with no relation worked out, then of the user as related to the actor.
   */
  private boolean sees(
      Actor actor,
      UserWrite w,
      AttributeSchema schema,
      java.util.function.Predicate<Visibility> test) {
    return actor.system()
        || test.test(policy.visibility(actor, Relation.OTHER, schema, Visibility.Purpose.RECORD))
        || test.test(policy.visibility(actor, w.relation(), schema, Visibility.Purpose.RECORD));
  }

  /** The statuses from which the invitee's own acceptance signs the user in. */
  private static final Set<UserStatus> INVITED =
      EnumSet.of(UserStatus.INVITE_SCHEDULED, UserStatus.INVITE_PENDING);

  /** Whether a write leaves a user's invitation as it was (not made, scheduled or sent again). */
  private static boolean sameInvitation(User b, User a) {
    return b.status() == a.status()
        && b.invitedAt().equals(a.invitedAt())
        && b.inviteScheduledAt().equals(a.inviteScheduledAt());
  }

  /**
   * Nobody gives a user an action they do not hold themself, whatever the write: a role, a domain
   * role, a grant, a lifted revocation, or a status move that lets the user sign in again (the
   * actions a user holds are those the policy allows them as an actor now). A scheduled activation
   * and an invitation are judged when they are made, by what the user would hold once active; the
   * system (or the invitee's acceptance) then only carries them out.
   */
  private Decision gained(
      Actor actor,
      Optional<User> before,
      User after,
      java.util.function.BooleanSupplier seesGrants) {
    if (actor.system() || before.filter(b -> sameRights(b, after)).isPresent()) {
      return Decision.allow();
    }
    Set<Action> gained = held(after, false);
    // a newly scheduled activation gives, when it falls due, what the user holds signed in; so
    // does an invitation made or sent again (an invite, a resend, an undo into one), when the
    // invitee accepts it
    boolean scheduling =
        (after.activationScheduledAt().isPresent()
                && !before
                    .flatMap(User::activationScheduledAt)
                    .equals(after.activationScheduledAt()))
            || (INVITED.contains(after.status())
                && !before.filter(b -> sameInvitation(b, after)).isPresent());
    // a schedule or an invitation already pending gives, when it falls due or is accepted, what
    // the user will then hold: a change of their rights meanwhile is judged by that too, against
    // what the pending one gave (a role raised after the schedule was made gave it on activation)
    boolean pending =
        !scheduling && before.filter(WriteRules::pending).isPresent() && pending(after);
    if (scheduling || pending) {
      gained.addAll(held(after, true));
    }
    if (!gained.isEmpty()) {
      // (a record that holds nothing, a deactivation's, gains nothing: the record before is not
      // worked out)
      before.ifPresent(b -> gained.removeAll(held(b, pending)));
    }
    for (Action a : gained) {
      if (!policy.allows(actor, a)) {
        return Decision.deny(
            Decision.Reason.NOT_HELD,
            // the action is named to who may read the user's grants (it may be one of them)
            "nobody gives a user an action they do not hold themself"
                + (seesGrants.getAsBoolean() ? ": " + a : ""));
      }
    }
    Map<String, Integer> now = ranks(after, scheduling || pending);
    Map<String, Integer> was =
        now.isEmpty() ? Map.of() : before.map(b -> ranks(b, pending)).orElse(Map.of());
    for (Map.Entry<String, Integer> r : now.entrySet()) {
      int mine =
          r.getKey().isEmpty() ? policy.platformRank(actor) : policy.actorRank(actor, r.getKey());
      if (r.getValue() > was.getOrDefault(r.getKey(), Integer.MIN_VALUE) && r.getValue() > mine) {
        return Decision.deny(
            Decision.Reason.ROLE_ABOVE_OWN,
            "nobody gives a user a rank above their own"
                + (r.getKey().isEmpty() ? "" : " in the " + r.getKey() + " domain"));
      }
    }
    return Decision.allow();
  }

  /** Whether a user has an activation scheduled or an invitation pending. */
  private static boolean pending(User u) {
    return u.activationScheduledAt().isPresent() || INVITED.contains(u.status());
  }

  /**
   * Whether two records of a user give the same rights: everything {@link #held} and {@link #ranks}
   * read is equal, and an invitation is not made or sent again (most writes of a bulk update change
   * none of it, and skip the recomputation).
   */
  private static boolean sameRights(User b, User a) {
    return b.role().equals(a.role())
        && b.status() == a.status()
        && b.domainRoles().equals(a.domainRoles())
        && b.permissionGrants().equals(a.permissionGrants())
        && b.permissionRevocations().equals(a.permissionRevocations())
        && b.activationScheduledAt().equals(a.activationScheduledAt())
        && (!INVITED.contains(a.status()) || sameInvitation(b, a));
  }

  /**
   * The ranks a user's record gives them now: their platform role's (key "") and, per domain, the
   * higher of it and their roles in that domain; none when they cannot sign in.
   */
  private Map<String, Integer> ranks(User u, boolean signedIn) {
    Map<String, Integer> out = new HashMap<>();
    int platform = roles.rank(u.role());
    if ((!signedIn && !u.status().canSignIn()) || platform == Integer.MIN_VALUE) {
      return out;
    }
    out.put("", platform);
    out.put(DomainRole.PEOPLE, platform);
    for (DomainRole d : u.domainRoles()) {
      out.merge(d.domain(), Math.max(platform, roles.rank(d.role())), Math::max);
    }
    return out;
  }

  /**
   * The actions a user's record lets them take: as they are now, or as they would be signed in
   * (whatever their status).
   */
  private Set<Action> held(User u, boolean signedIn) {
    Actor.Builder b =
        Actor.builder()
            .tenant(u.tenant())
            .userId(u.id())
            .role(signedIn ? u.role() : u.effectiveRole(roles))
            .domainRoles(signedIn || !u.status().isInactive() ? u.domainRoles() : Set.of())
            .active(signedIn || u.status().canSignIn());
    u.permissionGrants().forEach(g -> Action.byName(g).ifPresent(b::addGrants));
    u.permissionRevocations().forEach(g -> Action.byName(g).ifPresent(b::addRevocations));
    Actor as = b.build();
    Set<Action> out = EnumSet.noneOf(Action.class);
    for (Action a : Action.values()) {
      if (a != Action.EDIT_OWN_PROFILE && policy.allows(as, a)) {
        out.add(a);
      }
    }
    return out;
  }

  /** A status change: some move from the status before to the one after, or the reverse move. */
  private Decision statusMove(
      Actor actor, User before, User after, Relation relation, Optional<Transition> move) {
    Set<Transition> moves = UserLifecycle.between(before.status(), after.status());
    if (moves.isEmpty()) {
      // a write that takes a move back (undo) needs the rights of the move it takes back
      moves = UserLifecycle.between(after.status(), before.status());
    }
    if (moves.isEmpty()) {
      return Decision.deny(
          Decision.Reason.NO_SUCH_MOVE,
          "no lifecycle move leads from " + before.status() + " to " + after.status());
    }
    Decision first = Decision.allow();
    for (Transition t : moves) {
      if (t == Transition.ACCEPT && !move.equals(Optional.of(Transition.ACCEPT))) {
        continue; // an acceptance is recorded only by the acceptance itself, never by another write
      }
      Decision d =
          t == Transition.DEACTIVATE
              ? anyOf(actor, before, relation, t.action(), Action.DEACTIVATE_FROM_FILE)
              : policy.decide(actor, t.action(), before, relation);
      if (d.allowed()) {
        return d;
      }
      first = first.and(d);
    }
    return first;
  }

  /** A standard profile field: admins, the user on their own profile, never managers. */
  private Decision profileField(Actor actor, User before, UserWrite w, Relation near, UserField f) {
    Decision edit = policy.decide(actor, Action.EDIT_USER, before, near);
    if (edit.allowed()) {
      if (IDENTITY.contains(f)) {
        return identity(actor, before, w, f);
      }
      return edit;
    }
    if (near == Relation.SELF
        && DefaultAccessPolicy.SELF_SERVICE_FIELDS.contains(f)
        && policy.decide(actor, Action.EDIT_OWN_PROFILE, before, Relation.SELF).allowed()) {
      return Decision.allow();
    }
    if (near == Relation.SELF) {
      return Decision.deny(
          Decision.Reason.FIELD_READ_ONLY, f.key() + " cannot be changed on your own profile");
    }
    if (w.relation().isReport()) {
      return Decision.deny(
          Decision.Reason.FIELD_READ_ONLY,
          "managers may change only attributes editable by managers, not " + f.key());
    }
    return edit;
  }

  /** E-mail and username: read-only in forms, and never of someone at or above the actor. */
  private Decision identity(Actor actor, User before, UserWrite w, UserField f) {
    if (f == UserField.PRIMARY_EMAIL && w.channel() == EditChannel.FORM) {
      return Decision.deny(
          Decision.Reason.FIELD_READ_ONLY, "the e-mail address is read-only after creation");
    }
    boolean self = actor.userId().equals(Optional.of(before.id()));
    if (!self
        && policy.heldRank(before, DomainRole.PEOPLE)
            >= policy.actorRank(actor, DomainRole.PEOPLE)) {
      return Decision.deny(
          Decision.Reason.IDENTITY_PROTECTED,
          "the "
              + f.key()
              + " of a user at or above the actor's rank changes only by that user or above");
    }
    if (!self) {
      if (!sees(actor, w, UserField.PERMISSION_GRANTS)) {
        // whether the user holds an action the actor does not may come from grants the actor may
        // not read: refused whatever they hold
        return Decision.deny(
            Decision.Reason.IDENTITY_PROTECTED,
            "the " + f.key() + " of a user changes only by someone who may read their grants");
      }
      for (Action a : held(before, true)) {
        if (!policy.allows(actor, a)) {
          return Decision.deny(
              Decision.Reason.IDENTITY_PROTECTED,
              "the "
                  + f.key()
                  + " of a user who may take "
                  + a
                  + " changes only by someone who holds it");
        }
      }
    }
    return Decision.allow();
  }

  private Decision attribute(Actor actor, User before, UserWrite w, Relation near, String key) {
    Optional<AttributeDefinition> def = w.schema().definition(key);
    if (def.map(d -> d.type() == AttributeType.USER_REF).orElse(false)) {
      // a user reference is written only by who may see them, whoever else may edit the user
      Decision refs = policy.decide(actor, Action.SEE_USER_REF_ATTRIBUTES);
      if (!refs.allowed()) {
        return refs;
      }
    }
    Decision edit = policy.decide(actor, Action.EDIT_USER, before, near);
    if (edit.allowed()) {
      return edit;
    }
    if (w.relation().isReport()) {
      boolean editable = def.map(AttributeDefinition::editableByManagers).orElse(false);
      return editable && policy.decide(actor, Action.VIEW_USER, before, w.relation()).allowed()
          ? Decision.allow()
          : Decision.deny(
              Decision.Reason.FIELD_READ_ONLY, "'" + key + "' is not editable by managers");
    }
    if (near == Relation.SELF) {
      return Decision.deny(
          Decision.Reason.FIELD_READ_ONLY, "custom attributes are set by admins or managers");
    }
    return edit;
  }

  /**
   * The rights a write gives a user: the platform role up to the actor's own platform role (it
   * counts in every domain), each domain role up to the actor's rank in that domain, and grants and
   * revocations only by someone above the user, of actions they hold themself.
   */
  private Decision rights(Actor actor, Optional<User> before, User after) {
    if (!before.map(User::role).equals(Optional.of(after.role()))) {
      if (!roles.isActive(after.role())) {
        return Decision.deny(
            Decision.Reason.ROLE_ABOVE_OWN,
            after.role() + " is not assigned; deactivate the user instead");
      }
      if (roles.rank(after.role()) > policy.platformRank(actor)) {
        return Decision.deny(
            Decision.Reason.ROLE_ABOVE_OWN,
            "nobody assigns a platform role above their own: "
                + after.role()
                + " > "
                + actor.role());
      }
    }
    Set<DomainRole> changed = new HashSet<>(after.domainRoles());
    before.ifPresent(b -> symmetricDifference(changed, b.domainRoles()));
    for (DomainRole d : changed) {
      if (!roles.isActive(d.role()) || roles.rank(d.role()) > policy.actorRank(actor, d.domain())) {
        return Decision.deny(
            Decision.Reason.ROLE_ABOVE_OWN,
            "nobody assigns or removes a domain role above their own: " + d);
      }
    }
    Set<String> grants = new HashSet<>(after.permissionGrants());
    before.ifPresent(b -> symmetricDifference(grants, b.permissionGrants()));
    Set<String> revocations = new HashSet<>(after.permissionRevocations());
    before.ifPresent(b -> symmetricDifference(revocations, b.permissionRevocations()));
    if (grants.isEmpty() && revocations.isEmpty()) {
      return Decision.allow();
    }
    int actorRank = policy.actorRank(actor, DomainRole.PEOPLE);
    boolean above =
        policy.heldRank(after, DomainRole.PEOPLE) < actorRank
            && before.map(b -> policy.heldRank(b, DomainRole.PEOPLE) < actorRank).orElse(true);
    if (!above) {
      return Decision.deny(
          Decision.Reason.ROLE_ABOVE_OWN,
          "only someone above a user changes the user's grants and revocations");
    }
    Set<String> touched = new HashSet<>(grants);
    touched.addAll(revocations);
    for (String name : touched) {
      Optional<Action> a = Action.byName(name);
      if (a.isEmpty() || !policy.allows(actor, a.get())) {
        return Decision.deny(
            Decision.Reason.NOT_HELD,
            "nobody grants or revokes an action they do not hold: " + name);
      }
    }
    return Decision.allow();
  }

  private static <T> void symmetricDifference(Set<T> acc, Set<T> other) {
    for (T t : other) {
      if (!acc.remove(t)) {
        acc.add(t);
      }
    }
  }

  /**
   * The relation that needs no lookup: the actor themself, or anyone else. Whether someone else is
   * a report is asked of the write only where it matters (a manager's edit), since it walks the
   * manager chain.
   */
  private static Relation near(Actor actor, User target) {
    return actor.userId().equals(Optional.of(target.id())) ? Relation.SELF : Relation.OTHER;
  }

  private Decision anyOf(Actor actor, User target, Relation relation, Action... actions) {
    Decision first = Decision.allow();
    for (Action a : actions) {
      Decision d = policy.decide(actor, a, target, relation);
      if (d.allowed()) {
        return d;
      }
      first = first.and(d);
    }
    return first;
  }
}
