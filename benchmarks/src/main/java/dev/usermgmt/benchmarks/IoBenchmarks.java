package dev.usermgmt.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.bulk.BulkListener;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.io.export.ExportColumn;
import dev.usermgmt.io.export.ExportFormat;
import dev.usermgmt.io.export.ExportSpec;
import dev.usermgmt.io.export.UserExporter;
import dev.usermgmt.io.mapping.MappingContext;
import dev.usermgmt.io.mapping.UpdateUpload;
import dev.usermgmt.io.table.ReadOptions;
import dev.usermgmt.io.table.TableReader;
import dev.usermgmt.jdbc.JdbcStores;
import dev.usermgmt.query.UserQuery;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.tenant.TenantSettings;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.dhatim.fastexcel.reader.ReadableWorkbook;

/**
 * File reading and exporting at a million rows, each beside raw baselines in the same run (medians
 * of three runs after a warm-up; ratios, not absolute times). Meant to run in a small heap:
 *
 * <pre>
 * java -Xmx256m -cp benchmarks/target/benchmarks.jar dev.usermgmt.benchmarks.IoBenchmarks \
 *     [work-dir] [rows] [jdbc-url-for-export]
 * </pre>
 *
 * <p>It writes a CSV (reference dates {@code dd/mm/yyyy}) and an XLSX (written with fastexcel:
 * shared strings for repeated values, inline strings for the values unique to each person, date
 * cells) of {@code rows} people, then measures: reading and mapping each as an update file ({@link
 * UpdateUpload}: layout, suggested mapping, every row to field keys and canonical values) against
 * raw Commons CSV, raw FastCSV and raw fastexcel-reader that only touch each cell's text; and
 * exporting the users (User column, XLSX) from the JDBC store with {@link UserExporter} against a
 * hand-written JDBC query written with raw SXSSF and with fastexcel's writer. Defaults: a temporary
 * directory, 1,000,000 rows, an H2 file database in the work directory (CLEANED and loaded).
 */
public final class IoBenchmarks {
  private static final String[] DEPARTMENTS = {
    "Sales", "Engineering", "Support", "Finance", "Legal", "People"
  };
  private static final DateTimeFormatter DMY = DateTimeFormatter.ofPattern("dd/MM/uuuu");
  private static final String HEADER =
      "email,displayName,employeeId,department,jobTitle,location,hireDate,phoneNumber";

  private IoBenchmarks() {}

  /**
   * Entry point.
   *
   * @param args work directory, rows, JDBC URL, parts to run ({@code csv,xlsx,export}, all by
   *     default)
   * @throws Exception from the raw baselines
   */
  public static void main(String[] args) throws Exception {
    Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("usermgmt-io-bench");
    Files.createDirectories(dir);
    int rows = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    String url =
        args.length > 2
            ? args[2]
            : "jdbc:h2:file:" + dir.resolve("export").toAbsolutePath() + ";CACHE_SIZE=32768";
    List<String> parts =
        args.length > 3 ? List.of(args[3].split(",", -1)) : List.of("csv", "xlsx", "export");
    System.out.printf(
        Locale.ROOT,
        "heap limit %d MiB, %,d rows, work directory %s%n",
        Runtime.getRuntime().maxMemory() >> 20,
        rows,
        dir);
    Path csv = dir.resolve("people.csv");
    Path xlsx = dir.resolve("people.xlsx");
    if (parts.contains("csv")) {
      writeCsv(csv, rows);
      System.out.printf(Locale.ROOT, "CSV file: %,d bytes%n", Files.size(csv));
    }
    if (parts.contains("xlsx")) {
      writeXlsx(xlsx, rows);
      System.out.printf(Locale.ROOT, "XLSX file: %,d bytes%n", Files.size(xlsx));
    }

    List<String> report = new ArrayList<>();
    System.out.printf(
        Locale.ROOT,
        "%n%-44s %12s   %-40s %12s %8s %8s%n",
        "measured",
        "ms",
        "baseline",
        "ms",
        "ratio",
        "target");
    if (parts.contains("csv")) {
      // each reader run alternately with ours, so that both see the same machine state
      double[] commonsPair =
          JdbcBenchmarks.pair(() -> readAndMap(csv), () -> rawCommonsCsv(csv), 2, 7);
      double[] fastPair = JdbcBenchmarks.pair(() -> readAndMap(csv), () -> rawFastCsv(csv), 2, 9);
      double commons = commonsPair[1];
      double fastCsv = fastPair[1];
      double csvOurs = fastPair[0];
      double bestCsv = Math.min(commons, fastCsv);
      say(
          report,
          JdbcBenchmarks.row(
              "CSV read+map (UpdateUpload)", commonsPair[0], "raw Commons CSV", commons, 1.3));
      say(report, JdbcBenchmarks.row("", csvOurs, "raw FastCSV", fastCsv, 1.3));
      say(report, JdbcBenchmarks.row("  vs the fastest raw CSV reader", csvOurs, "", bestCsv, 1.3));
    }
    if (parts.contains("xlsx")) {
      double[] xlsxPair =
          JdbcBenchmarks.pair(() -> readAndMap(xlsx), () -> rawFastexcel(xlsx), 1, 5);
      double fastXlsx = xlsxPair[1];
      double xlsxOurs = xlsxPair[0];
      say(
          report,
          JdbcBenchmarks.row(
              "XLSX read+map (UpdateUpload)", xlsxOurs, "raw fastexcel-reader", fastXlsx, 1.3));
    }
    if (!parts.contains("export")) {
      return;
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(
        url.startsWith("jdbc:postgresql") ? "postgres" : url.startsWith("jdbc:h2") ? "sa" : "root");
    config.setPassword("");
    config.setMaximumPoolSize(2);
    try (HikariDataSource ds = new HikariDataSource(config)) {
      TenantId tenant = TenantId.of("bench");
      if (JdbcBenchmarks.countUsers(ds, tenant) != rows) {
        JdbcBenchmarks.migrate(ds, true);
        long t0 = System.nanoTime();
        JdbcBenchmarks.load(JdbcStores.create(ds), tenant, rows);
        System.out.printf(
            Locale.ROOT, "loaded %,d users in %.1f s%n", rows, (System.nanoTime() - t0) / 1e9);
      } else {
        System.out.printf(Locale.ROOT, "reusing the %,d users loaded before%n", rows);
        JdbcBenchmarks.migrate(ds, false);
      }
      Stores stores = JdbcStores.create(ds);
      UserDirectory directory =
          UserDirectory.builder().stores(stores).signingKey(JdbcBenchmarks.SIGNING_KEY).build();
      Actor admin =
          Actor.builder()
              .tenant(tenant)
              .userId(UserId.of("u0000000"))
              .role(RoleCatalog.defaultCatalog().adminRole())
              .build();
      Path out = dir.resolve("export.xlsx");
      double ours =
          median(
              () ->
                  write(
                      out,
                      o ->
                          UserExporter.of(directory)
                              .export(
                                  admin,
                                  UserQuery.builder().pageSize(1000).build(),
                                  ExportSpec.of(ExportColumn.USER),
                                  ExportFormat.XLSX,
                                  o,
                                  BulkListener.NONE)));
      double sxssf = median(() -> write(out, o -> rawSxssf(ds, tenant, o)));
      double fastexcel = median(() -> write(out, o -> rawFastexcelWriter(ds, tenant, o)));
      say(
          report,
          JdbcBenchmarks.row(
              "XLSX export, User column (UserExporter)", ours, "raw JDBC + SXSSF", sxssf, 1.3));
      say(report, JdbcBenchmarks.row("", ours, "raw JDBC + fastexcel writer", fastexcel, 0));
    }
  }

  private static void say(List<String> report, String line) {
    report.add(line);
    System.out.println(line);
  }

  // ------------------------------------------------------------------------------- the files

  private static String[] person(int i) {
    return new String[] {
      "user" + i + "@example.com",
      "First" + i + " Last" + (i % 1000),
      String.format(Locale.ROOT, "%07d", i),
      DEPARTMENTS[i % DEPARTMENTS.length],
      "Engineer, level " + (i % 7),
      "Site " + (i % 40),
      LocalDate.of(2010, 1, 1).plusDays(i % 5000).format(DMY),
      "+44 20 7946 " + String.format(Locale.ROOT, "%04d", i % 10000)
    };
  }

  private static void writeCsv(Path file, int rows) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        CSVPrinter p = new CSVPrinter(w, CSVFormat.RFC4180)) {
      p.printRecord((Object[]) HEADER.split(","));
      for (int i = 0; i < rows; i++) {
        p.printRecord((Object[]) person(i));
      }
    }
  }

  private static void writeXlsx(Path file, int rows) throws IOException {
    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file));
        Workbook wb = new Workbook(os, "user-mgmt-benchmarks", "1.0")) {
      Worksheet ws = wb.newWorksheet("People");
      String[] header = HEADER.split(",");
      for (int c = 0; c < header.length; c++) {
        ws.value(0, c, header[c]);
      }
      for (int i = 0; i < rows; i++) {
        String[] p = person(i);
        int r = i + 1;
        for (int c = 0; c < p.length; c++) {
          if (c == 6) {
            ws.value(r, c, LocalDate.of(2010, 1, 1).plusDays(i % 5000));
            ws.style(r, c).format("dd/mm/yyyy").set();
          } else if (c <= 2 || c == 7) {
            // values unique per person as inline strings: the writer's shared-string table would
            // not fit the benchmark's heap (the readers handle both kinds)
            ws.inlineString(r, c, p[c]);
          } else {
            ws.value(r, c, p[c]);
          }
        }
        if (r % 1000 == 0) {
          ws.flush();
        }
      }
      ws.finish();
      wb.finish();
    }
  }

  // ---------------------------------------------------------------------------- the readers

  private static long rawCommonsCsv(Path file) {
    long sum = 0;
    try (CSVParser p =
        CSVParser.builder()
            .setPath(file)
            .setCharset(StandardCharsets.UTF_8)
            .setFormat(CSVFormat.RFC4180)
            .get()) {
      for (CSVRecord r : p) {
        for (int i = 0; i < r.size(); i++) {
          sum += r.get(i).length();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sum;
  }

  private static long rawFastCsv(Path file) {
    long sum = 0;
    try (CsvReader<CsvRecord> r = CsvReader.builder().ofCsvRecord(file)) {
      for (CsvRecord rec : r) {
        for (int i = 0; i < rec.getFieldCount(); i++) {
          sum += rec.getField(i).length();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sum;
  }

  private static long rawFastexcel(Path file) {
    long[] sum = {0};
    try (ReadableWorkbook wb = new ReadableWorkbook(file.toFile());
        Stream<org.dhatim.fastexcel.reader.Row> rows = wb.getFirstSheet().openStream()) {
      rows.forEach(
          r ->
              r.forEach(
                  c -> {
                    if (c != null) {
                      sum[0] += c.getText().length();
                    }
                  }));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sum[0];
  }

  private static final MappingContext CONTEXT =
      new MappingContext(
          AttributeSchema.empty(),
          RoleCatalog.defaultCatalog(),
          "GB",
          TenantSettings.DEFAULT_MODULES);

  private static long readAndMap(Path file) {
    try (TableReader reader = TableReader.open(file, ReadOptions.defaults());
        UpdateUpload upload = UpdateUpload.open(reader, CONTEXT)) {
      if (upload.suggested().fields().size() != 8) {
        throw new IllegalStateException("unexpected mapping " + upload.suggested());
      }
      long[] sum = {0};
      try (Stream<UpdateUpload.MappedRow> s = upload.rows(upload.suggested())) {
        s.forEach(m -> sum[0] += m.row().cells().size() + m.problems().size());
      }
      return sum[0];
    }
  }

  // ---------------------------------------------------------------------------- the exports

  /** What an export writes. */
  private interface Export {
    void to(OutputStream out) throws Exception;
  }

  private static long write(Path file, Export export) {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      export.to(out);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final String RAW_SELECT =
      "SELECT u.display_name, u.email_key, u.employee_id, u.department, u.job_title, u.status,"
          + " u.location, u.hire_date, m.display_name, m.email_key"
          + " FROM um_users u LEFT JOIN um_users m ON m.tenant_id = u.tenant_id AND m.id ="
          + " u.manager_id WHERE u.tenant_id = ? ORDER BY u.id";

  /** Streams the raw rows to a sink: ten columns, hire date as a LocalDate. */
  private static void rawRows(HikariDataSource ds, TenantId tenant, RowSink sink)
      throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(RAW_SELECT)) {
        ps.setFetchSize(1000);
        ps.setString(1, tenant.value());
        try (ResultSet rs = ps.executeQuery()) {
          Object[] row = new Object[10];
          while (rs.next()) {
            for (int i = 0; i < 10; i++) {
              row[i] = i == 7 ? toDate(rs.getDate(8)) : rs.getString(i + 1);
            }
            sink.row(row);
          }
        }
      }
      c.commit();
    }
  }

  private static Object toDate(Date d) {
    return d == null ? "" : d.toLocalDate();
  }

  /** Receives raw rows. */
  private interface RowSink {
    void row(Object[] values);
  }

  private static void rawSxssf(HikariDataSource ds, TenantId tenant, OutputStream out)
      throws SQLException, IOException {
    try (SXSSFWorkbook wb = new SXSSFWorkbook(100)) {
      wb.setCompressTempFiles(true);
      SXSSFSheet sheet = wb.createSheet("Users");
      CellStyle date = wb.createCellStyle();
      date.setDataFormat(wb.createDataFormat().getFormat("yyyy-mm-dd"));
      int[] n = {0};
      Row header = sheet.createRow(n[0]++);
      for (int i = 0; i < 10; i++) {
        header.createCell(i).setCellValue("c" + i);
      }
      rawRows(
          ds,
          tenant,
          values -> {
            Row r = sheet.createRow(n[0]++);
            for (int i = 0; i < values.length; i++) {
              Object v = values[i];
              if (v instanceof LocalDate d) {
                var cell = r.createCell(i);
                cell.setCellValue(d);
                cell.setCellStyle(date);
              } else if (v != null && !"".equals(v)) {
                r.createCell(i).setCellValue((String) v);
              }
            }
          });
      wb.write(out);
    }
  }

  private static void rawFastexcelWriter(HikariDataSource ds, TenantId tenant, OutputStream out)
      throws SQLException, IOException {
    try (Workbook wb = new Workbook(out, "user-mgmt-benchmarks", "1.0")) {
      Worksheet ws = wb.newWorksheet("Users");
      int[] n = {1};
      rawRows(
          ds,
          tenant,
          values -> {
            int r = n[0]++;
            for (int i = 0; i < values.length; i++) {
              Object v = values[i];
              if (v instanceof LocalDate d) {
                ws.value(r, i, d);
                ws.style(r, i).format("yyyy-mm-dd").set();
              } else if (v != null && !"".equals(v)) {
                // inline, as SXSSF writes them: fastexcel's shared-string cache of a million
                // distinct values does not fit the benchmark's heap
                ws.inlineString(r, i, (String) v);
              }
            }
            if (r % 1000 == 0) {
              try {
                ws.flush();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }
          });
      ws.finish();
      wb.finish();
    }
  }

  private static double median(Supplier<?> work) {
    return JdbcBenchmarks.median(work, 1, 3);
  }
}
