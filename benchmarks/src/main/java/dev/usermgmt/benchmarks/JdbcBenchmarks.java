package dev.usermgmt.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.access.FeatureFlag;
import dev.usermgmt.access.FeatureFlags;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.bulk.BulkEngine;
import dev.usermgmt.bulk.BulkLimits;
import dev.usermgmt.bulk.BulkListener;
import dev.usermgmt.bulk.DeactivationRequest;
import dev.usermgmt.bulk.UpdateOptions;
import dev.usermgmt.bulk.UpdatePlan;
import dev.usermgmt.bulk.UpdateRow;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.jdbc.JdbcStores;
import dev.usermgmt.jdbc.dialect.Dialect;
import dev.usermgmt.query.UserQuery;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import org.flywaydb.core.Flyway;

/**
 * The JDBC store at scale, each measurement beside a hand-written raw-JDBC baseline in the same run
 * (medians of runs alternating with the baseline's; ratios, not absolute times). It CLEANS and
 * migrates the database it is given unless that already holds the users it needs.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.usermgmt.benchmarks.JdbcBenchmarks \
 *     [jdbc-url] [user] [users] [updateRows] [parts]
 * </pre>
 *
 * <p>Defaults: {@code jdbc:postgresql://127.0.0.1:5432/test}, {@code postgres}, 1,000,000 users,
 * 100,000 update rows, all parts ({@code plan,page,update}). A database that already holds exactly
 * that many users in the benchmark's tenant is reused, not cleaned.
 */
public final class JdbcBenchmarks {
  private static final String[] DEPARTMENTS = {
    "Sales", "Engineering", "Support", "Finance", "Legal", "People"
  };

  /** Rows a transaction of the update apply writes, ours and the raw baseline's. */
  private static final int UPDATE_CHUNK = 1000;

  private JdbcBenchmarks() {}

  /**
   * Entry point.
   *
   * @param args url, user, users, update rows
   * @throws SQLException from the raw baselines
   */
  public static void main(String[] args) throws SQLException {
    String url = args.length > 0 ? args[0] : "jdbc:postgresql://127.0.0.1:5432/test";
    String user = args.length > 1 ? args[1] : "postgres";
    int users = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
    int updateRows = args.length > 3 ? Integer.parseInt(args[3]) : 100_000;
    List<String> parts =
        args.length > 4 ? List.of(args[4].split(",", -1)) : List.of("plan", "page", "update");
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword("");
    config.setMaximumPoolSize(4);
    try (HikariDataSource ds = new HikariDataSource(config)) {
      TenantId tenant = TenantId.of("bench");
      Dialect dialect = JdbcStores.detect(ds);
      Stores stores = JdbcStores.create(ds);
      if (countUsers(ds, tenant) == users) {
        System.out.printf(Locale.ROOT, "reusing the %,d users already loaded%n", users);
        migrate(ds, false);
      } else {
        migrate(ds, true);
        long t0 = System.nanoTime();
        load(stores, tenant, users);
        System.out.printf(
            Locale.ROOT, "loaded %,d users in %.1f s%n", users, (System.nanoTime() - t0) / 1e9);
      }
      analyze(ds, dialect);

      UserDirectory directory =
          UserDirectory.builder()
              .stores(stores)
              .signingKey(SIGNING_KEY)
              .featureFlags(FeatureFlags.of(Map.of(FeatureFlag.DEACTIVATE_USERS_EXCEL, true)))
              .build();
      BulkEngine engine = BulkEngine.of(directory, new BulkLimits(1, 5000, 5000));
      Actor support =
          Actor.builder()
              .tenant(tenant)
              .role(RoleCatalog.defaultCatalog().parse("support"))
              .supportLevel(2)
              .build();
      Random random = new Random(3);
      List<String> emails = new ArrayList<>();
      for (int i = 0; i < 5000; i++) {
        emails.add("user" + random.nextInt(users) + "@example.com");
      }
      List<String> rows = new ArrayList<>();

      if (parts.contains("plan")) {
        // 1. deactivation plan for 5,000 e-mails vs the raw single query
        double[] plan =
            pair(
                () ->
                    engine.planDeactivation(
                        support, new DeactivationRequest(emails, false), BulkListener.NONE),
                () -> rawEmailLookup(ds, dialect, tenant, emails),
                40,
                31);
        rows.add(
            row(
                "deactivation plan, 5,000 e-mails",
                plan[0],
                "one raw query (= ANY / IN / key table)",
                plan[1],
                1.5));
      }
      if (parts.contains("page")) {
        // 2. a filtered sorted page: depth 10,000 by keyset vs the first page
        UserQuery q =
            UserQuery.parse(
                "filter=department+eq+%22Sales%22&sortBy=-lastActivity&pageSize=50",
                AttributeSchema.empty());
        Optional<String> cursor = Optional.empty();
        for (int walked = 0; walked < 10_000; walked += 50) {
          cursor = directory.search(support, q.atCursor(cursor)).nextCursor();
        }
        UserQuery deep = q.atCursor(cursor);
        double[] page =
            pair(() -> directory.search(support, deep), () -> directory.search(support, q), 40, 31);
        rows.add(row("page at depth 10,000 (keyset)", page[0], "first page", page[1], 1.5));
      }
      if (parts.contains("update")) {
        // the same transaction size on both sides: the engine's chunk and the raw commit interval
        BulkEngine chunked = BulkEngine.of(directory, new BulkLimits(1, 5000, UPDATE_CHUNK));
        // 3. update apply of N rows vs raw batched JDBC updating the same rows, interleaved rounds,
        // each writing new values
        double[] apply = new double[5];
        double[] applyRaw = new double[5];
        // the CPU time of this process: with H2 in-process, the database's work too
        double[] applyCpu = new double[5];
        double[] applyRawCpu = new double[5];
        int changed = 0;
        long stamp = System.currentTimeMillis() % 100_000;
        // round -1 warms both sides up (the JIT, the connection pool, the statement caches, and the
        // database's first writes to the pages of these users) with the same work as a measured
        // round, as JMH's warm-up iterations are, and is not counted
        for (int round = -1; round < apply.length; round++) {
          String tag = stamp + "-" + round;
          int n = updateRows;
          List<UpdateRow> update = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            update.add(
                new UpdateRow(
                    i + 2,
                    Map.of(
                        "primaryEmail",
                        "user" + i + "@example.com",
                        "department",
                        "Dept " + (i % 50) + " " + tag)));
          }
          // who goes first alternates: the table grows dead rows as the rounds go on
          SqlRun rawRun = () -> rawBatchedUpdate(ds, dialect, tenant, n, tag);
          Optional<Timed> rawFirst =
              round % 2 != 0 ? Optional.of(Timed.of(rawRun)) : Optional.empty();
          UpdatePlan up =
              chunked.planUpdate(support, update, UpdateOptions.defaults(), BulkListener.NONE);
          long c0 = processCpuNanos();
          long a0 = System.nanoTime();
          changed = chunked.applyUpdate(support, up, BulkListener.NONE).changed().size();
          Timed ours = Timed.since(a0, c0);
          Timed raw = rawFirst.isPresent() ? rawFirst.get() : Timed.of(rawRun);
          System.out.printf(
              Locale.ROOT,
              "update round %s: %.0f ms, raw %.0f ms (process CPU %.0f ms, raw %.0f ms)%n",
              round < 0 ? "warm-up" : Integer.toString(round),
              ours.ms(),
              raw.ms(),
              ours.cpuMs(),
              raw.cpuMs());
          if (round >= 0) {
            apply[round] = ours.ms();
            applyRaw[round] = raw.ms();
            applyCpu[round] = ours.cpuMs();
            applyRawCpu[round] = raw.cpuMs();
          }
        }
        rows.add(
            row(
                String.format(
                    Locale.ROOT, "update apply, %,d rows (%,d changed)", updateRows, changed),
                middle(apply),
                "raw batched version-checked UPDATE",
                middle(applyRaw),
                1.15));
        rows.add(
            row(
                dialect == Dialect.H2
                    ? "  process CPU (ours and H2's threads)"
                    : "  process CPU (the client only)",
                middle(applyCpu),
                "raw, process CPU",
                middle(applyRawCpu),
                0));
      }
      System.out.println();
      System.out.println(
          "database: "
              + dialect
              + ", "
              + String.format(Locale.ROOT, "%,d", users)
              + " users in the tenant");
      System.out.printf(
          Locale.ROOT,
          "%-44s %12s   %-40s %12s %8s %8s%n",
          "measurement",
          "ms",
          "baseline",
          "ms",
          "ratio",
          "target");
      rows.forEach(System.out::println);
    }
  }

  /** A report line; a target of 0 marks a baseline shown for comparison only. */
  static String row(String name, double ms, String baseline, double baseMs, double target) {
    return String.format(
        Locale.ROOT,
        "%-44s %12.1f   %-40s %12.1f %7.2fx %8s",
        name,
        ms,
        baseline,
        baseMs,
        ms / baseMs,
        target > 0 ? String.format(Locale.ROOT, "%.2fx", target) : "-");
  }

  /** The median time in milliseconds of {@code runs} runs after {@code warmups} unmeasured ones. */
  static double median(Supplier<?> work, int warmups, int runs) {
    int sink = 0;
    for (int i = 0; i < warmups; i++) {
      sink += work.get().hashCode() & 1;
    }
    double[] t = new double[runs];
    for (int i = 0; i < t.length; i++) {
      long s = System.nanoTime();
      sink += work.get().hashCode() & 1;
      t[i] = (System.nanoTime() - s) / 1e6;
    }
    return middle(t) + (sink < 0 ? 1 : 0);
  }

  /**
   * Medians of a measurement and its baseline, run alternately so that both see the same machine
   * state (caches, checkpoints, background work).
   *
   * @return the two medians in milliseconds
   */
  static double[] pair(Supplier<?> work, Supplier<?> baseline, int warmups, int runs) {
    int sink = 0;
    for (int i = 0; i < warmups; i++) {
      sink += work.get().hashCode() & 1;
      sink += baseline.get().hashCode() & 1;
    }
    double[] a = new double[runs];
    double[] b = new double[runs];
    for (int i = 0; i < runs; i++) {
      // who goes first alternates, so neither side always finds the other's pages in the cache
      boolean workFirst = i % 2 == 0;
      long s = System.nanoTime();
      sink += (workFirst ? work : baseline).get().hashCode() & 1;
      long m = System.nanoTime();
      sink += (workFirst ? baseline : work).get().hashCode() & 1;
      long e = System.nanoTime();
      a[i] = (workFirst ? m - s : e - m) / 1e6;
      b[i] = (workFirst ? e - m : m - s) / 1e6;
    }
    return new double[] {middle(a) + (sink < 0 ? 1 : 0), middle(b)};
  }

  /** Work that may throw SQL errors. */
  @FunctionalInterface
  interface SqlRun {
    void run() throws SQLException;
  }

  /** The wall time and the process CPU time of some work, in milliseconds. */
  private record Timed(double ms, double cpuMs) {
    static Timed since(long wallStart, long cpuStart) {
      return new Timed((System.nanoTime() - wallStart) / 1e6, (processCpuNanos() - cpuStart) / 1e6);
    }

    static Timed of(SqlRun work) throws SQLException {
      long c0 = processCpuNanos();
      long a0 = System.nanoTime();
      work.run();
      return since(a0, c0);
    }
  }

  /** The CPU time of this process's threads so far. */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** The median of some values. */
  static double middle(double[] values) {
    double[] t = values.clone();
    Arrays.sort(t);
    return t[t.length / 2];
  }

  /** How many users of the tenant a previous run left, or -1 when the schema is missing. */
  static long countUsers(HikariDataSource ds, TenantId tenant) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT count(*) FROM um_users WHERE tenant_id = ?")) {
      ps.setString(1, tenant.value());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : -1;
      }
    } catch (SQLException e) {
      return -1; // no schema yet
    }
  }

  /**
   * Applies the migrations of the database's dialect, after cleaning it if asked; a reused database
   * gets the migrations that came after it was loaded.
   */
  static Dialect migrate(HikariDataSource ds, boolean clean) {
    Dialect dialect = JdbcStores.detect(ds);
    Flyway flyway =
        Flyway.configure()
            .dataSource(ds)
            .locations(dialect.migrationLocation())
            .cleanDisabled(false)
            .load();
    if (clean) {
      flyway.clean();
    }
    flyway.migrate();
    return dialect;
  }

  /** Loads n users; the first 1,000 manage the others. */
  /** The benchmarks' signing key (a host keeps its own in its configuration). */
  static final byte[] SIGNING_KEY =
      "benchmark key, never in production".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  static void load(Stores stores, TenantId tenant, int n) {
    Random random = new Random(1);
    Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
    List<User> batch = new ArrayList<>(5000);
    for (int i = 0; i < n; i++) {
      batch.add(
          User.builder()
              .id(UserId.of(String.format(Locale.ROOT, "u%07d", i)))
              .tenant(tenant)
              .firstName("First" + i)
              .lastName("Last" + (i % 1000))
              .primaryEmail(EmailAddress.parse("user" + i + "@example.com"))
              .role(RoleCatalog.defaultCatalog().defaultRole())
              .status(UserStatus.ACTIVE)
              .department(DEPARTMENTS[random.nextInt(DEPARTMENTS.length)])
              .location("Site " + (i % 40))
              .employeeId(String.format(Locale.ROOT, "%07d", i))
              .managerId(
                  i < 1000
                      ? Optional.empty()
                      : Optional.of(UserId.of(String.format(Locale.ROOT, "u%07d", i % 1000))))
              .hireDate(LocalDate.of(2010, 1, 1).plusDays(random.nextInt(5000)))
              .lastActivityAt(t0.plusSeconds(random.nextInt(60_000_000)))
              .version(1)
              .createdAt(t0)
              .updatedAt(t0)
              .build());
      if (batch.size() == 5000) {
        List<User> b = batch;
        stores.transactions().run(() -> stores.users().insert(tenant, b));
        batch = new ArrayList<>(5000);
      }
    }
    if (!batch.isEmpty()) {
      List<User> b = batch;
      stores.transactions().run(() -> stores.users().insert(tenant, b));
    }
  }

  private static void analyze(HikariDataSource ds, Dialect dialect) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      switch (dialect) {
        case POSTGRESQL -> st.execute("ANALYZE");
        case MARIADB -> st.execute("ANALYZE TABLE um_users, um_user_values, um_user_attributes");
        case H2 -> st.execute("ANALYZE");
      }
    }
  }

  private static int rawEmailLookup(
      HikariDataSource ds, Dialect dialect, TenantId tenant, List<String> emails) {
    Dialect.KeyMatch m = dialect.keyMatch("u.email_key", emails.size());
    String sql =
        "SELECT u.id, u.version, u.doc FROM um_users u"
            + m.join()
            + " WHERE u.tenant_id = ?"
            + m.where();
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      if (dialect == Dialect.H2) {
        ps.setString(dialect.bindKeys(ps, 1, emails), tenant.value());
      } else {
        ps.setString(1, tenant.value());
        dialect.bindKeys(ps, 2, emails);
      }
      int n = 0;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          n += rs.getString(3).length() > 0 ? 1 : 0;
        }
      }
      return n;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The baseline a host would write: per chunk of {@link #UPDATE_CHUNK} rows, one SELECT of the
   * versions and documents, then one batched version-checked UPDATE of the changed columns,
   * committed per chunk.
   */
  private static void rawBatchedUpdate(
      HikariDataSource ds, Dialect dialect, TenantId tenant, int rows, String tag)
      throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE um_users SET department = ?, department_key = ?, doc = ?, version = ? WHERE tenant_id = ? AND id = ? AND version = ?")) {
        for (int i = 0; i < rows; i += UPDATE_CHUNK) {
          List<String> ids = new ArrayList<>();
          for (int k = i; k < Math.min(rows, i + UPDATE_CHUNK); k++) {
            ids.add(String.format(Locale.ROOT, "u%07d", k));
          }
          Dialect.KeyMatch m = dialect.keyMatch("u.id", ids.size());
          String sql =
              "SELECT u.id, u.version, u.doc FROM um_users u"
                  + m.join()
                  + " WHERE u.tenant_id = ?"
                  + m.where();
          try (PreparedStatement select = c.prepareStatement(sql)) {
            if (dialect == Dialect.H2) {
              select.setString(dialect.bindKeys(select, 1, ids), tenant.value());
            } else {
              select.setString(1, tenant.value());
              dialect.bindKeys(select, 2, ids);
            }
            try (ResultSet rs = select.executeQuery()) {
              while (rs.next()) {
                String id = rs.getString(1);
                long version = rs.getLong(2);
                String dept = "Raw " + Math.floorMod(id.hashCode(), 50) + " " + tag;
                ps.setString(1, dept);
                ps.setString(2, dept.toLowerCase(Locale.ROOT));
                ps.setString(3, rs.getString(3).replace("department=", "department=" + dept));
                ps.setLong(4, version + 1);
                ps.setString(5, tenant.value());
                ps.setString(6, id);
                ps.setLong(7, version);
                ps.addBatch();
              }
            }
          }
          for (int count : ps.executeBatch()) {
            if (count == 0) {
              throw new IllegalStateException("conflict in the raw baseline");
            }
          }
          c.commit();
        }
      }
    }
  }
}
