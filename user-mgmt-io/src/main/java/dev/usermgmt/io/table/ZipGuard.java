package dev.usermgmt.io.table;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The zip guard of XLSX workbooks: before reading, the archive's directory must list at most {@link
 * ReadOptions#maxZipEntries()} entries declaring at most {@link ReadOptions#maxInflatedBytes()}
 * together; while reading, every part is counted as it inflates, against {@link
 * ReadOptions#maxPartBytes()}, the running total against {@link ReadOptions#maxInflatedBytes()} (a
 * directory may lie), and, past {@link #RATIO_GRACE} bytes, against {@link
 * ReadOptions#minInflateRatio()}. Every refusal is {@code limit_exceeded} naming the limit and the
 * value found.
 */
final class ZipGuard {
  /** How far a part may inflate before its compression ratio is checked: 64 MiB. */
  static final long RATIO_GRACE = 64L << 20;

  private final ReadOptions options;
  private final Map<String, Long> compressed;
  private long total;

  private ZipGuard(ReadOptions options, Map<String, Long> compressed) {
    this.options = options;
    this.compressed = compressed;
  }

  /** Checks the archive's directory; ODS and other zip archives are refused. */
  static ZipGuard scan(Path file, ReadOptions options) {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      if (zip.getEntry("xl/workbook.xml") == null
          && (zip.getEntry("[Content_Types].xml") == null || !hasWorkbookPart(zip))) {
        if (zip.getEntry("mimetype") != null || zip.getEntry("content.xml") != null) {
          throw Readers.unsupported("an OpenDocument file (ODS)");
        }
        throw Readers.unsupported("a zip archive that is not an XLSX workbook");
      }
      Map<String, Long> sizes = new HashMap<>();
      long declared = 0;
      int entries = 0;
      Enumeration<? extends ZipEntry> all = zip.entries();
      while (all.hasMoreElements()) {
        ZipEntry e = all.nextElement();
        entries++;
        if (entries > options.maxZipEntries()) {
          throw limit(
              "the workbook archive has more than "
                  + options.maxZipEntries()
                  + " entries (the limit); found "
                  + zip.size());
        }
        sizes.put("/" + e.getName(), e.getCompressedSize());
        declared += Math.max(0, e.getSize());
        if (declared > options.maxInflatedBytes()) {
          throw limit(
              "the workbook inflates to more than "
                  + options.maxInflatedBytes()
                  + " bytes (the limit); its archive declares at least "
                  + declared);
        }
      }
      ZipGuard guard = new ZipGuard(options, sizes);
      guard.countOthers(zip);
      return guard;
    } catch (IOException | IllegalArgumentException e) {
      // ZipException and the other ways a damaged archive fails to open; an entry name that is
      // not the UTF-8 its flag claims fails as IllegalArgumentException ("malformed input")
      throw new InvalidInputException(
          Problem.of(
              ErrorCode.UNSUPPORTED_FILE, "unsupported or corrupt file: the zip archive is broken"),
          e);
    }
  }

  /**
   * Inflates and counts, before anything reads them, the parts this library does not read through
   * {@link #guard}: the package's content types and relationships, the workbook, its styles and the
   * rest, which POI reads itself. The directory's sizes may lie (a workbook part that declared 300
   * bytes inflated to 40 MB); worksheets and shared strings are counted as they are read.
   */
  private void countOthers(ZipFile zip) throws IOException {
    Enumeration<? extends ZipEntry> all = zip.entries();
    byte[] buf = new byte[1 << 13];
    while (all.hasMoreElements()) {
      ZipEntry e = all.nextElement();
      String name = e.getName();
      if (e.isDirectory() || readThroughGuard(name)) {
        continue;
      }
      try (InputStream in = guard(zip.getInputStream(e), "/" + name)) {
        while (in.read(buf) >= 0) {
          // counted by the guard
        }
      }
    }
  }

  /**
   * Whether the reader reads a part only through {@link #guard}: a worksheet itself ({@code
   * xl/worksheets/sheet1.xml}, not its relationships, which POI reads) and the shared strings. A
   * part of another name is counted here, and again if read through the guard: never too little.
   */
  private static boolean readThroughGuard(String name) {
    return name.equals("xl/sharedStrings.xml")
        || (name.startsWith("xl/worksheets/")
            && name.indexOf('/', "xl/worksheets/".length()) < 0
            && name.endsWith(".xml"));
  }

  private static boolean hasWorkbookPart(ZipFile zip) {
    return zip.stream()
        .map(ZipEntry::getName)
        .anyMatch(n -> n.startsWith("xl/") && n.endsWith("workbook.xml"));
  }

  /** A part's bytes, counted. */
  InputStream guard(InputStream raw, String partName) {
    return new PartStream(raw, partName, compressed.getOrDefault(partName, -1L));
  }

  static InvalidInputException limit(String message) {
    return new InvalidInputException(Problem.of(ErrorCode.LIMIT_EXCEEDED, message));
  }

  /** Counts one part's inflated bytes. */
  private final class PartStream extends FilterInputStream {
    private final String name;
    private final long compressedSize;
    private long count;

    PartStream(InputStream in, String name, long compressedSize) {
      super(in);
      this.name = name;
      this.compressedSize = compressedSize;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        add(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        add(n);
      }
      return n;
    }

    private void add(int n) {
      count += n;
      total += n;
      if (count > options.maxPartBytes()) {
        throw limit(
            "the workbook part "
                + name
                + " inflates to more than "
                + options.maxPartBytes()
                + " bytes (the limit); read so far "
                + count);
      }
      if (total > options.maxInflatedBytes()) {
        throw limit(
            "the workbook inflates to more than "
                + options.maxInflatedBytes()
                + " bytes (the limit); read so far "
                + total);
      }
      if (count > RATIO_GRACE
          && compressedSize >= 0
          && (double) compressedSize / count < options.minInflateRatio()) {
        throw limit(
            "the workbook part "
                + name
                + " inflates more than "
                + Math.round(1 / options.minInflateRatio())
                + " times (the limit): "
                + compressedSize
                + " compressed bytes gave "
                + count
                + " so far");
      }
    }
  }
}
