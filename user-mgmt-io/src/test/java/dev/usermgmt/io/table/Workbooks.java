package dev.usermgmt.io.table;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Workbooks written part by part for tests: minimal ones, and ones with a part made hostile. */
public final class Workbooks {
  private Workbooks() {}

  /** Writes a part's bytes. */
  @FunctionalInterface
  public interface Part {
    /**
     * Writes the part.
     *
     * @param out the zip entry's stream
     * @throws IOException from the stream
     */
    void write(OutputStream out) throws IOException;
  }

  private static final String SHARED_STRINGS = "xl/sharedStrings.xml";

  /**
   * A minimal workbook around one sheet's XML, as Excel lays it out.
   *
   * @param sheetXml the sheet
   * @return the file's bytes
   * @throws IOException never, in memory
   */
  public static byte[] workbook(String sheetXml) throws IOException {
    return workbookWith(sheetXml, "", out -> {});
  }

  /**
   * A one-sheet workbook in which the part {@code name} is written by {@code part}: one of the
   * parts of every workbook (then in its place), or another ({@value #SHARED_STRINGS} is declared
   * as the shared strings).
   *
   * @param sheetXml the sheet
   * @param name the part's name, or empty for none
   * @param part writes it
   * @return the file's bytes
   * @throws IOException never, in memory
   */
  public static byte[] workbookWith(String sheetXml, String name, Part part) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      String[][] parts = {
        {"[Content_Types].xml", contentTypes(name.equals(SHARED_STRINGS))},
        {
          "_rels/.rels",
          "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
              + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
              + "</Relationships>"
        },
        {
          "xl/workbook.xml",
          "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
              + " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
              + "<sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
        },
        {
          "xl/_rels/workbook.xml.rels",
          "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
              + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
              + "</Relationships>"
        },
        {"xl/worksheets/sheet1.xml", sheetXml}
      };
      boolean written = name.isEmpty();
      for (String[] p : parts) {
        if (p[0].equals(name)) {
          put(zip, name, part);
          written = true;
        } else {
          put(zip, p[0], out -> out.write(p[1].getBytes(StandardCharsets.UTF_8)));
        }
      }
      if (!written) {
        put(zip, name, part);
      }
    }
    return bytes.toByteArray();
  }

  /**
   * A sheet's XML around the given rows.
   *
   * @param rows the rows' XML
   * @return the sheet
   */
  public static String sheetOf(String rows) {
    return "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
        + rows
        + "</sheetData></worksheet>";
  }

  /**
   * A part that opens with {@code head}, then {@code padding} spaces inside an XML comment, then
   * {@code tail}: a part that inflates to as much as asked from a few kilobytes.
   *
   * @param head the part's start, up to where the comment opens
   * @param padding how many spaces
   * @param tail the part's end, after the comment closes
   * @return the part
   */
  public static Part padded(String head, long padding, String tail) {
    return out -> {
      out.write((head + "<!--").getBytes(StandardCharsets.UTF_8));
      byte[] chunk = " ".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
      for (long done = 0; done < padding; done += chunk.length) {
        out.write(chunk, 0, (int) Math.min(chunk.length, padding - done));
      }
      out.write(("-->" + tail).getBytes(StandardCharsets.UTF_8));
    };
  }

  /**
   * The workbook with the uncompressed size its central directory declares for a part changed: a
   * directory that lies.
   *
   * @param workbook the file's bytes
   * @param name the part
   * @param declared the size to declare
   * @return the changed bytes
   */
  public static byte[] declaring(byte[] workbook, String name, int declared) {
    byte[] bytes = workbook.clone();
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    // a central directory header: signature PK\1\2, the uncompressed size at 24, the name at 46
    for (int i = 0; i + 46 + n.length <= bytes.length; i++) {
      if (bytes[i] == 0x50
          && bytes[i + 1] == 0x4b
          && bytes[i + 2] == 0x01
          && bytes[i + 3] == 0x02
          && Arrays.equals(bytes, i + 46, i + 46 + n.length, n, 0, n.length)) {
        for (int k = 0; k < 4; k++) {
          bytes[i + 24 + k] = (byte) (declared >>> (8 * k));
        }
        return bytes;
      }
    }
    throw new AssertionError("no central directory entry for " + name);
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

  private static void put(ZipOutputStream zip, String name, Part part) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    part.write(zip);
    zip.closeEntry();
  }
}
