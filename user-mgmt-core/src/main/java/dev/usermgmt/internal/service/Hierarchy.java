package dev.usermgmt.internal.service;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Relation;
import dev.usermgmt.internal.Batches;
import dev.usermgmt.spi.UserLookup;
import dev.usermgmt.user.User;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The manager hierarchy: ancestors, reports, relations and cycle checks, over a lookup. */
public final class Hierarchy {
  /** Deeper chains than this are treated as corrupt (a cycle that slipped in from outside). */
  static final int MAX_DEPTH = 256;

  private final UserLookup users;

  public Hierarchy(UserLookup users) {
    this.users = users;
  }

  /** The managers of a user, nearest first. */
  public List<User> ancestors(TenantId tenant, User user) {
    List<User> out = new ArrayList<>();
    Set<UserId> seen = new HashSet<>();
    seen.add(user.id());
    Optional<UserId> next = user.managerId();
    while (next.isPresent() && out.size() < MAX_DEPTH && seen.add(next.get())) {
      Optional<User> m = users.get(tenant, next.get());
      if (m.isEmpty()) {
        break;
      }
      out.add(m.get());
      next = m.get().managerId();
    }
    return out;
  }

  /** How a target relates to an acting user. */
  public Relation relation(Optional<UserId> actor, User target) {
    if (actor.isEmpty()) {
      return Relation.OTHER;
    }
    if (actor.get().equals(target.id())) {
      return Relation.SELF;
    }
    if (target.managerId().equals(actor)) {
      return Relation.DIRECT_REPORT;
    }
    for (User m : ancestors(target.tenant(), target)) {
      if (m.id().equals(actor.get())) {
        return Relation.INDIRECT_REPORT;
      }
    }
    return Relation.OTHER;
  }

  /**
   * How each of several users of one tenant relates to an acting user, as {@link #relation} would
   * say one by one, with each manager looked up at most once: the managers of the users in the list
   * come from the list itself (a chain of managers, the reports of one user), so a hierarchy read
   * costs one walk above it instead of one walk per user it returns.
   */
  public Map<UserId, Relation> relations(
      Optional<UserId> actor, TenantId tenant, List<User> targets) {
    Map<UserId, Optional<User>> known = new HashMap<>();
    targets.forEach(u -> known.put(u.id(), Optional.of(u)));
    java.util.function.Function<User, Relation> relation = relator(actor, tenant, known);
    Map<UserId, Relation> out = new HashMap<>();
    for (User u : targets) {
      out.put(u.id(), relation.apply(u));
    }
    return out;
  }

  /**
   * How users of one tenant relate to an acting user, as {@link #relation} would say, asked one
   * user at a time over one call (a plan's rows): each manager is looked up, and each answered, at
   * most once over all the users asked about. Not for use from several threads.
   */
  public java.util.function.Function<User, Relation> relator(
      Optional<UserId> actor, TenantId tenant) {
    return relator(actor, tenant, new HashMap<>());
  }

  private java.util.function.Function<User, Relation> relator(
      Optional<UserId> actor, TenantId tenant, Map<UserId, Optional<User>> known) {
    Map<UserId, Boolean> below = new HashMap<>();
    return u -> {
      if (actor.isEmpty()) {
        return Relation.OTHER;
      } else if (actor.get().equals(u.id())) {
        return Relation.SELF;
      } else if (u.managerId().equals(actor)) {
        return Relation.DIRECT_REPORT;
      }
      return below(actor.get(), tenant, u, known, below)
          ? Relation.INDIRECT_REPORT
          : Relation.OTHER;
    };
  }

  /**
   * Whether {@code actor} is a manager above {@code user}, walking up until the actor, a manager
   * already answered, the top, a cycle or {@link #MAX_DEPTH}; every manager passed on the way gets
   * the same answer.
   */
  private boolean below(
      UserId actor,
      TenantId tenant,
      User user,
      Map<UserId, Optional<User>> known,
      Map<UserId, Boolean> answered) {
    List<UserId> path = new ArrayList<>();
    Set<UserId> seen = new HashSet<>();
    seen.add(user.id());
    Optional<UserId> next = user.managerId();
    boolean result = false;
    while (next.isPresent() && path.size() < MAX_DEPTH && seen.add(next.get())) {
      UserId m = next.get();
      if (m.equals(actor)) {
        result = true;
        break;
      }
      Boolean memo = answered.get(m);
      if (memo != null) {
        result = memo;
        break;
      }
      path.add(m);
      Optional<User> manager = known.computeIfAbsent(m, id -> users.get(tenant, id));
      if (manager.isEmpty()) {
        break;
      }
      next = manager.get().managerId();
    }
    for (UserId p : path) {
      answered.put(p, result);
    }
    return result;
  }

  /** Every direct and indirect report, breadth first, one lookup per chunk of managers. */
  public List<User> reports(TenantId tenant, UserId manager, boolean indirect) {
    Map<UserId, User> out = new LinkedHashMap<>();
    List<UserId> frontier = List.of(manager);
    Set<UserId> seen = new HashSet<>(frontier);
    int chunk = users.maxBatchSize();
    while (!frontier.isEmpty()) {
      List<UserId> next = new ArrayList<>();
      for (int i = 0; i < frontier.size(); i += chunk) {
        for (User u :
            users.findByManagers(
                tenant, frontier.subList(i, Math.min(frontier.size(), i + chunk)))) {
          if (seen.add(u.id())) {
            out.put(u.id(), u);
            next.add(u.id());
          }
        }
      }
      frontier = indirect ? next : List.of();
    }
    return List.copyOf(out.values());
  }

  /**
   * Checks the managers a write gives: each of {@code changed} names a manager that exists and that
   * is neither the user nor one of the user's reports, over the users as the write leaves them
   * ({@code written}) and as stored for the rest. The chains are walked together, one batched
   * lookup a level, so a chunk of a bulk write costs a few lookups, not one a user and level.
   *
   * @param tenant the tenant
   * @param written users of the write as it leaves them, where the store does not show them yet
   * @param changed the users of the write whose manager it sets, each with one
   * @throws InvalidInputException with {@link ErrorCode#UNKNOWN_MANAGER} or {@link
   *     ErrorCode#MANAGER_CYCLE}
   */
  public void checkManagers(TenantId tenant, Map<UserId, User> written, List<User> changed) {
    Map<UserId, Optional<UserId>> managerOf = new HashMap<>();
    written.forEach((id, u) -> managerOf.put(id, u.managerId()));
    Set<UserId> absent = new HashSet<>();
    Map<UserId, UserId> at = new LinkedHashMap<>();
    changed.forEach(u -> at.put(u.id(), u.managerId().orElseThrow()));
    Map<UserId, UserId> named = Map.copyOf(at);
    for (int depth = 0; !at.isEmpty() && depth < MAX_DEPTH; depth++) {
      List<UserId> unknown =
          at.values().stream()
              .filter(id -> !managerOf.containsKey(id) && !absent.contains(id))
              .distinct()
              .toList();
      Map<UserId, User> found =
          Batches.lookup(unknown, users.maxBatchSize(), part -> users.getAll(tenant, part));
      for (UserId id : unknown) {
        User u = found.get(id);
        if (u == null) {
          absent.add(id);
        } else {
          managerOf.put(id, u.managerId());
        }
      }
      Map<UserId, UserId> next = new LinkedHashMap<>();
      for (Map.Entry<UserId, UserId> e : at.entrySet()) {
        UserId user = e.getKey();
        UserId manager = java.util.Objects.requireNonNull(named.get(user));
        if (e.getValue().equals(user)) {
          throw cycle(user, manager);
        }
        if (absent.contains(e.getValue())) {
          if (depth == 0) {
            throw new InvalidInputException(
                Problem.ofField(
                    ErrorCode.UNKNOWN_MANAGER,
                    "managerId",
                    "the manager " + manager + " does not exist"));
          }
          continue;
        }
        managerOf.getOrDefault(e.getValue(), Optional.empty()).ifPresent(m -> next.put(user, m));
      }
      at.clear();
      at.putAll(next);
    }
    if (!at.isEmpty()) {
      // a chain deeper than any the hierarchy keeps: a cycle, or one the new manager would close
      UserId user = at.keySet().iterator().next();
      throw cycle(user, java.util.Objects.requireNonNull(named.get(user)));
    }
  }

  private static InvalidInputException cycle(UserId user, UserId manager) {
    return new InvalidInputException(
        Problem.ofField(
            ErrorCode.MANAGER_CYCLE,
            "managerId",
            "making " + manager + " the manager of " + user + " would create a reporting cycle"));
  }
}
