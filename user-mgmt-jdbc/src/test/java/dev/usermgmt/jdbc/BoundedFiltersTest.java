package dev.usermgmt.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.TenantId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.jdbc.dialect.Dialect;
import dev.usermgmt.memory.InMemoryStores;
import dev.usermgmt.query.Filter;
import dev.usermgmt.query.UserQuery;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.Fixtures;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bounded filters on every store: inputs at ten times the limits answer {@code invalid_filter} in
 * well under a second, literals at the ends of their ranges answer exactly (no overflow, no
 * rounding of role numbers).
 */
final class BoundedFiltersTest {
  private static final RoleCatalog ROLES = RoleCatalog.defaultCatalog();

  private static Stores stores(String store) {
    return store.equals("memory")
        ? InMemoryStores.create()
        : Databases.stores(Dialect.valueOf(store));
  }

  private record Setup(UserDirectory directory, Actor admin, TenantId tenant) {
    long count(String filter) {
      return countByQueryString(
          "total=true&filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8));
    }

    long countByQueryString(String qs) {
      UserQuery q = UserQuery.parse(qs, directory.schema(tenant), directory.filterLimits());
      return directory.search(admin, q).total().orElseThrow();
    }
  }

  private static Setup setup(String store) {
    Stores s = stores(store);
    TenantId t = Fixtures.freshTenant();
    s.users()
        .insert(
            t,
            IntStream.range(0, 5)
                .mapToObj(
                    i ->
                        Fixtures.user(t, "b" + i).toBuilder()
                            .role(i < 2 ? ROLES.adminRole() : ROLES.defaultRole())
                            .skillsCount(i)
                            .build())
                .toList());
    Actor admin = Actor.builder().tenant(t).role(ROLES.parse("support")).build();
    return new Setup(
        UserDirectory.builder().stores(s).signingKey(Databases.SIGNING_KEY).build(), admin, t);
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "H2", "POSTGRESQL", "MARIADB"})
  void tenTimesTheLimitsAnswersInvalidFilterAtOnce(String store) {
    Setup s = setup(store);
    String deep = "(".repeat(160) + "title pr" + ")".repeat(160);
    StringBuilder chain = new StringBuilder("title pr");
    for (int i = 1; i < 1_000; i++) {
      chain.append(i % 2 == 0 ? " and " : " or ").append("department eq \"x\"");
    }
    String literal = "department eq \"" + "x".repeat(10_000_000) + "\"";
    // warm up: the first query of a run loads the classes of parsing and searching
    assertThatThrownBy(() -> s.count("title eq 1")).isInstanceOf(InvalidInputException.class);
    for (String filter : List.of(deep, chain.toString(), literal)) {
      String qs = "filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8);
      long start = System.nanoTime();
      assertThatThrownBy(() -> s.countByQueryString(qs))
          .isInstanceOf(InvalidInputException.class)
          .satisfies(
              e ->
                  assertThat(((InvalidInputException) e).code())
                      .isEqualTo(ErrorCode.INVALID_FILTER));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }
    Filter built = new Filter.Present("title");
    for (int i = 0; i < 100_000; i++) {
      built = new Filter.Not(built);
    }
    UserQuery q = UserQuery.builder().filter(built).build();
    assertThatThrownBy(() -> s.directory().search(s.admin(), q))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("invalid_filter");
    assertThatThrownBy(() -> s.directory().walk(s.admin(), q, page -> {}))
        .hasMessageContaining("invalid_filter");
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "H2", "POSTGRESQL", "MARIADB"})
  void literalsAtTheEndsOfTheirRangesCompareExactly(String store) {
    Setup s = setup(store);
    assertThat(s.count("role eq 5.5")).isZero();
    assertThat(s.count("role lt 3000000000")).isEqualTo(5);
    assertThat(s.count("role gt -3000000000")).isEqualTo(5);
    assertThat(s.count("role eq " + ROLES.adminRole().level())).isEqualTo(2);
    assertThat(s.count("role eq " + ROLES.adminRole().level() + ".0")).isEqualTo(2);
    assertThat(s.count("role lt " + ROLES.adminRole().level() + ".5")).isEqualTo(5);
    // numbers at the ends of the value model (35 integer and 30 fraction digits)
    assertThat(s.count("skillsCount lt 9.99e34")).isEqualTo(5);
    assertThat(s.count("skillsCount gt -9.99e34")).isEqualTo(5);
    assertThat(s.count("skillsCount gt 1e-30")).isEqualTo(4);
    assertThat(s.count("skillsCount ge 2.5")).isEqualTo(2);
    // instants at the ends of the value model (1678 to 2261)
    assertThat(s.count("createdAt lt \"2261-12-31T23:59:59.999999999Z\"")).isEqualTo(5);
    assertThat(s.count("createdAt gt \"1678-01-01T00:00:00Z\"")).isEqualTo(5);
    assertThat(s.count("createdAt gt \"2261-01-01\"")).isZero();
    assertThat(s.count("hireDate lt \"9999-12-31\"")).isZero();
    assertThat(s.count("not (hireDate gt \"0001-01-01\")")).isEqualTo(5);
  }
}
