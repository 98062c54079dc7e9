package dev.usermgmt.memory;

import dev.usermgmt.ConflictException;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.internal.Texts;
import dev.usermgmt.internal.store.Checks;
import dev.usermgmt.query.PreparedQuery;
import dev.usermgmt.query.QueryAttribute;
import dev.usermgmt.query.internal.QueryEvaluator;
import dev.usermgmt.spi.UserStore;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserField;
import dev.usermgmt.user.UserStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The in-memory {@link UserStore}: the reference semantics every other store must match. */
final class InMemoryUserStore implements UserStore {
  private final MemoryBackend backend;

  InMemoryUserStore(MemoryBackend backend) {
    this.backend = backend;
  }

  MemoryBackend backend() {
    return backend;
  }

  @Override
  public Optional<User> get(TenantId tenant, UserId id) {
    return backend.read(() -> Optional.ofNullable(backend.tenant(tenant).users.get(id)));
  }

  @Override
  public Map<UserId, User> getAll(TenantId tenant, Collection<UserId> ids) {
    checkBatch(ids);
    return backend.read(
        () -> {
          Map<UserId, User> out = new LinkedHashMap<>();
          MemoryBackend.TenantData t = backend.tenant(tenant);
          for (UserId id : ids) {
            User u = t.users.get(id);
            if (u != null) {
              out.put(id, u);
            }
          }
          return out;
        });
  }

  @Override
  public Map<String, User> findByEmails(TenantId tenant, Collection<EmailAddress> emails) {
    checkBatch(emails);
    return backend.read(
        () -> {
          Map<String, User> out = new LinkedHashMap<>();
          MemoryBackend.TenantData t = backend.tenant(tenant);
          for (EmailAddress e : emails) {
            UserId id = t.byEmail.get(e.key());
            User u = id == null ? null : t.users.get(id);
            if (u != null) {
              out.put(e.key(), u);
            }
          }
          return out;
        });
  }

  @Override
  public Map<String, List<User>> findByEmailSkeletons(
      TenantId tenant, Collection<String> skeletons) {
    checkBatch(skeletons);
    return backend.read(
        () -> {
          Map<String, List<User>> out = new LinkedHashMap<>();
          MemoryBackend.TenantData t = backend.tenant(tenant);
          for (String s : skeletons) {
            TreeSet<UserId> ids = t.bySkeleton.get(s);
            if (ids != null && !ids.isEmpty()) {
              List<User> users = new ArrayList<>();
              ids.forEach(id -> users.add(t.users.get(id)));
              out.put(s, List.copyOf(users));
            }
          }
          return out;
        });
  }

  @Override
  public Map<String, List<User>> findByEmployeeIds(
      TenantId tenant, Collection<String> employeeIds) {
    checkBatch(employeeIds);
    return backend.read(
        () -> {
          Map<String, List<User>> out = new LinkedHashMap<>();
          MemoryBackend.TenantData t = backend.tenant(tenant);
          for (String e : employeeIds) {
            TreeSet<UserId> ids = t.byEmployeeId.get(e);
            if (ids != null && !ids.isEmpty()) {
              List<User> users = new ArrayList<>();
              ids.forEach(id -> users.add(t.users.get(id)));
              out.put(e, List.copyOf(users));
            }
          }
          return out;
        });
  }

  @Override
  public List<User> findByManagers(TenantId tenant, Collection<UserId> managers) {
    checkBatch(managers);
    return backend.read(
        () -> {
          MemoryBackend.TenantData t = backend.tenant(tenant);
          TreeMap<UserId, User> out = new TreeMap<>();
          for (UserId m : managers) {
            TreeSet<UserId> ids = t.byManager.get(m);
            if (ids != null) {
              ids.forEach(id -> out.put(id, t.users.get(id)));
            }
          }
          return List.copyOf(out.values());
        });
  }

  @Override
  public List<User> findDue(
      TenantId tenant, Schedule schedule, Instant dueBy, Optional<DuePosition> after, int limit) {
    Checks.positive(limit, "limit");
    return backend.read(
        () -> {
          MemoryBackend.TenantData t = backend.tenant(tenant);
          java.util.NavigableSet<DuePosition> due =
              java.util.Objects.requireNonNull(t.schedules.get(schedule));
          List<User> out = new ArrayList<>();
          for (DuePosition p : after.isPresent() ? due.tailSet(after.get(), false) : due) {
            if (out.size() == limit || p.at().isAfter(dueBy)) {
              break;
            }
            out.add(java.util.Objects.requireNonNull(t.users.get(p.id())));
          }
          return out;
        });
  }

  @Override
  public List<User> scan(TenantId tenant, Optional<UserId> after, int limit) {
    return backend.read(
        () -> {
          TreeMap<UserId, User> users = backend.tenant(tenant).users;
          Collection<User> tail =
              after.isPresent() ? users.tailMap(after.get(), false).values() : users.values();
          List<User> out = new ArrayList<>(Math.min(limit, 1024));
          for (User u : tail) {
            if (out.size() == limit) {
              break;
            }
            out.add(u);
          }
          return out;
        });
  }

  @Override
  public long countByStatus(TenantId tenant, Set<UserStatus> statuses) {
    return backend.read(
        () ->
            backend.tenant(tenant).users.values().stream()
                .filter(u -> statuses.contains(u.status()))
                .count());
  }

  @Override
  public List<User> query(TenantId tenant, PreparedQuery query) {
    return backend.read(
        () -> {
          MemoryBackend.TenantData t = backend.tenant(tenant);
          QueryEvaluator eval = QueryEvaluator.of(query, id -> ancestors(t, id));
          if (query.sort().isEmpty()) {
            // id order is the map's own: walk it from the keyset, stop at a full page
            java.util.NavigableMap<UserId, User> from =
                query.after().isPresent()
                    ? t.users.tailMap(query.after().get().id(), false)
                    : t.users;
            List<User> page = new ArrayList<>(Math.min(query.limit(), 1024));
            for (User u : from.values()) {
              if (page.size() >= query.limit()) {
                break;
              }
              if (eval.matches(u)) {
                page.add(u);
              }
            }
            return page;
          }
          Optional<Collection<User>> indexed =
              t.sorts.after(query, t.users.values(), id -> ancestors(t, id));
          if (indexed.isPresent()) {
            // the users in the sort's order from the keyset on: stop at a full page
            List<User> page = new ArrayList<>(Math.min(query.limit(), 1024));
            for (User u : indexed.get()) {
              if (page.size() >= query.limit()) {
                break;
              }
              if (eval.matches(u)) {
                page.add(u);
              }
            }
            return page;
          }
          Comparator<QueryEvaluator.Keyed> order = eval.keyedOrder();
          // the page is the smallest `limit` matches after the keyset: a bounded max-heap
          PriorityQueue<QueryEvaluator.Keyed> heap =
              new PriorityQueue<>(Math.max(1, query.limit()), order.reversed());
          for (User u : t.users.values()) {
            if (!eval.matches(u)) {
              continue;
            }
            QueryEvaluator.Keyed k = eval.keyed(u);
            if (!eval.isAfterStart(k)) {
              continue;
            }
            if (heap.size() < query.limit()) {
              heap.add(k);
            } else if (query.limit() > 0 && order.compare(k, heap.peek()) < 0) {
              heap.poll();
              heap.add(k);
            }
          }
          List<QueryEvaluator.Keyed> out = new ArrayList<>(heap);
          out.sort(order);
          return out.stream().map(QueryEvaluator.Keyed::user).toList();
        });
  }

  @Override
  public long count(TenantId tenant, PreparedQuery query) {
    return backend.read(
        () -> {
          MemoryBackend.TenantData t = backend.tenant(tenant);
          QueryEvaluator eval = QueryEvaluator.of(query, id -> ancestors(t, id));
          return t.users.values().stream().filter(eval::matches).count();
        });
  }

  @Override
  public List<String> distinctValues(
      TenantId tenant, QueryAttribute attribute, String prefix, int limit) {
    UserField field = attribute.field().orElseThrow();
    String p = Texts.fold(prefix);
    return backend.read(
        () -> {
          TreeSet<String[]> values =
              new TreeSet<>(
                  (a, b) -> {
                    int c = QueryEvaluator.compareCodePoints(a[0], b[0]);
                    return c != 0 ? c : QueryEvaluator.compareCodePoints(a[1], b[1]);
                  });
          for (User u : backend.tenant(tenant).users.values()) {
            Optional<Object> v = field.get(u);
            if (v.isPresent() && v.get() instanceof String s && Texts.fold(s).startsWith(p)) {
              values.add(new String[] {Texts.fold(s), s});
            }
          }
          return values.stream().limit(limit).map(a -> a[1]).toList();
        });
  }

  @Override
  public List<User> suggestUsers(TenantId tenant, String prefix, int limit) {
    String p = Texts.fold(prefix);
    return backend.read(
        () ->
            backend.tenant(tenant).users.values().stream()
                .filter(u -> suggests(u, p))
                .sorted(
                    Comparator.<User, String>comparing(
                            u -> Texts.fold(u.displayName()), QueryEvaluator::compareCodePoints)
                        .thenComparing(User::id))
                .limit(limit)
                .toList());
  }

  private static boolean suggests(User u, String p) {
    String name = Texts.fold(u.displayName());
    return name.startsWith(p)
        || name.contains(" " + p)
        || u.firstName().map(s -> Texts.fold(s).startsWith(p)).orElse(false)
        || u.lastName().map(s -> Texts.fold(s).startsWith(p)).orElse(false)
        || u.primaryEmail().map(e -> Texts.fold(e.value()).startsWith(p)).orElse(false);
  }

  static List<UserId> ancestors(MemoryBackend.TenantData t, UserId id) {
    List<UserId> out = new ArrayList<>();
    java.util.Set<UserId> seen = new java.util.HashSet<>();
    seen.add(id);
    User u = t.users.get(id);
    Optional<UserId> next = u == null ? Optional.empty() : u.managerId();
    while (next.isPresent() && seen.add(next.get())) {
      out.add(next.get());
      User m = t.users.get(next.get());
      next = m == null ? Optional.empty() : m.managerId();
    }
    return out;
  }

  @Override
  public void insert(TenantId tenant, List<User> users) {
    backend.inTransaction(
        () -> {
          MemoryBackend.TenantData t = backend.tenant(tenant);
          for (User u : users) {
            Checks.sameTenant(tenant, u);
            Checks.storedVersion(u);
            if (t.users.containsKey(u.id())) {
              throw new ConflictException(
                  Problem.ofField(ErrorCode.ALREADY_EXISTS, "id", "user " + u.id() + " exists"));
            }
            checkEmailFree(t, u);
            backend.putUser(t, u);
          }
          return users.size();
        });
  }

  @Override
  public void update(TenantId tenant, List<User> users) {
    backend.inTransaction(
        () -> {
          MemoryBackend.TenantData t = backend.tenant(tenant);
          for (User u : users) {
            Checks.sameTenant(tenant, u);
            User stored = t.users.get(u.id());
            if (stored == null || stored.version() != u.version() - 1) {
              throw Checks.versionConflict(
                  u.id(), stored == null ? -1 : stored.version(), u.version() - 1);
            }
            checkEmailFree(t, u);
            backend.putUser(t, u);
          }
          return users.size();
        });
  }

  @Override
  public void delete(TenantId tenant, Map<UserId, Long> expectedVersions) {
    backend.inTransaction(
        () -> {
          MemoryBackend.TenantData t = backend.tenant(tenant);
          for (Map.Entry<UserId, Long> e : expectedVersions.entrySet()) {
            User stored = t.users.get(e.getKey());
            if (stored == null || stored.version() != e.getValue()) {
              throw Checks.versionConflict(
                  e.getKey(), stored == null ? -1 : stored.version(), e.getValue());
            }
            backend.removeUser(t, e.getKey());
          }
          return expectedVersions.size();
        });
  }

  private static void checkEmailFree(MemoryBackend.TenantData t, User u) {
    if (u.primaryEmail().isPresent()) {
      UserId owner = t.byEmail.get(u.primaryEmail().get().key());
      if (owner != null && !owner.equals(u.id())) {
        throw new ConflictException(
            Problem.ofField(
                ErrorCode.EMAIL_TAKEN,
                "primaryEmail",
                "another user already has the e-mail address " + u.primaryEmail().get()));
      }
    }
  }

  private void checkBatch(Collection<?> keys) {
    if (keys.size() > maxBatchSize()) {
      throw new IllegalArgumentException(
          "batch of " + keys.size() + " keys exceeds maxBatchSize " + maxBatchSize());
    }
  }
}
