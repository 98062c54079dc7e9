package dev.usermgmt.io.table;

import static dev.usermgmt.io.table.TableReaderTest.fixture;
import static dev.usermgmt.io.table.TableReaderTest.read;
import static dev.usermgmt.io.table.TableReaderTest.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.StoreException;
import dev.usermgmt.UserMgmtException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.poi.hssf.record.crypto.Biff8EncryptionKey;
import org.apache.poi.hssf.usermodel.HSSFWorkbook;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.poifs.crypt.EncryptionInfo;
import org.apache.poi.poifs.crypt.EncryptionMode;
import org.apache.poi.poifs.crypt.Encryptor;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files saved by spreadsheet programs at their limits, and files made to hurt (issue 17). */
final class HostileFilesTest {
  @SuppressWarnings("NullAway.Init")
  @TempDir
  Path dir;

  static ErrorCode code(Throwable e) {
    return ((UserMgmtException) e).code();
  }

  // ------------------------------------------------------------------ rows as the file has them

  @Test
  void whiteSpaceOnlyRowsAreSkippedLikeBlankOnes() throws IOException {
    byte[] csv =
        "email,name\na@x.com,A\n , \n\t\n   \nb@x.com,B\n".getBytes(StandardCharsets.UTF_8);
    assertThat(read(csv)).extracting(TableRow::number).containsExactly(1L, 2L, 6L);
    XSSFWorkbook wb = new XSSFWorkbook();
    XSSFSheet sheet = wb.createSheet("People");
    sheet.createRow(0).createCell(0).setCellValue("email");
    sheet.createRow(1).createCell(0).setCellValue("a@x.com");
    sheet.createRow(29).createCell(9).setCellValue(" "); // a stray space in J30
    assertThat(read(bytes(wb))).extracting(TableRow::number).containsExactly(1L, 2L);
  }

  @Test
  void anEntryNameThatIsNotUtf8IsACorruptFile() {
    // found by IoProperties (damaged spreadsheets, one bit pattern flipped): an entry name of the
    // archive's directory that is not UTF-8 made the JDK's zip reader throw
    // IllegalArgumentException ("malformed input") as the guard listed the entries
    byte[] bytes = fixture("people.xlsx");
    int h = 301_755_954;
    bytes[h % bytes.length] ^= (byte) (1 + (h >>> 8) % 255);
    assertThatThrownBy(() -> read(bytes))
        .isInstanceOf(UserMgmtException.class)
        .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.UNSUPPORTED_FILE));
  }

  @Test
  void blankRowsDoNotCountTowardTheRowLimit() {
    byte[] csv = "h\n\n\n \n\na\n\n\nb\n".getBytes(StandardCharsets.UTF_8);
    assertThat(texts(read(csv, ReadOptions.defaults().withMaxRows(3))))
        .containsExactly(List.of("h"), List.of("a"), List.of("b"));
    assertThatThrownBy(() -> read(csv, ReadOptions.defaults().withMaxRows(2)))
        .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.LIMIT_EXCEEDED))
        .satisfies(e -> assertThat(((UserMgmtException) e).row()).hasValue(9))
        .hasMessageContaining("more than 2 rows (the limit)");
  }

  @Test
  void aFileOfBlankLinesHasNoData() {
    byte[] blank = "\n".repeat(200_000).getBytes(StandardCharsets.UTF_8);
    assertThat(read(blank, ReadOptions.defaults().withMaxRows(10))).isEmpty();
    assertThatThrownBy(() -> read(new byte[0]))
        .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.NO_DATA));
  }

  // ------------------------------------------------------------------ declared type vs content

  @Test
  void aTextFileNamedXlsxIsRefusedSayingBoth() {
    byte[] csv = "email\na@x.com\n".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> read(csv, ReadOptions.defaults().withDeclaredName("people.xlsx")))
        .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.FILE_TYPE_MISMATCH))
        .hasMessageContaining("'people.xlsx'")
        .hasMessageContaining("an XLSX workbook")
        .hasMessageContaining("CSV text");
    assertThatThrownBy(() -> read(fixture("people.xlsx"), named("people.csv")))
        .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.FILE_TYPE_MISMATCH))
        .hasMessageContaining("CSV text")
        .hasMessageContaining("XLSX");
    assertThatThrownBy(
            () ->
                read(
                    fixture("people.xls"),
                    ReadOptions.defaults().withDeclaredMediaType("text/csv; charset=utf-8")))
        .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.FILE_TYPE_MISMATCH))
        .hasMessageContaining("text/csv");
    // what agrees, or says nothing checkable, is read
    assertThat(read(csv, named("people.CSV"))).hasSize(2);
    assertThat(read(csv, named("export"))).hasSize(2);
    assertThat(read(csv, ReadOptions.defaults().withDeclaredMediaType("application/vnd.ms-excel")))
        .hasSize(2);
    assertThat(read(fixture("people.xlsx"), named("people.xlsx"))).hasSize(5);
    assertThat(
            read(
                fixture("people.xls"),
                named("people.xls").withDeclaredMediaType("application/octet-stream")))
        .hasSize(5);
  }

  private static ReadOptions named(String name) {
    return ReadOptions.defaults().withDeclaredName(name);
  }

  // ------------------------------------------------------------------ limits

  @Test
  void aWorkbookWithMaximumLengthCellsIsReadNotTakenForAZipBomb() throws IOException {
    XSSFWorkbook wb = new XSSFWorkbook();
    XSSFSheet sheet = wb.createSheet("Notes");
    sheet.createRow(0).createCell(0).setCellValue("notes");
    for (int i = 1; i <= 40; i++) {
      sheet
          .createRow(i)
          .createCell(0)
          .setCellValue(String.valueOf((char) ('a' + i % 26)).repeat(32_767));
    }
    byte[] bytes = bytes(wb);
    List<TableRow> rows = read(bytes);
    assertThat(rows).hasSize(41);
    assertThat(rows.get(1).text(0)).hasSize(32_767);
    assertThat(rows).allSatisfy(r -> assertThat(r.problems()).isEmpty());
    // the same file through POI's own default guard would have failed: it is that compressible
    assertThat((double) bytes.length / (40 * 32_767)).isLessThan(0.01);
  }

  @Test
  void aZipBombIsALimitNamingTheLimitAndTheValueFound() throws IOException {
    byte[] bomb = bomb(200L << 20);
    long start = System.nanoTime();
    assertThatThrownBy(() -> read(bomb))
        .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.LIMIT_EXCEEDED))
        .hasMessageContaining("(the limit)");
    assertThat((System.nanoTime() - start) / 1e9).isLessThan(20);
    assertThatThrownBy(() -> read(bomb, ReadOptions.defaults().withMaxInflatedBytes(10_000_000)))
        .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.LIMIT_EXCEEDED))
        .hasMessageContaining("10000000 bytes (the limit)")
        .hasMessageContaining("declares at least");
    assertThatThrownBy(
            () -> read(fixture("people.xlsx"), ReadOptions.defaults().withMaxZipEntries(3)))
        .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.LIMIT_EXCEEDED))
        .hasMessageContaining("more than 3 entries (the limit)");
  }

  @Test
  void aCellOverTheLimitMakesItsRowInvalidAndTheFileGoesOn() {
    String csv = "email,notes\na@x.com,ok\nb@x.com," + "y".repeat(100_000) + "\nc@x.com,fine\n";
    List<TableRow> rows = read(csv.getBytes(StandardCharsets.UTF_8));
    assertThat(rows).extracting(TableRow::number).containsExactly(1L, 2L, 3L, 4L);
    assertThat(rows.get(1).problems()).isEmpty();
    assertThat(rows.get(2).problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
              assertThat(p.row()).hasValue(3);
              assertThat(p.column()).contains("B");
              assertThat(p.message()).contains("100000 characters").contains("32767");
            });
    assertThat(rows.get(2).text(1)).hasSize(32_767);
    assertThat(rows.get(3).text(0)).isEqualTo("c@x.com");
    assertThatThrownBy(
            () ->
                read(csv.getBytes(StandardCharsets.UTF_8), ReadOptions.defaults().withStrict(true)))
        .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.LIMIT_EXCEEDED));
  }

  // ------------------------------------------------------------------ encrypted workbooks

  @Test
  void encryptedWorkbooksHaveTheirOwnCode() throws Exception {
    XSSFWorkbook wb = new XSSFWorkbook();
    wb.createSheet("S").createRow(0).createCell(0).setCellValue("email");
    Path plain = dir.resolve("plain.xlsx");
    Files.write(plain, bytes(wb));
    POIFSFileSystem fs = new POIFSFileSystem();
    Encryptor enc = new EncryptionInfo(EncryptionMode.standard).getEncryptor();
    enc.confirmPassword("secret");
    try (OPCPackage opc = OPCPackage.open(plain.toFile());
        OutputStream os = enc.getDataStream(fs)) {
      opc.save(os);
    }
    ByteArrayOutputStream encrypted = new ByteArrayOutputStream();
    fs.writeFilesystem(encrypted);
    assertThatThrownBy(() -> read(encrypted.toByteArray()))
        .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.ENCRYPTED_FILE))
        .hasMessageContaining("password");

    Biff8EncryptionKey.setCurrentUserPassword("secret");
    ByteArrayOutputStream xls = new ByteArrayOutputStream();
    try (HSSFWorkbook h = new HSSFWorkbook()) {
      h.createSheet("S").createRow(0).createCell(0).setCellValue("email");
      h.write(xls);
    } finally {
      Biff8EncryptionKey.setCurrentUserPassword(null);
    }
    assertThatThrownBy(() -> read(xls.toByteArray()))
        .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.ENCRYPTED_FILE));
  }

  // ------------------------------------------------------------------ I/O failures

  @Test
  void aTemporaryDirectoryThatFailsIsAnIoFailureAndLeavesNoFile() throws IOException {
    Path missing = dir.resolve("gone");
    byte[] csv = "email\na@x.com\n".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(
            () ->
                TableReader.open(
                    new ByteArrayInputStream(csv),
                    ReadOptions.defaults().withTempDirectory(missing)))
        .isInstanceOf(StoreException.class)
        .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.IO_FAILURE));
    Path tmp = Files.createDirectory(dir.resolve("spool"));
    InputStream failing =
        new InputStream() {
          private int n;

          @Override
          public int read() throws IOException {
            if (n++ > 100_000) {
              throw new IOException("No space left on device");
            }
            return 'a';
          }
        };
    assertThatThrownBy(
            () -> TableReader.open(failing, ReadOptions.defaults().withTempDirectory(tmp)))
        .isInstanceOf(StoreException.class)
        .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.IO_FAILURE))
        .hasMessageContaining("No space left on device");
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left).as("the temporary copy is removed").isEmpty();
    }
    try (TableReader r =
        TableReader.open(
            new ByteArrayInputStream(csv), ReadOptions.defaults().withTempDirectory(tmp))) {
      assertThat(r.rows().count()).isEqualTo(2);
    }
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left).as("closing the reader removes its copy").isEmpty();
    }
  }

  // ------------------------------------------------------------------ helpers

  static byte[] bytes(XSSFWorkbook wb) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (wb) {
      wb.write(out);
    }
    return out.toByteArray();
  }

  /** A workbook whose sheet is a few rows and then {@code spaces} bytes of one character. */
  static byte[] bomb(long spaces) throws IOException {
    String sheet =
        Workbooks.sheetOf("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>x</t></is></c></row>");
    int cut = sheet.indexOf("</sheetData>");
    return Workbooks.workbookWith(
        sheet,
        "xl/worksheets/sheet1.xml",
        Workbooks.padded(sheet.substring(0, cut), spaces, sheet.substring(cut)));
  }
}
