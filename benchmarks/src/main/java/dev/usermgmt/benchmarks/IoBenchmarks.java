package dev.usermgmt.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.bulk.BulkListener;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.io.export.ExportColumn;
import dev.usermgmt.io.export.ExportFormat;
import dev.usermgmt.io.export.ExportSpec;
import dev.usermgmt.io.export.UserExporter;
import dev.usermgmt.io.mapping.ColumnMapping;
import dev.usermgmt.io.mapping.MappingContext;
import dev.usermgmt.io.mapping.UpdateUpload;
import dev.usermgmt.io.table.ReadOptions;
import dev.usermgmt.io.table.TableReader;
import dev.usermgmt.jdbc.JdbcStores;
import dev.usermgmt.query.UserQuery;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.tenant.TenantSettings;
import dev.usermgmt.user.UserField;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
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
import java.sql.Statement;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.dhatim.fastexcel.reader.CellType;
import org.dhatim.fastexcel.reader.ReadableWorkbook;

/**
 * File reading and exporting at a million rows, each beside the fastest raw path for the same work
 * in alternating pairs ({@link Pairs}), both sides' results compared. Meant to run in a small heap:
 *
 * <pre>
 * java -Xmx256m -cp benchmarks/target/benchmarks.jar dev.usermgmt.benchmarks.IoBenchmarks \
 *     [work-dir] [rows] [jdbc-urls, comma-separated] [parts: csv,xlsx,excel,export]
 * </pre>
 *
 * <p><b>Reading.</b> It writes {@code rows} people as an update file three ways: a CSV (dates
 * {@code dd/mm/yyyy}), an XLSX with inline strings (fastexcel's writer), and an XLSX shaped as
 * Excel saves it (every text in one shared-strings table, a bold header style, dates as numbers
 * with a {@code dd/mm/yyyy} style, the header row frozen). One row in a hundred holds an invalid
 * value (an e-mail address, a phone number, a date or a role). The library's side reads and maps
 * the file ({@link UpdateUpload}: layout, suggested mapping, every row to field keys and canonical
 * values, the problems its parsers find) and then makes the checks the update plan makes of every
 * cell before its store lookups ({@link FieldChecks}); the baselines read the same file with raw
 * FastCSV, raw Commons CSV or raw fastexcel-reader and make the same checks of the same cells. Both
 * sides' fingerprint ({@link FieldChecks.Tally}): rows read, problems found, and a sum over the
 * accepted cells of their rows, fields and parsed values.
 *
 * <p><b>Exporting.</b> The users (the User column: eleven file columns, the managers' names and
 * addresses among them) are exported as XLSX from the JDBC store with {@link UserExporter}, against
 * one streaming raw query (PostgreSQL: no autocommit and a fetch size; MariaDB: a fetch size, which
 * streams; H2: lazy query execution) written with raw SXSSF, and with fastexcel's writer, writing
 * the same columns. Both files are read back after the timing and compared: rows, columns and a
 * checksum of every cell's type and value. Defaults: a temporary directory, 1,000,000 rows, an H2
 * file database in the work directory (CLEANED and loaded).
 */
public final class IoBenchmarks {
  private static final String SUITE = "io";
  private static final String[] DEPARTMENTS = {
    "Sales", "Engineering", "Support", "Finance", "Legal", "People"
  };
  private static final String[] ROLES = {"Learner", "Instructor"};
  private static final DateTimeFormatter DMY = DateTimeFormatter.ofPattern("dd/MM/uuuu");
  private static final String HEADER =
      "email,displayName,employeeId,department,jobTitle,location,hireDate,phoneNumber,role";

  /** The field of each file column, as a raw reader that knows the file's layout maps them. */
  private static final UserField[] FIELDS = {
    UserField.PRIMARY_EMAIL,
    UserField.DISPLAY_NAME,
    UserField.EMPLOYEE_ID,
    UserField.DEPARTMENT,
    UserField.JOB_TITLE,
    UserField.LOCATION,
    UserField.HIRE_DATE,
    UserField.PHONE_NUMBER,
    UserField.ROLE
  };

  private static final int HIRE_DATE = 6;
  private static final String BAD_DATE = "31/02/2015";
  private static final String BAD_ROLE = "Wizard";

  private static final String REGION = "GB";
  private static final RoleCatalog ROLE_CATALOG = RoleCatalog.defaultCatalog();
  private static final FieldChecks CHECKS = new FieldChecks(ROLE_CATALOG, REGION);

  /** The day before Excel's serial day 1, for the serials from 61 (1 March 1900) on. */
  private static final LocalDate EXCEL_EPOCH = LocalDate.of(1899, 12, 30);

  private static final MappingContext CONTEXT =
      new MappingContext(
          AttributeSchema.empty(), ROLE_CATALOG, REGION, TenantSettings.DEFAULT_MODULES);

  private IoBenchmarks() {}

  /**
   * Entry point.
   *
   * @param args work directory, rows, JDBC URLs (comma-separated; H2 in the work directory by
   *     default), parts to run ({@code csv,xlsx,excel,export}, all by default)
   * @throws Exception from the raw baselines
   */
  public static void main(String[] args) throws Exception {
    Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("usermgmt-io-bench");
    Files.createDirectories(dir);
    int rows = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    List<String> urls =
        args.length > 2 && !args[2].isBlank()
            ? List.of(args[2].split(",", -1))
            : List.of(
                "jdbc:h2:file:" + dir.resolve("export").toAbsolutePath() + ";CACHE_SIZE=32768");
    List<String> parts =
        args.length > 3
            ? List.of(args[3].split(",", -1))
            : List.of("csv", "xlsx", "excel", "export");
    System.out.printf(
        Locale.ROOT,
        "heap limit %d MiB, %,d rows, work directory %s%n",
        Runtime.getRuntime().maxMemory() >> 20,
        rows,
        dir);
    Path csv = dir.resolve("people.csv");
    Path xlsx = dir.resolve("people.xlsx");
    Path excel = dir.resolve("people-excel.xlsx");
    if (parts.contains("csv")) {
      writeCsv(csv, rows);
      System.out.printf(Locale.ROOT, "CSV file: %,d bytes%n", Files.size(csv));
    }
    if (parts.contains("xlsx")) {
      writeXlsx(xlsx, rows);
      System.out.printf(Locale.ROOT, "XLSX file (inline strings): %,d bytes%n", Files.size(xlsx));
    }
    if (parts.contains("excel")) {
      writeExcelShaped(excel, rows);
      System.out.printf(
          Locale.ROOT,
          "XLSX file (as Excel saves it: shared strings, styles): %,d bytes%n",
          Files.size(excel));
    }
    if (parts.contains("csv")) {
      System.out.println(
          "CSV: " + rawFastCsv(csv) + " (rows read, problems found, the accepted values' hash)");
    }
    if (parts.contains("xlsx")) {
      System.out.println("XLSX (inline strings): " + rawFastexcel(xlsx));
    }
    if (parts.contains("excel")) {
      System.out.println("XLSX (as Excel saves it): " + rawFastexcel(excel));
    }
    System.out.println(Result.header());
    if (parts.contains("csv")) {
      Pairs.pairs(
          SUITE,
          "CSV read+map+validate (UpdateUpload)",
          () -> readMapValidate(csv),
          "raw FastCSV + the same checks",
          () -> rawFastCsv(csv),
          1.3,
          2,
          7);
      Pairs.pairs(
          SUITE,
          "CSV read+map+validate (UpdateUpload)",
          () -> readMapValidate(csv),
          "raw Commons CSV + the same checks",
          () -> rawCommonsCsv(csv),
          0,
          1,
          5);
    }
    if (parts.contains("xlsx")) {
      Pairs.pairs(
          SUITE,
          "XLSX (inline strings) read+map+validate",
          () -> readMapValidate(xlsx),
          "raw fastexcel-reader + the same checks",
          () -> rawFastexcel(xlsx),
          1.3,
          1,
          5);
    }
    if (parts.contains("excel")) {
      Pairs.pairs(
          SUITE,
          "XLSX (as Excel saves it) read+map+validate",
          () -> readMapValidate(excel),
          "raw fastexcel-reader + the same checks",
          () -> rawFastexcel(excel),
          1.3,
          1,
          5);
    }
    if (parts.contains("export")) {
      for (String url : urls) {
        export(dir, rows, url);
      }
    }
  }

  // ------------------------------------------------------------------------------- the files

  /** Row {@code i}'s cells; one row in a hundred has one invalid value. */
  private static String[] person(int i) {
    String[] p = {
      "user" + i + "@example.com",
      "First" + i + " Last" + (i % 1000),
      String.format(Locale.ROOT, "%07d", i),
      DEPARTMENTS[i % DEPARTMENTS.length],
      "Engineer, level " + (i % 7),
      "Site " + (i % 40),
      hireDate(i).format(DMY),
      "+44 20 7946 " + String.format(Locale.ROOT, "%04d", i % 10000),
      ROLES[i % 3 == 0 ? 1 : 0]
    };
    switch (i % 400) {
      case 37 -> p[0] = "user" + i + ".example.com";
      case 137 -> p[7] = "+44 20 79" + (i % 10);
      case 237 -> p[HIRE_DATE] = BAD_DATE;
      case 337 -> p[8] = BAD_ROLE;
      default -> {
        // a valid row
      }
    }
    return p;
  }

  private static LocalDate hireDate(int i) {
    return LocalDate.of(2010, 1, 1).plusDays(i % 5000);
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

  /** XLSX with inline strings for the values unique to each person, as a streaming writer does. */
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
          if (c == HIRE_DATE && !p[c].equals(BAD_DATE)) {
            ws.value(r, c, hireDate(i));
            ws.style(r, c).format("dd/mm/yyyy").set();
          } else if (c <= 2 || c == 7 || c == HIRE_DATE) {
            // values unique per person as inline strings: the writer's shared-string table would
            // not fit the benchmark's heap
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

  /** The file columns whose values are unique to a person: their shared strings follow the pool. */
  private static final int[] UNIQUE = {0, 1, 2, 7};

  private static final String MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
  private static final String REL =
      "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  private static final String XML =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

  /**
   * XLSX as Excel saves it: every text cell a shared string (the shared-strings table written after
   * the sheet, as its indexes are computed, not collected), a styles part with a bold header style
   * and a {@code dd/mm/yyyy} date style, dates as serial numbers, the header row frozen.
   */
  private static void writeExcelShaped(Path file, int rows) throws IOException {
    // the pool: headers and the values many rows share, then four unique values per person
    Map<String, Integer> pool = new LinkedHashMap<>();
    for (String h : HEADER.split(",")) {
      pool.putIfAbsent(h, pool.size());
    }
    for (int i = 0; i < 5000 && i < rows; i++) {
      String[] p = person(i);
      for (int c = 0; c < p.length; c++) {
        if (slot(c) < 0 && c != HIRE_DATE) {
          pool.putIfAbsent(p[c], pool.size());
        }
      }
    }
    pool.putIfAbsent(BAD_DATE, pool.size());
    pool.putIfAbsent(BAD_ROLE, pool.size());
    int base = pool.size();
    long epoch = LocalDate.of(1899, 12, 30).toEpochDay();
    try (ZipOutputStream zip =
        new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
      part(
          zip,
          "[Content_Types].xml",
          XML
              + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
              + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package"
              + ".relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>"
              + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd"
              + ".openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
              + "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd"
              + ".openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
              + "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd"
              + ".openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
              + "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd"
              + ".openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/></Types>");
      part(
          zip,
          "_rels/.rels",
          XML
              + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
              + "<Relationship Id=\"rId1\" Type=\""
              + REL
              + "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>");
      part(
          zip,
          "xl/workbook.xml",
          XML
              + "<workbook xmlns=\""
              + MAIN
              + "\" xmlns:r=\""
              + REL
              + "\"><sheets><sheet name=\"People\" sheetId=\"1\" r:id=\"rId1\"/></sheets>"
              + "</workbook>");
      part(
          zip,
          "xl/_rels/workbook.xml.rels",
          XML
              + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
              + "<Relationship Id=\"rId1\" Type=\""
              + REL
              + "/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
              + "<Relationship Id=\"rId2\" Type=\""
              + REL
              + "/styles\" Target=\"styles.xml\"/>"
              + "<Relationship Id=\"rId3\" Type=\""
              + REL
              + "/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>");
      part(
          zip,
          "xl/styles.xml",
          XML
              + "<styleSheet xmlns=\""
              + MAIN
              + "\"><numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\"/>"
              + "</numFmts><fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/>"
              + "<family val=\"2\"/></font><font><b/><sz val=\"11\"/><name val=\"Calibri\"/>"
              + "<family val=\"2\"/></font></fonts><fills count=\"2\"><fill><patternFill"
              + " patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill>"
              + "</fills><borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/>"
              + "</border></borders><cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\""
              + " fillId=\"0\" borderId=\"0\"/></cellStyleXfs><cellXfs count=\"3\"><xf"
              + " numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/><xf"
              + " numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\""
              + " applyFont=\"1\"/><xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"0\""
              + " xfId=\"0\" applyNumberFormat=\"1\"/></cellXfs><cellStyles count=\"1\"><cellStyle"
              + " name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles></styleSheet>");
      long count = 0;
      zip.putNextEntry(new ZipEntry("xl/worksheets/sheet1.xml"));
      try (Writer w = partWriter(zip)) {
        w.write(XML);
        w.write("<worksheet xmlns=\"" + MAIN + "\" xmlns:r=\"" + REL + "\">");
        w.write("<dimension ref=\"A1:I" + (rows + 1) + "\"/>");
        w.write(
            "<sheetViews><sheetView tabSelected=\"1\" workbookViewId=\"0\"><pane ySplit=\"1\""
                + " topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView>"
                + "</sheetViews><sheetFormatPr defaultRowHeight=\"15\"/><sheetData>");
        String[] header = HEADER.split(",");
        w.write("<row r=\"1\" spans=\"1:9\">");
        for (int c = 0; c < header.length; c++) {
          w.write("<c r=\"" + (char) ('A' + c) + "1\" s=\"1\" t=\"s\"><v>" + pool.get(header[c]));
          w.write("</v></c>");
          count++;
        }
        w.write("</row>");
        for (int i = 0; i < rows; i++) {
          String[] p = person(i);
          int r = i + 2;
          w.write("<row r=\"" + r + "\" spans=\"1:9\">");
          for (int c = 0; c < p.length; c++) {
            String ref = (char) ('A' + c) + Integer.toString(r);
            int slot = slot(c);
            if (c == HIRE_DATE && !p[c].equals(BAD_DATE)) {
              w.write(
                  "<c r=\""
                      + ref
                      + "\" s=\"2\"><v>"
                      + (hireDate(i).toEpochDay() - epoch)
                      + "</v></c>");
              continue;
            }
            int index = slot >= 0 ? base + i * UNIQUE.length + slot : pool.get(p[c]);
            w.write("<c r=\"" + ref + "\" t=\"s\"><v>" + index + "</v></c>");
            count++;
          }
          w.write("</row>");
        }
        w.write("</sheetData><pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\"");
        w.write(" header=\"0.3\" footer=\"0.3\"/></worksheet>");
      }
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry("xl/sharedStrings.xml"));
      try (Writer w = partWriter(zip)) {
        w.write(XML);
        w.write(
            "<sst xmlns=\""
                + MAIN
                + "\" count=\""
                + count
                + "\" uniqueCount=\""
                + (base + (long) rows * UNIQUE.length)
                + "\">");
        for (String s : pool.keySet()) {
          si(w, s);
        }
        for (int i = 0; i < rows; i++) {
          String[] p = person(i);
          for (int c : UNIQUE) {
            si(w, p[c]);
          }
        }
        w.write("</sst>");
      }
      zip.closeEntry();
    }
  }

  /** The index of a file column among {@link #UNIQUE}, or -1. */
  private static int slot(int column) {
    for (int s = 0; s < UNIQUE.length; s++) {
      if (UNIQUE[s] == column) {
        return s;
      }
    }
    return -1;
  }

  private static void si(Writer w, String s) throws IOException {
    w.write("<si><t>");
    for (int k = 0; k < s.length(); k++) {
      char ch = s.charAt(k);
      switch (ch) {
        case '&' -> w.write("&amp;");
        case '<' -> w.write("&lt;");
        case '>' -> w.write("&gt;");
        default -> w.write(ch);
      }
    }
    w.write("</t></si>");
  }

  private static void part(ZipOutputStream zip, String name, String text) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(text.getBytes(StandardCharsets.UTF_8));
    zip.closeEntry();
  }

  /** A writer of the current zip entry that leaves the zip open when closed. */
  private static Writer partWriter(ZipOutputStream zip) {
    return new BufferedWriter(
        new OutputStreamWriter(
            new FilterOutputStream(zip) {
              @Override
              public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
              }

              @Override
              public void close() throws IOException {
                flush();
              }
            },
            StandardCharsets.UTF_8),
        1 << 16);
  }

  // ---------------------------------------------------------------------------- the readers

  /** The library: read and map an update file, then the plan's checks of each mapped cell. */
  private static FieldChecks.Found readMapValidate(Path file) {
    try (TableReader reader = TableReader.open(file, ReadOptions.defaults());
        UpdateUpload upload = UpdateUpload.open(reader, CONTEXT)) {
      ColumnMapping mapping = upload.suggested();
      if (mapping.fields().size() != FIELDS.length) {
        throw new IllegalStateException("unexpected mapping " + mapping);
      }
      FieldChecks.Tally tally = new FieldChecks.Tally();
      try (Stream<UpdateUpload.MappedRow> s = upload.rows(mapping)) {
        s.forEach(
            m -> {
              tally.row();
              List<Problem> read = m.problems();
              tally.problems(read.size());
              Set<String> skip = read.isEmpty() ? Set.of() : new HashSet<>();
              for (Problem p : read) {
                p.field().ifPresent(skip::add);
              }
              for (Map.Entry<String, String> cell : m.row().cells().entrySet()) {
                String value = cell.getValue();
                if (value == null || skip.contains(cell.getKey())) {
                  continue; // a cell the reader rejected is reported once, not parsed again
                }
                UserField f = UserField.byKey(cell.getKey()).orElseThrow();
                CHECKS.check(tally, f, f == UserField.PRIMARY_EMAIL, value);
              }
            });
      }
      return tally.found();
    }
  }

  private static FieldChecks.Found rawFastCsv(Path file) {
    FieldChecks.Tally tally = new FieldChecks.Tally();
    try (CsvReader<CsvRecord> r = CsvReader.builder().ofCsvRecord(file)) {
      boolean header = true;
      for (CsvRecord rec : r) {
        if (header) {
          header = false;
          continue;
        }
        tally.row();
        for (int i = 0; i < FIELDS.length; i++) {
          CHECKS.check(tally, FIELDS[i], i == 0, rec.getField(i));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return tally.found();
  }

  private static FieldChecks.Found rawCommonsCsv(Path file) {
    FieldChecks.Tally tally = new FieldChecks.Tally();
    try (CSVParser p =
        CSVParser.builder()
            .setPath(file)
            .setCharset(StandardCharsets.UTF_8)
            .setFormat(CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get())
            .get()) {
      for (CSVRecord r : p) {
        tally.row();
        for (int i = 0; i < FIELDS.length; i++) {
          CHECKS.check(tally, FIELDS[i], i == 0, r.get(i));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return tally.found();
  }

  /** fastexcel-reader: a date cell is a number the raw reader knows to be a date (valid). */
  private static FieldChecks.Found rawFastexcel(Path file) {
    FieldChecks.Tally tally = new FieldChecks.Tally();
    try (ReadableWorkbook wb = new ReadableWorkbook(file.toFile());
        Stream<org.dhatim.fastexcel.reader.Row> rows = wb.getFirstSheet().openStream()) {
      rows.forEach(
          r -> {
            if (r.getRowNum() == 1) {
              return;
            }
            tally.row();
            int cells = Math.min(r.getCellCount(), FIELDS.length);
            for (int i = 0; i < cells; i++) {
              org.dhatim.fastexcel.reader.Cell c = r.getCell(i);
              if (c == null) {
                continue;
              }
              if (i == HIRE_DATE && c.getType() == CellType.NUMBER) {
                long serial = c.asNumber().longValue();
                if (serial < 1 || serial > 2_958_465) {
                  tally.problems(1); // not a date Excel can show
                } else {
                  // Excel's day 1 is 1900-01-01, counted as if 1900 had a 29 February
                  tally.value(FIELDS[i], EXCEL_EPOCH.plusDays(serial));
                }
                continue;
              }
              CHECKS.check(tally, FIELDS[i], i == 0, c.getText());
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return tally.found();
  }

  // ---------------------------------------------------------------------------- the exports

  private static void export(Path dir, int rows, String url) throws Exception {
    String db =
        url.startsWith("jdbc:postgresql")
            ? "PostgreSQL"
            : url.startsWith("jdbc:h2") ? "H2" : "MariaDB";
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(db.equals("PostgreSQL") ? "postgres" : db.equals("H2") ? "sa" : "root");
    config.setPassword("");
    config.setMaximumPoolSize(3);
    try (HikariDataSource ds = new HikariDataSource(config)) {
      TenantId tenant = TenantId.of("bench");
      if (JdbcBenchmarks.countUsers(ds, tenant) != rows) {
        JdbcBenchmarks.migrate(ds, true);
        long t0 = System.nanoTime();
        JdbcBenchmarks.load(JdbcStores.create(ds), tenant, rows);
        System.out.printf(
            Locale.ROOT,
            "%s: loaded %,d users in %.1f s%n",
            db,
            rows,
            (System.nanoTime() - t0) / 1e9);
      } else {
        System.out.printf(Locale.ROOT, "%s: reusing the %,d users loaded before%n", db, rows);
        JdbcBenchmarks.migrate(ds, false);
      }
      streamingCheck(ds, db, tenant);
      Stores stores = JdbcStores.create(ds);
      UserDirectory directory =
          UserDirectory.builder().stores(stores).signingKey(JdbcBenchmarks.SIGNING_KEY).build();
      Actor admin =
          Actor.builder().tenant(tenant).role(RoleCatalog.defaultCatalog().adminRole()).build();
      Path ours = dir.resolve("export-library.xlsx");
      Path raw = dir.resolve("export-raw.xlsx");
      Pairs.Work library =
          () ->
              written(
                  ours,
                  o ->
                      UserExporter.of(directory)
                          .export(
                              admin,
                              UserQuery.builder().pageSize(1000).build(),
                              ExportSpec.of(ExportColumn.USER),
                              ExportFormat.XLSX,
                              o,
                              BulkListener.NONE));
      // where the time goes: the library's read of the users (its pages of 1,000 users, the
      // managers' lookups) against the raw query's rows, nothing written
      Pairs.pairs(
          SUITE,
          "  its reading: UserDirectory.walk, " + db,
          () -> {
            long[] n = {0};
            directory.walk(
                admin, UserQuery.builder().pageSize(1000).build(), page -> n[0] += page.size());
            return n[0];
          },
          "the raw query's rows",
          () -> {
            long[] n = {0};
            rawRows(ds, db, tenant, values -> n[0]++);
            return n[0];
          },
          0,
          1,
          5);
      Pairs.pairs(
          SUITE,
          "XLSX export, User column, " + db + " (UserExporter)",
          library,
          "streaming raw query + SXSSF",
          () -> written(raw, o -> rawSxssf(ds, db, tenant, o)),
          1.3,
          1,
          5);
      Pairs.pairs(
          SUITE,
          "XLSX export, User column, " + db + " (UserExporter)",
          library,
          "streaming raw query + fastexcel writer",
          () -> written(raw, o -> rawFastexcelWriter(ds, db, tenant, o)),
          1.6,
          1,
          5);
    }
  }

  /** What an export writes. */
  private interface Export {
    void to(OutputStream out) throws Exception;
  }

  /**
   * What an export wrote, as a fingerprint: the file compared by what it holds (rows, columns, a
   * checksum of every cell's type and value, read back with fastexcel-reader), after both sides'
   * timings.
   */
  private static Pairs.Later written(Path file, Export export) {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      export.to(out);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return new Pairs.Later(
        () -> {
          long[] c = readBack(file);
          return String.format(
              Locale.ROOT, "%,d rows, %d columns, checksum %016x", c[0], c[1], c[2]);
        });
  }

  /** Rows, the widest row, and a checksum of every cell's position, type and value. */
  static long[] readBack(Path file) {
    long[] out = new long[3];
    try (ReadableWorkbook wb = new ReadableWorkbook(file.toFile());
        Stream<org.dhatim.fastexcel.reader.Row> rows = wb.getFirstSheet().openStream()) {
      rows.forEach(
          r -> {
            out[0]++;
            out[1] = Math.max(out[1], r.getCellCount());
            long h = r.getRowNum();
            for (int i = 0; i < r.getCellCount(); i++) {
              org.dhatim.fastexcel.reader.Cell c = r.getCell(i);
              if (c == null || c.getType() == CellType.EMPTY) {
                continue;
              }
              long v =
                  switch (c.getType()) {
                    case NUMBER -> Double.doubleToLongBits(c.asNumber().doubleValue());
                    case BOOLEAN -> c.asBoolean() ? 1 : 2;
                    default -> c.getText().hashCode();
                  };
              h = h * 1_000_003 + i * 31L + c.getType().ordinal();
              h = h * 1_000_003 + v;
            }
            out[2] = out[2] * 31 + h;
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The export's file columns (the User column), in the exporter's order. */
  private static final List<String> HEADERS = ExportColumn.USER.headers();

  private static final String RAW_SELECT =
      "SELECT u.display_name, u.email_key, u.employee_id, u.department, u.job_title, u.status,"
          + " u.location, u.hire_date, u.manager_id, m.display_name, m.email_key, m.manager_id,"
          + " u.id FROM um_users u LEFT JOIN um_users m ON m.tenant_id = u.tenant_id AND m.id ="
          + " u.manager_id WHERE u.tenant_id = ?";

  /**
   * Streams the raw rows of the User column to a sink, as the exporter writes them: display name,
   * address, employee id, department, job title, inactive, location, hire date, the manager's name
   * and address, and the managers' names up the line (further managers than the joined one looked
   * up one by one and cached; this data has one level). The address is the stored key, which is the
   * address as typed for this data (the fingerprint checks it). PostgreSQL (no autocommit, a fetch
   * size) and MariaDB (a fetch size) stream one query ordered by the primary key. H2 2.3 sorts the
   * whole tenant before the first row of that query (13 s before the first of 100,000 rows) unless
   * the primary key is named as the index to read, and its lazy execution of a long read failed
   * with "chunk not found" once the store compacted its file; so on H2 the same query, with the
   * index named, runs in keyset chunks of {@value #H2_CHUNK} rows, in one transaction.
   */
  private static void rawRows(HikariDataSource ds, String db, TenantId tenant, RowSink sink)
      throws SQLException {
    Map<String, String[]> above = new HashMap<>();
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        Object[] row = new Object[HEADERS.size()];
        if (!db.equals("H2")) {
          try (PreparedStatement ps =
              c.prepareStatement(RAW_SELECT + " ORDER BY u.tenant_id, u.id")) {
            ps.setFetchSize(1000);
            ps.setString(1, tenant.value());
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                sink.row(rawRow(ds, tenant, rs, row, above));
              }
            }
          }
          return;
        }
        String select =
            RAW_SELECT.replace(
                    "FROM um_users u", "FROM um_users u USE INDEX (" + h2PrimaryKey(c) + ")")
                + " AND u.id > ? ORDER BY u.tenant_id, u.id FETCH FIRST "
                + H2_CHUNK
                + " ROWS ONLY";
        try (PreparedStatement ps = c.prepareStatement(select)) {
          String last = "";
          int n = H2_CHUNK;
          while (n == H2_CHUNK) {
            ps.setString(1, tenant.value());
            ps.setString(2, last);
            n = 0;
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                sink.row(rawRow(ds, tenant, rs, row, above));
                last = rs.getString(13);
                n++;
              }
            }
          }
        }
      } finally {
        c.commit();
      }
    }
  }

  /** The rows of one H2 keyset chunk. */
  private static final int H2_CHUNK = 1000;

  /** The name H2 gave the users table's primary key index. */
  private static String h2PrimaryKey(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT INDEX_NAME FROM INFORMATION_SCHEMA.INDEXES WHERE TABLE_NAME = 'UM_USERS'"
                    + " AND INDEX_TYPE_NAME = 'PRIMARY KEY'")) {
      if (!rs.next()) {
        throw new IllegalStateException("no primary key index on um_users");
      }
      return rs.getString(1);
    }
  }

  private static Object[] rawRow(
      HikariDataSource ds, TenantId tenant, ResultSet rs, Object[] row, Map<String, String[]> above)
      throws SQLException {
    row[0] = rs.getString(1);
    row[1] = rs.getString(2);
    row[2] = rs.getString(3);
    row[3] = rs.getString(4);
    row[4] = rs.getString(5);
    String status = rs.getString(6);
    row[5] = status.equalsIgnoreCase("DEACTIVATED") || status.equalsIgnoreCase("ANONYMISED");
    row[6] = rs.getString(7);
    Date hired = rs.getDate(8);
    row[7] = hired == null ? null : hired.toLocalDate();
    String managerId = rs.getString(9);
    String managerName = rs.getString(10);
    row[8] = managerName;
    row[9] = rs.getString(11);
    row[10] =
        managerId == null
            ? null
            : chain(ds, tenant, managerId, managerName, rs.getString(12), above);
    return row;
  }

  /** The managers' names up the line, nearest first, stopping at a cycle. */
  private static String chain(
      HikariDataSource ds,
      TenantId tenant,
      String managerId,
      String managerName,
      String next,
      Map<String, String[]> above)
      throws SQLException {
    if (next == null) {
      return managerName;
    }
    StringBuilder b = new StringBuilder(managerName);
    Set<String> seen = new HashSet<>(List.of(managerId));
    String id = next;
    while (id != null && seen.add(id)) {
      String[] m = above.get(id);
      if (m == null) {
        m = manager(ds, tenant, id);
        above.put(id, m);
      }
      if (m.length == 0) {
        break;
      }
      b.append("; ").append(m[0]);
      id = m[1];
    }
    return b.toString();
  }

  private static String[] manager(HikariDataSource ds, TenantId tenant, String id)
      throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT display_name, manager_id FROM um_users WHERE tenant_id = ? AND id = ?")) {
      ps.setString(1, tenant.value());
      ps.setString(2, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new String[] {rs.getString(1), rs.getString(2)} : new String[0];
      }
    }
  }

  /**
   * Checks once that the raw query streams: the first row must come long before the last (a query
   * that materialises its result returns its first row only after reading every row).
   */
  private static void streamingCheck(HikariDataSource ds, String db, TenantId tenant)
      throws SQLException {
    long t0 = System.nanoTime();
    long[] first = {0};
    long[] n = {0};
    long heap0 = usedHeap();
    long[] peak = {0};
    rawRows(
        ds,
        db,
        tenant,
        values -> {
          if (n[0]++ == 0) {
            first[0] = System.nanoTime();
          }
          if (n[0] % 10_000 == 0) {
            peak[0] = Math.max(peak[0], usedHeap());
          }
        });
    long end = System.nanoTime();
    System.out.printf(
        Locale.ROOT,
        "%s raw query: first row after %.0f ms, %,d rows after %.0f ms; used heap %,d MiB before,"
            + " at most %,d MiB while streaming%n",
        db,
        (first[0] - t0) / 1e6,
        n[0],
        (end - t0) / 1e6,
        heap0 >> 20,
        peak[0] >> 20);
  }

  private static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  /** Receives raw rows. */
  private interface RowSink {
    void row(Object[] values);
  }

  /** Text as the exporter writes it: a leading formula character neutralised. */
  private static String text(String s) {
    char c = s.charAt(0);
    return c == '=' || c == '+' || c == '-' || c == '@' ? "'" + s : s;
  }

  private static void rawSxssf(HikariDataSource ds, String db, TenantId tenant, OutputStream out)
      throws SQLException, IOException {
    // the temporary sheet uncompressed (POI's default): compressing it costs the baseline CPU; the
    // file deflated at the exporter's level (4, as fastexcel's writer) rather than POI's default
    // (6), which took 40 % longer for a file a fifth smaller: the same work on both sides
    try (SXSSFWorkbook wb =
        new SXSSFWorkbook(100) {
          @Override
          protected ZipArchiveOutputStream createArchiveOutputStream(OutputStream out) {
            ZipArchiveOutputStream zip = super.createArchiveOutputStream(out);
            zip.setLevel(4);
            return zip;
          }
        }) {
      SXSSFSheet sheet = wb.createSheet("Users");
      CellStyle date = wb.createCellStyle();
      date.setDataFormat(wb.createDataFormat().getFormat("yyyy-mm-dd"));
      CellStyle bold = wb.createCellStyle();
      Font font = wb.createFont();
      font.setBold(true);
      bold.setFont(font);
      int[] n = {0};
      Row header = sheet.createRow(n[0]++);
      for (int i = 0; i < HEADERS.size(); i++) {
        var cell = header.createCell(i);
        cell.setCellValue(HEADERS.get(i));
        cell.setCellStyle(bold);
      }
      sheet.createFreezePane(0, 1);
      rawRows(
          ds,
          db,
          tenant,
          values -> {
            Row r = sheet.createRow(n[0]++);
            for (int i = 0; i < values.length; i++) {
              Object v = values[i];
              if (v instanceof LocalDate d) {
                var cell = r.createCell(i);
                cell.setCellValue(d);
                cell.setCellStyle(date);
              } else if (v instanceof Boolean b) {
                r.createCell(i).setCellValue(b);
              } else if (v instanceof String s && !s.isEmpty()) {
                r.createCell(i).setCellValue(text(s));
              }
            }
          });
      wb.write(out);
    }
  }

  private static void rawFastexcelWriter(
      HikariDataSource ds, String db, TenantId tenant, OutputStream out)
      throws SQLException, IOException {
    try (Workbook wb = new Workbook(out, "user-mgmt-benchmarks", "1.0")) {
      Worksheet ws = wb.newWorksheet("Users");
      for (int i = 0; i < HEADERS.size(); i++) {
        ws.inlineString(0, i, HEADERS.get(i));
        ws.style(0, i).bold().set();
      }
      ws.freezePane(0, 1);
      int[] n = {1};
      rawRows(
          ds,
          db,
          tenant,
          values -> {
            int r = n[0]++;
            for (int i = 0; i < values.length; i++) {
              Object v = values[i];
              if (v instanceof LocalDate d) {
                ws.value(r, i, d);
                ws.style(r, i).format("yyyy-mm-dd").set();
              } else if (v instanceof Boolean b) {
                ws.value(r, i, b);
              } else if (v instanceof String s && !s.isEmpty()) {
                // inline, as SXSSF writes them: fastexcel's shared-string cache of a million
                // distinct values does not fit the benchmark's heap
                ws.inlineString(r, i, text(s));
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
}
