package dev.usermgmt.io.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.UserMgmtException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Hostile XLSX packages: a part whose size the directory understates, a huge shared-strings table,
 * row numbers out of range or repeated.
 */
final class HostileXlsxPartsTest {
  private static final String MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

  // ------------------------------------------------------------ a directory that lies about a size

  /**
   * xl/workbook.xml inflates to 40 MB but the central directory says 300 bytes. The guard trusts
   * the directory for the parts POI parses itself (content types, relationships, workbook, styles)
   * and counts only the sheet and shared-strings streams: a limit of 4 MiB is not enforced.
   */
  @Test
  void aPartWhoseDirectorySizeLiesIsStillCountedAgainstTheLimit() throws IOException {
    byte[] xlsx = lyingWorkbook(40 << 20, 300);
    ReadOptions options = ReadOptions.defaults().withMaxInflatedBytes(4 << 20);
    assertThatThrownBy(() -> TableReaderTest.read(xlsx, options))
        .isInstanceOf(UserMgmtException.class)
        .satisfies(
            e -> assertThat(((UserMgmtException) e).code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED));
  }

  // ------------------------------------------------------------ shared strings kept whole

  /**
   * 3.5 million one-letter shared strings: a ~60 MB part (under the 64 MiB ratio grace) that
   * deflates to about 100 KB. The reader keeps every one in a list before the first row.
   */
  @Test
  void theSharedStringsTableIsBoundedInMemory() throws IOException {
    byte[] xlsx = manySharedStrings(3_500_000);
    assertThat(xlsx.length).isLessThan(1 << 20);
    long before = usedAfterGc();
    try (TableReader r = TableReader.open(new ByteArrayInputStream(xlsx), ReadOptions.defaults())) {
      long retained = usedAfterGc() - before;
      assertThat(retained)
          .as(
              "heap kept by an open reader of a %d-byte workbook: %d MB",
              xlsx.length, retained >> 20)
          .isLessThan(64L << 20);
      assertThat(r.rows().count()).isEqualTo(2);
    }
  }

  // ------------------------------------------------------------ row numbers

  /** A row number of 0 or below (or repeated) is not a row of a file. */
  @Test
  void rowNumbersBelowOneOrRepeatedAreRefused() throws IOException {
    String sheet =
        "<worksheet xmlns=\""
            + MAIN
            + "\"><sheetData>"
            + "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>email</t></is></c></row>"
            + "<row r=\"-7\"><c r=\"A1\" t=\"inlineStr\"><is><t>"
            + "x".repeat(10)
            + "</t></is></c></row>"
            + "<row r=\"0\"><c r=\"A1\" t=\"inlineStr\"><is><t>b@x.com</t></is></c></row>"
            + "</sheetData></worksheet>";
    byte[] xlsx = TableReaderTest.workbook(sheet);
    List<TableRow> rows;
    try {
      rows = TableReaderTest.read(xlsx, ReadOptions.defaults().withMaxCellLength(5));
    } catch (UserMgmtException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FILE);
      assertThat(e.row()).isPresent();
      return;
    }
    assertThat(rows).allSatisfy(r -> assertThat(r.number()).isPositive());
    assertThat(rows)
        .flatExtracting(TableRow::problems)
        .allSatisfy(p -> assertThat(p.row()).as("the problem names its row: %s", p).isPresent());
  }

  // ------------------------------------------------------------ helpers

  private static long usedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** Content types, relationships, workbook (padded) and a one-cell sheet. */
  static byte[] lyingWorkbook(int padding, int declared) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      put(zip, "[Content_Types].xml", contentTypes(false));
      put(zip, "_rels/.rels", rootRels());
      zip.putNextEntry(new ZipEntry("xl/workbook.xml"));
      zip.write(
          ("<?xml version=\"1.0\"?><workbook xmlns=\""
                  + MAIN
                  + "\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><!--")
              .getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = " ".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
      for (int done = 0; done < padding; done += chunk.length) {
        zip.write(chunk);
      }
      zip.write(
          "--><sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
              .getBytes(StandardCharsets.US_ASCII));
      zip.closeEntry();
      put(zip, "xl/_rels/workbook.xml.rels", workbookRels());
      put(
          zip,
          "xl/worksheets/sheet1.xml",
          TableReaderTest.sheetOf(
              "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>email</t></is></c></row>"));
    }
    byte[] bytes = out.toByteArray();
    // the central directory's uncompressed size of xl/workbook.xml: a lie
    byte[] name = "xl/workbook.xml".getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i + 46 + name.length <= bytes.length; i++) {
      if (bytes[i] == 0x50
          && bytes[i + 1] == 0x4b
          && bytes[i + 2] == 0x01
          && bytes[i + 3] == 0x02
          && java.util.Arrays.equals(bytes, i + 46, i + 46 + name.length, name, 0, name.length)) {
        bytes[i + 24] = (byte) declared;
        bytes[i + 25] = (byte) (declared >>> 8);
        bytes[i + 26] = (byte) (declared >>> 16);
        bytes[i + 27] = (byte) (declared >>> 24);
        return bytes;
      }
    }
    throw new AssertionError("no central directory entry");
  }

  /** A workbook with {@code count} one-letter shared strings and a sheet of two rows using one. */
  static byte[] manySharedStrings(int count) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      put(zip, "[Content_Types].xml", contentTypes(true));
      put(zip, "_rels/.rels", rootRels());
      put(
          zip,
          "xl/workbook.xml",
          "<?xml version=\"1.0\"?><workbook xmlns=\""
              + MAIN
              + "\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
              + "<sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
      put(zip, "xl/_rels/workbook.xml.rels", workbookRels());
      zip.putNextEntry(new ZipEntry("xl/sharedStrings.xml"));
      zip.write(("<sst xmlns=\"" + MAIN + "\">").getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = "<si><t>a</t></si>".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
      for (int done = 0; done < count; done += 10_000) {
        zip.write(chunk);
      }
      zip.write("</sst>".getBytes(StandardCharsets.US_ASCII));
      zip.closeEntry();
      put(
          zip,
          "xl/worksheets/sheet1.xml",
          TableReaderTest.sheetOf(
              "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"
                  + "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>1</v></c></row>"));
    }
    return out.toByteArray();
  }

  private static String contentTypes(boolean sharedStrings) {
    return "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
        + "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        + (sharedStrings
            ? "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>"
            : "")
        + "</Types>";
  }

  private static String rootRels() {
    return "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
        + "</Relationships>";
  }

  private static String workbookRels() {
    return "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
        + "</Relationships>";
  }

  private static void put(ZipOutputStream zip, String name, String text) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(text.getBytes(StandardCharsets.UTF_8));
    zip.closeEntry();
  }
}
