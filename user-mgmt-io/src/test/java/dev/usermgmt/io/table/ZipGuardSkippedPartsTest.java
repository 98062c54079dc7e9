package dev.usermgmt.io.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.UserMgmtException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/**
 * ZipGuard.countOthers skips every entry under xl/worksheets/, but POI itself parses a sheet's
 * relationships part (xl/worksheets/_rels/sheet1.xml.rels) when it opens the package: a rels part
 * whose directory size lies is inflated whole, uncounted.
 */
final class ZipGuardSkippedPartsTest {
  private static final String MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
  private static final String RELS = "xl/worksheets/_rels/sheet1.xml.rels";

  @Test
  void aSheetsRelationshipsPartWhoseDirectorySizeLiesIsCounted() throws IOException {
    byte[] xlsx = lyingSheetRels(40 << 20, 300, "--></Relationships>");
    ReadOptions options = ReadOptions.defaults().withMaxInflatedBytes(4 << 20);
    assertThatThrownBy(() -> TableReaderTest.read(xlsx, options))
        .isInstanceOf(UserMgmtException.class)
        .satisfies(
            e -> assertThat(((UserMgmtException) e).code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED));
  }

  /** Evidence that POI parses the part at open: the same part, not well-formed at its end. */
  @Test
  void poiParsesTheSheetsRelationshipsPartWhole() throws IOException {
    byte[] xlsx = lyingSheetRels(1 << 20, 300, "--><broken");
    assertThatThrownBy(() -> TableReaderTest.read(xlsx, ReadOptions.defaults()))
        .isInstanceOf(UserMgmtException.class);
  }

  static byte[] lyingSheetRels(int padding, int declared, String tail) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      put(
          zip,
          "[Content_Types].xml",
          "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
              + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
              + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
              + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
              + "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
              + "</Types>");
      put(
          zip,
          "_rels/.rels",
          "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
              + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
              + "</Relationships>");
      put(
          zip,
          "xl/workbook.xml",
          "<?xml version=\"1.0\"?><workbook xmlns=\""
              + MAIN
              + "\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
              + "<sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
      put(
          zip,
          "xl/_rels/workbook.xml.rels",
          "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
              + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
              + "</Relationships>");
      put(
          zip,
          "xl/worksheets/sheet1.xml",
          TableReaderTest.sheetOf(
              "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>email</t></is></c></row>"
                  + "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>a@x.com</t></is></c></row>"));
      zip.putNextEntry(new ZipEntry(RELS));
      zip.write(
          ("<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><!--")
              .getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = " ".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
      for (int done = 0; done < padding; done += chunk.length) {
        zip.write(chunk);
      }
      zip.write(tail.getBytes(StandardCharsets.US_ASCII));
      zip.closeEntry();
    }
    byte[] bytes = out.toByteArray();
    byte[] name = RELS.getBytes(StandardCharsets.US_ASCII);
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

  private static void put(ZipOutputStream zip, String name, String text) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(text.getBytes(StandardCharsets.UTF_8));
    zip.closeEntry();
  }
}
