package dev.usermgmt.benchmarks;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one report: runs every benchmark suite, each in its own JVM with the heap it is measured in,
 * collects every measured line (result, baseline, ratio of each alternating pair, target, verdict),
 * prints them together and writes them as a Markdown table.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.usermgmt.benchmarks.Report \
 *     [--scale full|quick] [--out benchmarks/RESULTS.md] [--pg jdbc-url] [--mariadb jdbc-url] [--update | --render] [suite,...]
 * </pre>
 *
 * <p>Beside the Markdown table it keeps every sample in a file of the same name ending in {@code
 * .tsv}; {@code --update} runs the suites named and keeps the other suites' lines from that file;
 * {@code --render} runs nothing and writes the table again from that file. The table's header names
 * the PostgreSQL server it was written against and the settings that decide the write-heavy lines
 * ({@code --render} keeps the line of the table it rewrites, and for a table not written before
 * names the server {@code --pg} reaches).
 *
 * <p>Suites: {@code memory}, {@code plans}, {@code jdbc}, {@code io}, {@code endtoend}, {@code
 * parity} (all by default) and {@code keycloak} (only when named: it downloads and starts a
 * Keycloak server). {@code full} is the scale the targets are stated at (a million users and rows);
 * {@code quick} runs the same measurements at a tenth or less, to see that everything runs. The
 * PostgreSQL database (default {@code jdbc:postgresql://127.0.0.1:5432/test}) is CLEANED by the
 * suites that need it; the export also runs from MariaDB (default {@code
 * jdbc:mariadb://127.0.0.1:3306/test}, user root, CLEANED) and from an H2 file.
 */
public final class Report {
  private static final String PKG = "dev.usermgmt.benchmarks.";

  private Report() {}

  /**
   * Entry point.
   *
   * @param args options and suite names
   * @throws IOException when the results cannot be written
   * @throws InterruptedException when interrupted while a suite runs
   */
  public static void main(String[] args) throws IOException, InterruptedException {
    String scale = "full";
    Path out = Path.of("benchmarks", "RESULTS.md");
    String pg = "jdbc:postgresql://127.0.0.1:5432/test";
    String mariadb = "jdbc:mariadb://127.0.0.1:3306/test";
    boolean update = false;
    boolean render = false;
    List<String> chosen = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--scale" -> scale = args[++i];
        case "--out" -> out = Path.of(args[++i]);
        case "--pg" -> pg = args[++i];
        case "--mariadb" -> mariadb = args[++i];
        case "--update" -> update = true;
        case "--render" -> render = true;
        default -> chosen.addAll(List.of(args[i].split(",", -1)));
      }
    }
    boolean full = scale.equals("full");
    if (!full && !scale.equals("quick")) {
      throw new IllegalArgumentException("scale is full or quick, not " + scale);
    }
    Map<String, List<String>> suites = suites(full, pg, mariadb);
    if (render) {
      render(out, scale, suites.keySet(), pg);
      return;
    }
    if (chosen.isEmpty()) {
      chosen.addAll(suites.keySet());
      chosen.remove("keycloak");
    }
    String server = server(pg);
    Path results = Files.createTempFile("usermgmt-bench", ".tsv");
    // the samples themselves, beside the table: --update reruns some suites and keeps the others'
    Path samples = samplesOf(out);
    if (update) {
      for (Result r : Result.readAll(samples)) {
        if (!chosen.contains(r.suite())) {
          Files.writeString(results, r.tsv() + "\n", UTF_8, StandardOpenOption.APPEND);
        }
      }
    }
    Instant started = Instant.now();
    List<String> failed = new ArrayList<>();
    List<Result> all = List.of();
    for (String suite : chosen) {
      List<String> command = suites.get(suite);
      if (command == null) {
        throw new IllegalArgumentException("no suite " + suite + "; suites: " + suites.keySet());
      }
      System.out.println(
          "== " + suite + ": " + String.join(" ", command.subList(1, command.size())));
      List<String> cmd = new ArrayList<>();
      cmd.add(ProcessHandle.current().info().command().orElse("java"));
      cmd.add("-D" + Result.RESULTS_PROPERTY + "=" + results);
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.addAll(command.subList(1, command.size()));
      int rc = new ProcessBuilder(cmd).inheritIO().start().waitFor();
      if (rc != 0) {
        failed.add(suite + " (exit " + rc + ")");
      }
      // written after every suite, so that a long run stopped part-way keeps what it measured
      all = inSuiteOrder(Result.readAll(results), suites.keySet());
      Files.writeString(
          out,
          markdown(
              all,
              scale,
              measured(all, started, update ? chosen : List.of()),
              server,
              summary(all, failed)),
          UTF_8);
      Files.copy(results, samples, StandardCopyOption.REPLACE_EXISTING);
    }
    Files.deleteIfExists(results);
    System.out.println();
    System.out.println(Result.header());
    all.forEach(r -> System.out.println(r.line()));
    System.out.println(summary(all, failed));
    System.out.println("written: " + out);
    if (!failed.isEmpty()) {
      System.exit(1);
    }
  }

  /**
   * Writes a report's table again from the samples kept beside it, measuring nothing: what a change
   * to how the table shows the samples needs.
   */
  private static void render(Path out, String scale, Collection<String> order, String pg)
      throws IOException {
    Path samples = samplesOf(out);
    List<Result> all = inSuiteOrder(Result.readAll(samples), order);
    if (all.isEmpty()) {
      throw new IllegalArgumentException("no samples in " + samples);
    }
    String when =
        String.format(
            Locale.ROOT,
            "rendered on %s from the samples in %s, measured as its history shows)",
            Instant.now().truncatedTo(ChronoUnit.SECONDS),
            samples.getFileName());
    // a table rewritten keeps the server it was measured on; a first table from samples an entry
    // point wrote alone (EndToEnd) names the server reached now, as its run just left it
    String server = Files.exists(out) ? serverLine(out) : server(pg);
    Files.writeString(out, markdown(all, scale, when, server, summary(all, List.of())), UTF_8);
    System.out.println("written: " + out);
  }

  /** The samples file beside a Markdown report: {@code RESULTS.md} → {@code RESULTS.tsv}. */
  static Path samplesOf(Path markdown) {
    String name = markdown.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return markdown.resolveSibling((dot < 0 ? name : name.substring(0, dot)) + ".tsv");
  }

  static String summary(List<Result> all, List<String> failed) {
    long missed = all.stream().filter(r -> r.verdict().equals("MISSED")).count();
    long met = all.stream().filter(r -> r.verdict().equals("met")).count();
    return String.format(
        Locale.ROOT,
        "%d targets met, %d missed%s",
        met,
        missed,
        failed.isEmpty() ? "" : "; suites that failed: " + String.join(", ", failed));
  }

  /** Each suite's JVM arguments and main class with its arguments (the first entry is its name). */
  static Map<String, List<String>> suites(boolean full, String pg, String mariadb) {
    Map<String, List<String>> s = new LinkedHashMap<>();
    s.put("memory", List.of("memory", "-Xmx2g", PKG + "MemoryBenchmarks", full ? "1" : "0.2"));
    s.put(
        "plans", List.of("plans", "-Xmx2g", PKG + "PlanBenchmarks", "page,create", pg, "postgres"));
    s.put(
        "jdbc",
        List.of(
            "jdbc",
            "-Xmx2g",
            PKG + "JdbcBenchmarks",
            pg,
            "postgres",
            full ? "1000000" : "100000",
            full ? "100000" : "10000"));
    s.put(
        "io",
        List.of(
            "io",
            "-Xmx256m",
            PKG + "IoBenchmarks",
            System.getProperty("java.io.tmpdir"),
            full ? "1000000" : "100000",
            // the export from every database: H2 in a file, the PostgreSQL server, MariaDB's
            "jdbc:h2:file:"
                + Path.of(System.getProperty("java.io.tmpdir"), "usermgmt-io-export")
                + ";CACHE_SIZE=32768,"
                + pg
                + ","
                + mariadb));
    s.put(
        "endtoend",
        List.of(
            "endtoend",
            "-Xmx512m",
            PKG + "EndToEnd",
            pg,
            "postgres",
            full ? "10000,100000,1000000" : "10000,100000"));
    s.put(
        "parity",
        List.of(
            "parity",
            "-Xmx4g",
            PKG + "StoreParity",
            "jdbc:h2:mem:parity;DB_CLOSE_DELAY=-1",
            pg,
            full ? "20000" : "5000"));
    s.put(
        "keycloak",
        List.of(
            "keycloak",
            "-Xmx1g",
            PKG + "KeycloakSideBySide",
            pg,
            "postgres",
            full ? "10000,50000" : "10000"));
    return s;
  }

  /**
   * The lines grouped by suite in the order {@link #suites} lists them, each suite's lines in the
   * order measured: a report updated with some suites keeps its table's order.
   */
  static List<Result> inSuiteOrder(List<Result> all, Collection<String> order) {
    List<String> names = List.copyOf(order);
    List<Result> sorted = new ArrayList<>(all);
    sorted.sort(
        Comparator.comparingInt(
            r -> names.contains(r.suite()) ? names.indexOf(r.suite()) : names.size()));
    return sorted;
  }

  /**
   * What was measured when, for the report's first line.
   *
   * @param rerun the suites an update measured (the others' lines were kept from the report
   *     before), or empty when every suite was measured in this run
   */
  private static String measured(List<Result> all, Instant started, List<String> rerun) {
    List<String> suites = all.stream().map(Result::suite).distinct().toList();
    List<String> kept = suites.stream().filter(s -> !rerun.contains(s)).toList();
    return rerun.isEmpty() || kept.isEmpty()
        ? String.format(
            Locale.ROOT,
            "suites %s) on %s",
            String.join(", ", suites),
            started.truncatedTo(ChronoUnit.SECONDS))
        : String.format(
            Locale.ROOT,
            "suites %s measured on %s; %s kept from the report before)",
            String.join(", ", rerun),
            started.truncatedTo(ChronoUnit.SECONDS),
            String.join(", ", kept));
  }

  /** How a report names the database server it measured on, at the start of a line. */
  private static final String SERVER = "Database server: ";

  /**
   * The PostgreSQL server the suites measure on, as a report's line: its version and the settings
   * that decide the write-heavy lines (how much of the tables the server keeps in its own buffers,
   * how much write-ahead log and time pass between checkpoints, each of which makes the next write
   * of every page a full-page image in the log, whether a commit waits for its flush, and whether
   * dead rows are cleaned up behind the suites' backs), which a reader needs to repeat a run; empty
   * when the server cannot be asked.
   */
  private static String server(String pg) {
    try (Connection c = DriverManager.getConnection(pg, "postgres", "");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT current_setting('server_version'), current_setting('shared_buffers'),"
                    + " current_setting('max_wal_size'), current_setting('checkpoint_timeout'),"
                    + " current_setting('synchronous_commit'), current_setting('autovacuum')")) {
      rs.next();
      return String.format(
          Locale.ROOT,
          "%sPostgreSQL %s when this table was written; shared_buffers %s, max_wal_size %s,"
              + " checkpoint_timeout %s, synchronous_commit %s, autovacuum %s.",
          SERVER,
          rs.getString(1),
          rs.getString(2),
          rs.getString(3),
          rs.getString(4),
          rs.getString(5),
          rs.getString(6));
    } catch (SQLException e) {
      return "";
    }
  }

  /** The database server's line of the report written before, or empty. */
  private static String serverLine(Path out) throws IOException {
    return Files.readAllLines(out, UTF_8).stream()
        .filter(l -> l.startsWith(SERVER))
        .findFirst()
        .orElse("");
  }

  /**
   * The Markdown report, {@code when} saying what was measured when and {@code server} naming the
   * database server (or empty).
   */
  private static String markdown(
      List<Result> all, String scale, String when, String server, String summary) {
    StringBuilder b = new StringBuilder();
    b.append("# Benchmark results\n\n");
    b.append(
        String.format(
            Locale.ROOT,
            "Written by `Report` (%s scale, %s; %d processors, Java %s.%n%n",
            scale,
            when,
            Runtime.getRuntime().availableProcessors(),
            System.getProperty("java.version")));
    if (!server.isEmpty()) {
      b.append(server).append("\n\n");
    }
    b.append(
        "Every line is a measurement beside the fastest raw baseline written for the same work, run"
            + " in alternating pairs after warm-up pairs, with both sides' results compared. The ratio"
            + " is ours ÷ baseline (below 1 is faster than the baseline); the verdict is about the"
            + " median of the pairs' ratios; min / median / max show the noise, and the median's 95 %"
            + " interval (a percentile bootstrap over the pairs, from seven pairs up) how uncertain"
            + " the median is among this run's pairs: a target inside it is a verdict within their"
            + " noise. It holds nothing of what differs between runs (the JIT's choices, the"
            + " database's state), and two lines measured alike in one run have differed by more;"
            + " a line measured in several JVMs (\"N JVMs × M pairs\") has one pair a JVM, its median"
            + " baseline time and that times its median ratio, so its noise and interval are over"
            + " the JVMs (not over databases or days, which they share). A median of an even number of pairs is the mean of the middle two.\n\n");
    b.append(summary).append("\n\n");
    b.append(Result.markdownHeader()).append('\n');
    for (Result r : all) {
      b.append(r.markdown()).append('\n');
    }
    return b.toString();
  }
}
