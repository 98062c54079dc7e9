package dev.usermgmt.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.jdbc.JdbcStores;
import dev.usermgmt.jdbc.UserMgmtSchema;
import dev.usermgmt.memory.InMemoryStores;
import dev.usermgmt.query.Page;
import dev.usermgmt.query.PreparedQuery;
import dev.usermgmt.query.SortKey;
import dev.usermgmt.query.UserQuery;
import dev.usermgmt.query.internal.QueryEvaluator;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserDraft;
import dev.usermgmt.user.UserStatus;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import org.flywaydb.core.Flyway;

/**
 * Costs that must not grow with what a planner does not know or with how deep a page is.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.usermgmt.benchmarks.PlanBenchmarks \
 *     [parts] [jdbc-url] [user]
 * </pre>
 *
 * <ul>
 *   <li>{@code page}: the in-memory store, 50,000 users, pages of 50: the page at depth 40,000 (its
 *       cursor found by walking every page before it through the directory's search, and checked to
 *       be there), in alternating pairs after warm-up pairs, each sample timing many pages in a row
 *       (a page takes microseconds). First the store alone, given the position as the directory
 *       gives it once the cursor is checked, against its second page (depth 50, also a walk from a
 *       position found in the same tree: what depth itself costs, target: at most 1.05) and, for
 *       information, against its first page, which has no position to find (a deep page costs the
 *       first page and the {@code O(log n)} search for its position); then through the directory,
 *       against the first page (for information: a cursor's signature is checked, which a first
 *       page has none of) and against the second page, which checks a cursor too (target: at most
 *       1.05).
 *   <li>{@code create}: a PostgreSQL database CLEANED and migrated, never analyzed and with
 *       autovacuum off for the users table, gets 50,000 users through the directory's create in
 *       batches of 1,000; prints every batch, reports the last five batches against batches 2-6
 *       (past the first batch's one-time costs), batch by batch, as a {@link Result} line (target:
 *       at most 1.2), and against the first five for information; then checks that the table has no
 *       statistics (the run stops if it has); then a control: the same rows inserted again, batch
 *       by batch, by the server alone into a like table (reported for information).
 * </ul>
 *
 * <p>Defaults: {@code page,create}, {@code jdbc:postgresql://127.0.0.1:5432/test}, {@code
 * postgres}.
 */
public final class PlanBenchmarks {
  private static final String SUITE = "plans";
  private static final int PAGE_USERS = 50_000;
  private static final int DEPTH = 40_000;
  private static final int PAGE = 50;
  private static final int CREATE_USERS = 50_000;
  private static final int BATCH = 1_000;

  /**
   * How many pages of the store alone one sample times: a page takes a few microseconds, as long as
   * reading the clocks around it, so one page a sample timed mostly the timer.
   */
  private static final int STORE_CALLS_PER_SAMPLE = 100;

  /** How many pages through the directory (about 0.1 ms each) one sample times. */
  private static final int DIRECTORY_CALLS_PER_SAMPLE = 10;

  private PlanBenchmarks() {}

  /**
   * Entry point.
   *
   * @param args parts, url, user
   * @throws SQLException from the statistics check
   */
  public static void main(String[] args) throws SQLException {
    List<String> parts = List.of((args.length > 0 ? args[0] : "page,create").split(",", -1));
    String url = args.length > 1 ? args[1] : "jdbc:postgresql://127.0.0.1:5432/test";
    String user = args.length > 2 ? args[2] : "postgres";
    if (parts.contains("page")) {
      for (String sort : List.of("displayName", "-lastActivity")) {
        deepPage(sort);
      }
    }
    if (parts.contains("create")) {
      bulkCreate(url, user);
    }
  }

  private static void deepPage(String sort) {
    Stores stores = InMemoryStores.create();
    TenantId tenant = TenantId.of("bench");
    Random random = new Random(1);
    Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
    List<User> all = new ArrayList<>();
    for (int i = 0; i < PAGE_USERS; i++) {
      all.add(
          User.builder()
              .id(UserId.of(String.format(Locale.ROOT, "u%07d", i)))
              .tenant(tenant)
              .displayName("User " + random.nextInt(PAGE_USERS))
              .primaryEmail(EmailAddress.parse("user" + i + "@example.com"))
              .role(RoleCatalog.defaultCatalog().defaultRole())
              .status(UserStatus.ACTIVE)
              .lastActivityAt(t0.plusSeconds(random.nextInt(60_000_000)))
              .version(1)
              .createdAt(t0)
              .updatedAt(t0)
              .build());
      if (all.size() == 5_000) {
        stores.users().insert(tenant, all);
        all.clear();
      }
    }
    UserDirectory directory = UserDirectory.builder().stores(stores).build();
    Actor admin =
        Actor.builder().tenant(tenant).role(RoleCatalog.defaultCatalog().adminRole()).build();
    UserQuery first = UserQuery.builder().sort(List.of(SortKey.parse(sort))).pageSize(PAGE).build();
    Optional<String> cursor = Optional.empty();
    Optional<String> secondPage = Optional.empty();
    int seen = 0;
    List<User> pageBeforeDeep = List.of();
    while (seen < DEPTH) {
      Page<User> p = directory.search(admin, first.atCursor(cursor));
      seen += p.items().size();
      cursor = p.nextCursor();
      pageBeforeDeep = p.items();
      if (seen == PAGE) {
        secondPage = cursor;
      }
      if (cursor.isEmpty()) {
        throw new IllegalStateException("the pages ended at " + seen + " users");
      }
    }
    UserQuery deep = first.atCursor(cursor);
    // the deep page is the users 40,000..40,049 of the sorted list
    List<UserId> expected = directory.search(admin, deep).items().stream().map(User::id).toList();
    if (seen != DEPTH || expected.size() != PAGE) {
      throw new IllegalStateException("not at depth " + DEPTH + ": " + seen);
    }
    // the deep page against the first, in alternating pairs after warm-up pairs (all pages of PAGE
    // users); then against the second page, the shallowest that also decodes and checks a cursor:
    // what depth itself costs
    String name =
        String.format(
            Locale.ROOT,
            "in-memory page of %d by %s at depth %,d of %,d users",
            PAGE,
            sort,
            DEPTH,
            PAGE_USERS);
    // the store alone, as the directory calls it once the cursor is checked: the deep page from
    // the keyset of the user before it, against the store's second page (from the keyset of the
    // first page's last user: the same walk from a position, found in a tree as deep) and, for
    // information, against its first page, which has no position to find
    RoleCatalog roles = RoleCatalog.defaultCatalog();
    AttributeSchema schema = AttributeSchema.of(stores.attributes().list(tenant));
    PreparedQuery firstPrepared =
        PreparedQuery.prepare(first, schema, roles, Optional.empty(), PAGE + 1);
    QueryEvaluator keys = QueryEvaluator.of(firstPrepared, id -> List.of());
    PreparedQuery deepPrepared =
        PreparedQuery.prepare(
            first,
            schema,
            roles,
            Optional.of(keys.keyset(pageBeforeDeep.get(pageBeforeDeep.size() - 1))),
            PAGE + 1);
    List<User> firstPage = stores.users().query(tenant, firstPrepared);
    PreparedQuery secondPrepared =
        PreparedQuery.prepare(
            first, schema, roles, Optional.of(keys.keyset(firstPage.get(PAGE - 1))), PAGE + 1);
    List<UserId> fromStore =
        stores.users().query(tenant, deepPrepared).stream().limit(PAGE).map(User::id).toList();
    if (!fromStore.equals(expected)) {
      throw new IllegalStateException("the store's deep page is not the directory's");
    }
    String storeAlone =
        String.format(
            Locale.ROOT,
            "in-memory store alone: page of %d by %s at depth %,d of %,d users",
            PAGE,
            sort,
            DEPTH,
            PAGE_USERS);
    java.util.function.Function<PreparedQuery, Pairs.Work> storePage =
        q -> new Pairs.Batch(() -> stores.users().query(tenant, q).size(), STORE_CALLS_PER_SAMPLE);
    againstEach(
        storeAlone,
        storePage.apply(deepPrepared),
        List.of(
            new Against(
                "its second page (depth 50, also from a keyset)",
                storePage.apply(secondPrepared),
                1.05),
            new Against("its first page (no keyset to find)", storePage.apply(firstPrepared), 0)));
    // through the directory, a page with a cursor also checks the cursor's signature, which the
    // first page has none of: reported beside the first page for information, and held against
    // the second page (also with a cursor) to show that depth itself costs nothing
    java.util.function.Function<UserQuery, Pairs.Work> directoryPage =
        q ->
            new Pairs.Batch(
                () -> directory.search(admin, q).items().size(), DIRECTORY_CALLS_PER_SAMPLE);
    againstEach(
        name,
        directoryPage.apply(deep),
        List.of(
            new Against("the first page (no cursor to check)", directoryPage.apply(first), 0),
            new Against(
                "the second page (depth 50, also with a cursor)",
                directoryPage.apply(first.atCursor(secondPage)),
                1.05)));
  }

  /** A baseline of the deep page: its name, its work, and its target (0 for information). */
  private record Against(String name, Pairs.Work page, double target) {}

  /** The deep page against each baseline, in alternating pairs after warm-up pairs. */
  private static void againstEach(String name, Pairs.Work deep, List<Against> baselines) {
    for (Against b : baselines) {
      Pairs.pairs(SUITE, name, deep, b.name(), b.page(), b.target(), 200, 400);
    }
  }

  private static void bulkCreate(String url, String user) throws SQLException {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword("");
    config.setMaximumPoolSize(4);
    try (HikariDataSource ds = new HikariDataSource(config)) {
      // warm-up: ten batches on a fresh schema, which is then dropped, so that the measured run
      // starts with compiled code and again from an empty, never-analyzed table
      createBatches(ds, 10);
      double[] ms = createBatches(ds, CREATE_USERS / BATCH);
      report(ds, ms);
      control(ds, ms.length);
    }
  }

  /**
   * The control of the bulk create: the rows the library just wrote, inserted again, batch by batch
   * in the order they were written, by one server-side {@code INSERT … SELECT} a batch into a new
   * table like {@code um_users} with all its indexes, never analyzed and with autovacuum off. No
   * client work and no lookups: what is left is what the table and its sixteen indexes cost a row
   * as they grow. Reported for information, as the same last five batches against the first.
   */
  private static void control(HikariDataSource ds, int batches) throws SQLException {
    double[] ms = new double[batches];
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS bench_create_source, bench_create_control");
      st.execute(
          "CREATE TABLE bench_create_source AS SELECT row_number() OVER (ORDER BY ctid) AS n, u.*"
              + " FROM um_users u");
      st.execute("CREATE UNIQUE INDEX ON bench_create_source (n)");
      st.execute("ANALYZE bench_create_source");
      st.execute("CREATE TABLE bench_create_control (LIKE um_users INCLUDING ALL)");
      st.execute("ALTER TABLE bench_create_control SET (autovacuum_enabled = false)");
      String columns;
      try (ResultSet rs =
          st.executeQuery(
              "SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position)"
                  + " FROM information_schema.columns WHERE table_name = 'um_users'"
                  + " AND table_schema = current_schema()")) {
        rs.next();
        columns = rs.getString(1);
      }
      c.setAutoCommit(false);
      try (java.sql.PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO bench_create_control ("
                  + columns
                  + ") SELECT "
                  + columns
                  + " FROM bench_create_source WHERE n > ? AND n <= ?")) {
        for (int b = 0; b < batches; b++) {
          ps.setInt(1, b * BATCH);
          ps.setInt(2, (b + 1) * BATCH);
          long t = System.nanoTime();
          int rows = ps.executeUpdate();
          c.commit();
          ms[b] = (System.nanoTime() - t) / 1e6;
          if (rows != BATCH) {
            throw new IllegalStateException("control batch " + b + " inserted " + rows);
          }
        }
      }
      c.setAutoCommit(true);
      st.execute("DROP TABLE bench_create_source, bench_create_control");
    }
    StringBuilder all = new StringBuilder();
    for (double m : ms) {
      all.append(String.format(Locale.ROOT, " %.0f", m));
    }
    System.out.printf(
        Locale.ROOT, "control, the same rows by INSERT … SELECT (ms per batch):%s%n", all);
    int n = ms.length;
    Result.ms(
            SUITE,
            String.format(
                Locale.ROOT,
                "  control: the same rows by INSERT … SELECT, last 5 batches of %,d",
                BATCH),
            Arrays.copyOfRange(ms, n - 5, n),
            "its batches 2-6 of the same run",
            Arrays.copyOfRange(ms, 1, 6),
            0)
        .report();
  }

  private static double[] createBatches(HikariDataSource ds, int batches) throws SQLException {
    {
      Flyway.configure()
          .dataSource(ds)
          .locations(JdbcStores.detect(ds).migrationLocation())
          .cleanDisabled(false)
          .load()
          .clean();
      UserMgmtSchema.migrate(ds);
      try (Connection c = ds.getConnection();
          Statement st = c.createStatement()) {
        st.execute("ALTER TABLE um_users SET (autovacuum_enabled = false)");
      }
      TenantId tenant = TenantId.of("bench");
      UserDirectory directory =
          UserDirectory.builder()
              .stores(JdbcStores.create(ds))
              .signingKey(JdbcBenchmarks.SIGNING_KEY)
              .build();
      Actor admin =
          Actor.builder().tenant(tenant).role(RoleCatalog.defaultCatalog().adminRole()).build();
      double[] ms = new double[batches];
      for (int b = 0; b < ms.length; b++) {
        List<UserDraft> drafts = new ArrayList<>(BATCH);
        for (int i = b * BATCH; i < (b + 1) * BATCH; i++) {
          drafts.add(
              UserDraft.builder()
                  .firstName("First" + i)
                  .lastName("Last" + (i % 1000))
                  .primaryEmail(EmailAddress.parse("user" + i + "@example.com"))
                  .department("Dept " + (i % 12))
                  .build());
        }
        long s = System.nanoTime();
        int created = directory.create(admin, drafts).created().size();
        ms[b] = (System.nanoTime() - s) / 1e6;
        if (created != BATCH) {
          throw new IllegalStateException("batch " + b + " created " + created);
        }
      }
      return ms;
    }
  }

  private static void report(HikariDataSource ds, double[] ms) throws SQLException {
    {
      StringBuilder all = new StringBuilder();
      for (double m : ms) {
        all.append(String.format(Locale.ROOT, " %.0f", m));
      }
      System.out.printf(
          Locale.ROOT,
          "bulk create of %,d users in batches of %,d on a never-analyzed PostgreSQL (ms per"
              + " batch):%s%n",
          CREATE_USERS,
          BATCH,
          all);
      // checked first: a line about a table analyzed meanwhile is not written at all
      try (Connection c = ds.getConnection();
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT reltuples, (SELECT count(*) FROM pg_stats WHERE tablename = 'um_users'"
                      + " AND schemaname = current_schema()) FROM pg_class"
                      + " WHERE oid = 'um_users'::regclass")) {
        while (rs.next()) {
          System.out.printf(
              Locale.ROOT,
              "um_users statistics: reltuples %.0f (-1: never analyzed), %d column statistics%n",
              rs.getDouble(1),
              rs.getLong(2));
          // the line is about plans made without statistics: a table analyzed meanwhile (an
          // autovacuum the table's setting did not stop) would make it about something else
          if (rs.getDouble(1) >= 0 || rs.getLong(2) > 0) {
            throw new IllegalStateException(
                "um_users was analyzed during the bulk create: the line would not be about a"
                    + " never-analyzed table");
          }
        }
      }
      // the last five batches against batches 2-6, past the first batch's one-time costs (its
      // statements prepared, the client's code compiled), which made the first five slower than
      // the last and the line a pass however the plans grew; the first five for information
      int n = ms.length;
      double[] last = Arrays.copyOfRange(ms, n - 5, n);
      String name =
          String.format(Locale.ROOT, "bulk create, last 5 batches of %,d (no statistics)", BATCH);
      Result.ms(
              SUITE,
              name,
              last,
              // batches of one run, the last against the early ones: a trend, not alternating pairs
              "batches 2-6 of the same run",
              Arrays.copyOfRange(ms, 1, 6),
              1.2)
          .report();
      Result.ms(
              SUITE,
              name,
              last,
              "the first 5 batches of the same run",
              Arrays.copyOfRange(ms, 0, 5),
              0)
          .report();
    }
  }
}
