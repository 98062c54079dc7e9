package dev.usermgmt.io.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.UserMgmtException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Hostile XLSX packages: parts whose size the archive's directory understates (every part counts as
 * it inflates, those POI reads itself too), a huge shared-strings table from a small file (held in
 * bounded memory), and row numbers out of range or repeated (refused at their row).
 */
final class HostileXlsxPartsTest {
  private static final String ONE_ROW =
      Workbooks.sheetOf("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>email</t></is></c></row>");

  private static final String RELATIONSHIPS =
      "<?xml version=\"1.0\"?><Relationships"
          + " xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">";

  /** The workbook part inflates to 40 MB and its directory entry declares 300 bytes. */
  @Test
  void aWorkbookPartWhoseDirectorySizeLiesIsCounted() throws IOException {
    byte[] xlsx =
        Workbooks.declaring(
            Workbooks.workbookWith(
                ONE_ROW,
                "xl/workbook.xml",
                Workbooks.padded(
                    "<?xml version=\"1.0\"?><workbook"
                        + " xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
                        + " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">",
                    40 << 20,
                    "<sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>")),
            "xl/workbook.xml",
            300);
    assertRefusedOverFourMiB(xlsx);
  }

  /** A sheet's relationships part lies alike: POI reads it itself when it opens the package. */
  @Test
  void aSheetsRelationshipsPartWhoseDirectorySizeLiesIsCounted() throws IOException {
    String name = "xl/worksheets/_rels/sheet1.xml.rels";
    byte[] xlsx =
        Workbooks.declaring(
            Workbooks.workbookWith(
                ONE_ROW, name, Workbooks.padded(RELATIONSHIPS, 40 << 20, "</Relationships>")),
            name,
            300);
    assertRefusedOverFourMiB(xlsx);
    // POI does read the part: the same part cut short is refused
    byte[] broken =
        Workbooks.workbookWith(ONE_ROW, name, Workbooks.padded(RELATIONSHIPS, 1 << 20, "<broken"));
    assertThatThrownBy(() -> TableReaderTest.read(broken, ReadOptions.defaults()))
        .isInstanceOf(UserMgmtException.class);
  }

  private static void assertRefusedOverFourMiB(byte[] xlsx) {
    ReadOptions options = ReadOptions.defaults().withMaxInflatedBytes(4 << 20);
    assertThatThrownBy(() -> TableReaderTest.read(xlsx, options))
        .isInstanceOf(UserMgmtException.class)
        .satisfies(
            e -> assertThat(((UserMgmtException) e).code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED));
  }

  /**
   * 3.5 million one-letter shared strings: a part of about 60 MB (under the 64 MiB ratio grace)
   * from a file of about 146 KB; held as String objects they kept 176 MB.
   */
  @Test
  void theSharedStringsTableIsBoundedInMemory() throws IOException {
    byte[] chunk = "<si><t>a</t></si>".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
    byte[] xlsx =
        Workbooks.workbookWith(
            Workbooks.sheetOf(
                "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"
                    + "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>1</v></c></row>"),
            "xl/sharedStrings.xml",
            out -> {
              out.write(
                  "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
                      .getBytes(StandardCharsets.US_ASCII));
              for (int done = 0; done < 3_500_000; done += 10_000) {
                out.write(chunk);
              }
              out.write("</sst>".getBytes(StandardCharsets.US_ASCII));
            });
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

  /** A row numbered 0 or below, or back, is not a row of a file: refused at its row. */
  @Test
  void rowNumbersBelowOneOrRepeatedAreRefused() throws IOException {
    for (String second : new String[] {"-7", "0", "1"}) {
      byte[] xlsx =
          Workbooks.workbook(
              Workbooks.sheetOf(
                  "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>email</t></is></c></row>"
                      + "<row r=\""
                      + second
                      + "\"><c r=\"A1\" t=\"inlineStr\"><is><t>b@x.com</t></is></c></row>"));
      assertThatThrownBy(() -> TableReaderTest.read(xlsx))
          .as(second)
          .isInstanceOfSatisfying(
              UserMgmtException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FILE);
                assertThat(e.row()).hasValue(2);
              });
    }
  }

  private static long usedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
