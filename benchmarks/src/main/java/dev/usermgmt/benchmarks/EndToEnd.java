package dev.usermgmt.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.usermgmt.TenantId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.bulk.ApplyResult;
import dev.usermgmt.bulk.BulkEngine;
import dev.usermgmt.bulk.BulkListener;
import dev.usermgmt.bulk.RowPreview;
import dev.usermgmt.bulk.UpdateOptions;
import dev.usermgmt.bulk.UpdatePlan;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.io.mapping.MappingContext;
import dev.usermgmt.io.mapping.UpdateUpload;
import dev.usermgmt.io.table.ReadOptions;
import dev.usermgmt.io.table.TableReader;
import dev.usermgmt.jdbc.JdbcStores;
import dev.usermgmt.jdbc.dialect.Dialect;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.PhoneNumber;
import dev.usermgmt.user.UserField;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.dhatim.fastexcel.reader.ReadableWorkbook;

/**
 * The whole path of "Update Users from CSV/Excel" on PostgreSQL at 10,000, 100,000 and 1,000,000
 * rows, in a 512 MiB heap: an update file (e-mail as the key, department, job title and phone
 * number; CSV and Excel-shaped XLSX) against as many stored users, through the library — read,
 * column mapping, plan ({@link BulkEngine#planUpdate}, default limits, streamed), apply, undo —
 * against a raw pipeline doing the same work: the fastest reader (FastCSV, fastexcel-reader), the
 * same validators (the e-mail key, the phone number to E.164, the text checks), per chunk one
 * lookup of the rows by e-mail key and one version-checked {@code UPDATE … FROM unnest} that also
 * saves the previous values in an undo table, and a raw undo that restores them, version-checked.
 *
 * <pre>
 * java -Xmx512m -cp benchmarks/target/benchmarks.jar dev.usermgmt.benchmarks.EndToEnd \
 *     [jdbc-url] [user] [sizes, comma-separated]
 * </pre>
 *
 * <p>Each size (the sizes must grow) has a database of its own on the given URL's server, named
 * after the URL's database and the size ({@code test_10000}, {@code test_100000}; created when
 * missing, CLEANED and migrated), and loads its users (tenant {@code e2e-<size>}) through the
 * library's store, so that no size measures what the suites or other sizes left behind, then goes
 * through one untimed round of the raw pipeline, so that no measured side is the first to write its
 * freshly loaded table. Every size is loaded before the first is measured, and the sizes' measured
 * pairs take turns (pair i of each size, then pair i + 1, the sizes' order turned round every two
 * pairs), so that the growth from one size to the next is worked out pair by pair from pairs run
 * one after the other. Every round applies the same file and undoes it, so both sides start from
 * the same stored users; every round checks that both sides leave the same columns and documents
 * after the apply (the write times and tokens aside; the check's time is left out of the side's,
 * {@link Pairs#untimed}) and that the users are back as they were after the undo. Before each side
 * of every pair the database is vacuumed and checkpointed (untimed), so that every side finds the
 * tables without the dead rows and unwritten pages of the sides before it. It reports the wall time
 * of each stage against the raw stage doing the same work, and process CPU ({@link CpuClock}), the
 * peak heap ({@link HeapPeak}: the whole heap's highest use in the stage) and the database's time,
 * as the CPU time of this run's server processes (read from {@code /proc}, the server being on this
 * machine, in nanoseconds), for the way in (read to apply) and for the undo: the raw pipeline
 * reads, looks up and writes a chunk at a time, so its resources are known only for those stages
 * together.
 */
public final class EndToEnd {
  private static final String SUITE = "endtoend";
  private static final String APP = "usermgmt-e2e";
  private static final String HEADER = "email,department,jobTitle,phoneNumber";
  private static final int RAW_CHUNK = 1000;
  private static final String REGION = "GB";

  private EndToEnd() {}

  /**
   * Entry point.
   *
   * @param args JDBC URL, user, sizes
   * @throws Exception from the raw pipeline or the files
   */
  public static void main(String[] args) throws Exception {
    String url = args.length > 0 ? args[0] : "jdbc:postgresql://127.0.0.1:5432/test";
    String user = args.length > 1 ? args[1] : "postgres";
    List<Integer> sizes = new ArrayList<>();
    for (String s : (args.length > 2 ? args[2] : "10000,100000,1000000").split(",", -1)) {
      int n = Integer.parseInt(s.strip());
      if (n <= 0 || (!sizes.isEmpty() && n <= sizes.get(sizes.size() - 1))) {
        throw new IllegalArgumentException("the sizes must grow: " + args[2]);
      }
      sizes.add(n);
    }
    Path dir = Files.createTempDirectory("usermgmt-e2e");
    System.out.printf(
        Locale.ROOT,
        "heap limit %d MiB, sizes %s, files in %s%n",
        Runtime.getRuntime().maxMemory() >> 20,
        sizes,
        dir);
    List<HikariDataSource> pools = new ArrayList<>();
    try {
      List<Size> loaded = new ArrayList<>();
      for (int n : sizes) {
        HikariDataSource ds = pool(ownDatabase(url, user, n), user, n);
        pools.add(ds);
        loaded.add(Size.load(ds, n, dir));
      }
      for (String format : List.of("CSV", "XLSX")) {
        List<Result> totals = interleaved(loaded, format);
        for (int i = 1; i < sizes.size(); i++) {
          growth(format, sizes.get(i - 1), totals.get(i - 1), sizes.get(i), totals.get(i));
        }
      }
      for (Size size : loaded) {
        size.deleteFiles();
      }
      Files.delete(dir);
    } finally {
      pools.forEach(HikariDataSource::close);
    }
  }

  /**
   * The pool of size n's database. It keeps its connections for the whole run: the database's CPU
   * time is read from its server processes (by the pool's own application name), and a connection
   * the pool retired (after 30 minutes by default) took its process's CPU time out of the sum in
   * the middle of a stage at a million rows.
   */
  private static HikariDataSource pool(String url, String user, int n) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword("");
    config.setMaximumPoolSize(4);
    config.setMinimumIdle(4);
    config.setMaxLifetime(0);
    config.addDataSourceProperty("ApplicationName", application(n));
    return new HikariDataSource(config);
  }

  /** The application name of size n's connections, by which its server processes are found. */
  private static String application(int n) {
    return APP + "-" + n;
  }

  /**
   * The URL of size n's own database on the server of {@code url}, named after that URL's database
   * and the size ({@code test_10000}), created when missing (the user needs {@code CREATEDB}; the
   * databases are kept for the next run, which cleans them): every size is loaded before the first
   * is measured, so that their pairs can take turns ({@link #interleaved}).
   */
  private static String ownDatabase(String url, String user, int n) throws SQLException {
    String name = KeycloakSideBySide.databaseOf(url) + "_" + n;
    // PostgreSQL shortens longer names (NAMEDATALEN 64), and the next run would not find it
    if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("not a database name for a size: " + name);
    }
    try (Connection c = DriverManager.getConnection(url, user, "");
        PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          try (Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
          }
        }
      }
    }
    return KeycloakSideBySide.sameServer(url, name);
  }

  /**
   * One format at every size, the sizes' measured pairs taking turns: pair i of every size, then
   * pair i + 1, the sizes in ascending order for pairs 0 and 1, descending for pairs 2 and 3, and
   * so on (within a pair the library goes first when i is even, so each side of each size comes
   * after the other sizes as often as its turn order allows). A size measured many minutes after
   * the one before it took in whatever the machine did between them (at 100,000 rows the XLSX
   * pipelines once ran faster than the CSV ones just before them, and the growth from 10,000 came
   * out at 6.8 where the run before gave 13.9); pairs run one after the other share the machine's
   * state, and a growth worked out pair by pair ({@link #growth}) has noise of its own to report.
   * The warm-up pairs run first, each size's in turn. Each size keeps its own database; the other
   * sizes' pairs may have pushed its pages out of the server's shared buffers (its tables' untimed
   * VACUUM reads them through a small ring of buffers, not back into them), and they come back from
   * the system's page cache, as for any database sharing a server.
   *
   * @return each size's end-to-end result, in the order of the sizes
   */
  private static List<Result> interleaved(List<Size> sizes, String format) {
    List<Size.Run> runs = new ArrayList<>();
    for (Size s : sizes) {
      runs.add(s.start(format));
    }
    for (Size.Run r : runs) {
      r.warmUp();
    }
    Result[] totals = new Result[runs.size()];
    int most = runs.stream().mapToInt(Size.Run::runs).max().orElse(0);
    for (int i = 0; i < most; i++) {
      for (int j = 0; j < runs.size(); j++) {
        int at = i % 4 < 2 ? j : runs.size() - 1 - j;
        Size.Run r = runs.get(at);
        if (i < r.runs()) {
          r.pair(i);
          if (i == r.runs() - 1) {
            // reported as soon as the size is done: a later size's failure keeps it
            totals[at] = r.finish();
          }
        }
      }
    }
    return List.of(totals);
  }

  /**
   * The growth from one size to the next, pair by pair: the big size's time in pair i over the
   * small size's in the same pair i, for the pairs both ran (the sizes took turns, {@link
   * #interleaved}); for the library, for the raw pipeline, and the one against the other.
   */
  private static void growth(String format, int small, Result atSmall, int big, Result atBig) {
    int pairs = Math.min(atSmall.ours().length, atBig.ours().length);
    String step = String.format(Locale.ROOT, "growth %s, %s → %s rows", format, k(small), k(big));
    String same = "the same at " + k(small) + " rows, pair by pair";
    Result library =
        Result.ms(
                SUITE,
                step + ", library",
                Arrays.copyOf(atBig.ours(), pairs),
                same,
                Arrays.copyOf(atSmall.ours(), pairs),
                12)
            .report();
    // the same step for the raw pipeline, for scale: the database's own growth (its cache,
    // its indexes) is in both
    Result raw =
        Result.ms(
                SUITE,
                step + ", raw pipeline",
                Arrays.copyOf(atBig.base(), pairs),
                same,
                Arrays.copyOf(atSmall.base(), pairs),
                0)
            .report();
    // and the one against the other: above 1, the library adds growth of its own to the
    // database's; at or below 1, the step grows as fast as the same work written raw
    new Result(
            SUITE,
            step + ", library's growth against the raw pipeline's",
            library.ratios(),
            "the raw pipeline's growth",
            raw.ratios(),
            "×",
            0)
        .report();
  }

  private static String k(int n) {
    return n >= 1_000_000 ? n / 1_000_000 + "M" : n >= 1000 ? n / 1000 + "k" : Integer.toString(n);
  }

  // ---------------------------------------------------------------------------------- one size

  /** The measurements at one size. */
  private static final class Size {
    private final HikariDataSource ds;
    private final TenantId tenant;
    private final int n;
    private final Path csv;
    private final Path xlsx;
    private final UserDirectory directory;
    private final BulkEngine engine;
    private final Actor admin;
    private final MappingContext context;
    private final DbClock db;

    private Size(HikariDataSource ds, TenantId tenant, int n, Path csv, Path xlsx) {
      this.ds = ds;
      this.tenant = tenant;
      this.n = n;
      this.csv = csv;
      this.xlsx = xlsx;
      this.directory =
          UserDirectory.builder()
              .stores(JdbcStores.create(ds))
              .signingKey(JdbcBenchmarks.SIGNING_KEY)
              .build();
      this.engine = BulkEngine.of(directory);
      this.admin =
          Actor.builder().tenant(tenant).role(RoleCatalog.defaultCatalog().adminRole()).build();
      this.context = MappingContext.of(directory, admin);
      this.db = new DbClock(ds, application(n));
    }

    /**
     * Size n on its own database, CLEANED and migrated: no size measures what the suites or other
     * sizes left (with them, the raw pipeline alone took 11.7 to 15.2 times as long at 100,000 rows
     * as at 10,000); its users loaded through the library's store, and its update files written.
     */
    static Size load(HikariDataSource ds, int n, Path dir) throws SQLException, IOException {
      JdbcBenchmarks.migrate(ds, true);
      sql(
          ds,
          "CREATE TABLE e2e_raw_undo (id VARCHAR(64) COLLATE \"C\" PRIMARY KEY,"
              + " version BIGINT NOT NULL, department VARCHAR(500), department_key VARCHAR(500),"
              + " job_title VARCHAR(500), job_title_key VARCHAR(500), phone VARCHAR(32),"
              + " search_text VARCHAR(4000) NOT NULL, updated_at BIGINT NOT NULL, doc TEXT NOT"
              + " NULL)");
      TenantId tenant = TenantId.of("e2e-" + n);
      long t0 = System.nanoTime();
      JdbcBenchmarks.load(JdbcStores.create(ds), tenant, n);
      System.out.printf(
          Locale.ROOT, "loaded %,d users in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
      sql(ds, "VACUUM ANALYZE um_users");
      Path csv = dir.resolve("update-" + n + ".csv");
      Path xlsx = dir.resolve("update-" + n + ".xlsx");
      writeCsv(csv, n);
      writeXlsx(xlsx, n);
      System.out.printf(
          Locale.ROOT,
          "%,d rows: CSV %,d bytes, XLSX %,d bytes%n",
          n,
          Files.size(csv),
          Files.size(xlsx));
      Size size = new Size(ds, tenant, n, csv, xlsx);
      size.firstRound();
      return size;
    }

    /**
     * Untimed, once after loading: one round of the raw pipeline (its apply and its undo), so that
     * no measured side is the first to write the table. A table just loaded has no free space in
     * its pages, and the first pass over it puts every new row version, and new index entries, in
     * pages it adds: at a million users the first pass is where the heap grew from its 976 MB as
     * loaded. Only the side that went first in a size's first pair paid for that, and at a million
     * (no warm-up pairs) that was always the library: on the server sized for a million users its
     * first CSV apply took 144 s, its second 107 s, the raw pipeline's 83 s and 84 s.
     */
    private void firstRound() {
      long before = state().sum();
      long t0 = System.nanoTime();
      raw(csv, "CSV", new Stages());
      checkedAfterApply.clear();
      if (state().sum() != before) {
        throw new IllegalStateException(k(n) + ": the users differ after the first round");
      }
      settle();
      System.out.printf(
          Locale.ROOT,
          "first round at %,d rows (raw pipeline, untimed): %.1f s; table %s%n",
          n,
          (System.nanoTime() - t0) / 1e9,
          tableSize());
    }

    /** The users table's heap and indexes, as the server gives them. */
    private String tableSize() {
      try (Connection c = ds.getConnection();
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT pg_size_pretty(pg_relation_size('um_users')),"
                      + " pg_size_pretty(pg_indexes_size('um_users'))")) {
        rs.next();
        return rs.getString(1) + " heap, " + rs.getString(2) + " indexes";
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    void deleteFiles() throws IOException {
      Files.delete(csv);
      Files.delete(xlsx);
    }

    /** One format's measurement at this size, its pairs run in turns with the other sizes'. */
    Run start(String format) {
      return new Run(format, format.equals("CSV") ? csv : xlsx);
    }

    /** One format's pairs at this size: warmed up, run one at a time, then finished. */
    final class Run {
      private final Pairs.Rounds rounds;
      private final int warmups;
      private final int runs;
      private final Stages lib = new Stages();
      private final Stages raw = new Stages();
      private final long start;
      private final String label;

      Run(String format, Path file) {
        boolean big = n >= 1_000_000;
        // warm-up as JMH's (five iterations) where a pair takes seconds: after one warm-up pair at
        // 10,000 rows the library's JIT was still compiling (its process CPU in the undo fell from
        // 510 and 710 ms in the first two measured pairs to 350 ms); at 100,000 rows one warm-up
        // pair is a minute. At a million a pair is eight minutes and the code is compiled by the
        // sizes' warm-up pairs before it: two measured pairs, so that each side goes first once, in
        // place of a warm-up pair and one measured pair in which the library always went first
        // (the table's first growth, which the first side of a size's first pair would pay alone,
        // is the untimed first round's: firstRound)
        this.warmups = big ? 0 : n >= 100_000 ? 1 : 5;
        this.runs = big ? 2 : 5;
        this.start = state().sum();
        this.label = String.format(Locale.ROOT, "%s rows, %s", k(n), format);
        this.rounds =
            new Pairs.Rounds(
                SUITE,
                "end to end " + label + ": read, map, plan, apply, undo",
                round -> () -> library(file, round >= 0 ? lib : new Stages()),
                "raw: "
                    + (format.equals("CSV") ? "FastCSV" : "fastexcel-reader")
                    + ", unnest, undo",
                round -> () -> raw(file, format, round >= 0 ? raw : new Stages()),
                () -> {
                  // what the side before left: the users as they were
                  if (state().sum() != start) {
                    throw new IllegalStateException(label + ": the users differ after an undo");
                  }
                  settle();
                },
                1.5,
                runs);
      }

      int runs() {
        return runs;
      }

      /**
       * The warm-up pairs; below 100,000 rows, at least as long as JMH's default warm-up (five
       * iterations of ten seconds): after five pairs at 10,000 rows the library's XLSX path still
       * ran faster pair by pair (2,873, 2,117 and 2,049 ms in the third to fifth measured pairs).
       */
      void warmUp() {
        rounds.warmUp(warmups, n < 100_000 ? 50_000_000_000L : 0);
      }

      void pair(int i) {
        rounds.pair(i);
      }

      /** The end-to-end line and the stages' lines; returns the end-to-end result. */
      Result finish() {
        Result total = rounds.result();
        if (state().sum() != start) {
          throw new IllegalStateException(label + ": the users differ after the last undo");
        }
        stageLines(label, lib, raw);
        return total;
      }
    }

    /**
     * Untimed, before each side of every pair: the tables vacuumed and analyzed and the dirty
     * buffers written out, so that each side finds the database as the first side of the first pair
     * did, not with the dead rows, the statistics and the unwritten pages of the side before it
     * (each side rewrites every user twice). Without it, at 10,000 rows, the side that went second
     * took 10 to 15 per cent longer on average, whichever side it was. The change log is emptied
     * first, as the raw side empties its table of saved values each time: otherwise the library
     * wrote each round into the log of every round before it (1.6 million rows by the last round at
     * 100,000) while the raw side always began empty.
     */
    private void settle() {
      try {
        JdbcBenchmarks.emptyChangeLog(ds);
        JdbcBenchmarks.freshen(ds, Dialect.POSTGRESQL);
        // and the heap collected, so that the first stage's peak is its own, not the garbage the
        // side before left (the undo's stage still starts from what the way in left, on both sides)
        System.gc();
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    // ----------------------------------------------------------------------------- the library

    private Object library(Path file, Stages stages) {
      Stage s1 = Stage.start(db);
      UpdatePlan plan;
      try (TableReader reader = TableReader.open(file, ReadOptions.defaults());
          UpdateUpload upload = UpdateUpload.open(reader, context)) {
        plan =
            engine.planUpdate(
                admin,
                upload.rows(upload.suggested()).map(UpdateUpload.MappedRow::row),
                UpdateOptions.defaults(),
                BulkListener.NONE);
      }
      long changedRows = plan.count(RowPreview.Kind.CHANGED);
      s1.end(stages, "read+map+plan", db);
      Stage s2 = Stage.start(db);
      ApplyResult applied = engine.applyUpdate(admin, plan, BulkListener.NONE);
      s2.end(stages, "apply", db);
      stages.combine("read+map+plan+apply", "read+map+plan", "apply");
      State afterApply = Pairs.untimed(this::state);
      Stage s3 = Stage.start(db);
      engine.undo(admin, applied.changeSetIds());
      s3.end(stages, "undo", db);
      if (changedRows != n || applied.changed().size() != n || !applied.failed().isEmpty()) {
        throw new IllegalStateException(
            "library: planned "
                + changedRows
                + ", changed "
                + applied.changed().size()
                + ", failed "
                + applied.failed().size());
      }
      checkedAfterApply.put("library", afterApply);
      compareAfterApply();
      return (long) applied.changed().size();
    }

    private final Map<String, State> checkedAfterApply = new LinkedHashMap<>();

    private void compareAfterApply() {
      if (checkedAfterApply.size() == 2) {
        State a = Objects.requireNonNull(checkedAfterApply.get("library"));
        State b = Objects.requireNonNull(checkedAfterApply.get("raw"));
        if (a.sum() != b.sum()) {
          throw new IllegalStateException(
              "after the apply the library and the raw pipeline left different users; the"
                  + " library's sixth user:\n"
                  + a.sample()
                  + "the raw pipeline's:\n"
                  + b.sample());
        }
        System.out.printf(
            Locale.ROOT,
            "checked: after the apply both sides left the same %,d users (checksum %x)%n",
            n,
            a.sum());
        checkedAfterApply.clear();
      }
    }

    // -------------------------------------------------------------------------- the raw pipeline

    private Object raw(Path file, String format, Stages stages) {
      Stage s1 = Stage.start(db);
      RawWriter writer;
      long[] readNanos = {0};
      try (Stream<String[]> cells = format.equals("CSV") ? fastCsv(file) : fastexcel(file)) {
        Iterator<String[]> it = timed(cells.map(EndToEnd::validate), readNanos);
        writer = new RawWriter(ds, tenant);
        while (it.hasNext()) {
          writer.add(it.next());
        }
        writer.finish();
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
      // the raw pipeline streams: it reads, looks up and writes a chunk at a time, so its stages
      // are timed apart and its CPU, heap and database time are known only for the three together
      stages.add("read+validate+lookup", (readNanos[0] + writer.lookupNanos) / 1e6);
      stages.add("update", writer.updateNanos / 1e6);
      s1.end(stages, "read+validate+lookup+update", db);
      State afterApply = Pairs.untimed(this::state);
      Stage s2 = Stage.start(db);
      long undone;
      try {
        undone = writer.undo();
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
      s2.end(stages, "undo", db);
      if (writer.changed != n || undone != n) {
        throw new IllegalStateException("raw: changed " + writer.changed + ", undone " + undone);
      }
      checkedAfterApply.put("raw", afterApply);
      compareAfterApply();
      return writer.changed;
    }

    // ------------------------------------------------------------------------------ the lines

    /**
     * The stages side by side, each against the raw pipeline's doing the same work: the reading,
     * mapping, checking and planning (the phones are parsed in the plan) against the raw reading,
     * checking and lookup; the apply against the raw update; the undo against the raw undo. The raw
     * pipeline reads, looks up and writes a chunk at a time, so CPU, heap and database time are
     * compared for the file's whole way in (read to apply) and for the undo.
     */
    private void stageLines(String label, Stages lib, Stages raw) {
      line(
          label + ": read+map+plan",
          lib,
          "read+map+plan",
          "raw read+validate+lookup",
          raw,
          "read+validate+lookup",
          "ms");
      line(
          label + ": apply",
          lib,
          "apply",
          "raw version-checked update + saved values",
          raw,
          "update",
          "ms");
      line(label + ": undo", lib, "undo", "raw undo", raw, "undo", "ms");
      for (String m : List.of("cpu", "heap", "db")) {
        String unit = m.equals("heap") ? "MiB" : "ms";
        String what =
            switch (m) {
              case "cpu" -> "process CPU";
              case "heap" -> "peak heap";
              default -> "database CPU";
            };
        line(
            label + ": read+map+plan+apply, " + what,
            lib,
            "read+map+plan+apply." + m,
            "raw read+validate+lookup+update, " + what,
            raw,
            "read+validate+lookup+update." + m,
            unit);
        line(
            label + ": undo, " + what,
            lib,
            "undo." + m,
            "raw undo, " + what,
            raw,
            "undo." + m,
            unit);
        // the library's own stages, for where its time goes (no raw stage matches them)
        System.out.printf(
            Locale.ROOT,
            "  %s, library's %s by stage: read+map+plan %.0f, apply %.0f (medians, %s)%n",
            label,
            what,
            Result.median(lib.get("read+map+plan." + m)),
            Result.median(lib.get("apply." + m)),
            unit);
      }
    }

    private static void line(
        String name, Stages a, String ka, String baseline, Stages b, String kb, String unit) {
      new Result(SUITE, name, a.get(ka), baseline, b.get(kb), unit, 0).report();
    }

    // ------------------------------------------------------------------------------ the state

    /** The sixth user, every column: shown when the two sides differ. */
    private String sample() throws SQLException {
      try (Connection c = ds.getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "SELECT * FROM um_users WHERE tenant_id = ? ORDER BY id OFFSET 5 LIMIT 1")) {
        ps.setString(1, tenant.value());
        try (ResultSet rs = ps.executeQuery()) {
          StringBuilder b = new StringBuilder();
          if (rs.next()) {
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
              b.append(rs.getMetaData().getColumnName(i)).append(": ").append(rs.getString(i));
              b.append('\n');
            }
          }
          return b.toString();
        }
      }
    }

    /**
     * A checksum of the tenant's users as both sides must leave them: every column the update
     * writes, the other columns derived from the user, and the document, the write time and token
     * aside; and the spread of the versions.
     */
    State state() {
      String q =
          "SELECT coalesce(sum(hashtext(id || '|' || coalesce(department, '-') || '|'"
              + " || coalesce(department_key, '-') || '|' || coalesce(job_title, '-') || '|'"
              + " || coalesce(job_title_key, '-') || '|' || coalesce(phone, '-') || '|'"
              + " || search_text || '|' || details_hash || '|'"
              + " || regexp_replace(doc, 'updatedAt=[0-9]+', ''))::bigint), 0),"
              + " max(version) - min(version) FROM um_users WHERE tenant_id = ?";
      try (Connection c = ds.getConnection();
          PreparedStatement ps = c.prepareStatement(q)) {
        ps.setString(1, tenant.value());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (rs.getLong(2) != 0) {
            throw new IllegalStateException("the users' versions differ");
          }
          return new State(rs.getLong(1), sample());
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** A checksum of the stored users. */
  private record State(long sum, String sample) {}

  // --------------------------------------------------------------------------- the raw writer

  /**
   * The raw pipeline's writes: per chunk of validated rows one lookup of id, version and document
   * by e-mail key, the new document, and one statement that updates the rows still at the version
   * read and saves their previous values in the undo table; the undo restores those, chunk by
   * chunk, version-checked.
   */
  private static final class RawWriter {
    private static final String LOOKUP =
        "SELECT u.id, u.version, u.email_key, u.doc FROM um_users u"
            + " JOIN unnest(CAST(? AS text[])) AS k(email_key) ON u.email_key = k.email_key"
            + " WHERE u.tenant_id = ?";

    private static final String UPDATE =
        "WITH v AS (SELECT * FROM unnest(CAST(? AS text[]), CAST(? AS bigint[]),"
            + " CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),"
            + " CAST(? AS text[]), CAST(? AS text[])) AS v(id, version, department,"
            + " department_key, job_title, job_title_key, phone, doc)),"
            + " old AS (SELECT u.id, u.version + 1 AS version, u.department, u.department_key,"
            + " u.job_title, u.job_title_key, u.phone, u.search_text, u.updated_at, u.doc"
            + " FROM um_users u JOIN v"
            + " ON u.tenant_id = ? AND u.id = v.id AND u.version = v.version),"
            + " upd AS (UPDATE um_users u SET department = v.department, department_key ="
            + " v.department_key, job_title = v.job_title, job_title_key = v.job_title_key,"
            + " phone = v.phone, doc = v.doc, version = u.version + 1, updated_at = ?,"
            // the search text ends with the folded job title
            + " search_text = CASE WHEN u.job_title_key IS NULL THEN u.search_text ELSE"
            + " left(u.search_text, length(u.search_text) - length(u.job_title_key) - 1) END"
            + " || ' ' || v.job_title_key,"
            + " write_token = ? FROM v WHERE u.tenant_id = ? AND u.id = v.id"
            + " AND u.version = v.version RETURNING u.id)"
            + " INSERT INTO e2e_raw_undo SELECT old.* FROM old JOIN upd ON upd.id = old.id";

    private static final String UNDO =
        "WITH o AS (SELECT * FROM e2e_raw_undo WHERE id > ? ORDER BY id LIMIT "
            + RAW_CHUNK
            + "), upd AS (UPDATE um_users u SET department = o.department, department_key ="
            + " o.department_key, job_title = o.job_title, job_title_key = o.job_title_key,"
            + " phone = o.phone, search_text = o.search_text, doc = regexp_replace(o.doc, 'updatedAt=[0-9]+', 'updatedAt='"
            + " || ?), version = u.version + 1, updated_at = ?, write_token = ? FROM o"
            + " WHERE u.tenant_id = ? AND u.id = o.id AND u.version = o.version RETURNING u.id)"
            + " SELECT count(*), max(id) FROM upd";

    private final HikariDataSource ds;
    private final TenantId tenant;
    private final List<String[]> chunk = new ArrayList<>(RAW_CHUNK);
    private final Connection c;
    private final PreparedStatement lookup;
    private final PreparedStatement update;
    long changed;
    long lookupNanos;
    long updateNanos;

    RawWriter(HikariDataSource ds, TenantId tenant) throws SQLException {
      this.ds = ds;
      this.tenant = tenant;
      this.c = ds.getConnection();
      try (Statement st = c.createStatement()) {
        st.execute("TRUNCATE e2e_raw_undo");
      }
      c.setAutoCommit(false);
      lookup = customPlans(c.prepareStatement(LOOKUP));
      update = customPlans(c.prepareStatement(UPDATE));
    }

    void add(String[] row) throws SQLException {
      chunk.add(row);
      if (chunk.size() == RAW_CHUNK) {
        flush();
      }
    }

    void finish() throws SQLException {
      try {
        if (!chunk.isEmpty()) {
          flush();
        }
      } finally {
        lookup.close();
        update.close();
        c.setAutoCommit(true);
        c.close();
      }
    }

    /** Rows: e-mail key, department, job title, phone (E.164). */
    private void flush() throws SQLException {
      long t0 = System.nanoTime();
      Map<String, String[]> byKey = new LinkedHashMap<>();
      for (String[] r : chunk) {
        byKey.put(r[0], r);
      }
      lookup.setArray(1, c.createArrayOf("text", byKey.keySet().toArray()));
      lookup.setString(2, tenant.value());
      int m = 0;
      String[] ids = new String[byKey.size()];
      Long[] versions = new Long[ids.length];
      String[][] cols = new String[6][ids.length];
      long now = System.currentTimeMillis() * 1_000_000L;
      try (ResultSet rs = lookup.executeQuery()) {
        while (rs.next()) {
          String[] r = Objects.requireNonNull(byKey.get(rs.getString(3)));
          ids[m] = rs.getString(1);
          versions[m] = rs.getLong(2);
          cols[0][m] = r[1];
          cols[1][m] = r[1].toLowerCase(Locale.ROOT);
          cols[2][m] = r[2];
          cols[3][m] = r[2].toLowerCase(Locale.ROOT);
          cols[4][m] = r[3];
          cols[5][m] =
              Docs.with(
                  rs.getString(4),
                  Map.of(
                      "department", r[1],
                      "jobTitle", r[2],
                      "phoneNumber", r[3],
                      "updatedAt", Long.toString(now)));
          m++;
        }
      }
      long t1 = System.nanoTime();
      lookupNanos += t1 - t0;
      update.setArray(1, array("text", ids, m));
      update.setArray(2, array("bigint", versions, m));
      for (int k = 0; k < 6; k++) {
        update.setArray(3 + k, array("text", cols[k], m));
      }
      update.setString(9, tenant.value());
      update.setLong(10, now);
      update.setString(11, UUID.randomUUID().toString());
      update.setString(12, tenant.value());
      int written = update.executeUpdate();
      if (written != m) {
        throw new IllegalStateException("raw: " + (m - written) + " rows changed meanwhile");
      }
      c.commit();
      changed += written;
      updateNanos += System.nanoTime() - t1;
      chunk.clear();
    }

    /**
     * Planned for each execution's values, as the library's statements are: a server-side prepared
     * statement may otherwise get a generic plan that scans the table for every chunk.
     */
    private static PreparedStatement customPlans(PreparedStatement ps) throws SQLException {
      ps.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(0);
      return ps;
    }

    private Array array(String type, Object[] values, int m) throws SQLException {
      Object[] a = new Object[m];
      System.arraycopy(values, 0, a, 0, m);
      return c.createArrayOf(type, a);
    }

    long undo() throws SQLException {
      long undone = 0;
      try (Connection u = ds.getConnection();
          PreparedStatement ps = customPlans(u.prepareStatement(UNDO))) {
        u.setAutoCommit(false);
        String after = "";
        while (true) {
          long now = System.currentTimeMillis() * 1_000_000L;
          ps.setString(1, after);
          ps.setString(2, Long.toString(now));
          ps.setLong(3, now);
          ps.setString(4, UUID.randomUUID().toString());
          ps.setString(5, tenant.value());
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            long k = rs.getLong(1);
            if (k == 0) {
              break;
            }
            undone += k;
            after = rs.getString(2);
          }
          u.commit();
        }
        u.commit();
        u.setAutoCommit(true);
      }
      return undone;
    }
  }

  /** Rewrites lines of the stored document, keeping the fields in the library's order. */
  static final class Docs {
    private static final Map<String, Integer> ORDER = order();

    private Docs() {}

    private static Map<String, Integer> order() {
      Map<String, Integer> m = new LinkedHashMap<>();
      for (UserField f : UserField.values()) {
        m.put(f.key(), m.size());
      }
      // custom attributes (attr.…) follow the fields, and the write time comes last
      m.put("updatedAt", Integer.MAX_VALUE);
      return m;
    }

    /** A line's place: the fields in order, then custom attributes, then the write time. */
    private static int at(String key) {
      return ORDER.getOrDefault(key, Integer.MAX_VALUE - 1);
    }

    /** The document with some fields set (plain values: no escapes needed). */
    static String with(String doc, Map<String, String> values) {
      StringBuilder b = new StringBuilder(doc.length() + 96);
      List<Map.Entry<String, String>> pending = new ArrayList<>(values.entrySet());
      pending.sort(Map.Entry.comparingByKey((x, y) -> Integer.compare(at(x), at(y))));
      int p = 0;
      int start = 0;
      while (start < doc.length()) {
        int end = doc.indexOf('\n', start);
        int eq = doc.indexOf('=', start);
        String key = doc.substring(start, eq);
        int at = at(key);
        while (p < pending.size() && at(pending.get(p).getKey()) < at) {
          b.append(pending.get(p).getKey()).append('=').append(pending.get(p).getValue());
          b.append('\n');
          p++;
        }
        if (p < pending.size() && pending.get(p).getKey().equals(key)) {
          b.append(key).append('=').append(pending.get(p).getValue()).append('\n');
          p++;
        } else {
          b.append(doc, start, end + 1);
        }
        start = end + 1;
      }
      while (p < pending.size()) {
        b.append(pending.get(p).getKey()).append('=').append(pending.get(p).getValue());
        b.append('\n');
        p++;
      }
      return b.toString();
    }
  }

  // ----------------------------------------------------------------------- readers, validators

  private static Stream<String[]> fastCsv(Path file) {
    try {
      CsvReader<CsvRecord> r = CsvReader.builder().ofCsvRecord(file);
      return r.stream()
          .skip(1)
          .map(
              rec ->
                  new String[] {rec.getField(0), rec.getField(1), rec.getField(2), rec.getField(3)})
          .onClose(
              () -> {
                try {
                  r.close();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Stream<String[]> fastexcel(Path file) {
    try {
      ReadableWorkbook wb = new ReadableWorkbook(file.toFile());
      return wb.getFirstSheet()
          .openStream()
          .skip(1)
          .map(
              r ->
                  new String[] {
                    r.getCellText(0), r.getCellText(1), r.getCellText(2), r.getCellText(3)
                  })
          .onClose(
              () -> {
                try {
                  wb.close();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The checks the plan makes of these cells, by the same value types: the e-mail address (to its
   * key), the phone number (to E.164), text within the field's length and free of control
   * characters.
   */
  static String[] validate(String[] cells) {
    String email = EmailAddress.parse(cells[0].strip()).key();
    String phone = PhoneNumber.parse(cells[3].strip(), REGION).e164();
    return new String[] {email, text(cells[1]), text(cells[2]), phone};
  }

  private static String text(String s) {
    String t = s.strip();
    if (t.isEmpty() || t.length() > 500) {
      throw new IllegalArgumentException("bad text: " + s);
    }
    for (int i = 0; i < t.length(); i++) {
      if (Character.isISOControl(t.charAt(i))) {
        throw new IllegalArgumentException("control character in " + s);
      }
    }
    return t;
  }

  /** An iterator over a stream that adds the time spent producing each element to a counter. */
  private static <T> Iterator<T> timed(Stream<T> s, long[] nanos) {
    Iterator<T> it = s.iterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        long t = System.nanoTime();
        boolean b = it.hasNext();
        nanos[0] += System.nanoTime() - t;
        return b;
      }

      @Override
      public T next() {
        long t = System.nanoTime();
        T v = it.next();
        nanos[0] += System.nanoTime() - t;
        return v;
      }
    };
  }

  // -------------------------------------------------------------------------------- the files

  private static String[] row(int i) {
    return new String[] {
      "user" + i + "@example.com",
      "Dept " + (i % 50),
      "Title " + (i % 200),
      "+44 20 7946 " + String.format(Locale.ROOT, "%04d", i % 10000)
    };
  }

  private static void writeCsv(Path file, int n) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(HEADER);
      w.write("\r\n");
      for (int i = 0; i < n; i++) {
        w.write(String.join(",", row(i)));
        w.write("\r\n");
      }
    }
  }

  /** Excel-shaped: shared strings for the repeated values, inline strings for unique ones. */
  private static void writeXlsx(Path file, int n) throws IOException {
    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file));
        Workbook wb = new Workbook(os, "user-mgmt-benchmarks", "1.0")) {
      Worksheet ws = wb.newWorksheet("Users");
      String[] header = HEADER.split(",", -1);
      for (int c = 0; c < header.length; c++) {
        ws.value(0, c, header[c]);
      }
      for (int i = 0; i < n; i++) {
        String[] p = row(i);
        int r = i + 1;
        ws.inlineString(r, 0, p[0]);
        ws.value(r, 1, p[1]);
        ws.value(r, 2, p[2]);
        ws.inlineString(r, 3, p[3]);
        if (r % 1000 == 0) {
          ws.flush();
        }
      }
      ws.finish();
      wb.finish();
    }
  }

  private static void sql(HikariDataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  // ------------------------------------------------------------------------------- the stages

  /** The samples of each stage's measures, in round order. */
  private static final class Stages {
    private final Map<String, List<Double>> samples = new LinkedHashMap<>();

    void add(String key, double value) {
      samples.computeIfAbsent(key, x -> new ArrayList<>()).add(value);
    }

    double[] get(String key) {
      return samples.getOrDefault(key, List.of()).stream()
          .mapToDouble(Double::doubleValue)
          .toArray();
    }

    /**
     * The last samples of two stages run one after the other, as one stage: their wall, CPU and
     * database times added, the higher of their heap peaks.
     */
    void combine(String name, String a, String b) {
      for (String m : List.of("", ".cpu", ".db", ".heap")) {
        double x = last(a + m);
        double y = last(b + m);
        add(name + m, m.equals(".heap") ? Math.max(x, y) : x + y);
      }
    }

    private double last(String key) {
      List<Double> values = samples.getOrDefault(key, List.of());
      if (values.isEmpty()) {
        throw new IllegalStateException("no sample of " + key);
      }
      return values.get(values.size() - 1);
    }
  }

  /** One stage's start: wall, process CPU, the database's CPU; the heap's peak reset. */
  private record Stage(long wall, CpuClock cpu, long dbCpu) {
    static Stage start(DbClock db) {
      HeapPeak.reset();
      return new Stage(System.nanoTime(), CpuClock.now(), db.cpuNanos());
    }

    void end(Stages into, String name, DbClock db) {
      double ms = (System.nanoTime() - wall) / 1e6;
      double cpuMs = CpuClock.now().nanosSince(cpu) / 1e6;
      into.add(name, ms);
      into.add(name + ".cpu", cpuMs);
      into.add(name + ".heap", HeapPeak.peak() / 1048576.0);
      into.add(name + ".db", (db.cpuNanos() - dbCpu) / 1e6);
    }
  }

  /**
   * The CPU time of this run's database server processes (its connections, named by their
   * application name), read from {@code /proc}: the server runs on this machine.
   */
  private static final class DbClock {
    private final HikariDataSource ds;
    private final String application;

    DbClock(HikariDataSource ds, String application) {
      this.ds = ds;
      this.application = application;
    }

    long cpuNanos() {
      long nanos = 0;
      try (Connection c = ds.getConnection();
          PreparedStatement ps =
              c.prepareStatement("SELECT pid FROM pg_stat_activity WHERE application_name = ?")) {
        ps.setString(1, application);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            nanos += CpuClock.processNanos(rs.getInt(1));
          }
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
      return nanos;
    }
  }
}
