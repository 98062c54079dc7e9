package dev.usermgmt.io.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.UserMgmtException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TableReaderTest {
  @SuppressWarnings("NullAway.Init")
  @TempDir
  Path dir;

  static byte[] fixture(String name) {
    try (InputStream in = TableReaderTest.class.getResourceAsStream("/fixtures/" + name)) {
      return Objects.requireNonNull(in, name).readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<TableRow> read(byte[] bytes, ReadOptions options) {
    try (TableReader r = TableReader.open(new ByteArrayInputStream(bytes), options)) {
      return r.rows().toList();
    }
  }

  static List<TableRow> read(byte[] bytes) {
    return read(bytes, ReadOptions.defaults());
  }

  static List<List<String>> texts(List<TableRow> rows) {
    return rows.stream().map(TableRow::texts).toList();
  }

  Path write(String text, Charset cs) throws IOException {
    Path p = Files.createTempFile(dir, "t", ".csv");
    Files.write(p, text.getBytes(cs));
    return p;
  }

  // ------------------------------------------------------------------ files saved by LibreOffice

  @ParameterizedTest
  @ValueSource(strings = {"people.xlsx", "people.xls"})
  void workbooksGiveTypedCellsFromTheFirstNonEmptySheet(String name) {
    try (TableReader r =
        TableReader.open(new ByteArrayInputStream(fixture(name)), ReadOptions.defaults())) {
      assertThat(r.info().sheet()).contains("People");
      List<TableRow> rows = r.rows().toList();
      assertThat(rows).extracting(TableRow::number).containsExactly(1L, 2L, 3L, 4L, 5L);
      assertThat(rows.get(0).texts())
          .containsExactly(
              "email", "displayName", "employeeId", "hireDate", "active", "notes", "lastSeen");
      TableRow alex = rows.get(1);
      assertThat(alex.texts())
          .containsExactly(
              "alex@example.com",
              "Alex Müller",
              "00123",
              "2024-03-01",
              "1",
              "says \"hi\", then leaves",
              "2026-01-15T09:30");
      assertThat(alex.cell(3).kind()).isEqualTo(Cell.Kind.DATE);
      assertThat(alex.cell(4).kind()).as("LibreOffice saves TRUE as 1").isEqualTo(Cell.Kind.NUMBER);
      assertThat(alex.cell(2).kind()).isEqualTo(Cell.Kind.TEXT);
      TableRow sam = rows.get(2);
      assertThat(sam.cell(2)).isEqualTo(new Cell(Cell.Kind.NUMBER, "00456"));
      assertThat(sam.text(5)).isEqualTo("line one\nline two");
      assertThat(sam.cells()).hasSize(6);
      assertThat(rows.get(3).hidden()).isTrue();
      assertThat(rows.get(3).cell(2)).isEqualTo(new Cell(Cell.Kind.NUMBER, "789"));
      assertThat(rows.get(2).hidden()).isFalse();
      assertThat(rows.get(4).text(1)).isEqualTo("Jördan Ñandú 日本");
      assertThat(rows.get(4).text(5)).isEqualTo("=1+2 | pipe, comma; semi");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"people.xlsx", "people.xls"})
  void aNamedSheetIsRead(String name) {
    List<TableRow> rows = read(fixture(name), ReadOptions.defaults().withSheet("other"));
    assertThat(texts(rows)).containsExactly(List.of("other sheet"));
    assertThatThrownBy(() -> read(fixture(name), ReadOptions.defaults().withSheet("Nope")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("no sheet named 'Nope'")
        .hasMessageContaining("People");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "people-comma-utf8.csv",
        "people-semicolon-1252.csv",
        "people-tab-utf16.txt",
        "people-pipe-utf8.csv"
      })
  void csvEncodingsAndDelimitersAreRecognised(String name) {
    try (TableReader r =
        TableReader.open(new ByteArrayInputStream(fixture(name)), ReadOptions.defaults())) {
      char expected =
          name.contains("comma")
              ? ','
              : name.contains("semicolon") ? ';' : name.contains("tab") ? '\t' : '|';
      assertThat(r.info().delimiter()).contains(expected);
      Charset cs =
          name.contains("1252")
              ? Charset.forName("windows-1252")
              : name.contains("utf16") ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_8;
      assertThat(r.info().charset()).contains(cs);
      List<TableRow> rows = r.rows().toList();
      assertThat(rows).hasSize(5);
      assertThat(rows.get(1).texts())
          .containsExactly(
              "alex@example.com",
              "Alex Müller",
              "00123",
              "01/03/2024",
              "1",
              "says \"hi\", then leaves",
              "2026-01-15 09:30");
      assertThat(rows.get(2).text(1)).isEqualTo("Sam O'Neil; Jr");
      assertThat(rows.get(2).text(5)).isEqualTo("line one\nline two");
      assertThat(rows.get(3).cells()).as("trailing empty cells dropped").hasSize(3);
      assertThat(rows.get(4).text(5)).isEqualTo("=1+2 | pipe, comma; semi");
      assertThat(rows.get(4).text(1)).startsWith("Jördan Ñandú");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"people.ods", "people.pdf"})
  void otherFormatsAreRefused(String name) {
    assertThatThrownBy(() -> read(fixture(name)))
        .isInstanceOf(InvalidInputException.class)
        .satisfies(
            e -> assertThat(((UserMgmtException) e).code()).isEqualTo(ErrorCode.UNSUPPORTED_FILE))
        .hasMessageContaining("unsupported or corrupt file");
  }

  @Test
  void aRenamedBinaryOrATruncatedWorkbookIsRefused() {
    byte[] xlsx = fixture("people.xlsx");
    byte[] truncated = java.util.Arrays.copyOf(xlsx, xlsx.length / 2);
    assertThatThrownBy(() -> read(truncated))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("unsupported or corrupt file");
    byte[] png = {
      (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'
    };
    assertThatThrownBy(() -> read(png))
        .isInstanceOf(InvalidInputException.class)
        .satisfies(
            e -> assertThat(((UserMgmtException) e).code()).isEqualTo(ErrorCode.UNSUPPORTED_FILE));
    assertThatThrownBy(() -> read(new byte[0]))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("empty");
  }

  // ------------------------------------------------------------------------------ CSV by hand

  @Test
  void utf8WithBomCrlfRaggedRowsAndTrailingBlankRows() throws IOException {
    byte[] body =
        "email,name\r\na@x.io,A\r\nb@x.io\r\nc@x.io,C,extra\r\n,\r\n\r\n"
            .getBytes(StandardCharsets.UTF_8);
    byte[] withBom = new byte[body.length + 3];
    withBom[0] = (byte) 0xEF;
    withBom[1] = (byte) 0xBB;
    withBom[2] = (byte) 0xBF;
    System.arraycopy(body, 0, withBom, 3, body.length);
    List<TableRow> rows = read(withBom);
    assertThat(texts(rows))
        .containsExactly(
            List.of("email", "name"),
            List.of("a@x.io", "A"),
            List.of("b@x.io"),
            List.of("c@x.io", "C", "extra"));
    assertThat(rows.get(0).text(0)).as("BOM is not part of the first header").isEqualTo("email");
  }

  @Test
  void blankRowsInTheMiddleKeepTheRowNumbersOfTheFile() {
    List<TableRow> rows = read("h\n\na\n\"q\nq\"\nb\n".getBytes(StandardCharsets.UTF_8));
    assertThat(rows).extracting(TableRow::number).containsExactly(1L, 3L, 4L, 5L);
  }

  @Test
  void bytesThatAreNotUtf8AreReadAsWindows1252() {
    byte[] bytes = "name\nJos\u00e9 \u20ac\n".getBytes(Charset.forName("windows-1252"));
    try (TableReader r =
        TableReader.open(new ByteArrayInputStream(bytes), ReadOptions.defaults())) {
      assertThat(r.info().charset()).contains(Charset.forName("windows-1252"));
      assertThat(r.rows().toList().get(1).text(0)).isEqualTo("José €");
    }
  }

  @Test
  void utf16BigEndianWithoutMarkIsRecognised() {
    byte[] bytes = "email\ta\nx@y.io\tb\n".getBytes(StandardCharsets.UTF_16BE);
    try (TableReader r =
        TableReader.open(new ByteArrayInputStream(bytes), ReadOptions.defaults())) {
      assertThat(r.info().charset()).contains(StandardCharsets.UTF_16BE);
      assertThat(texts(r.rows().toList()))
          .containsExactly(List.of("email", "a"), List.of("x@y.io", "b"));
    }
  }

  @Test
  void anUnclosedQuoteIsAnErrorAtItsRow() {
    byte[] bytes = "a,b\n1,2\n3,\"open\n4,5\n".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> read(bytes))
        .isInstanceOf(InvalidInputException.class)
        .satisfies(
            e -> {
              UserMgmtException u = (UserMgmtException) e;
              assertThat(u.code()).isEqualTo(ErrorCode.INVALID_FILE);
              assertThat(u.row()).hasValue(3);
            });
  }

  @Test
  void aCsvRowIsTheRowOfItsTextCells() {
    List<TableRow> rows = read("a,,c,,\n\" x\",y\n".getBytes(StandardCharsets.UTF_8));
    TableRow first = rows.get(0);
    assertThat(first)
        .isEqualTo(new TableRow(1, List.of(Cell.text("a"), Cell.BLANK, Cell.text("c")), false))
        .hasSameHashCodeAs(
            new TableRow(1, List.of(Cell.text("a"), Cell.BLANK, Cell.text("c")), false))
        .isNotEqualTo(
            new TableRow(
                1, List.of(new Cell(Cell.Kind.NUMBER, "a"), Cell.BLANK, Cell.text("c")), false))
        .isNotEqualTo(new TableRow(2, List.of(Cell.text("a"), Cell.BLANK, Cell.text("c")), false));
    assertThat(first.width()).isEqualTo(3);
    assertThat(first.kind(1)).isEqualTo(Cell.Kind.BLANK);
    assertThat(first.kind(2)).isEqualTo(Cell.Kind.TEXT);
    assertThat(first.kind(9)).isEqualTo(Cell.Kind.BLANK);
    assertThat(first.cell(9)).isEqualTo(Cell.BLANK);
    assertThat(first.text(9)).isEmpty();
    assertThat(rows.get(1).cells()).containsExactly(Cell.text(" x"), Cell.text("y"));
    assertThat(rows.get(1).toString()).contains("number=2").contains(" x");
  }

  @Test
  void limitsAreEnforcedWithRowAndColumn() {
    byte[] rows = "a\nb\nc\nd\n".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> read(rows, ReadOptions.defaults().withMaxRows(3)))
        .satisfies(e -> assertThat(((UserMgmtException) e).row()).hasValue(4))
        .hasMessageContaining("more than 3 rows");
    byte[] wide = "a,b,c,d\n".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> read(wide, ReadOptions.defaults().withMaxColumns(3)))
        .satisfies(e -> assertThat(((UserMgmtException) e).column()).contains("D"));
    byte[] longCell = ("a\n" + "x".repeat(101) + "\n").getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(
            () -> read(longCell, ReadOptions.defaults().withMaxCellLength(100).withStrict(true)))
        .satisfies(
            e -> {
              UserMgmtException u = (UserMgmtException) e;
              assertThat(u.code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
              assertThat(u.row()).hasValue(2);
              assertThat(u.column()).contains("A");
            });
    assertThatThrownBy(() -> read(longCell, ReadOptions.defaults().withMaxFileBytes(10)))
        .satisfies(
            e -> assertThat(((UserMgmtException) e).code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED));
    assertThatThrownBy(() -> read(fixture("people.xlsx"), ReadOptions.defaults().withMaxColumns(5)))
        .satisfies(e -> assertThat(((UserMgmtException) e).column()).contains("F"));
  }

  @Test
  void legacyXlsIsCappedInRowsAndBytes() {
    byte[] xls = fixture("people.xls");
    assertThatThrownBy(() -> read(xls, ReadOptions.builder().maxXlsRows(3).build()))
        .satisfies(
            e -> assertThat(((UserMgmtException) e).code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED))
        .hasMessageContaining("at most 3 rows");
    assertThatThrownBy(() -> read(xls, ReadOptions.builder().maxXlsBytes(1000).build()))
        .satisfies(
            e -> assertThat(((UserMgmtException) e).code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED))
        .hasMessageContaining("save the file as .xlsx or .csv");
    assertThatThrownBy(() -> ReadOptions.builder().maxRows(0).build())
        .satisfies(
            e ->
                assertThat(((UserMgmtException) e).code())
                    .isEqualTo(ErrorCode.INVALID_CONFIGURATION));
  }

  @Test
  void anUnclosedQuoteCannotPullTheWholeFileIntoOneCell() {
    String big = "a\n\"" + "line\n".repeat(400_000);
    assertThatThrownBy(
            () ->
                read(
                    big.getBytes(StandardCharsets.UTF_8),
                    ReadOptions.defaults().withMaxCellLength(1000)))
        .satisfies(
            e -> assertThat(((UserMgmtException) e).code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED));
  }

  @Test
  void headersReportBlankAndDuplicateNames() {
    List<TableRow> rows = read("Email, Name ,,e-mail,name\n".getBytes(StandardCharsets.UTF_8));
    HeaderRow h = HeaderRow.of(rows.get(0));
    assertThat(h.names()).containsExactly("Email", "Name", "", "e-mail", "name");
    assertThat(h.problems())
        .extracting(p -> p.column().orElseThrow())
        .containsExactly("C", "D", "E");
    assertThat(h.problems().get(1).message()).contains("repeats column A");
    assertThat(h.problems().get(2).message()).contains("repeats column B");
    assertThat(h.indexOf("NAME")).isEqualTo(1);
  }

  // ------------------------------------------------------------------------- XLSX hardening

  @Test
  void externalEntitiesAreNeverResolved() throws IOException {
    Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET");
    String sheet =
        "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \""
            + secret.toUri()
            + "\">]><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
            + "<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&e;</t></is></c></row>"
            + "</sheetData></worksheet>";
    byte[] bytes = workbook(sheet);
    try {
      List<TableRow> rows = read(bytes);
      assertThat(texts(rows).toString()).doesNotContain("TOP-SECRET");
    } catch (UserMgmtException e) {
      assertThat(e.getMessage()).doesNotContain("TOP-SECRET");
    }
  }

  @Test
  void typedCellsOfAnExcelSheet() throws IOException {
    String sheet =
        "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
            + "<row><c t=\"b\"><v>1</v></c><c t=\"e\"><v>#N/A</v></c><c t=\"str\"><f>A1</f><v>x</v></c>"
            + "<c><v>1.5</v></c><c r=\"G1\" t=\"d\"><v>2024-02-01T00:00:00</v></c></row>"
            + "<row r=\"3\" hidden=\"1\"><c r=\"B3\" t=\"inlineStr\"><is><r><t>a</t></r><r><t xml:space=\"preserve\"> b</t></r>"
            + "<rPh><t>phonetic</t></rPh></is></c></row></sheetData></worksheet>";
    List<TableRow> rows = read(workbook(sheet));
    assertThat(rows.get(0).cells())
        .containsExactly(
            new Cell(Cell.Kind.BOOLEAN, "TRUE"),
            new Cell(Cell.Kind.ERROR, "#N/A"),
            new Cell(Cell.Kind.TEXT, "x"),
            new Cell(Cell.Kind.NUMBER, "1.5"),
            Cell.BLANK,
            Cell.BLANK,
            new Cell(Cell.Kind.DATE, "2024-02-01"));
    assertThat(rows.get(1).number()).isEqualTo(3);
    assertThat(rows.get(1).hidden()).isTrue();
    assertThat(rows.get(1).texts()).containsExactly("", "a b");
  }

  @Test
  void aZipBombPartIsRefused() throws IOException {
    StringBuilder sb =
        new StringBuilder(
            "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
                + "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>x</t></is></c></row>");
    sb.append("<!--").append(" ".repeat(20_000_000)).append("-->");
    sb.append("</sheetData></worksheet>");
    byte[] bytes = workbook(sb.toString());
    assertThat(texts(read(bytes)))
        .as("20 MB of one character is below the ratio check's grace: read, not a false alarm")
        .containsExactly(List.of("x"));
    java.util.Random random = new java.util.Random(7);
    StringBuilder noise = new StringBuilder();
    for (int i = 0; i < 1_500_000; i++) {
      noise.append((char) ('a' + random.nextInt(26)));
    }
    byte[] large =
        workbook(
            "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
                + "<!--"
                + noise
                + "--></sheetData></worksheet>");
    assertThatThrownBy(() -> read(large, ReadOptions.defaults().withMaxPartBytes(1 << 20)))
        .satisfies(
            e -> assertThat(((UserMgmtException) e).code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED))
        .hasMessageContaining("more than 1048576 bytes (the limit)");
  }

  /** A minimal workbook around one sheet's XML, as Excel lays it out. */
  static byte[] workbook(String sheetXml) throws IOException {
    return Workbooks.workbook(sheetXml);
  }

  /** A sheet's XML around the given rows. */
  static String sheetOf(String rows) {
    return Workbooks.sheetOf(rows);
  }
}
