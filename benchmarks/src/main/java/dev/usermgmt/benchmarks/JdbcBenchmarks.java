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
import dev.usermgmt.bulk.DeactivationPlan;
import dev.usermgmt.bulk.DeactivationRequest;
import dev.usermgmt.bulk.PlannedUser;
import dev.usermgmt.bulk.UpdateOptions;
import dev.usermgmt.bulk.UpdatePlan;
import dev.usermgmt.bulk.UpdateRow;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.jdbc.JdbcOptions;
import dev.usermgmt.jdbc.JdbcStores;
import dev.usermgmt.jdbc.dialect.Dialect;
import dev.usermgmt.query.Page;
import dev.usermgmt.query.UserQuery;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserField;
import dev.usermgmt.user.UserStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;

/**
 * The JDBC store at scale, each measurement beside the raw JDBC a competent engineer would write
 * for the same work, through {@link Pairs} (alternating pairs after warm-up pairs, both sides'
 * results compared) and reported as {@link Result} lines. It CLEANS and migrates the database it is
 * given unless that already holds the users it needs.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.usermgmt.benchmarks.JdbcBenchmarks \
 *     [jdbc-url] [user] [users] [updateRows] [parts]
 * </pre>
 *
 * <ul>
 *   <li>{@code plan}: the deactivation plan for 5,000 e-mails with the store's default lookup batch
 *       ({@link JdbcOptions#batchSize}, the chunk a deactivation plan reads in; {@link
 *       BulkLimits#chunkSize}, the apply's transactions, plays no part in it) and with the best
 *       batch found in this run, against one raw query of the same users: the addresses parsed by
 *       the same parser, repeats dropped, each user's id, version, status and document read and the
 *       users sorted by status into those to deactivate and those already inactive (both sets must
 *       be the plan's).
 *   <li>{@code page}: the page of 50 at verified depth 10,000 of {@code department = "Sales"} by
 *       {@code -lastActivity} (the 10,001st user of a raw ordered query must come first), against a
 *       raw keyset query from the 10,000th user that reads each row into the fields it shows (the
 *       target), and, for information, against the same query keeping ids only; on a freshly
 *       vacuumed and analyzed table, and again as the update rounds left it (their dead rows, no
 *       vacuum). Each is measured in {@link Forks#count} fresh JVMs, one after the other (system
 *       property {@value Forks#FORKS_PROPERTY}, default 7), and reported over them; the freshly
 *       analyzed table is vacuumed, analyzed and checkpointed again before each JVM.
 *   <li>{@code update}: the apply of an update plan changing the department of {@code updateRows}
 *       users, in transactions of {@value #UPDATE_CHUNK} rows, against the fastest raw
 *       version-checked update of the same rows with the same transactions, which also writes a
 *       stored document that agrees with its columns. Each round writes new values; after each side
 *       every touched row is read back and must carry that side's value in its columns and in its
 *       document. Before each side the change log is emptied and the database is vacuumed and
 *       analyzed and, on PostgreSQL, checkpointed, untimed ({@link #freshen}).
 * </ul>
 *
 * <p>Defaults: {@code jdbc:postgresql://127.0.0.1:5432/test}, {@code postgres}, 1,000,000 users,
 * 100,000 update rows, all parts ({@code plan,page,update}). A database that already holds exactly
 * that many users in the benchmark's tenant is reused, not cleaned.
 */
public final class JdbcBenchmarks {
  private static final String SUITE = "jdbc";
  private static final String[] DEPARTMENTS = {
    "Sales", "Engineering", "Support", "Finance", "Legal", "People"
  };

  /** Rows a transaction of the update apply writes, ours and the raw baseline's. */
  private static final int UPDATE_CHUNK = 1000;

  /** The depth of the measured page, and its size. */
  private static final int DEPTH = 10_000;

  private static final int PAGE = 50;

  /**
   * Unmeasured pairs of pages before the measured ones, and the measured ones. A page takes under a
   * millisecond. 2,000 pairs compiled the per-row code of both sides, but not the library's code
   * run once a page (the search, its SQL, its cursor): HotSpot compiled that with C2 only after
   * some 10,000 pages, so the first page lines measured C1's profiling code (the same page measured
   * 1.27× freshly analyzed and 1.18× after the update rounds, at a million users). 15,000 pairs
   * (some fifteen seconds) are past C2 for every method of either side.
   */
  private static final int PAGE_WARMUPS = 15_000;

  private static final int PAGE_RUNS = 201;

  /**
   * Unmeasured update rounds before the measured ones, and the measured ones. Three warm-up rounds
   * (about three seconds of each side, where JMH's default is fifty) left the library's longer path
   * partly compiled: its rounds went on falling from 1,100 ms to about 680 ms until the ninth,
   * while the raw side's short loop had settled by the second. Ten rounds bring both to compiled
   * code.
   */
  private static final int UPDATE_WARMUPS = 10;

  private static final int UPDATE_RUNS = 7;

  private JdbcBenchmarks() {}

  /**
   * Entry point.
   *
   * @param args url, user, users, update rows, parts
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
    // a JVM of a forked page line: it measures the page on the table as its parent left it (no
    // load, no vacuum), and the parent reports the line over all its JVMs
    Optional<String> pageInThisJvm =
        parts.stream()
            .filter(p -> p.startsWith(PAGE_JVM))
            .map(p -> p.substring(PAGE_JVM.length()))
            .findFirst();
    try (HikariDataSource ds = new HikariDataSource(config)) {
      TenantId tenant = TenantId.of("bench");
      Dialect dialect = JdbcStores.detect(ds);
      Stores stores = JdbcStores.create(ds);
      if (pageInThisJvm.isPresent()) {
        if (countUsers(ds, tenant) != users) {
          throw new IllegalStateException("a page JVM finds no table of " + users + " users");
        }
        deepPage(
            directory(stores),
            supportActor(tenant),
            new Raw(ds, dialect, tenant),
            pageInThisJvm.get());
        return;
      }
      if (countUsers(ds, tenant) == users) {
        System.out.printf(Locale.ROOT, "reusing the %,d users already loaded%n", users);
        migrate(ds, false);
        emptyChangeLog(ds);
      } else {
        migrate(ds, true);
        long t0 = System.nanoTime();
        load(stores, tenant, users);
        System.out.printf(
            Locale.ROOT, "loaded %,d users in %.1f s%n", users, (System.nanoTime() - t0) / 1e9);
      }
      freshen(ds, dialect);
      System.out.printf(
          Locale.ROOT,
          "database: %s, %,d users in the tenant%n%s%n",
          dialect,
          users,
          Result.header());

      UserDirectory directory = directory(stores);
      Actor support = supportActor(tenant);
      Raw raw = new Raw(ds, dialect, tenant);
      if (parts.contains("plan")) {
        deactivationPlans(ds, support, raw, users);
      }
      List<String> jvm = List.of(url, user, Integer.toString(users), Integer.toString(updateRows));
      if (parts.contains("page")) {
        // each JVM on a table vacuumed, analyzed and checkpointed just before it
        pageInJvms(jvm, "freshly analyzed", raw, raw::freshen);
      }
      if (parts.contains("update")) {
        updateRounds(directory, support, raw, updateRows);
        if (parts.contains("page")) {
          // as the rounds left the table: their dead rows and statistics, not vacuumed again
          pageInJvms(jvm, "after the update rounds", raw, () -> {});
        }
      }
    }
  }

  /** The part that measures the page in this JVM, on the table as it is: {@code page-jvm=when}. */
  private static final String PAGE_JVM = "page-jvm=";

  /**
   * The deep page lines measured in {@link Forks#count} fresh JVMs one after the other, each after
   * {@code before} on the table as it then is, and reported over the JVMs: the page's verdict was
   * within what differs between runs of one JVM. The server must not have vacuumed or analyzed the
   * table meanwhile (autovacuum), which would change the condition the lines name.
   */
  private static void pageInJvms(List<String> jvm, String when, Raw raw, SqlAction before)
      throws SQLException {
    List<String> args = new ArrayList<>(jvm);
    args.add(PAGE_JVM + when);
    String maintenance = raw.autoMaintenance();
    List<List<Result>> forks =
        Forks.run(
            JdbcBenchmarks.class,
            args,
            () -> {
              try {
                before.run();
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
            });
    String afterwards = raw.autoMaintenance();
    if (!afterwards.equals(maintenance)) {
      throw new IllegalStateException(
          "the server vacuumed or analyzed um_users while the page JVMs ran ("
              + maintenance
              + ", then "
              + afterwards
              + "): the lines would not be about the table "
              + when);
    }
    Forks.combine(forks).forEach(Result::report);
  }

  /** Work on the database before a page JVM. */
  @FunctionalInterface
  private interface SqlAction {
    void run() throws SQLException;
  }

  /** The actor the benchmarks read and write as: support, level 2, who sees every user. */
  private static Actor supportActor(TenantId tenant) {
    return Actor.builder()
        .tenant(tenant)
        .role(RoleCatalog.defaultCatalog().parse("support"))
        .supportLevel(2)
        .build();
  }

  // ------------------------------------------------------------------ deactivation plan

  private static void deactivationPlans(DataSource ds, Actor support, Raw raw, int users) {
    Random random = new Random(3);
    List<String> emails = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      emails.add("user" + random.nextInt(users) + "@example.com");
    }
    DeactivationRequest request = new DeactivationRequest(emails, false);
    Pairs.Work rawLookup = () -> raw.emailLookup(emails);
    // a deactivation plan looks its addresses up in the store's batches (JdbcOptions#batchSize),
    // not in the apply's transactions (BulkLimits#chunkSize): the batch is the chunk it reads in
    int defaultBatch = JdbcOptions.defaults().batchSize();
    Pairs.pairs(
        SUITE,
        String.format(
            Locale.ROOT,
            "deactivation plan, 5,000 e-mails, lookup batch %,d (default)",
            defaultBatch),
        planner(ds, support, request, defaultBatch),
        "one raw query of the same users",
        rawLookup,
        1.3,
        20,
        31);
    // the best batch of this run: a short median of each candidate, then measured in pairs
    int best = defaultBatch;
    double bestMs = Double.MAX_VALUE;
    for (int batch : new int[] {500, 1000, 2500, 5000}) {
      Pairs.Work plan = planner(ds, support, request, batch);
      double[] ms = new double[9];
      for (int i = -3; i < ms.length; i++) {
        Pairs.Timed t = Pairs.Timed.of(plan);
        if (i >= 0) {
          ms[i] = t.ms();
        }
      }
      double median = Result.median(ms);
      System.out.printf(
          Locale.ROOT, "  deactivation plan, lookup batch %,d: median %.1f ms%n", batch, median);
      if (median < bestMs) {
        bestMs = median;
        best = batch;
      }
    }
    Pairs.pairs(
        SUITE,
        String.format(
            Locale.ROOT, "deactivation plan, 5,000 e-mails, lookup batch %,d (best)", best),
        planner(ds, support, request, best),
        "one raw query of the same users",
        rawLookup,
        // for information: the target is stated at the default batch (and the best is often the
        // default itself, whose verdict would then count twice)
        0,
        20,
        31);
  }

  /** The benchmarks' directory over some stores: the signing key, deactivation by file on. */
  private static UserDirectory directory(Stores stores) {
    return UserDirectory.builder()
        .stores(stores)
        .signingKey(SIGNING_KEY)
        .featureFlags(FeatureFlags.of(Map.of(FeatureFlag.DEACTIVATE_USERS_EXCEL, true)))
        .build();
  }

  /**
   * The plan, as the users it would deactivate and those already inactive, through a directory
   * whose store looks keys up in batches of {@code batch}.
   */
  private static Pairs.Work planner(
      DataSource ds, Actor support, DeactivationRequest request, int batch) {
    BulkEngine engine =
        BulkEngine.of(
            directory(JdbcStores.create(ds, JdbcOptions.builder().batchSize(batch).build())),
            BulkLimits.DEFAULT);
    return () -> {
      DeactivationPlan p = engine.planDeactivation(support, request, BulkListener.NONE);
      return matched(p.toDeactivate(), p.alreadyInactive());
    };
  }

  /**
   * The users a deactivation plan found, as two lists (to deactivate, already inactive) of planned
   * users or of raw ids, compared by their ids once both sides are timed (a digest of 5,000 ids
   * inside the timed work added the same cost to both sides and pulled the ratio towards 1).
   */
  static Pairs.Later matched(List<?> active, List<?> inactive) {
    return new Pairs.Later(
        () -> "to deactivate: " + ids(values(active)) + "; inactive: " + ids(values(inactive)));
  }

  private static List<String> values(List<?> users) {
    return users.stream()
        .map(u -> u instanceof PlannedUser p ? p.id().value() : (String) u)
        .toList();
  }

  /** A set of ids as its size and digest (equal sets, equal fingerprints). */
  static String ids(List<String> ids) {
    TreeSet<String> sorted = new TreeSet<>(ids);
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String id : sorted) {
        sha.update(id.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) '\n');
      }
      return sorted.size() + " ids, sha-256 " + HexFormat.of().formatHex(sha.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ------------------------------------------------------------------ deep page

  private static void deepPage(UserDirectory directory, Actor support, Raw raw, String when)
      throws SQLException {
    UserQuery q =
        UserQuery.parse(
            "filter=department+eq+%22Sales%22&sortBy=-lastActivity&pageSize=" + PAGE,
            AttributeSchema.empty());
    Optional<String> cursor = Optional.empty();
    int walked = 0;
    while (walked < DEPTH) {
      Page<User> p = directory.search(support, q.atCursor(cursor));
      walked += p.items().size();
      cursor = p.nextCursor();
      if (cursor.isEmpty()) {
        throw new IllegalStateException(
            "the pages of Sales end at " + walked + " users, before depth " + DEPTH);
      }
    }
    UserQuery deep = q.atCursor(cursor);
    List<String> page =
        directory.search(support, deep).items().stream().map(u -> u.id().value()).toList();
    Raw.Position at = raw.salesAt(DEPTH - 1);
    String next = raw.salesAt(DEPTH).id();
    if (walked != DEPTH || page.size() != PAGE || !page.get(0).equals(next)) {
      throw new IllegalStateException(
          "not at depth "
              + DEPTH
              + ": walked "
              + walked
              + ", the page starts at "
              + (page.isEmpty() ? "nothing" : page.get(0))
              + ", the raw 10,001st user is "
              + next);
    }
    // for information: against a raw query that reads the rows and keeps their ids, turning no
    // row into anything a caller could show; the target is held by the line after it
    Pairs.pairs(
        SUITE,
        "page at verified depth 10,000 (keyset), " + when + ", against ids only",
        () -> directory.search(support, deep).items().stream().map(u -> u.id().value()).toList(),
        "raw keyset query at the same depth, ids kept",
        () -> raw.salesAfter(at),
        0,
        PAGE_WARMUPS,
        PAGE_RUNS);
    // the same page against a raw reader that also turns each row into the user's fields, as any
    // caller of a page needs them (the same work); both sides' shown fields must agree, worked
    // out untimed
    Pairs.pairs(
        SUITE,
        "page at verified depth 10,000 (keyset), " + when + ", users as values",
        () -> shown(directory.search(support, deep).items()),
        "raw keyset query, rows read into field arrays",
        () -> shown(raw.salesFieldsAfter(at)),
        1.2,
        PAGE_WARMUPS,
        PAGE_RUNS);
  }

  /**
   * A page's rows (users, or raw rows), compared by the fields they show once both sides are timed.
   */
  static Pairs.Later shown(List<?> rows) {
    return new Pairs.Later(
        () ->
            rows.stream()
                .map(r -> r instanceof User u ? shown(u) : shown((Raw.RawUser) r))
                .toList());
  }

  /** The fields a page row shows, as text: what both sides of the page must agree on. */
  static String shown(User u) {
    return String.join(
        "|",
        u.id().value(),
        Long.toString(u.version()),
        u.displayName(),
        u.primaryEmail().map(EmailAddress::value).orElse(""),
        u.department().orElse(""),
        u.status().name(),
        u.lastActivityAt()
            .map(t -> Long.toString(t.getEpochSecond() * 1_000_000_000L + t.getNano()))
            .orElse(""));
  }

  /** The same fields of a raw row. */
  static String shown(Raw.RawUser r) {
    return String.join(
        "|",
        r.id(),
        Long.toString(r.version()),
        r.field(UserField.DISPLAY_NAME),
        Objects.requireNonNullElse(r.field(UserField.PRIMARY_EMAIL), ""),
        Objects.requireNonNullElse(r.field(UserField.DEPARTMENT), ""),
        r.field(UserField.STATUS),
        Objects.requireNonNullElse(r.field(UserField.LAST_ACTIVITY_AT), ""));
  }

  // ------------------------------------------------------------------ update apply

  private static void updateRounds(UserDirectory directory, Actor support, Raw raw, int rows)
      throws SQLException {
    // the same transaction size on both sides: the engine's chunk and the raw commit interval
    BulkLimits d = BulkLimits.DEFAULT;
    BulkEngine engine =
        BulkEngine.of(
            directory,
            new BulkLimits(d.minEmails(), d.maxEmails(), UPDATE_CHUNK, d.previewsInMemory()));
    double[] ours = new double[UPDATE_RUNS];
    double[] base = new double[UPDATE_RUNS];
    double[] oursCpu = new double[UPDATE_RUNS];
    double[] baseCpu = new double[UPDATE_RUNS];
    double[] oursWal = new double[UPDATE_RUNS];
    double[] baseWal = new double[UPDATE_RUNS];
    long stamp = System.currentTimeMillis() % 100_000;
    String form = raw.updateForm();
    for (int round = -UPDATE_WARMUPS; round < UPDATE_RUNS; round++) {
      String libTag = stamp + " " + round + " lib";
      String rawTag = stamp + " " + round + " raw";
      boolean oursFirst = Math.floorMod(round, 2) == 0;
      // untimed, before each side: it finds the table as the first side of the first round did,
      // without the dead rows and dirty pages of the side before it (PostgreSQL), with fresh
      // statistics; with a settle only between rounds, the second side of a round paid for the
      // first side's rows
      Measured ma;
      Measured mb;
      if (oursFirst) {
        ma = measured(raw, () -> libraryUpdate(engine, support, raw, rows, libTag));
        mb = measured(raw, () -> rawUpdate(raw, rows, rawTag));
      } else {
        mb = measured(raw, () -> rawUpdate(raw, rows, rawTag));
        ma = measured(raw, () -> libraryUpdate(engine, support, raw, rows, libTag));
      }
      Outcome a = ma.outcome();
      Outcome b = mb.outcome();
      String fa = a.fingerprint();
      String fb = b.fingerprint();
      System.out.printf(
          Locale.ROOT,
          "  update round %s: %.0f ms (%s), raw %.0f ms (%s)%n",
          round < 0 ? "warm-up" : Integer.toString(round),
          a.timed().ms(),
          fa,
          b.timed().ms(),
          fb);
      if (!fa.equals(fb)) {
        throw new IllegalStateException(
            "update: the library and the baseline produced different results ("
                + fa
                + " vs "
                + fb
                + ")");
      }
      if (round >= 0) {
        ours[round] = a.timed().ms();
        base[round] = b.timed().ms();
        oursCpu[round] = a.timed().cpuMs();
        baseCpu[round] = b.timed().cpuMs();
        oursWal[round] = ma.walMiB();
        baseWal[round] = mb.walMiB();
      }
    }
    Result.ms(
            SUITE,
            String.format(Locale.ROOT, "update apply, %,d rows, chunks of %,d", rows, UPDATE_CHUNK),
            ours,
            form,
            base,
            1.3)
        .report();
    Result.ms(
            SUITE,
            raw.dialect == Dialect.H2
                ? "  update apply, process CPU (with H2's)"
                : "  update apply, process CPU (client only)",
            oursCpu,
            "raw, process CPU",
            baseCpu,
            0)
        .report();
    if (raw.dialect == Dialect.POSTGRESQL) {
      // where a side's database time goes beside its statements: the write-ahead log it made,
      // full-page images of every page first written after the checkpoint before it among them
      // (measured around the whole side: its untimed reads, the plan's and the read-back's, write
      // next to nothing)
      new Result(
              SUITE, "  update apply, WAL written", oursWal, "raw, WAL written", baseWal, "MiB", 0)
          .report();
    }
  }

  /** One side of an update round: its timing and what it left. */
  private record Outcome(Pairs.Timed timed, String fingerprint) {}

  /** One side of an update round, run. */
  @FunctionalInterface
  private interface Side {
    Outcome run() throws SQLException;
  }

  /** A side's outcome and the write-ahead log it made (PostgreSQL; 0 elsewhere), in MiB. */
  private record Measured(Outcome outcome, double walMiB) {}

  /**
   * Runs a side after {@link Raw#freshen} and with an empty change log, with the write-ahead log it
   * made. The change log is emptied before every side, as the table is vacuumed: otherwise the
   * library's later rounds wrote into a log of up to 1.7 million entries (seventeen rounds of
   * 100,000 rows) and the earlier ones into a small one, and its rounds drifted.
   */
  private static Measured measured(Raw raw, Side side) throws SQLException {
    emptyChangeLog(raw.ds);
    raw.freshen();
    long position = raw.walPosition();
    Outcome outcome = side.run();
    return new Measured(outcome, raw.walMiBSince(position));
  }

  /**
   * The library's side: the plan (untimed: it reads the users, as the raw side's untimed read of
   * versions and documents does), then the timed apply.
   */
  private static Outcome libraryUpdate(
      BulkEngine engine, Actor support, Raw raw, int rows, String tag) throws SQLException {
    List<UpdateRow> update = new ArrayList<>(rows);
    for (int i = 0; i < rows; i++) {
      update.add(
          new UpdateRow(
              i + 2,
              Map.of(
                  "primaryEmail", "user" + i + "@example.com", "department", department(i, tag))));
    }
    UpdatePlan up = engine.planUpdate(support, update, UpdateOptions.defaults(), BulkListener.NONE);
    Pairs.Timed t =
        Pairs.Timed.withCpu(
            () -> engine.applyUpdate(support, up, BulkListener.NONE).changed().size());
    return new Outcome(t, t.fingerprint() + " changed, " + raw.agreeing(rows, tag) + " agree");
  }

  /** The raw side: the untimed read of versions and documents, then the timed update. */
  private static Outcome rawUpdate(Raw raw, int rows, String tag) throws SQLException {
    List<Raw.Stored> stored = raw.read(rows);
    Pairs.Timed t = Pairs.Timed.withCpu(() -> raw.update(stored, tag));
    return new Outcome(t, t.fingerprint() + " changed, " + raw.agreeing(rows, tag) + " agree");
  }

  /** The department a round writes to user i. */
  static String department(int i, String tag) {
    return "Dept " + (i % 50) + " " + tag;
  }

  // ------------------------------------------------------------------ the raw baselines

  /** The raw JDBC of the baselines, per database. */
  private static final class Raw {
    final HikariDataSource ds;
    final Dialect dialect;
    final TenantId tenant;

    /**
     * The form of the raw update: {@code unnest} (PostgreSQL: one {@code UPDATE … FROM unnest} a
     * chunk), {@code batch} (a JDBC batch of single-row UPDATEs a chunk) or {@code join} (one
     * statement a chunk joining the chunk's rows: MariaDB a derived table, H2 a {@code MERGE …
     * USING TABLE(…)}); the system property {@code bench.rawUpdate} chooses another than the
     * database's fastest.
     */
    final String form;

    Raw(HikariDataSource ds, Dialect dialect, TenantId tenant) {
      this.ds = ds;
      this.dialect = dialect;
      this.tenant = tenant;
      String fastest =
          switch (dialect) {
            case POSTGRESQL -> "unnest";
            case MARIADB -> "join";
            case H2 -> "join";
          };
      this.form = System.getProperty("bench.rawUpdate", fastest);
    }

    String updateForm() {
      return switch (form) {
        case "unnest" -> "raw version-checked UPDATE … FROM unnest";
        case "batch" -> "raw version-checked batch of UPDATEs";
        case "join" ->
            dialect == Dialect.H2
                ? "raw version-checked MERGE … USING TABLE"
                : "raw version-checked UPDATE … JOIN";
        default -> throw new IllegalArgumentException("no raw update form " + form);
      };
    }

    void freshen() throws SQLException {
      JdbcBenchmarks.freshen(ds, dialect);
    }

    /**
     * PostgreSQL: how often the server's autovacuum has vacuumed and analyzed {@code um_users}, as
     * text; empty on other databases.
     */
    String autoMaintenance() throws SQLException {
      if (dialect != Dialect.POSTGRESQL) {
        return "";
      }
      try (Connection c = ds.getConnection();
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT autovacuum_count, autoanalyze_count FROM pg_stat_user_tables"
                      + " WHERE relname = 'um_users'")) {
        return rs.next()
            ? "autovacuum " + rs.getLong(1) + ", autoanalyze " + rs.getLong(2)
            : "no statistics";
      }
    }

    /** PostgreSQL: the write-ahead log's insert position, in bytes; 0 on other databases. */
    long walPosition() throws SQLException {
      if (dialect != Dialect.POSTGRESQL) {
        return 0;
      }
      try (Connection c = ds.getConnection();
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::bigint")) {
        rs.next();
        return rs.getLong(1);
      }
    }

    /** The write-ahead log written since a {@link #walPosition}, in MiB. */
    double walMiBSince(long position) throws SQLException {
      return (walPosition() - position) / (1024.0 * 1024.0);
    }

    /**
     * The matched users of some e-mails, by one query, as the plan sorts them: each address parsed
     * by the library's parser (as the plan's), a repeat dropped, the users' ids, versions, statuses
     * and documents (a plan shows each user's name and address) read, and the users sorted into
     * those to deactivate and those already inactive by their status column.
     */
    Pairs.Later emailLookup(List<String> emails) throws SQLException {
      java.util.Set<String> keys = new java.util.LinkedHashSet<>();
      for (String text : emails) {
        EmailAddress.tryParse(text).ifPresent(e -> keys.add(e.key()));
      }
      Dialect.KeyMatch m = dialect.keyMatch("u.email_key", keys.size());
      String sql =
          "SELECT u.id, u.version, u.status, u.doc FROM um_users u"
              + m.join()
              + " WHERE u.tenant_id = ?"
              + m.where();
      List<String> active = new ArrayList<>();
      List<String> inactive = new ArrayList<>();
      try (Connection c = ds.getConnection();
          PreparedStatement ps = c.prepareStatement(sql)) {
        List<String> bound = List.copyOf(keys);
        if (dialect == Dialect.H2) {
          ps.setString(dialect.bindKeys(ps, 1, bound), tenant.value());
        } else {
          ps.setString(1, tenant.value());
          dialect.bindKeys(ps, 2, bound);
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            if (rs.getLong(2) > 0 && !rs.getString(4).isEmpty()) {
              (UserStatus.valueOf(rs.getString(3)).isInactive() ? inactive : active)
                  .add(rs.getString(1));
            }
          }
        }
      }
      return matched(active, inactive);
    }

    /** A place in the Sales users by {@code -lastActivity}, then id (as the library orders). */
    record Position(long lastActivity, String id) {}

    /** The Sales user at an offset of a raw ordered query (0 is the first). */
    Position salesAt(int offset) throws SQLException {
      try (Connection c = ds.getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "SELECT id, last_activity_at FROM um_users WHERE tenant_id = ? AND department_key"
                      + " = ? ORDER BY CASE WHEN last_activity_at IS NULL THEN 0 ELSE 1 END,"
                      + " last_activity_at DESC, id DESC LIMIT 1 OFFSET ?")) {
        ps.setString(1, tenant.value());
        ps.setString(2, "sales");
        ps.setInt(3, offset);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new IllegalStateException("fewer than " + (offset + 1) + " Sales users");
          }
          long at = rs.getLong(2);
          if (rs.wasNull()) {
            throw new IllegalStateException(
                "a Sales user without last activity: " + rs.getString(1));
          }
          return new Position(at, rs.getString(1));
        }
      }
    }

    /**
     * The raw keyset page: the Sales users after a position, the columns a page needs (id, version,
     * document), one more than a page to know whether another follows.
     */
    List<String> salesAfter(Position p) throws SQLException {
      return salesAfter(
          p, rs -> rs.getLong(2) > 0 && !rs.getString(3).isEmpty() ? rs.getString(1) : null);
    }

    /** One row of a result read into a value, or null to leave the row out. */
    @FunctionalInterface
    interface RowReader<T> {
      @Nullable T read(ResultSet rs) throws SQLException;
    }

    /** The raw keyset page with each row read by {@code reader}. */
    private <T> List<T> salesAfter(Position p, RowReader<T> reader) throws SQLException {
      List<T> rows = new ArrayList<>(PAGE + 1);
      try (Connection c = ds.getConnection();
          PreparedStatement ps = c.prepareStatement(salesAfterSql())) {
        bindSalesAfter(ps, p);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            T row = reader.read(rs);
            if (row != null) {
              rows.add(row);
            }
          }
        }
      }
      return rows.subList(0, Math.min(PAGE, rows.size()));
    }

    /** The raw keyset query of the Sales users after a position, in this database's best form. */
    private String salesAfterSql() {
      return dialect == Dialect.POSTGRESQL
          ? "SELECT u.id, u.version, u.doc FROM um_users u WHERE u.tenant_id = ? AND"
              + " u.department_key = ? AND (u.last_activity_at, u.id) < (?, ?)"
              + " ORDER BY u.last_activity_at DESC, u.id DESC LIMIT ?"
          : "SELECT u.id, u.version, u.doc FROM um_users u WHERE u.tenant_id = ? AND"
              + " u.department_key = ? AND u.last_activity_at <= ? AND (u.last_activity_at < ?"
              + " OR u.id < ?) ORDER BY "
              + (dialect == Dialect.H2 ? "u.tenant_id DESC, " : "")
              + "u.last_activity_at DESC, u.id DESC LIMIT ?";
    }

    private void bindSalesAfter(PreparedStatement ps, Position p) throws SQLException {
      int i = 1;
      ps.setString(i++, tenant.value());
      ps.setString(i++, "sales");
      ps.setLong(i++, p.lastActivity());
      if (dialect != Dialect.POSTGRESQL) {
        ps.setLong(i++, p.lastActivity());
      }
      ps.setString(i++, p.id());
      ps.setInt(i, PAGE + 1);
    }

    /**
     * The raw keyset page with its rows read: each row's document into an array of its field values
     * by position (unescaped text, no types, no checks), the custom attribute lines kept as they
     * are, with the id and version beside them.
     */
    List<RawUser> salesFieldsAfter(Position p) throws SQLException {
      return salesAfter(p, rs -> fields(rs.getString(1), rs.getLong(2), rs.getString(3)));
    }

    /** A raw row: the values of the document's lines by key position, and its other lines. */
    record RawUser(String id, long version, @Nullable String[] values, List<String> others) {
      @Nullable String field(UserField f) {
        return values[f.ordinal()];
      }
    }

    /** The keys a document's lines start with, in the order they are written. */
    private static final String[] KEYS =
        java.util.stream.Stream.concat(
                Arrays.stream(UserField.values()).map(UserField::key), Stream.of("updatedAt"))
            .toArray(String[]::new);

    /**
     * A stored document's {@code key=value} lines into an array by key, matched in place in the
     * order they are written (no key copies, no hashing), values unescaped.
     */
    static RawUser fields(String id, long version, String doc) {
      @Nullable String[] values = new String[KEYS.length];
      List<String> others = List.of();
      int start = 0;
      int next = 0;
      while (start < doc.length()) {
        int end = doc.indexOf('\n', start);
        int k = -1;
        for (int i = next; i < KEYS.length; i++) {
          int eq = start + KEYS[i].length();
          if (eq < end && doc.charAt(eq) == '=' && doc.startsWith(KEYS[i], start)) {
            k = i;
            break;
          }
        }
        if (k >= 0) {
          String v = doc.substring(start + KEYS[k].length() + 1, end);
          values[k] = v.indexOf('\\') < 0 ? v : unescape(v);
          next = k + 1;
        } else {
          if (others.isEmpty()) {
            others = new ArrayList<>();
          }
          others.add(doc.substring(start, end));
        }
        start = end + 1;
      }
      return new RawUser(id, version, values, others);
    }

    private static String unescape(String s) {
      StringBuilder b = new StringBuilder(s.length());
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '\\' && i + 1 < s.length()) {
          char n = s.charAt(++i);
          b.append(n == 'n' ? '\n' : n == 'r' ? '\r' : n == 'p' ? '|' : n);
        } else {
          b.append(c);
        }
      }
      return b.toString();
    }

    /** A stored user as the raw update reads it before it writes. */
    record Stored(String id, long version, String doc) {}

    /**
     * The untimed read before a raw update, as the library's plan is untimed: the versions and
     * documents of the first {@code rows} users.
     */
    List<Stored> read(int rows) throws SQLException {
      List<Stored> out = new ArrayList<>(rows);
      try (Connection c = ds.getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "SELECT id, version, doc FROM um_users WHERE tenant_id = ? AND id >= ? AND id < ?"
                      + " ORDER BY id")) {
        ps.setString(1, tenant.value());
        ps.setString(2, userId(0));
        ps.setString(3, userId(rows));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new Stored(rs.getString(1), rs.getLong(2), rs.getString(3)));
          }
        }
      }
      if (out.size() != rows) {
        throw new IllegalStateException(out.size() + " users read, expected " + rows);
      }
      return out;
    }

    /**
     * The raw version-checked update: per chunk of {@link #UPDATE_CHUNK} users, the new department
     * (and its folded key), the update time, a document with both changed and the next version,
     * committed per chunk.
     *
     * @return the rows written
     */
    int update(List<Stored> stored, String tag) throws SQLException {
      int written = 0;
      try (Connection c = ds.getConnection()) {
        c.setAutoCommit(false);
        try {
          for (int from = 0; from < stored.size(); from += UPDATE_CHUNK) {
            List<Stored> chunk = stored.subList(from, Math.min(stored.size(), from + UPDATE_CHUNK));
            long now = nanos(Instant.now());
            int n = chunk.size();
            String[] ids = new String[n];
            Long[] versions = new Long[n];
            String[] departments = new String[n];
            String[] keys = new String[n];
            Long[] updatedAt = new Long[n];
            String[] docs = new String[n];
            for (int k = 0; k < n; k++) {
              Stored s = chunk.get(k);
              String department = department(index(s.id()), tag);
              ids[k] = s.id();
              versions[k] = s.version();
              departments[k] = department;
              keys[k] = dialect.storedKey(department.toLowerCase(Locale.ROOT));
              updatedAt[k] = now;
              docs[k] = withDepartment(s.doc(), department, now);
            }
            int count =
                switch (form) {
                  case "unnest" -> unnest(c, ids, versions, departments, keys, updatedAt, docs);
                  case "batch" -> batch(c, ids, versions, departments, keys, updatedAt, docs);
                  case "join" ->
                      dialect == Dialect.H2
                          ? merge(c, ids, versions, departments, keys, updatedAt, docs)
                          : join(c, ids, versions, departments, keys, updatedAt, docs);
                  default -> throw new IllegalArgumentException(form);
                };
            if (count != n) {
              throw new IllegalStateException(
                  "conflict in the raw update: " + count + " of " + n + " rows written");
            }
            c.commit();
            written += count;
          }
        } finally {
          c.rollback();
          c.setAutoCommit(true);
        }
      }
      return written;
    }

    private int unnest(
        Connection c,
        String[] ids,
        Long[] versions,
        String[] departments,
        String[] keys,
        Long[] updatedAt,
        String[] docs)
        throws SQLException {
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE um_users u SET department = v.department, department_key = v.department_key,"
                  + " updated_at = v.updated_at, doc = v.doc, version = u.version + 1"
                  + " FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[], ?::bigint[],"
                  + " ?::text[]) AS v(id, version, department, department_key, updated_at, doc)"
                  + " WHERE u.tenant_id = ? AND u.id = v.id AND u.version = v.version")) {
        ps.setArray(1, c.createArrayOf("text", ids));
        ps.setArray(2, c.createArrayOf("bigint", versions));
        ps.setArray(3, c.createArrayOf("text", departments));
        ps.setArray(4, c.createArrayOf("text", keys));
        ps.setArray(5, c.createArrayOf("bigint", updatedAt));
        ps.setArray(6, c.createArrayOf("text", docs));
        ps.setString(7, tenant.value());
        return ps.executeUpdate();
      }
    }

    private int batch(
        Connection c,
        String[] ids,
        Long[] versions,
        String[] departments,
        String[] keys,
        Long[] updatedAt,
        String[] docs)
        throws SQLException {
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE um_users SET department = ?, department_key = ?, updated_at = ?, doc = ?,"
                  + " version = ? WHERE tenant_id = ? AND id = ? AND version = ?")) {
        for (int k = 0; k < ids.length; k++) {
          ps.setString(1, departments[k]);
          ps.setString(2, keys[k]);
          ps.setLong(3, updatedAt[k]);
          ps.setString(4, docs[k]);
          ps.setLong(5, versions[k] + 1);
          ps.setString(6, tenant.value());
          ps.setString(7, ids[k]);
          ps.setLong(8, versions[k]);
          ps.addBatch();
        }
        int written = 0;
        boolean unknown = false;
        for (int count : ps.executeBatch()) {
          if (count == Statement.SUCCESS_NO_INFO) {
            unknown = true;
          } else {
            written += count;
          }
        }
        return unknown ? writtenVersions(c, ids, versions) : written;
      }
    }

    /** The rows of a chunk at their next version: for a driver that does not count a batch. */
    private int writtenVersions(Connection c, String[] ids, Long[] versions) throws SQLException {
      Dialect.KeyMatch m = dialect.keyMatch("u.id", ids.length);
      Map<String, Long> next = new java.util.HashMap<>();
      for (int k = 0; k < ids.length; k++) {
        next.put(ids[k], versions[k] + 1);
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT u.id, u.version FROM um_users u"
                  + m.join()
                  + " WHERE u.tenant_id = ?"
                  + m.where())) {
        if (dialect == Dialect.H2) {
          ps.setString(dialect.bindKeys(ps, 1, List.of(ids)), tenant.value());
        } else {
          ps.setString(1, tenant.value());
          dialect.bindKeys(ps, 2, List.of(ids));
        }
        int written = 0;
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            written += next.getOrDefault(rs.getString(1), -1L) == rs.getLong(2) ? 1 : 0;
          }
        }
        return written;
      }
    }

    /** MariaDB: one UPDATE joining the chunk as a derived table of its rows. */
    private int join(
        Connection c,
        String[] ids,
        Long[] versions,
        String[] departments,
        String[] keys,
        Long[] updatedAt,
        String[] docs)
        throws SQLException {
      StringBuilder rows = new StringBuilder();
      for (int k = 0; k < ids.length; k++) {
        rows.append(
            k == 0
                ? "SELECT ? AS id, ? AS version, ? AS department, ? AS department_key,"
                    + " ? AS updated_at, ? AS doc"
                : " UNION ALL SELECT ?, ?, ?, ?, ?, ?");
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE um_users u JOIN ("
                  + rows
                  + ") v ON u.tenant_id = ? AND u.id = v.id AND u.version = v.version"
                  + " SET u.department = v.department, u.department_key = v.department_key,"
                  + " u.updated_at = v.updated_at, u.doc = v.doc, u.version = u.version + 1")) {
        int i = 1;
        for (int k = 0; k < ids.length; k++) {
          ps.setString(i++, ids[k]);
          ps.setLong(i++, versions[k]);
          ps.setString(i++, departments[k]);
          ps.setString(i++, keys[k]);
          ps.setLong(i++, updatedAt[k]);
          ps.setString(i++, docs[k]);
        }
        ps.setString(i, tenant.value());
        return ps.executeUpdate();
      }
    }

    /** H2: one MERGE a chunk, its rows a table of arrays. */
    private int merge(
        Connection c,
        String[] ids,
        Long[] versions,
        String[] departments,
        String[] keys,
        Long[] updatedAt,
        String[] docs)
        throws SQLException {
      try (PreparedStatement ps =
          c.prepareStatement(
              "MERGE INTO um_users u USING (SELECT * FROM TABLE(id VARCHAR = ?, version BIGINT = ?,"
                  + " department VARCHAR = ?, department_key VARCHAR = ?, updated_at BIGINT = ?,"
                  + " doc VARCHAR = ?)) v ON u.tenant_id = ? AND u.id = v.id AND u.version ="
                  + " v.version WHEN MATCHED THEN UPDATE SET department = v.department,"
                  + " department_key = v.department_key, updated_at = v.updated_at, doc = v.doc,"
                  + " version = u.version + 1")) {
        ps.setObject(1, ids);
        ps.setObject(2, versions);
        ps.setObject(3, departments);
        ps.setObject(4, keys);
        ps.setObject(5, updatedAt);
        ps.setObject(6, docs);
        ps.setString(7, tenant.value());
        return ps.executeUpdate();
      }
    }

    /**
     * How many of the first {@code rows} users carry a round's department in their columns and in
     * their document, and whose document's update time is their column's.
     */
    int agreeing(int rows, String tag) throws SQLException {
      int agree = 0;
      try (Connection c = ds.getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "SELECT id, department, department_key, updated_at, doc FROM um_users"
                      + " WHERE tenant_id = ? AND id >= ? AND id < ?")) {
        ps.setString(1, tenant.value());
        ps.setString(2, userId(0));
        ps.setString(3, userId(rows));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String expected = department(index(rs.getString(1)), tag);
            String doc = rs.getString(5);
            if (expected.equals(rs.getString(2))
                && dialect.storedKey(expected.toLowerCase(Locale.ROOT)).equals(rs.getString(3))
                && escape(expected).equals(docValue(doc, "department"))
                && Long.toString(rs.getLong(4)).equals(docValue(doc, "updatedAt"))) {
              agree++;
            }
          }
        }
      }
      return agree;
    }
  }

  /** The id of the i-th loaded user. */
  static String userId(int i) {
    return String.format(Locale.ROOT, "u%07d", i);
  }

  private static int index(String id) {
    return Integer.parseInt(id, 1, id.length(), 10);
  }

  /** Epoch nanoseconds, as the store keeps instants. */
  static long nanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }

  /**
   * The stored document with a new department and update time: the store's document is one {@code
   * key=value} line a field, values escaped (backslash, newline, CR, pipe), instants as epoch
   * nanoseconds, {@code updatedAt} last.
   */
  static String withDepartment(String doc, String department, long updatedAt) {
    String replaced = replaceLine(doc, "department", escape(department));
    return replaceLine(replaced, "updatedAt", Long.toString(updatedAt));
  }

  private static String replaceLine(String doc, String key, String value) {
    int start = lineStart(doc, key);
    if (start < 0) {
      throw new IllegalStateException("no " + key + " in the document");
    }
    int from = start + key.length() + 1;
    int end = doc.indexOf('\n', from);
    return doc.substring(0, from) + value + doc.substring(end);
  }

  /** The escaped value of a document's line, or an empty string. */
  static String docValue(String doc, String key) {
    int start = lineStart(doc, key);
    if (start < 0) {
      return "";
    }
    int from = start + key.length() + 1;
    return doc.substring(from, doc.indexOf('\n', from));
  }

  private static int lineStart(String doc, String key) {
    if (doc.startsWith(key + "=")) {
      return 0;
    }
    int at = doc.indexOf("\n" + key + "=");
    return at < 0 ? -1 : at + 1;
  }

  /** Escapes a document value as the store does: backslash, newline, CR, pipe. */
  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '|' -> b.append("\\p");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /**
   * Untimed, before the measurements and before each side of every pair: fresh statistics, and on
   * PostgreSQL no dead rows and no dirty buffers ({@code CHECKPOINT}), so that each side finds the
   * database as the first side of the first pair did, not with the dead rows, the statistics and
   * the unwritten pages of the side before it, and no side's timing takes in a checkpoint the other
   * side's writes made due. {@code CHECKPOINT} takes a superuser or (PostgreSQL 15) {@code
   * pg_checkpoint}; without either, the database is only vacuumed and analyzed, and this is said
   * once.
   */
  static void freshen(HikariDataSource ds, Dialect dialect) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      switch (dialect) {
        case POSTGRESQL -> {
          st.execute("VACUUM ANALYZE");
          if (checkpoints) {
            try {
              st.execute("CHECKPOINT");
            } catch (SQLException e) {
              if (!"42501".equals(e.getSQLState())) {
                throw e;
              }
              checkpoints = false;
              System.out.println("the user may not CHECKPOINT: each side is only vacuumed before");
            }
          }
        }
        case MARIADB -> st.execute("ANALYZE TABLE um_users, um_user_values, um_user_attributes");
        case H2 -> st.execute("ANALYZE");
      }
    }
  }

  /** Whether the user may write out the buffers before a side (see {@link #freshen}). */
  private static volatile boolean checkpoints = true;

  /**
   * Empties the change log a previous run left, untimed: each change set indexes its users, and an
   * index grown by every earlier run made each of this run's writes touch more of its pages (on
   * PostgreSQL, each such page first written after a checkpoint is a full-page image in the
   * write-ahead log), so a run measured what had run before it. A reused database starts where a
   * freshly loaded one does.
   */
  static void emptyChangeLog(HikariDataSource ds) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      st.execute("TRUNCATE TABLE um_change_users");
      st.execute("TRUNCATE TABLE um_change_log");
    }
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

  /** The benchmarks' signing key (a host keeps its own in its configuration). */
  static final byte[] SIGNING_KEY =
      "benchmark key, never in production".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  /** Loads n users; the first 1,000 manage the others. */
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
}
