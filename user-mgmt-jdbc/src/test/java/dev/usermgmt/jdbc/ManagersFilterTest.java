package dev.usermgmt.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.jdbc.dialect.Dialect;
import dev.usermgmt.memory.InMemoryStores;
import dev.usermgmt.query.FilterParser;
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
 * The {@code managers} filter gives every store the same users, alone and combined (negated, with
 * other conditions, two managers in one filter), by page, by walk and by count. On H2 it reads the
 * ids below each manager from a per-connection set written first, instead of a recursive query that
 * H2 ran again for every row.
 */
final class ManagersFilterTest {
  private static final byte[] KEY =
      "managers-filter-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8);

  private static final List<String> FILTERS =
      List.of(
          "managers eq \"u1\"",
          "managers ne \"u1\"",
          "not (managers eq \"u2\") and department eq \"Sales\"",
          "managers eq \"u1\" or managers eq \"u3\"",
          "managers eq \"u2\" and not (managers eq \"u7\")",
          "department eq \"Sales\" or managers eq \"u12\"",
          "managers eq \"u1\" and managers eq \"u4\"",
          "department eq \"Sales\" and managers eq \"u1\" and lastName pr",
          "managers eq null",
          "managers eq \"nobody\"");

  @ParameterizedTest
  @ValueSource(strings = {"H2", "POSTGRESQL", "MARIADB"})
  void everyStoreFindsTheSameReports(String store) {
    TenantId t = Fixtures.freshTenant();
    List<User> users =
        IntStream.range(0, 120)
            .mapToObj(
                i -> {
                  User u = Fixtures.user(t, "u" + i);
                  User.Builder b = u.toBuilder().lastName("Last " + (i % 9));
                  if (i > 0) {
                    b.managerId(UserId.of("u" + ((i - 1) / 3)));
                  }
                  if (i % 4 == 0) {
                    b.department("Sales");
                  }
                  return b.build();
                })
            .toList();
    Stores memory = InMemoryStores.create();
    memory.users().insert(t, users);
    Stores db = Databases.stores(Dialect.valueOf(store));
    db.users().insert(t, users);
    Actor admin =
        Actor.builder().tenant(t).role(RoleCatalog.defaultCatalog().parse("support")).build();
    UserDirectory expected = UserDirectory.builder().stores(memory).signingKey(KEY).build();
    UserDirectory actual = UserDirectory.builder().stores(db).signingKey(KEY).build();
    for (String f : FILTERS) {
      for (int size : new int[] {7, 500}) {
        UserQuery q =
            UserQuery.builder()
                .filter(FilterParser.parse(f, AttributeSchema.empty()))
                .addSort(SortKey.parse("lastName"))
                .pageSize(size)
                .includeTotal(true)
                .build();
        List<String> want = pages(expected, admin, q);
        assertThat(want).as(f).isNotNull();
        assertThat(pages(actual, admin, q)).as(f + " by " + size).isEqualTo(want);
        List<String> walked = new ArrayList<>();
        actual.walk(admin, q, page -> page.forEach(u -> walked.add(u.id().value())));
        assertThat(walked).as("walk " + f).isEqualTo(want);
        assertThat(actual.search(admin, q).total()).as("total " + f).hasValue(want.size());
      }
    }
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
}
