package dev.usermgmt.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usermgmt.TenantId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.jdbc.dialect.Dialect;
import dev.usermgmt.memory.InMemoryStores;
import dev.usermgmt.query.Page;
import dev.usermgmt.query.SortKey;
import dev.usermgmt.query.UserQuery;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.Fixtures;
import dev.usermgmt.user.User;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pages walked by cursor and walks return every match exactly once, in the reference store's order,
 * on every store, by one sort key or two (the second often empty), whatever page sizes came before
 * on the same connection (H2 2.3 cached the first {@code LIMIT} of a page query that put limits
 * inside a {@code UNION}).
 */
final class ExactPagesTest {
  private static final byte[] KEY =
      "exact-pages-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8);

  private static Stores stores(String store) {
    return store.equals("memory")
        ? InMemoryStores.create()
        : Databases.stores(Dialect.valueOf(store));
  }

  private static List<String> pages(UserDirectory d, Actor a, UserQuery q) {
    List<String> out = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      Page<User> p = d.search(a, q.atCursor(cursor));
      p.items().forEach(u -> out.add(u.id().value()));
      cursor = p.nextCursor();
    } while (cursor.isPresent());
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "H2", "POSTGRESQL", "MARIADB"})
  void thirtyUsersTenWithADepartmentArePagedAndWalkedExactlyOnce(String store) {
    Stores s = stores(store);
    TenantId t = Fixtures.freshTenant();
    List<User> users =
        IntStream.range(0, 30)
            .mapToObj(
                i -> {
                  User u = Fixtures.user(t, "u" + (100 + i));
                  User.Builder b = u.toBuilder().company("Co " + (i % 2));
                  return (i % 3 == 0 ? b.department("Dept " + (i % 4)) : b).build();
                })
            .toList();
    s.users().insert(t, users);
    List<String> ids = users.stream().map(u -> u.id().value()).sorted().toList();
    Actor admin =
        Actor.builder().tenant(t).role(RoleCatalog.defaultCatalog().parse("support")).build();
    UserDirectory d = UserDirectory.builder().stores(s).signingKey(KEY).build();
    Stores reference = InMemoryStores.create();
    reference.users().insert(t, users);
    UserDirectory m = UserDirectory.builder().stores(reference).signingKey(KEY).build();
    // one key, and two keys in one direction or both (the second, department, often empty)
    for (String sort :
        List.of(
            "department",
            "-department",
            "company,department",
            "-company,-department",
            "company,-department")) {
      for (int size : new int[] {3, 25, 1, 7, 1000}) {
        UserQuery.Builder b = UserQuery.builder().pageSize(size);
        for (String key : sort.split(",", -1)) {
          b.addSort(SortKey.parse(key));
        }
        UserQuery q = b.build();
        List<String> paged = pages(d, admin, q);
        assertThat(paged).as(sort + " by " + size).hasSize(30);
        assertThat(paged.stream().sorted().toList()).isEqualTo(ids);
        assertThat(paged).as(sort + " by " + size).isEqualTo(pages(m, admin, q));
        List<String> walked = new ArrayList<>();
        d.walk(admin, q, page -> page.forEach(u -> walked.add(u.id().value())));
        assertThat(walked).as("walk " + sort + " by " + size).isEqualTo(paged);
      }
    }
  }
}
