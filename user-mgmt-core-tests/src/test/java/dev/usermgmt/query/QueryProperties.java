package dev.usermgmt.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.memory.InMemoryStores;
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
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

final class QueryProperties {
  private static final RoleCatalog ROLES = RoleCatalog.defaultCatalog();
  private static final AttributeDefinition LEVEL =
      AttributeDefinition.builder().key("level").label("Level").type(AttributeType.NUMBER).build();
  private static final AttributeSchema SCHEMA = AttributeSchema.of(List.of(LEVEL));
  private static final TenantId GEN = TenantId.of("gen");

  private static Gen<List<User>> population(int max) {
    return SourceDSL.lists()
        .of(DomainGenerators.users(GEN, ROLES))
        .ofSizeBetween(0, max)
        .map(QueryProperties::distinct);
  }

  private static List<User> distinct(List<User> users) {
    Map<UserId, User> byId = new LinkedHashMap<>();
    Set<String> emails = new HashSet<>();
    for (User u : users) {
      if (!byId.containsKey(u.id()) && emails.add(u.primaryEmail().orElseThrow().key())) {
        byId.put(u.id(), u.toBuilder().version(1).build());
      }
    }
    return List.copyOf(byId.values());
  }

  private record Fixture(Stores stores, UserDirectory directory, Actor admin, TenantId tenant) {}

  private static Fixture load(List<User> users) {
    Stores stores = InMemoryStores.create();
    TenantId t = Fixtures.freshTenant();
    stores.attributes().put(t, Optional.empty(), LEVEL);
    stores.users().insert(t, users.stream().map(u -> u.toBuilder().tenant(t).build()).toList());
    UserDirectory directory = UserDirectory.builder().stores(stores).build();
    Actor admin = Actor.builder().tenant(t).role(ROLES.parse("support")).build();
    return new Fixture(stores, directory, admin, t);
  }

  @Test
  void printThenParseGivesTheSameFilter() {
    qt().withExamples(2000)
        .forAll(DomainGenerators.filterSyntax(3))
        .checkAssert(
            f -> {
              String printed = f.toString();
              Filter back = FilterParser.parseSyntax(printed);
              assertThat(back).isEqualTo(f);
              assertThat(back.toString()).isEqualTo(printed);
            });
  }

  @Test
  void generatedFiltersAreWellTyped() {
    qt().withExamples(500)
        .forAll(DomainGenerators.filters(3))
        .checkAssert(f -> assertThat(FilterParser.parse(f.toString(), SCHEMA)).isEqualTo(f));
  }

  @Test
  void queryStringsRoundTrip() {
    qt().withExamples(1000)
        .forAll(
            DomainGenerators.userQueries(),
            SourceDSL.strings().basicLatinAlphabet().ofLengthBetween(0, 20))
        .checkAssert(
            (q, cursor) -> {
              UserQuery withCursor =
                  cursor.isEmpty() ? q : q.atCursor(Optional.of(cursor + "=&?+ é"));
              assertThat(UserQuery.parse(withCursor.toQueryString(), SCHEMA)).isEqualTo(withCursor);
            });
  }

  @Test
  void inMemoryResultsEqualABruteForceOracle() {
    qt().withExamples(300)
        .forAll(population(60), DomainGenerators.userQueries())
        .checkAssert(
            (users, q) -> {
              Fixture fx = load(users);
              UserQuery all =
                  UserQuery.builder()
                      .from(q)
                      .pageSize(UserQuery.MAX_PAGE_SIZE)
                      .includeTotal(true)
                      .build();
              Page<User> page = fx.directory().search(fx.admin(), all);
              Map<UserId, User> byId = new LinkedHashMap<>();
              fx.stores()
                  .users()
                  .scan(fx.tenant(), Optional.empty(), 10_000)
                  .forEach(u -> byId.put(u.id(), u));
              List<UserId> expected =
                  new QueryOracle(byId).expected(q.search(), q.filter(), q.sort());
              assertThat(page.items().stream().map(User::id).toList()).isEqualTo(expected);
              assertThat(page.total()).hasValue(expected.size());
              assertThat(page.nextCursor()).isEmpty();
            });
  }

  @Test
  void walkingPagesByCursorYieldsEveryMatchOnceInOrderEvenWhileUsersAreAdded() {
    qt().withExamples(200)
        .forAll(
            population(50),
            DomainGenerators.filters(1),
            DomainGenerators.sorts(),
            SourceDSL.integers().between(1, 7))
        .checkAssert(
            (users, filter, sort, pageSize) -> {
              Fixture fx = load(users);
              UserQuery q =
                  UserQuery.builder().filter(filter).sort(sort).pageSize(pageSize).build();
              Map<UserId, User> before = new LinkedHashMap<>();
              fx.stores()
                  .users()
                  .scan(fx.tenant(), Optional.empty(), 10_000)
                  .forEach(u -> before.put(u.id(), u));
              List<UserId> original =
                  new QueryOracle(before).expected(Optional.empty(), Optional.of(filter), sort);
              List<User> seen = new ArrayList<>();
              Optional<String> cursor = Optional.empty();
              int added = 0;
              do {
                Page<User> page = fx.directory().search(fx.admin(), q.atCursor(cursor));
                assertThat(page.items().size()).isLessThanOrEqualTo(pageSize);
                seen.addAll(page.items());
                cursor = page.nextCursor();
                User extra =
                    Fixtures.user(fx.tenant(), "added" + added++).toBuilder()
                        .department(DomainGenerators.DEPARTMENTS.get(added % 6))
                        .skillsCount(added % 13)
                        .build();
                fx.stores().users().insert(fx.tenant(), List.of(extra));
              } while (cursor.isPresent());
              List<UserId> ids = seen.stream().map(User::id).toList();
              assertThat(ids).doesNotHaveDuplicates();
              assertThat(ids).containsAll(original);
              assertThat(ids.stream().filter(before::containsKey).toList()).isEqualTo(original);
              Map<UserId, User> after = new LinkedHashMap<>();
              fx.stores()
                  .users()
                  .scan(fx.tenant(), Optional.empty(), 10_000)
                  .forEach(u -> after.put(u.id(), u));
              List<User> sorted = new ArrayList<>(seen);
              sorted.sort(new QueryOracle(after).order(sort));
              assertThat(seen).isEqualTo(sorted);
            });
  }

  @Test
  void sortedPagesStayInOrderAfterUpdatesDeletesAndRolledBackWrites() {
    qt().withExamples(200)
        .forAll(
            population(50),
            DomainGenerators.filters(1),
            DomainGenerators.sorts(),
            SourceDSL.integers().between(0, 1_000_000))
        .checkAssert(
            (users, filter, sort, seed) -> {
              Fixture fx = load(users);
              UserQuery q =
                  UserQuery.builder()
                      .filter(filter)
                      .sort(sort)
                      .pageSize(UserQuery.MAX_PAGE_SIZE)
                      .build();
              // the first query builds the sort's index; the writes after it must keep it
              fx.directory().search(fx.admin(), q);
              java.util.Random random = new java.util.Random(seed);
              List<User> stored = fx.stores().users().scan(fx.tenant(), Optional.empty(), 10_000);
              for (User u : stored) {
                int what = random.nextInt(4);
                if (what == 0) {
                  fx.stores()
                      .users()
                      .update(
                          fx.tenant(),
                          List.of(
                              u.toBuilder()
                                  .department(DomainGenerators.DEPARTMENTS.get(random.nextInt(6)))
                                  .skillsCount(random.nextInt(13))
                                  .firstName("F" + random.nextInt(9))
                                  .version(u.version() + 1)
                                  .build()));
                } else if (what == 1) {
                  fx.stores().users().delete(fx.tenant(), Map.of(u.id(), u.version()));
                }
              }
              if (!stored.isEmpty()) {
                // a batch that fails on its last user leaves nothing written, indexes included
                User fresh =
                    Fixtures.user(fx.tenant(), "rolled-back").toBuilder().skillsCount(5).build();
                User clash = Fixtures.user(fx.tenant(), "clash");
                fx.stores().users().insert(fx.tenant(), List.of(clash));
                try {
                  fx.stores().users().insert(fx.tenant(), List.of(fresh, clash));
                } catch (dev.usermgmt.ConflictException expected) {
                  // the whole batch was undone
                }
              }
              Map<UserId, User> byId = new LinkedHashMap<>();
              fx.stores()
                  .users()
                  .scan(fx.tenant(), Optional.empty(), 10_000)
                  .forEach(u -> byId.put(u.id(), u));
              List<UserId> expected =
                  new QueryOracle(byId).expected(Optional.empty(), Optional.of(filter), sort);
              assertThat(
                      fx.directory().search(fx.admin(), q).items().stream().map(User::id).toList())
                  .isEqualTo(expected);
            });
  }

  @Test
  void sortKeysParseFromTheirText() {
    qt().forAll(DomainGenerators.sorts())
        .checkAssert(
            keys -> keys.forEach(k -> assertThat(SortKey.parse(k.toString())).isEqualTo(k)));
  }
}
