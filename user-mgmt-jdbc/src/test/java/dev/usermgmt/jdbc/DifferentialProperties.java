package dev.usermgmt.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.jdbc.dialect.Dialect;
import dev.usermgmt.memory.InMemoryStores;
import dev.usermgmt.query.Page;
import dev.usermgmt.query.UserQuery;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.DomainGenerators;
import dev.usermgmt.testkit.Fixtures;
import dev.usermgmt.user.User;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

/**
 * For random users and random queries, the JDBC store on each database returns exactly what the
 * in-memory reference store returns: same users, same order, same pages, same totals, same
 * autocomplete.
 */
final class DifferentialProperties {
  private static final RoleCatalog ROLES = RoleCatalog.defaultCatalog();
  private static final AttributeDefinition LEVEL =
      AttributeDefinition.builder().key("level").label("Level").type(AttributeType.NUMBER).build();
  private static final byte[] KEY =
      "differential-cursor-key-0123456789".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  private static Gen<List<User>> population() {
    return SourceDSL.lists()
        .of(DomainGenerators.users(TenantId.of("gen"), ROLES))
        .ofSizeBetween(0, 40)
        .map(
            users -> {
              Map<UserId, User> byId = new LinkedHashMap<>();
              Set<String> emails = new HashSet<>();
              for (User u : users) {
                if (!byId.containsKey(u.id()) && emails.add(u.primaryEmail().orElseThrow().key())) {
                  byId.put(u.id(), u.toBuilder().version(1).build());
                }
              }
              return List.copyOf(byId.values());
            });
  }

  private static List<String> walk(UserDirectory d, Actor a, UserQuery q) {
    List<String> out = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      Page<User> p = d.search(a, q.atCursor(cursor));
      p.items().forEach(u -> out.add(u.id() + "@" + u.version()));
      p.total().ifPresent(t -> out.add("total=" + t));
      cursor = p.nextCursor();
    } while (cursor.isPresent());
    return out;
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void sqlStoresAnswerQueriesExactlyAsTheInMemoryStore(Dialect dialect) {
    Stores sql = Databases.stores(dialect);
    qt().withExamples(dialect == Dialect.H2 ? 150 : 60)
        .forAll(population(), DomainGenerators.userQueries(), SourceDSL.integers().between(1, 9))
        .checkAssert(
            (users, q, pageSize) -> {
              TenantId t = Fixtures.freshTenant();
              Stores memory = InMemoryStores.create();
              List<User> mine = users.stream().map(u -> u.toBuilder().tenant(t).build()).toList();
              for (Stores s : List.of(memory, sql)) {
                s.attributes().put(t, Optional.empty(), LEVEL);
                s.users().insert(t, mine);
              }
              Actor admin = Actor.builder().tenant(t).role(ROLES.parse("support")).build();
              UserDirectory m = UserDirectory.builder().stores(memory).signingKey(KEY).build();
              UserDirectory j = UserDirectory.builder().stores(sql).signingKey(KEY).build();
              UserQuery paged = UserQuery.builder().from(q).pageSize(pageSize).build();
              assertThat(walk(j, admin, paged)).isEqualTo(walk(m, admin, paged));
              for (String column : List.of("department", "company", "location")) {
                for (String prefix : List.of("", "s", "LO", "é")) {
                  assertThat(j.distinctValues(admin, column, prefix, 5))
                      .isEqualTo(m.distinctValues(admin, column, prefix, 5));
                }
              }
              for (String prefix : List.of("a", "ZO", "ng", "sam.1")) {
                assertThat(j.suggestUsers(admin, prefix, 7).stream().map(User::id).toList())
                    .isEqualTo(m.suggestUsers(admin, prefix, 7).stream().map(User::id).toList());
              }
            });
  }
}
