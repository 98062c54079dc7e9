package dev.usermgmt.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.jdbc.JdbcStores;
import dev.usermgmt.query.FilterParser;
import dev.usermgmt.query.Page;
import dev.usermgmt.query.SortKey;
import dev.usermgmt.query.UserQuery;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.MutableClock;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserStatus;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The embedded default against a server: the same users in H2 and in PostgreSQL, the same reads
 * through the library, each H2 measurement alternating with its PostgreSQL twin (medians; the ratio
 * is H2 / PostgreSQL, target at most 3×). It covers what is slow on H2 when its plans go wrong: the
 * manager hierarchy (direct and indirect reports, ancestors, the {@code managers} filter), sorts by
 * several keys (first page and a page deep in the walk), and the due-schedule run. Both databases
 * are CLEANED and migrated.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.usermgmt.benchmarks.StoreParity \
 *     [h2-url] [postgresql-url] [users]
 * </pre>
 *
 * <p>Defaults: an in-memory H2 database, {@code jdbc:postgresql://127.0.0.1:5432/test} as {@code
 * postgres}, 100,000 users in a tree where each manager has ten reports.
 */
public final class StoreParity {
  private static final String[] DEPARTMENTS = {
    "Sales", "Engineering", "Support", "Finance", "Legal", "People", "Operations"
  };
  private static final TenantId TENANT = TenantId.of("parity");
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static final String SUITE = "parity";

  /** The highest acceptable ratio H2 ÷ PostgreSQL. */
  private static final double TARGET = 3.0;

  /** Users whose activation falls due in one schedule run. */
  private static final int DUE = 500;

  private StoreParity() {}

  /**
   * Entry point.
   *
   * @param args H2 url, PostgreSQL url, users
   * @throws SQLException from ANALYZE
   */
  public static void main(String[] args) throws SQLException {
    String h2Url = args.length > 0 ? args[0] : "jdbc:h2:mem:parity;DB_CLOSE_DELAY=-1";
    String pgUrl = args.length > 1 ? args[1] : "jdbc:postgresql://127.0.0.1:5432/test";
    int users = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
    try (HikariDataSource h2 = dataSource(h2Url, "sa");
        HikariDataSource pg = dataSource(pgUrl, "postgres")) {
      Side a = Side.load("H2", h2, users);
      Side b = Side.load("PostgreSQL", pg, users);
      System.out.println(Result.header());
      UserId top = id(1); // 11,111 users below it at 100k
      UserId middle = id(12); // 1,111 below it at 100k
      UserId leaf = id(users - 1);
      compare("direct reports of a manager", a, b, s -> s.reports(middle, false));
      // the labels count the reports at this run's size (the tree is cut off by it)
      compare(
          String.format(Locale.ROOT, "indirect reports, %,d users", a.count(middle)),
          a,
          b,
          s -> s.reports(middle, true));
      compare(
          String.format(Locale.ROOT, "indirect reports, %,d users", a.count(top)),
          a,
          b,
          s -> s.reports(top, true));
      compare("ancestors of a leaf", a, b, s -> s.ancestors(leaf));
      compare("sort by 3 keys, first page", a, b, s -> s.page(threeKeys(), 0));
      compare("sort by 3 keys, page 40 (cursor)", a, b, s -> s.page(threeKeys(), 40));
      compare("sort by 2 keys desc, page 40", a, b, s -> s.page(twoKeysDesc(), 40));
      dueSchedules(a, b, users);
      compare("filter managers eq, page 50", a, b, s -> s.page(managersOf(middle), 0));
    }
  }

  /**
   * One read on H2 beside the same read on PostgreSQL, in alternating pairs; both must return the
   * same users.
   */
  private static Result compare(
      String name, Side a, Side b, java.util.function.Function<Side, Supplier<?>> op) {
    Supplier<?> onA = op.apply(a);
    Supplier<?> onB = op.apply(b);
    return Pairs.pairs(SUITE, "H2: " + name, onA::get, "PostgreSQL", onB::get, TARGET, 5, 15);
  }

  /**
   * The due-schedule run: each round schedules {@value #DUE} activations (fewer when the users are
   * too few; untimed), then runs them; H2 and PostgreSQL alternate who goes first, after two
   * warm-up rounds.
   */
  private static Result dueSchedules(Side a, Side b, int users) {
    double[] ta = new double[9];
    double[] tb = new double[9];
    int rounds = ta.length + 2;
    // DUE activations a round, fewer when the staged users (from 1,000 on) are too few for that
    int due = Math.min(DUE, (users - 1000) / rounds);
    if (due < 1) {
      throw new IllegalStateException("too few users for the schedule rounds");
    }
    for (int round = 0; round < rounds; round++) {
      int first = 1000 + round * due;
      boolean aFirst = round % 2 == 0;
      double x = (aFirst ? a : b).dueRun(first, due);
      double y = (aFirst ? b : a).dueRun(first, due);
      if (round >= 2) {
        ta[round - 2] = aFirst ? x : y;
        tb[round - 2] = aFirst ? y : x;
      }
    }
    return Result.ms(
            SUITE, "H2: due schedules, " + due + " activations", ta, "PostgreSQL", tb, TARGET)
        .report();
  }

  private static UserQuery managersOf(UserId manager) {
    return UserQuery.builder()
        .filter(
            FilterParser.parse("managers eq \"" + manager.value() + "\"", AttributeSchema.empty()))
        .addSort(SortKey.asc("lastName"))
        .pageSize(50)
        .build();
  }

  private static UserQuery threeKeys() {
    return UserQuery.builder()
        .addSort(SortKey.asc("department"), SortKey.desc("lastName"), SortKey.asc("hireDate"))
        .pageSize(50)
        .build();
  }

  private static UserQuery twoKeysDesc() {
    return UserQuery.builder()
        .addSort(SortKey.desc("location"), SortKey.desc("hireDate"))
        .pageSize(50)
        .build();
  }

  private static UserId id(int i) {
    return UserId.of(String.format(Locale.ROOT, "u%07d", i));
  }

  private static HikariDataSource dataSource(String url, String user) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword("");
    config.setMaximumPoolSize(4);
    return new HikariDataSource(config);
  }

  /** One database with its directory. */
  private record Side(String name, UserDirectory directory, MutableClock clock, Actor admin) {
    static Side load(String name, HikariDataSource ds, int users) throws SQLException {
      JdbcBenchmarks.migrate(ds, true);
      Stores stores = JdbcStores.create(ds);
      long t0 = System.nanoTime();
      insert(stores, users);
      try (Connection c = ds.getConnection();
          Statement st = c.createStatement()) {
        st.execute("ANALYZE");
      }
      System.out.printf(
          Locale.ROOT,
          "%s: loaded %,d users in %.1f s%n",
          name,
          users,
          (System.nanoTime() - t0) / 1e9);
      MutableClock clock = new MutableClock(T0.plus(Duration.ofDays(1)));
      UserDirectory directory =
          UserDirectory.builder()
              .stores(stores)
              .clock(clock)
              .signingKey("store-parity".getBytes(StandardCharsets.UTF_8))
              .build();
      Actor admin =
          Actor.builder()
              .tenant(TENANT)
              .userId(id(0))
              .role(RoleCatalog.defaultCatalog().parse("owner"))
              .build();
      return new Side(name, directory, clock, admin);
    }

    Supplier<?> reports(UserId manager, boolean indirect) {
      return () -> ids(directory.reports(admin, manager, indirect));
    }

    /** How many users report to a manager, directly or not. */
    int count(UserId manager) {
      return directory.reports(admin, manager, true).size();
    }

    Supplier<?> ancestors(UserId user) {
      return () -> ids(directory.ancestors(admin, user));
    }

    /** The page reached by following {@code depth} cursors (the cursor is fetched once). */
    Supplier<?> page(UserQuery query, int depth) {
      UserQuery at = query;
      for (int i = 0; i < depth; i++) {
        Page<User> p = directory.search(admin, at);
        at = at.atCursor(p.nextCursor());
      }
      UserQuery start = at;
      return () -> ids(directory.search(admin, start).items());
    }

    /**
     * Schedules {@code due} activations for staged users, then times the run that activates them.
     */
    double dueRun(int first, int due) {
      Instant at = clock.instant().plusSeconds(60);
      for (int i = first; i < first + due; i++) {
        directory.scheduleActivation(admin, id(i), at);
      }
      clock.advance(Duration.ofMinutes(2));
      long s = System.nanoTime();
      int done = directory.runDueSchedules(TENANT).activated().size();
      double ms = (System.nanoTime() - s) / 1e6;
      if (done != due) {
        throw new IllegalStateException(name + ": " + done + " activated, expected " + due);
      }
      return ms;
    }

    private static List<String> ids(List<User> users) {
      return users.stream().map(u -> u.id().value()).toList();
    }

    /** A tree: user i reports to user (i - 1) / 10; users from 1,000 on are staged. */
    private static void insert(Stores stores, int n) {
      Random random = new Random(1);
      List<User> batch = new ArrayList<>(5000);
      for (int i = 0; i < n; i++) {
        batch.add(
            User.builder()
                .id(id(i))
                .tenant(TENANT)
                .firstName("First" + i)
                .lastName("Last" + random.nextInt(5000))
                .primaryEmail(EmailAddress.parse("user" + i + "@example.com"))
                .role(
                    i == 0
                        ? RoleCatalog.defaultCatalog().parse("owner")
                        : RoleCatalog.defaultCatalog().defaultRole())
                .status(i < 1000 ? UserStatus.ACTIVE : UserStatus.STAGED)
                .department(DEPARTMENTS[random.nextInt(DEPARTMENTS.length)])
                .location("Site " + random.nextInt(40))
                .managerId(i == 0 ? Optional.empty() : Optional.of(id((i - 1) / 10)))
                .hireDate(LocalDate.of(2010, 1, 1).plusDays(random.nextInt(5000)))
                .version(1)
                .createdAt(T0)
                .updatedAt(T0)
                .build());
        if (batch.size() == 5000 || i == n - 1) {
          List<User> b = batch;
          stores.transactions().run(() -> stores.users().insert(TENANT, b));
          batch = new ArrayList<>(5000);
        }
      }
    }
  }
}
