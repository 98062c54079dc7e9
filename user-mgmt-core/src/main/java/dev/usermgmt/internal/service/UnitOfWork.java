package dev.usermgmt.internal.service;

import dev.usermgmt.AccessDeniedException;
import dev.usermgmt.Action;
import dev.usermgmt.Decision;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.Problem;
import dev.usermgmt.UserId;
import dev.usermgmt.UserMgmtException;
import dev.usermgmt.access.Actor;
import dev.usermgmt.access.EditChannel;
import dev.usermgmt.access.Relation;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.audit.ChangeSet;
import dev.usermgmt.audit.FieldDiff;
import dev.usermgmt.audit.UserChange;
import dev.usermgmt.audit.internal.Diffs;
import dev.usermgmt.group.Group;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.Transition;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The one way writes reach the stores: the writes of one mutation and the change set that records
 * them. Before any user is written, the access policy judges the write ({@link
 * dev.usermgmt.access.AccessPolicy#decideWrite}) with the actor's rights as the store has them now;
 * a denied write throws and nothing of the unit is committed (it runs inside the caller's
 * transaction). Every write goes to the store at once and into the change set, which {@link
 * #commit} appends in the same transaction.
 *
 * <p>Bulk work asks {@link #check} first for each user, to report a denied user as that user's
 * failure and go on with the others; a write already checked is not judged twice.
 */
public final class UnitOfWork {
  private final Services services;
  private final Actor actor;
  private final String operation;

  /** The lifecycle move this unit's operation is, when it is one (by its operation name). */
  private final Optional<Transition> move;

  private final EditChannel channel;
  private final String correlationId;
  private final String id;
  private final Instant now;

  /** The users this unit gave an e-mail address, checked against look-alikes at commit. */
  private final Map<UserId, User> emailed = new LinkedHashMap<>();

  /** Whether the caller allowed addresses that look like another user's. */
  private boolean confusablesAllowed;

  /** The tenant's attribute definitions, as this unit has left them. */
  private AttributeSchema schema;

  private final List<UserChange> changes = new ArrayList<>();
  private final List<ChangeSet.DefinitionChange> definitions = new ArrayList<>();
  private final IdentityHashMap<User, Boolean> approved = new IdentityHashMap<>();

  /**
   * The codes of the refusals a unit makes of values that name what the tenant has not now: a
   * custom attribute deleted or of another type, a required one missing, a group or a manager gone,
   * a reporting cycle, an address that now looks like another user's. A plan's row or an undo that
   * meets one was made before the tenant changed.
   */
  public static final Set<ErrorCode> REFERENCE_CODES =
      java.util.Collections.unmodifiableSet(
          java.util.EnumSet.of(
              ErrorCode.UNKNOWN_ATTRIBUTE,
              ErrorCode.INVALID_ATTRIBUTE_VALUE,
              ErrorCode.MISSING_FIELD,
              ErrorCode.UNKNOWN_GROUP,
              ErrorCode.UNKNOWN_MANAGER,
              ErrorCode.CONFUSABLE_IDENTITY,
              ErrorCode.MANAGER_CYCLE));

  /** The users whose manager this unit set, as it last wrote them. */
  private final Map<UserId, User> managed = new LinkedHashMap<>();

  /** Whether this unit put a user on a seat (a creation or a move into a seated status). */
  private boolean seated;

  private Optional<String> detail = Optional.empty();
  private boolean done;
  private Optional<ChangeSet> committed = Optional.empty();

  UnitOfWork(
      Services services,
      Actor actor,
      String operation,
      EditChannel channel,
      String correlationId,
      String id,
      Instant now) {
    this.services = services;
    this.actor = actor;
    this.operation = operation;
    this.move =
        java.util.Arrays.stream(Transition.values())
            .filter(t -> t.operation().equals(operation))
            .findFirst();
    this.channel = channel;
    this.correlationId = correlationId;
    this.id = id;
    this.now = now;
    this.schema = services.schema(actor.tenant());
  }

  /**
   * The time of this unit's writes.
   *
   * @return the time
   */
  public Instant now() {
    return now;
  }

  /**
   * The actor, with the rights the store gives them now.
   *
   * @return the actor
   */
  public Actor actor() {
    return actor;
  }

  /**
   * The id of the change set this unit appends.
   *
   * @return the id
   */
  public String id() {
    return id;
  }

  /**
   * May this unit's actor make a write? A write found allowed is not judged again when it is made.
   *
   * @param before the stored user, or empty for a creation
   * @param after the user to store, or empty for a deletion
   * @return the decision
   */
  public Decision check(Optional<User> before, Optional<User> after) {
    User key = after.or(() -> before).orElseThrow();
    if (relations == null) {
      relations = services.hierarchy().relator(actor.userId(), actor.tenant());
    }
    Decision d = services.checkWrite(actor, before, after, channel, schema, move, relations);
    if (d.allowed()) {
      approved.put(key, Boolean.TRUE);
    }
    return d;
  }

  /**
   * How users relate to the actor, each manager looked up once over the checks between two writes
   * of the unit (a chunk's users are all checked before they are written); null once the unit has
   * written users, whose managers may have changed.
   */
  private @Nullable Function<User, Relation> relations;

  private void require(Optional<User> before, Optional<User> after) {
    User key = after.or(() -> before).orElseThrow();
    if (approved.remove(key) == null) {
      Decision d = check(before, after);
      approved.remove(key);
      if (!d.allowed()) {
        throw new AccessDeniedException(d);
      }
    }
  }

  /**
   * Inserts new users (version 1, created and updated now).
   *
   * @param users the users
   * @return the users
   */
  public List<User> insert(List<User> users) {
    if (!users.isEmpty()) {
      users.forEach(u -> require(Optional.empty(), Optional.of(u)));
      checkReferences(List.of(), users);
      relations = null;
      services.stores().users().insert(actor.tenant(), users);
      track(List.of(), users);
      users.forEach(u -> changes.add(Diffs.created(u)));
    }
    return users;
  }

  /**
   * Re-inserts a user exactly as given (undo of a deletion).
   *
   * @param user the user
   */
  public void restore(User user) {
    insert(List.of(user));
  }

  /**
   * Stores changed users: each {@code after} gets version {@code before + 1} and update time now.
   * Pairs whose values are equal are skipped.
   *
   * @param before the stored users
   * @param after their new values, in the same order
   * @return the stored values, in order
   */
  public List<User> update(List<User> before, List<User> after) {
    requirePairs(before.size(), after.size(), after.size());
    List<List<FieldDiff>> diffs = new ArrayList<>(after.size());
    for (int i = 0; i < before.size(); i++) {
      diffs.add(Diffs.between(before.get(i), after.get(i)));
    }
    return update(before, after, diffs);
  }

  /**
   * Stores changed users whose diffs the caller has worked out already (a file's apply, which needs
   * them to tell a row that changes nothing): each {@code after} gets version {@code before + 1}
   * and update time now, and an {@code after} stamped so already ({@link Diffs#apply} at {@link
   * #now}) is written as it is, without being built and validated again; the access policy and the
   * tenant's definitions judge it as any write. The diffs are trusted, not worked out again: they
   * must be {@link Diffs#between} of each pair, as the change set records them, and a pair given no
   * diffs is neither judged nor written.
   *
   * @param before the stored users
   * @param after their new values, in the same order
   * @param diffs the diffs of each pair, as {@link Diffs#between} gives them
   * @return the stored values, in order
   */
  public List<User> update(List<User> before, List<User> after, List<List<FieldDiff>> diffs) {
    requirePairs(before.size(), after.size(), diffs.size());
    List<User> stored = new ArrayList<>(after.size());
    List<User> toWrite = new ArrayList<>();
    List<User> replaced = new ArrayList<>();
    List<UserChange> updated = new ArrayList<>();
    for (int i = 0; i < before.size(); i++) {
      User b = before.get(i);
      User a = after.get(i);
      List<FieldDiff> d = diffs.get(i);
      if (d.isEmpty()) {
        stored.add(b);
        continue;
      }
      require(Optional.of(b), Optional.of(a));
      User v =
          a.version() == b.version() + 1 && a.updatedAt().equals(now)
              ? a
              : a.toBuilder().version(b.version() + 1).updatedAt(now).build();
      toWrite.add(v);
      replaced.add(b);
      stored.add(v);
      // version and updatedAt are not fields: the diffs of b → a are those of b → v
      updated.add(Diffs.updated(b, v, d));
    }
    if (!toWrite.isEmpty()) {
      checkReferences(replaced, toWrite);
      relations = null;
      services.stores().users().update(actor.tenant(), replaced, toWrite);
      track(replaced, toWrite);
      changes.addAll(updated);
    }
    return stored;
  }

  /**
   * One user whose diffs the caller has worked out already, as {@link #update(List, List, List)}.
   *
   * @param before the stored user
   * @param after its new value
   * @param diffs {@link Diffs#between} of the two
   * @return the stored value
   */
  public User update(User before, User after, List<FieldDiff> diffs) {
    return update(List.of(before), List.of(after), List.of(diffs)).get(0);
  }

  private static void requirePairs(int before, int after, int diffs) {
    if (before != after || before != diffs) {
      throw new IllegalArgumentException("as many users before as after, and diffs for each pair");
    }
  }

  /**
   * Refuses writes that set what an edit could not set now: a custom value (new or changed) the
   * tenant's definitions do not take (a key no longer defined, a value of another type), a new user
   * without a required attribute or a required value removed, or a group that does not exist. Every
   * path that writes users comes here, an undo or an action file as much as an edit; the tenant is
   * held ({@link Services#unit}), so what is checked holds until the unit commits. The managers and
   * addresses it sets are noted once written ({@link #track}) and checked when the unit commits.
   *
   * @param before the stored users, or empty for insertions
   * @param after the users to write, in the same order
   */
  private void checkReferences(List<User> before, List<User> after) {
    List<Problem> problems = new ArrayList<>();
    Set<String> groups = new java.util.TreeSet<>();
    for (int i = 0; i < after.size(); i++) {
      // a loop over every user a write holds: plain tests, no stream or Optional a user
      @Nullable User prior = before.isEmpty() ? null : before.get(i);
      User a = after.get(i);
      Map<String, AttributeValue> priorValues = prior == null ? Map.of() : prior.attributes();
      if (prior == null || !a.attributes().equals(priorValues)) {
        Map<String, AttributeValue> set = new LinkedHashMap<>();
        a.attributes()
            .forEach(
                (k, v) -> {
                  if (!java.util.Objects.equals(v, priorValues.get(k))) {
                    set.put(k, v);
                  }
                });
        // a new user has every required attribute, as a creation needs (an anonymised one
        // restored by an undo has none to have)
        problems.addAll(schema.validate(set, prior == null && a.status() != UserStatus.ANONYMISED));
        if (prior != null && a.status() != UserStatus.ANONYMISED) {
          // and no write removes a required value, as an edit may not (anonymisation removes
          // personal data as its move)
          for (String k : priorValues.keySet()) {
            if (!a.attributes().containsKey(k)) {
              schema.removal(k).ifPresent(problems::add);
            }
          }
        }
      }
      seated |= a.status().occupiesSeat() && (prior == null || !prior.status().occupiesSeat());
      if (!a.groups().isEmpty()) {
        Set<String> priorGroups = prior == null ? Set.of() : prior.groups();
        for (String g : a.groups()) {
          if (!priorGroups.contains(g)) {
            groups.add(g);
          }
        }
      }
    }
    if (!groups.isEmpty()) {
      Set<String> defined = new java.util.HashSet<>();
      services.stores().groups().list(actor.tenant()).forEach(g -> defined.add(g.id()));
      groups.stream()
          .filter(g -> !defined.contains(g))
          .forEach(
              g ->
                  problems.add(
                      Problem.ofField(ErrorCode.UNKNOWN_GROUP, "groups", "no group '" + g + "'")));
    }
    if (!problems.isEmpty()) {
      throw UserMgmtException.of(problems);
    }
  }

  /**
   * Notes the users a write stored whose address or manager the unit's commit checks ({@link
   * #checkEmails}, {@link #checkManagers}), once the store has written them: each as the unit
   * leaves it, a user given an address or a manager earlier in the unit followed through its later
   * writes, and nothing noted of a write the store refused.
   *
   * @param before the stored users, or empty for insertions
   * @param after the users written, in the same order
   */
  private void track(List<User> before, List<User> after) {
    for (int i = 0; i < after.size(); i++) {
      @Nullable User prior = before.isEmpty() ? null : before.get(i);
      User a = after.get(i);
      note(emailed, a, a.primaryEmail(), prior == null ? Optional.empty() : prior.primaryEmail());
      note(managed, a, a.managerId(), prior == null ? Optional.empty() : prior.managerId());
    }
  }

  /**
   * Notes a written user whose value the commit checks when the write sets it, or when the user was
   * noted before and still has one; otherwise the user is not noted.
   */
  private static void note(
      Map<UserId, User> noted, User a, Optional<?> value, Optional<?> priorValue) {
    if (value.isPresent() && (!value.equals(priorValue) || noted.containsKey(a.id()))) {
      noted.put(a.id(), a);
    } else {
      noted.remove(a.id());
    }
  }

  /**
   * One user.
   *
   * @param before the stored user
   * @param after its new value
   * @return the stored value
   */
  public User update(User before, User after) {
    return update(List.of(before), List.of(after)).get(0);
  }

  /**
   * Deletes users at their current versions.
   *
   * @param users the stored users
   */
  public void delete(List<User> users) {
    if (users.isEmpty()) {
      return;
    }
    users.forEach(u -> require(Optional.of(u), Optional.empty()));
    Map<UserId, Long> versions = new LinkedHashMap<>();
    users.forEach(u -> versions.put(u.id(), u.version()));
    relations = null;
    services.stores().users().delete(actor.tenant(), versions);
    users.forEach(u -> changes.add(Diffs.deleted(u)));
    users.forEach(u -> managed.remove(u.id()));
    users.forEach(u -> emailed.remove(u.id()));
  }

  /**
   * Records a change the store made itself (deleting an attribute drops its values).
   *
   * @param change the change
   */
  public void record(UserChange change) {
    changes.add(change);
  }

  /**
   * Creates, changes or deletes a custom attribute definition (deleting drops its values), when the
   * stored one is still {@code before}; needs MANAGE_CUSTOM_ATTRIBUTES now.
   *
   * @param key the attribute key
   * @param before the stored definition, or empty to create one
   * @param after the new definition, or empty to delete it
   * @return the values a deletion dropped, by user
   */
  public Map<UserId, AttributeValue> define(
      String key, Optional<AttributeDefinition> before, Optional<AttributeDefinition> after) {
    services.require(actor, Action.MANAGE_CUSTOM_ATTRIBUTES);
    Map<UserId, AttributeValue> dropped = Map.of();
    if (after.isPresent()) {
      services.stores().attributes().put(actor.tenant(), before, after.get());
    } else if (before.isPresent()) {
      dropped = services.stores().attributes().delete(actor.tenant(), before.get(), now);
    } else {
      throw new IllegalArgumentException("a definition change needs a definition before or after");
    }
    definitions.add(new ChangeSet.DefinitionChange(key, before, after));
    schema = services.schema(actor.tenant());
    return dropped;
  }

  /**
   * Creates or renames a group; needs MANAGE_GROUPS now.
   *
   * @param group the group
   */
  public void putGroup(Group group) {
    services.require(actor, Action.MANAGE_GROUPS);
    services.stores().groups().put(actor.tenant(), group);
    detail("group " + group.id() + " is named '" + group.name() + "'");
  }

  /**
   * Removes a user's personal data from the change log's history (after an anonymisation written by
   * this unit); needs ANONYMISE on the user now.
   *
   * @param user the anonymised user
   * @param fields the fields and attributes ({@code attributes.<key>}) to redact
   */
  public void scrub(User user, Set<String> fields) {
    services.require(actor, Action.ANONYMISE, user);
    services.stores().changeLog().scrub(actor.tenant(), user.id(), fields);
  }

  /**
   * A note on what happened outside the users (a reset, an ownership transfer).
   *
   * @param text the note
   */
  public void detail(String text) {
    detail = Optional.of(text);
  }

  /**
   * Whether nothing happened.
   *
   * @return true when the unit recorded nothing
   */
  public boolean isEmpty() {
    return changes.isEmpty() && definitions.isEmpty() && detail.isEmpty();
  }

  /**
   * Appends the change set, if anything happened; once (a second call answers the first's change
   * set).
   *
   * @return the change set
   */
  public Optional<ChangeSet> commit() {
    if (done || isEmpty()) {
      done = true;
      return committed;
    }
    checkManagers();
    checkEmails();
    if (seated) {
      // every path that seats a user, an undo or an action file as much as a creation
      services.requireSeats(actor.tenant(), 0);
    }
    ChangeSet cs =
        ChangeSet.builder()
            .id(id)
            .tenant(actor.tenant())
            .actor(actor.userId())
            .actorDescription(actor.toString())
            .at(now)
            .correlationId(correlationId)
            .operation(operation)
            .changes(guarded(changes))
            .definitionChanges(definitions)
            .detail(detail)
            .build();
    committed = Optional.of(services.stores().changeLog().append(cs));
    done = true;
    return committed;
  }

  /**
   * The changes with each attribute value marked with the guards of its definition ({@link
   * FieldDiff#sensitive}, {@link FieldDiff#hiddenFromManagers}), as the unit leaves the definitions
   * or as a definition it changed was (the values an attribute's deletion drops), the stricter: the
   * change log reads them so whatever the key is defined as later.
   */
  private List<UserChange> guarded(List<UserChange> all) {
    Set<String> sensitive = new java.util.HashSet<>();
    Set<String> hidden = new java.util.HashSet<>();
    List<AttributeDefinition> defs = new ArrayList<>(schema.definitions());
    for (ChangeSet.DefinitionChange d : definitions) {
      d.before().ifPresent(defs::add);
      d.after().ifPresent(defs::add);
    }
    for (AttributeDefinition d : defs) {
      if (d.sensitive()) {
        sensitive.add(d.key());
      }
      if (!d.visibleToManagers()) {
        hidden.add(d.key());
      }
    }
    List<UserChange> out = new ArrayList<>(all.size());
    for (UserChange c : all) {
      boolean any = false;
      List<FieldDiff> diffs = new ArrayList<>(c.diffs().size());
      for (FieldDiff d : c.diffs()) {
        String key =
            d.isAttribute() ? d.field().substring(FieldDiff.ATTRIBUTE_PREFIX.length()) : "";
        boolean s = d.sensitive() || sensitive.contains(key);
        boolean h = d.hiddenFromManagers() || hidden.contains(key);
        boolean mark = s != d.sensitive() || h != d.hiddenFromManagers();
        diffs.add(
            mark ? FieldDiff.builder().from(d).sensitive(s).hiddenFromManagers(h).build() : d);
        any |= mark;
      }
      out.add(any ? UserChange.builder().from(c).diffs(diffs).build() : c);
    }
    return out;
  }

  /**
   * Lets this unit give addresses that look like another user's (UTS #39 skeletons): for a creation
   * or an update file whose caller allowed them explicitly.
   */
  public void allowConfusableEmails() {
    confusablesAllowed = true;
  }

  /**
   * Refuses the unit when an address it gave looks like another user's (same skeleton, another
   * identity), as a creation, an edit and a file refuse one: checked once its writes are made, over
   * the users as it leaves them (two it gave alike addresses find each other), one batched lookup.
   */
  private void checkEmails() {
    if (emailed.isEmpty() || confusablesAllowed) {
      return;
    }
    List<User> users = List.copyOf(emailed.values());
    Confusables like = Confusables.lookupBeside(services.stores().users(), actor.tenant(), users);
    List<Problem> problems = new ArrayList<>();
    java.util.function.Predicate<User> seen = services.seen(actor);
    for (User u : users) {
      EmailAddress e = u.primaryEmail().orElseThrow();
      like.with(e, Optional.of(u.id())).stream()
          .findFirst()
          .ifPresent(other -> problems.add(Confusables.problem(e, other, seen)));
    }
    if (!problems.isEmpty()) {
      throw UserMgmtException.of(problems);
    }
  }

  /**
   * Refuses the unit when a manager it set does not exist or closes a reporting cycle, over the
   * users as the unit leaves them: checked once all its writes are made, so that a unit restoring a
   * manager and a report (an undo of their deletion) may restore them in either order. A chunk of a
   * file is checked as any unit is: the plan checked the file's end state, but the users may have
   * changed since, a manager may be gone, and a row that fails leaves the file's end state another;
   * so every committed state names existing managers and has no cycle (a file whose chunks pass
   * through a cycle on the way has the row that closes it refused, and the file's apply tries it
   * again after its other rows).
   */
  private void checkManagers() {
    if (managed.isEmpty()) {
      return;
    }
    services.hierarchy().checkManagers(actor.tenant(), Map.of(), List.copyOf(managed.values()));
  }

  /**
   * The users this unit changed so far.
   *
   * @return their ids
   */
  public Set<UserId> touched() {
    Set<UserId> out = new java.util.LinkedHashSet<>();
    changes.forEach(c -> out.add(c.userId()));
    return out;
  }
}
