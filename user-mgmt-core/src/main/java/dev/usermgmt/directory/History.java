package dev.usermgmt.directory;

import dev.usermgmt.Action;
import dev.usermgmt.ConflictException;
import dev.usermgmt.Decision;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.NotFoundException;
import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.UserMgmtException;
import dev.usermgmt.access.Actor;
import dev.usermgmt.access.EditChannel;
import dev.usermgmt.access.Relation;
import dev.usermgmt.access.Visibility;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.audit.ChangeSet;
import dev.usermgmt.audit.FieldDiff;
import dev.usermgmt.audit.UserChange;
import dev.usermgmt.audit.internal.Diffs;
import dev.usermgmt.audit.internal.Replay;
import dev.usermgmt.internal.service.Services;
import dev.usermgmt.internal.service.UnitOfWork;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserField;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The change log as its readers may see it, undo, and replay. An undo is an edit like any other:
 * each of its writes is judged by the access policy with the undoer's rights now, so nobody undoes
 * what they could not do themself.
 */
final class History {
  private static final int REPLAY_PAGE = 500;

  private final Services services;

  History(Services services) {
    this.services = services;
  }

  List<ChangeSet> changeLog(Actor actor, long afterSequence, int limit) {
    Actor now = services.current(actor);
    services.require(now, Action.READ_CHANGE_LOG);
    AttributeSchema schema = services.schema(now.tenant());
    return redacted(
        now, schema, services.stores().changeLog().page(now.tenant(), afterSequence, limit));
  }

  Map<UserId, User> replay(Actor actor) {
    Actor now = services.current(actor);
    services.require(now, Action.READ_CHANGE_LOG);
    services.require(now, Action.VIEW_USERS);
    TenantId tenant = now.tenant();
    List<ChangeSet> all = new ArrayList<>();
    long after = 0;
    while (true) {
      List<ChangeSet> page = services.stores().changeLog().page(tenant, after, REPLAY_PAGE);
      all.addAll(page);
      if (page.size() < REPLAY_PAGE) {
        break;
      }
      after = page.get(page.size() - 1).sequence();
    }
    AttributeSchema schema = services.schema(tenant);
    Visibility others = services.visibility(now, Relation.OTHER, schema, Visibility.Purpose.RECORD);
    Visibility self = services.visibility(now, Relation.SELF, schema, Visibility.Purpose.RECORD);
    Map<UserId, User> out = new LinkedHashMap<>();
    Replay.replay(tenant, all, services.roles())
        .forEach(
            (id, u) ->
                out.put(id, (now.userId().equals(Optional.of(id)) ? self : others).apply(u)));
    return out;
  }

  ChangeSet undo(Actor actor, String changeSetId) {
    services.require(services.current(actor), Action.UNDO);
    TenantId tenant = actor.tenant();
    return services
        .stores()
        .transactions()
        .inTransaction(
            () -> {
              UnitOfWork w =
                  services.unit(actor, "undo", EditChannel.SYSTEM, Optional.of(changeSetId));
              ChangeSet cs =
                  services
                      .stores()
                      .changeLog()
                      .get(tenant, changeSetId)
                      .orElseThrow(
                          () ->
                              new NotFoundException(
                                  Problem.ofField(
                                      ErrorCode.CHANGE_SET_NOT_FOUND,
                                      "id",
                                      "no change set " + changeSetId)));
              services.require(w.actor(), Action.UNDO);
              // what the undoer may not read is refused before a conflict names what changed since
              checkReadable(w.actor(), tenant, cs);
              checkUndoable(tenant, cs);
              for (ChangeSet.DefinitionChange d : cs.definitionChanges()) {
                int dropped = w.define(d.key(), d.after(), d.before()).size();
                if (dropped > 0) {
                  // undoing a creation would drop values set since: later work, as on any field
                  throw new ConflictException(
                      Problem.ofField(
                          ErrorCode.UNDO_CONFLICT,
                          "attributes." + d.key(),
                          "attribute '"
                              + d.key()
                              + "' has values on "
                              + dropped
                              + " users set since it was created"));
                }
              }
              List<UserChange> reversed = new ArrayList<>(cs.changes());
              Collections.reverse(reversed);
              Optional<ChangeSet> undone;
              try {
                if (updatesOfDistinctUsers(reversed)) {
                  undoUpdates(tenant, reversed, w);
                } else {
                  for (UserChange c : reversed) {
                    undoOne(tenant, c, w);
                  }
                }
                undone = w.commit();
              } catch (InvalidInputException | ConflictException e) {
                if (!UnitOfWork.REFERENCE_CODES.contains(e.code())) {
                  throw e;
                }
                throw changedSince(e);
              }
              return undone.orElseThrow(
                  () ->
                      new ConflictException(
                          Problem.of(
                              ErrorCode.UNDO_CONFLICT,
                              "change set "
                                  + changeSetId
                                  + " changed nothing that can be undone")));
            });
  }

  /**
   * The refusal of an undo whose before values the users may not take now (one of {@link
   * UnitOfWork#REFERENCE_CODES}: an attribute deleted, a manager gone and the like). The tenant
   * changed since the change set, so it is a conflict of the undo, as a later change of the same
   * field is, with each problem's field and message kept.
   */
  private static ConflictException changedSince(UserMgmtException e) {
    return new ConflictException(
        e.problems().stream()
            .map(
                p ->
                    Problem.builder()
                        .code(ErrorCode.UNDO_CONFLICT)
                        .field(p.field())
                        .message(p.message() + " (changed since the change set)")
                        .build())
            .toList());
  }

  /** Whether every change is an update and no user is changed twice. */
  private static boolean updatesOfDistinctUsers(List<UserChange> changes) {
    Set<UserId> seen = new HashSet<>();
    for (UserChange c : changes) {
      if (c.kind() != UserChange.Kind.UPDATED || !seen.add(c.userId())) {
        return false;
      }
    }
    return true;
  }

  /**
   * Undoes updates of distinct users as {@link #undoOne} does one at a time, with one store call
   * per chunk to read them and one write of them all: a change set of a bulk apply holds a chunk of
   * users, which one by one cost two round trips each.
   */
  private void undoUpdates(TenantId tenant, List<UserChange> changes, UnitOfWork w) {
    List<UserChange> undone = changes.stream().filter(c -> !c.diffs().isEmpty()).toList();
    Map<UserId, User> current =
        services.lookupIds(tenant, undone.stream().map(UserChange::userId).toList());
    List<User> before = new ArrayList<>(undone.size());
    List<User> after = new ArrayList<>(undone.size());
    for (UserChange c : undone) {
      User u = current.get(c.userId());
      if (u == null) {
        u = services.load(tenant, c.userId()); // not found, as one at a time
      }
      before.add(u);
      after.add(Diffs.apply(u, c.diffs(), true, services.roles(), w.now()));
    }
    w.update(before, after);
  }

  private void undoOne(TenantId tenant, UserChange c, UnitOfWork w) {
    switch (c.kind()) {
      case CREATED ->
          services.stores().users().get(tenant, c.userId()).ifPresent(u -> w.delete(List.of(u)));
      case DELETED ->
          w.restore(
              Diffs.rebuild(
                  tenant,
                  c.userId(),
                  c.diffs(),
                  true,
                  c.versionBefore().orElse(1L),
                  w.now(),
                  services.roles()));
      case UPDATED -> {
        if (c.diffs().isEmpty()) {
          return;
        }
        User current = services.load(tenant, c.userId());
        w.update(current, Diffs.apply(current, c.diffs(), true, services.roles(), w.now()));
      }
    }
  }

  private void checkUndoable(TenantId tenant, ChangeSet cs) {
    Map<UserId, Set<String>> touched = new HashMap<>();
    List<String> problems = new ArrayList<>();
    for (UserChange c : cs.changes()) {
      Set<String> fields = touched.computeIfAbsent(c.userId(), k -> new HashSet<>());
      c.diffs().forEach(d -> fields.add(d.field()));
      if (c.diffs().stream().anyMatch(FieldDiff::redacted)) {
        problems.add("user " + c.userId() + " was anonymised; its history cannot be restored");
      }
    }
    for (ChangeSet.DefinitionChange d : cs.definitionChanges()) {
      Optional<AttributeDefinition> now = services.stores().attributes().get(tenant, d.key());
      if (!now.equals(d.after())) {
        problems.add(
            "attribute '"
                + d.key()
                + "' was "
                + (now.isEmpty() ? "deleted" : d.after().isEmpty() ? "created" : "changed")
                + " again since");
      }
    }
    for (ChangeSet later :
        services.stores().changeLog().touching(tenant, cs.sequence(), touched.keySet())) {
      for (UserChange c : later.changes()) {
        Set<String> fields = touched.get(c.userId());
        if (fields == null) {
          continue;
        }
        if (c.kind() != UserChange.Kind.UPDATED) {
          problems.add(
              "user "
                  + c.userId()
                  + " was "
                  + c.kind().name().toLowerCase(Locale.ROOT)
                  + " by change set "
                  + later.id());
          continue;
        }
        for (FieldDiff d : c.diffs()) {
          if (fields.contains(d.field())) {
            problems.add(
                d.field()
                    + " of user "
                    + c.userId()
                    + " was changed again by change set "
                    + later.id()
                    + " ("
                    + later.operation()
                    + ")");
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ConflictException(
          problems.stream().map(p -> Problem.of(ErrorCode.UNDO_CONFLICT, p)).toList());
    }
  }

  /**
   * Refuses an undo of a change set holding a value its undoer may not read in the change log (a
   * sensitive attribute for who does not manage attributes, a field hidden from them on that user):
   * the undo would put that value back where they read it, or tell it by its answer. Each user is
   * judged as the change log judges them for the undoer.
   */
  private void checkReadable(Actor actor, TenantId tenant, ChangeSet cs) {
    java.util.function.Function<UserId, Reader> readers =
        readers(actor, tenant, services.schema(tenant), List.of(cs));
    for (UserChange c : cs.changes()) {
      Reader v = readers.apply(c.userId());
      for (FieldDiff d : c.diffs()) {
        if (!d.redacted() && !v.reads(d)) {
          throw new dev.usermgmt.AccessDeniedException(
              Decision.deny(
                  Decision.Reason.NOT_SELF_OR_REPORT,
                  "the change set holds "
                      + d.field()
                      + " of a user, which the actor may not read in the change log"));
        }
      }
    }
  }

  /** The change sets as the actor reads them: what they may not read of each user redacted. */
  private List<ChangeSet> redacted(Actor actor, AttributeSchema schema, List<ChangeSet> sets) {
    java.util.function.Function<UserId, Reader> readers =
        readers(actor, actor.tenant(), schema, sets);
    java.util.function.Predicate<UserId> actorSeen = actorsSeen(actor, sets);
    List<ChangeSet> out = new ArrayList<>(sets.size());
    for (ChangeSet cs : sets) {
      boolean changed = false;
      Optional<UserId> by = cs.actor();
      if (by.isPresent() && !actorSeen.test(by.get())) {
        // the acting user's role and support level are theirs to show: to a reader who may not
        // see them, the id alone
        cs = ChangeSet.builder().from(cs).actorDescription(by.get().value()).build();
      }
      List<UserChange> changes = new ArrayList<>(cs.changes().size());
      for (UserChange c : cs.changes()) {
        Reader v = readers.apply(c.userId());
        List<FieldDiff> diffs = new ArrayList<>(c.diffs().size());
        boolean any = false;
        for (FieldDiff d : c.diffs()) {
          boolean visible = v.reads(d);
          diffs.add(visible || d.redacted() ? d : d.redact());
          any |= !visible && !d.redacted();
        }
        changes.add(any ? UserChange.builder().from(c).diffs(diffs).build() : c);
        changed |= any;
      }
      out.add(changed ? ChangeSet.builder().from(cs).changes(changes).build() : cs);
    }
    return out;
  }

  /** Which of the users who made some change sets the reader may see (one lookup, if any). */
  private java.util.function.Predicate<UserId> actorsSeen(Actor reader, List<ChangeSet> sets) {
    List<UserId> actors = sets.stream().flatMap(cs -> cs.actor().stream()).distinct().toList();
    if (actors.isEmpty()
        || services
            .visibility(reader, Relation.OTHER, AttributeSchema.empty(), Visibility.Purpose.RECORD)
            .seesUser()) {
      // who sees any user sees every one
      return id -> true;
    }
    java.util.function.Predicate<User> seen = services.seen(reader);
    Map<UserId, User> users = services.lookupIds(reader.tenant(), actors);
    return id -> {
      User u = users.get(id);
      // a user gone since is described as any other user the reader may not see
      return u != null && seen.test(u);
    };
  }

  /**
   * How the actor reads each user of some change sets: by the user's relation to them now (one gone
   * since as any other user), the users looked up, in batches, only when what the actor reads of
   * the change sets depends on it.
   */
  private java.util.function.Function<UserId, Reader> readers(
      Actor actor, TenantId tenant, AttributeSchema schema, List<ChangeSet> sets) {
    Map<Relation, Reader> by = new java.util.EnumMap<>(Relation.class);
    for (Relation r : Relation.values()) {
      by.put(r, new Reader(actor, r, schema));
    }
    Reader other = by.getOrDefault(Relation.OTHER, new Reader(actor, Relation.OTHER, schema));
    Reader self = by.getOrDefault(Relation.SELF, other);
    // what a reader reads of a diff depends on its field and guards alone (Reader.reads), so
    // each distinct one is judged once: a bulk chunk's change set is thousands of diffs of a few
    Map<Guard, FieldDiff> guards = new HashMap<>();
    for (ChangeSet cs : sets) {
      for (UserChange c : cs.changes()) {
        if (actor.userId().equals(Optional.of(c.userId()))) {
          continue;
        }
        for (FieldDiff d : c.diffs()) {
          if (!d.redacted()) {
            guards.putIfAbsent(Guard.of(d), d);
          }
        }
      }
    }
    boolean depends =
        guards.values().stream()
            .anyMatch(
                d ->
                    by.entrySet().stream()
                            .filter(e -> e.getKey() != Relation.SELF)
                            .map(e -> e.getValue().reads(d))
                            .distinct()
                            .count()
                        > 1);
    if (!depends) {
      return id -> actor.userId().equals(Optional.of(id)) ? self : other;
    }
    Map<UserId, User> users =
        services.lookupIds(
            tenant,
            sets.stream()
                .flatMap(cs -> cs.changes().stream())
                .map(UserChange::userId)
                .distinct()
                .toList());
    java.util.function.Function<User, Relation> relation =
        services.hierarchy().relator(actor.userId(), tenant);
    return id -> {
      User u = users.get(id);
      return u == null
          ? (actor.userId().equals(Optional.of(id)) ? self : other)
          : by.getOrDefault(relation.apply(u), other);
    };
  }

  /** What {@link Reader#reads} reads of a diff: its field and the guards it was written under. */
  private record Guard(
      String field,
      boolean sensitive,
      boolean hiddenFromManagers,
      Optional<AttributeType> attributeType) {
    static Guard of(FieldDiff d) {
      return new Guard(d.field(), d.sensitive(), d.hiddenFromManagers(), d.attributeType());
    }
  }

  /** What a reader of the change log reads of users related to them one way. */
  private final class Reader {
    private final Actor actor;
    private final Relation relation;
    private final AttributeSchema schema;
    private final Visibility now;
    private final Map<String, Visibility> guarded = new HashMap<>();

    Reader(Actor actor, Relation relation, AttributeSchema schema) {
      this.actor = actor;
      this.relation = relation;
      this.schema = schema;
      this.now = services.visibility(actor, relation, schema, Visibility.Purpose.HISTORY);
    }

    /**
     * Whether the reader reads a diff. An attribute's values with no definition now (a deleted
     * attribute's), or written under a guard their definition no longer has (sensitive or hidden
     * from managers then, a key deleted and defined again as another type), are read as a sensitive
     * attribute of their own type hidden from managers would be, whatever the key is defined as
     * now. It reads nothing of the diff but what its {@link Guard} holds, so diffs of one guard are
     * read alike.
     */
    boolean reads(FieldDiff d) {
      if (!now.seesUser()) {
        return false;
      }
      if (!d.isAttribute()) {
        return UserField.byKey(d.field()).map(now::sees).orElse(true);
      }
      String key = d.field().substring(FieldDiff.ATTRIBUTE_PREFIX.length());
      boolean current =
          schema
              .definition(key)
              .map(
                  def ->
                      (!d.sensitive() || def.sensitive())
                          && (!d.hiddenFromManagers() || !def.visibleToManagers())
                          && d.attributeType().map(t -> t == def.type()).orElse(true))
              .orElse(false);
      if (current) {
        return now.seesAttribute(key);
      }
      AttributeType type = d.attributeType().orElse(AttributeType.TEXT);
      return guarded
          .computeIfAbsent(
              key + " " + type,
              k ->
                  services.visibility(
                      actor,
                      relation,
                      AttributeSchema.of(
                          List.of(
                              AttributeDefinition.builder()
                                  .key(key)
                                  .label(key)
                                  .type(type)
                                  .sensitive(true)
                                  .build())),
                      Visibility.Purpose.HISTORY))
          .seesAttribute(key);
    }
  }
}
