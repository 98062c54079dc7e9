package dev.usermgmt.internal.service;

import dev.usermgmt.access.Actor;
import dev.usermgmt.audit.ChangeSet;
import dev.usermgmt.audit.FieldDiff;
import dev.usermgmt.audit.UserChange;
import dev.usermgmt.audit.internal.Diffs;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.user.User;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The writes of one mutation and the change set that records them: every write goes to the store at
 * once and into the change set, which {@link #commit} appends in the same transaction.
 */
public final class UnitOfWork {
  private final Stores stores;
  private final Actor actor;
  private final String operation;
  private final String correlationId;
  private final String id;
  private final Instant now;
  private final List<UserChange> changes = new ArrayList<>();
  private final List<ChangeSet.DefinitionChange> definitions = new ArrayList<>();
  private Optional<String> detail = Optional.empty();

  /**
   * A unit of work.
   *
   * @param stores the stores
   * @param actor who acts
   * @param operation the operation name of the change set
   * @param correlationId the correlation id
   * @param id the change set id
   * @param now the time of the change
   */
  public UnitOfWork(
      Stores stores, Actor actor, String operation, String correlationId, String id, Instant now) {
    this.stores = stores;
    this.actor = actor;
    this.operation = operation;
    this.correlationId = correlationId;
    this.id = id;
    this.now = now;
  }

  public Instant now() {
    return now;
  }

  public String id() {
    return id;
  }

  /** Inserts new users (version 1, created and updated now). */
  public List<User> insert(List<User> users) {
    if (!users.isEmpty()) {
      stores.users().insert(actor.tenant(), users);
      users.forEach(u -> changes.add(Diffs.created(u)));
    }
    return users;
  }

  /** Re-inserts users exactly as given (undo of a deletion). */
  public void restore(User user) {
    stores.users().insert(actor.tenant(), List.of(user));
    changes.add(Diffs.created(user));
  }

  /**
   * Stores changed users: each {@code after} gets version {@code before + 1} and update time now.
   * Pairs whose values are equal are skipped. Returns the stored values, in order.
   */
  public List<User> update(List<User> before, List<User> after) {
    List<User> stored = new ArrayList<>(after.size());
    List<User> toWrite = new ArrayList<>();
    List<User> replaced = new ArrayList<>();
    for (int i = 0; i < before.size(); i++) {
      User b = before.get(i);
      User a = after.get(i);
      List<FieldDiff> diffs = Diffs.between(b, a);
      if (diffs.isEmpty()) {
        stored.add(b);
        continue;
      }
      User v = a.toBuilder().version(b.version() + 1).updatedAt(now).build();
      toWrite.add(v);
      replaced.add(b);
      stored.add(v);
      // version and updatedAt are not fields: the diffs of b → a are those of b → v
      changes.add(Diffs.updated(b, v, diffs));
    }
    if (!toWrite.isEmpty()) {
      stores.users().update(actor.tenant(), replaced, toWrite);
    }
    return stored;
  }

  /** One user. */
  public User update(User before, User after) {
    return update(List.of(before), List.of(after)).get(0);
  }

  /** Deletes users at their current versions. */
  public void delete(List<User> users) {
    if (users.isEmpty()) {
      return;
    }
    java.util.Map<dev.usermgmt.UserId, Long> versions = new java.util.LinkedHashMap<>();
    users.forEach(u -> versions.put(u.id(), u.version()));
    stores.users().delete(actor.tenant(), versions);
    users.forEach(u -> changes.add(Diffs.deleted(u)));
  }

  /** Records a change the store made itself (attribute deletion drops values). */
  public void record(UserChange change) {
    changes.add(change);
  }

  public void definition(ChangeSet.DefinitionChange change) {
    definitions.add(change);
  }

  public void detail(String text) {
    detail = Optional.of(text);
  }

  public boolean isEmpty() {
    return changes.isEmpty() && definitions.isEmpty() && detail.isEmpty();
  }

  /** Appends the change set, if anything happened; returns its id. */
  public Optional<ChangeSet> commit() {
    if (isEmpty()) {
      return Optional.empty();
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
            .changes(changes)
            .definitionChanges(definitions)
            .detail(detail)
            .build();
    return Optional.of(stores.changeLog().append(cs));
  }
}
