package dev.usermgmt.memory;

import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.audit.ChangeSet;
import dev.usermgmt.group.Group;
import dev.usermgmt.spi.UserLookup;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The shared state of the in-memory stores: per-tenant maps and indexes, one read-write lock, and a
 * per-thread undo journal that makes transactions atomic. A transaction holds the write lock from
 * start to commit (serialisable); a failed one replays its journal backwards.
 */
final class MemoryBackend {
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<TenantId, TenantData> tenants = new ConcurrentHashMap<>();

  // One journal per backend and thread: two backends in one JVM must not share transactions.
  @SuppressWarnings("ThreadLocalUsage")
  private final ThreadLocal<@Nullable Deque<Runnable>> journal = new ThreadLocal<>();

  // The copies a snapshot reads, per tenant, taken on its first read of the tenant.
  @SuppressWarnings("ThreadLocalUsage")
  private final ThreadLocal<@Nullable Map<TenantId, TenantData>> snapshot = new ThreadLocal<>();

  /** One tenant's data. */
  static final class TenantData {
    final TreeMap<UserId, User> users = new TreeMap<>();
    final Map<String, UserId> byEmail = new HashMap<>();
    final Map<String, TreeSet<UserId>> bySkeleton = new HashMap<>();
    final Map<String, TreeSet<UserId>> byEmployeeId = new HashMap<>();
    final Map<UserId, TreeSet<UserId>> byManager = new HashMap<>();

    /** The users holding each schedule, by their position in its walk (time, then id). */
    final Map<UserLookup.Schedule, TreeSet<UserLookup.DuePosition>> schedules =
        new EnumMap<>(UserLookup.Schedule.class);

    {
      for (UserLookup.Schedule s : UserLookup.Schedule.values()) {
        schedules.put(s, new TreeSet<>());
      }
    }

    final SortIndexes sorts = new SortIndexes();
    final Map<String, AttributeDefinition> attributes = new LinkedHashMap<>();
    final TreeMap<String, Group> groups = new TreeMap<>();
    final List<ChangeSet> log = new ArrayList<>();
    final Map<String, Integer> logIndex = new HashMap<>();

    /** A copy that no later write changes. */
    TenantData copy() {
      TenantData c = new TenantData();
      c.users.putAll(users);
      // the lookup indexes built again by the one method that says what they hold (a copy of
      // each, listed by hand, had left out the skeletons)
      users.values().forEach(u -> index(c, u));
      c.attributes.putAll(attributes);
      c.groups.putAll(groups);
      c.log.addAll(log);
      c.logIndex.putAll(logIndex);
      return c;
    }
  }

  TenantData tenant(TenantId id) {
    Map<TenantId, TenantData> copies = snapshot.get();
    if (copies != null) {
      TenantData copy = copies.get(id);
      if (copy == null) {
        copy = read(() -> tenants.computeIfAbsent(id, k -> new TenantData()).copy());
        copies.put(id, copy);
      }
      return copy;
    }
    return tenants.computeIfAbsent(id, k -> new TenantData());
  }

  /**
   * Runs reads over copies of the tenants they read, each taken whole under the read lock on first
   * use, so that they see one state while others write; writes inside are refused. Inside a
   * transaction or another snapshot it runs as part of it.
   */
  <T> T inSnapshot(Supplier<T> work) {
    if (journal.get() != null || snapshot.get() != null) {
      return work.get();
    }
    snapshot.set(new HashMap<>());
    try {
      return work.get();
    } finally {
      snapshot.remove();
    }
  }

  <T> T read(Supplier<T> work) {
    lock.readLock().lock();
    try {
      return work.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  <T> T inTransaction(Supplier<T> work) {
    if (journal.get() != null) {
      return work.get();
    }
    if (snapshot.get() != null) {
      throw new IllegalStateException("a snapshot reads only; write outside it");
    }
    lock.writeLock().lock();
    Deque<Runnable> undo = new ArrayDeque<>();
    journal.set(undo);
    try {
      T result = work.get();
      journal.remove();
      return result;
    } catch (RuntimeException | Error e) {
      journal.remove();
      while (!undo.isEmpty()) {
        undo.pop().run();
      }
      throw e;
    } finally {
      journal.remove();
      lock.writeLock().unlock();
    }
  }

  /** Records how to undo a write; must be called inside {@link #inTransaction}. */
  void onRollback(Runnable undo) {
    Deque<Runnable> j = journal.get();
    if (j == null) {
      throw new IllegalStateException("write outside a transaction");
    }
    j.push(undo);
  }

  /** Stores a user (insert or replace), keeping the indexes, with undo. */
  void putUser(TenantData t, User user) {
    User previous = t.users.put(user.id(), user);
    if (previous == null) {
      index(t, user);
    } else {
      reindex(t, previous, user);
    }
    onRollback(
        () -> {
          if (previous == null) {
            unindex(t, user);
            t.users.remove(user.id());
          } else {
            t.users.put(previous.id(), previous);
            reindex(t, user, previous);
          }
        });
  }

  /** Removes a user, keeping the indexes, with undo. */
  void removeUser(TenantData t, UserId id) {
    User previous = t.users.remove(id);
    if (previous == null) {
      return;
    }
    unindex(t, previous);
    onRollback(
        () -> {
          t.users.put(previous.id(), previous);
          index(t, previous);
        });
  }

  private static void index(TenantData t, User u) {
    t.sorts.add(u);
    u.primaryEmail().ifPresent(e -> addEmail(t, e, u.id()));
    u.employeeId().ifPresent(e -> addTo(t.byEmployeeId, e, u.id()));
    u.managerId().ifPresent(m -> addTo(t.byManager, m, u.id()));
    t.schedules.forEach(
        (s, due) -> s.of(u).ifPresent(at -> due.add(new UserLookup.DuePosition(at, u.id()))));
  }

  private static void unindex(TenantData t, User u) {
    t.sorts.remove(u);
    u.primaryEmail().ifPresent(e -> removeEmail(t, e, u.id()));
    u.employeeId().ifPresent(e -> removeFrom(t.byEmployeeId, e, u.id()));
    u.managerId().ifPresent(m -> removeFrom(t.byManager, m, u.id()));
    t.schedules.forEach(
        (s, due) -> s.of(u).ifPresent(at -> due.remove(new UserLookup.DuePosition(at, u.id()))));
  }

  /**
   * Moves a user's entries from one record to the next of the same user: only the keys that changed
   * (a bulk change of a status or a department leaves the e-mail, employee id and manager entries
   * as they are).
   */
  private static void reindex(TenantData t, User was, User now) {
    t.sorts.replace(was, now);
    UserId id = now.id();
    if (!was.primaryEmail().equals(now.primaryEmail())) {
      was.primaryEmail().ifPresent(e -> removeEmail(t, e, id));
      now.primaryEmail().ifPresent(e -> addEmail(t, e, id));
    }
    move(t.byEmployeeId, was.employeeId(), now.employeeId(), id);
    move(t.byManager, was.managerId(), now.managerId(), id);
    t.schedules.forEach(
        (s, due) -> {
          Optional<Instant> from = s.of(was);
          Optional<Instant> to = s.of(now);
          if (!from.equals(to)) {
            from.ifPresent(at -> due.remove(new UserLookup.DuePosition(at, id)));
            to.ifPresent(at -> due.add(new UserLookup.DuePosition(at, id)));
          }
        });
  }

  private static void addEmail(TenantData t, EmailAddress e, UserId id) {
    t.byEmail.put(e.key(), id);
    addTo(t.bySkeleton, e.skeleton(), id);
  }

  private static void removeEmail(TenantData t, EmailAddress e, UserId id) {
    t.byEmail.remove(e.key(), id);
    removeFrom(t.bySkeleton, e.skeleton(), id);
  }

  /** A user's entry under one key moved to another, when they differ. */
  @SuppressWarnings("NonApiType") // the indexes' sets are TreeSets: ids in order
  private static <K> void move(
      Map<K, TreeSet<UserId>> index, Optional<K> from, Optional<K> to, UserId id) {
    if (!from.equals(to)) {
      from.ifPresent(k -> removeFrom(index, k, id));
      to.ifPresent(k -> addTo(index, k, id));
    }
  }

  @SuppressWarnings("NonApiType") // the indexes' sets are TreeSets: ids in order
  private static <K> void addTo(Map<K, TreeSet<UserId>> index, K key, UserId id) {
    index.computeIfAbsent(key, k -> new TreeSet<>()).add(id);
  }

  private static <K, S extends java.util.Set<UserId>> void removeFrom(
      Map<K, S> index, K key, UserId id) {
    S set = index.get(key);
    if (set != null) {
      set.remove(id);
      if (set.isEmpty()) {
        index.remove(key);
      }
    }
  }
}
