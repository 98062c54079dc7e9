package dev.usermgmt.memory;

import dev.usermgmt.UserId;
import dev.usermgmt.query.Keyset;
import dev.usermgmt.query.PreparedQuery;
import dev.usermgmt.query.internal.QueryEvaluator;
import dev.usermgmt.user.User;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One tenant's users in the order of each sort a query has asked for, so that a keyset page is a
 * walk from the page's position ({@code O(log n + page)}) instead of a pass over every user (a page
 * of 50 at depth 40,000 of 50,000 users cost as much as reading them all). An index is built the
 * first time a sort is asked for and kept up to date by every write after that; a tenant keeps at
 * most {@link #MAX_SORTS} of them, and a further sort is answered by a pass over the users.
 */
final class SortIndexes {
  /** How many different sorts a tenant keeps an index for. */
  static final int MAX_SORTS = 16;

  private final Map<List<PreparedQuery.Sort>, Index> bySort = new ConcurrentHashMap<>();

  /** The users of one sort, keyed by their sort values and id. */
  private static final class Index {
    private final QueryEvaluator keys;
    private final NavigableMap<Keyset, User> users;

    Index(QueryEvaluator keys, Collection<User> all) {
      this.keys = keys;
      this.users = new TreeMap<>(keys.keysetOrder());
      for (User u : all) {
        users.put(keys.keyset(u), u);
      }
    }
  }

  /**
   * Whether a sort can be indexed: its values depend on the user alone (not {@code managers}, which
   * reads other users).
   */
  static boolean indexable(List<PreparedQuery.Sort> sort) {
    return !sort.isEmpty()
        && sort.stream()
            .noneMatch(s -> s.attribute().multiValued() || "managers".equals(s.attribute().name()));
  }

  /**
   * The users of a sort from a keyset on, in the sort's order; empty when the sort is not indexed
   * and cannot be (not {@link #indexable}, or the tenant has {@link #MAX_SORTS} already). Called
   * under the read lock: concurrent callers build one index once.
   */
  Optional<Collection<User>> after(
      PreparedQuery query, Collection<User> all, Function<UserId, List<UserId>> ancestors) {
    List<PreparedQuery.Sort> sort = query.sort();
    if (!indexable(sort)) {
      return Optional.empty();
    }
    Index index = bySort.get(sort);
    if (index == null) {
      if (bySort.size() >= MAX_SORTS) {
        return Optional.empty();
      }
      PreparedQuery keysOnly =
          new PreparedQuery(Optional.empty(), List.of(), sort, Optional.empty(), 0);
      index =
          bySort.computeIfAbsent(sort, s -> new Index(QueryEvaluator.of(keysOnly, ancestors), all));
    }
    return Optional.of(
        query.after().isPresent()
            ? index.users.tailMap(query.after().get(), false).values()
            : index.users.values());
  }

  /** Takes a user into every index; called under the write lock. */
  void add(User u) {
    for (Index index : bySort.values()) {
      index.users.put(index.keys.keyset(u), u);
    }
  }

  /**
   * Moves a user from one record to the next of the same user in every index: in place when the
   * user's sort values did not change; called under the write lock.
   */
  void replace(User was, User now) {
    for (Index index : bySort.values()) {
      Keyset before = index.keys.keyset(was);
      Keyset after = index.keys.keyset(now);
      if (!before.equals(after)) {
        index.users.remove(before);
      }
      index.users.put(after, now);
    }
  }

  /** Drops a user from every index; called under the write lock. */
  void remove(User u) {
    for (Index index : bySort.values()) {
      index.users.remove(index.keys.keyset(u));
    }
  }
}
