package dev.usermgmt.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.jdbc.dialect.Dialect;
import dev.usermgmt.memory.InMemoryStores;
import dev.usermgmt.query.SortKey;
import dev.usermgmt.query.UserQuery;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.Fixtures;
import dev.usermgmt.user.User;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A walk sees one state of the store: while another thread renames users between its pages (moving
 * users not yet read before the walk's position and users already read after it), the walk returns
 * every user exactly once, with the names they had when it began.
 */
final class SnapshotWalkTest {
  private static final int USERS = 120;

  private static final byte[] KEY =
      "snapshot-walk-cursor-key-0123456789".getBytes(StandardCharsets.UTF_8);

  private static Stores stores(String store) {
    return store.equals("memory")
        ? InMemoryStores.create()
        : Databases.stores(Dialect.valueOf(store));
  }

  private static String name(int i) {
    return String.format("M%04d", i);
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "H2", "POSTGRESQL", "MARIADB"})
  void aWalkSortedByNameWhileAnotherThreadRenamesSeesEveryUserOnce(String store) throws Exception {
    Stores s = stores(store);
    TenantId t = Fixtures.freshTenant();
    List<User> users = new ArrayList<>();
    for (int i = 0; i < USERS; i++) {
      users.add(Fixtures.user(t, "w" + i).toBuilder().lastName(name(i)).build());
    }
    s.users().insert(t, users);
    Actor admin =
        Actor.builder().tenant(t).role(RoleCatalog.defaultCatalog().parse("support")).build();
    UserDirectory d = UserDirectory.builder().stores(s).signingKey(KEY).build();
    UserQuery byName = UserQuery.builder().addSort(SortKey.asc("lastName")).pageSize(10).build();
    ExecutorService other = Executors.newSingleThreadExecutor();
    List<String> seen = new ArrayList<>();
    Set<String> names = new HashSet<>();
    int[] renamed = {0};
    try {
      d.walk(
          admin,
          byName,
          page -> {
            page.forEach(
                u -> {
                  seen.add(u.id().value());
                  names.add(u.lastName().orElseThrow());
                });
            // between pages, another admin moves 5 unread users before the position
            // and 5 read ones after it, and waits for its writes to commit
            int read = seen.size();
            Future<?> writes =
                other.submit(
                    () -> {
                      List<UserId> ids = new ArrayList<>();
                      for (int k = 0; k < 5; k++) {
                        int unread = read + k * 7 + 3;
                        if (unread < USERS) {
                          ids.add(UserId.of("w" + unread));
                        }
                        ids.add(UserId.of(seen.get(k * 2 % read)));
                      }
                      for (UserId id : ids) {
                        User u = s.users().get(t, id).orElseThrow();
                        String to =
                            u.lastName().orElseThrow().startsWith("M")
                                    && Integer.parseInt(id.value().substring(1)) >= read
                                ? "A" + id.value()
                                : "Z" + id.value();
                        s.users()
                            .update(
                                t,
                                List.of(
                                    u.toBuilder().lastName(to).version(u.version() + 1).build()));
                        renamed[0]++;
                      }
                    });
            try {
              writes.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
    } finally {
      other.shutdownNow();
    }
    assertThat(renamed[0]).isGreaterThan(50);
    assertThat(seen).doesNotHaveDuplicates().hasSize(USERS);
    assertThat(names).allMatch(n -> n.startsWith("M"), "the names as the walk began");
    // the writes are there once the walk is over
    List<String> after = new ArrayList<>();
    d.walk(admin, byName, page -> page.forEach(u -> after.add(u.id().value())));
    assertThat(after).doesNotHaveDuplicates().hasSize(USERS);
    assertThat(s.users().get(t, UserId.of("w13")).orElseThrow().lastName()).hasValue("Aw13");
  }
}
