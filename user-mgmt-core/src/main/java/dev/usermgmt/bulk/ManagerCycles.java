package dev.usermgmt.bulk;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.Problem;
import dev.usermgmt.UserId;
import dev.usermgmt.user.User;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The manager changes of an update file, kept while its rows are planned (one entry a row that
 * changes a manager), then checked for reporting cycles, also across rows: the managers above the
 * changed users are loaded from the store level by level, one lookup per chunk.
 */
final class ManagerCycles {
  private record Change(int index, UserId self, String column) {}

  private final Map<UserId, Optional<UserId>> changed = new HashMap<>();
  private final List<Change> changes = new ArrayList<>();

  /** The preview at {@code index} changes the manager of {@code self}. */
  void changed(int index, UserId self, Optional<UserId> manager, String column) {
    changed.put(self, manager);
    changes.add(new Change(index, self, column));
  }

  /**
   * The previews with every row whose new manager closes a cycle made an error.
   *
   * @param previews the previews
   * @param load users by id, one store call per chunk
   * @param inMemory how many previews a rewritten list keeps in memory
   */
  List<RowPreview> apply(
      List<RowPreview> previews,
      Function<Collection<UserId>, Map<UserId, User>> load,
      int inMemory) {
    if (changes.isEmpty()) {
      return previews;
    }
    Map<UserId, Optional<UserId>> stored = loadChains(load);
    Function<UserId, Optional<UserId>> managerOf =
        id -> changed.containsKey(id) ? changed.get(id) : stored.getOrDefault(id, Optional.empty());
    Map<Integer, String> cycles = new HashMap<>();
    for (Change c : changes) {
      Set<UserId> seen = new HashSet<>();
      Optional<UserId> next = managerOf.apply(c.self());
      while (next.isPresent() && seen.add(next.get())) {
        if (next.get().equals(c.self())) {
          cycles.put(c.index(), c.column());
          break;
        }
        next = managerOf.apply(next.get());
      }
    }
    if (cycles.isEmpty()) {
      return previews;
    }
    try (PreviewStore.Writer out = new PreviewStore.Writer(inMemory)) {
      int i = 0;
      for (RowPreview r : previews) {
        String column = cycles.get(i++);
        out.add(column == null ? r : cycle(r, column));
      }
      return out.finish();
    }
  }

  private static RowPreview cycle(RowPreview r, String column) {
    return new RowPreview(
        r.row(),
        RowPreview.Kind.ERROR,
        r.key(),
        r.user(),
        List.of(),
        List.of(
            Problem.builder()
                .code(ErrorCode.MANAGER_CYCLE)
                .field("managerId")
                .column(column)
                .row(r.row())
                .message("the new manager closes a reporting cycle")
                .build()));
  }

  /** The stored manager of every user on the chains above the new managers. */
  private Map<UserId, Optional<UserId>> loadChains(
      Function<Collection<UserId>, Map<UserId, User>> load) {
    Map<UserId, Optional<UserId>> stored = new HashMap<>();
    Set<UserId> frontier = new LinkedHashSet<>();
    for (Optional<UserId> m : changed.values()) {
      m.filter(id -> !changed.containsKey(id)).ifPresent(frontier::add);
    }
    int depth = 0;
    while (!frontier.isEmpty() && depth++ < 256) {
      Map<UserId, User> level = load.apply(frontier);
      Set<UserId> next = new LinkedHashSet<>();
      for (UserId id : frontier) {
        User u = level.get(id);
        Optional<UserId> manager = u == null ? Optional.empty() : u.managerId();
        stored.put(id, manager);
        manager.filter(m -> !changed.containsKey(m) && !stored.containsKey(m)).ifPresent(next::add);
      }
      frontier = next;
    }
    return stored;
  }
}
