package dev.usermgmt.io.table;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.UserMgmtException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackagePart;
import org.apache.poi.openxml4j.util.ZipFileZipEntrySource;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.model.StylesTable;
import org.apache.poi.xssf.usermodel.XSSFCellStyle;
import org.jspecify.annotations.Nullable;

/**
 * XLSX streamed: Apache POI opens the package (relationships, styles; its zip hardening stays in
 * force) and a lean StAX parser (Aalto, DTDs and external entities off) reads the shared strings
 * and the chosen sheet row by row. The package is opened as a plain archive and every part read
 * through {@link ZipGuard}, which applies the {@link ReadOptions} zip limits whatever the
 * process-wide POI settings are.
 */
final class XlsxTableReader implements TableReader {
  private static final XMLInputFactory XML = xmlFactory();
  private static final DateTimeFormatter MINUTES =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm");

  private final ReadOptions options;
  private final Runnable cleanup;
  private final OPCPackage pkg;
  private final ZipGuard zipGuard;
  private final SharedStrings strings;
  private final @Nullable StylesTable styles;
  private final boolean date1904;
  private final String sheetName;
  private final SheetParser parser;
  private @Nullable TableRow first;
  private final DataFormatter formatter = new DataFormatter(Locale.US);
  private byte[] styleKinds = new byte[0]; // 0 unknown, 1 general, 2 date, 3 formatted number
  private @Nullable NumberFormat[] formats = new NumberFormat[0]; // of the formatted numbers
  private boolean used;

  XlsxTableReader(Path file, ReadOptions options, Runnable cleanup, ZipGuard zipGuard) {
    this.options = options;
    this.cleanup = cleanup;
    this.zipGuard = zipGuard;
    OPCPackage opened = null;
    SheetParser chosen = null;
    try {
      // a plain archive: the zip guard, not POI's process-wide thresholds, decides what inflates
      opened =
          OPCPackage.open(
              new ZipFileZipEntrySource(
                  org.apache.commons.compress.archivers.zip.ZipFile.builder()
                      .setFile(file.toFile())
                      .get()));
      XSSFReader reader = new XSSFReader(opened);
      this.strings = sharedStrings(opened);
      this.styles = reader.getStylesTable();
      this.date1904 = date1904(reader);
      XSSFReader.SheetIterator sheets = (XSSFReader.SheetIterator) reader.getSheetsData();
      List<String> names = new ArrayList<>();
      String name = null;
      while (sheets.hasNext()) {
        InputStream raw = sheets.next();
        String n = sheets.getSheetName();
        names.add(n);
        boolean wanted = options.sheet().map(s -> s.equalsIgnoreCase(n)).orElse(true);
        if (!wanted) {
          raw.close();
          continue;
        }
        SheetParser p = new SheetParser(guard(raw, sheets.getSheetPart()));
        TableRow r = p.next();
        if (r != null || options.sheet().isPresent()) {
          chosen = p;
          first = r;
          name = n;
          break;
        }
        p.close();
      }
      if (chosen == null || name == null) {
        throw Readers.noSheet(options, names);
      }
      this.sheetName = name;
      this.parser = chosen;
      this.pkg = opened;
    } catch (UserMgmtException e) {
      closeQuietly(chosen, opened);
      cleanup.run();
      throw e;
    } catch (Exception e) {
      closeQuietly(chosen, opened);
      cleanup.run();
      throw new InvalidInputException(
          Problem.of(
              ErrorCode.UNSUPPORTED_FILE,
              "unsupported or corrupt file: not a readable XLSX workbook ("
                  + e.getClass().getSimpleName()
                  + ")"),
          e);
    }
  }

  private static void closeQuietly(@Nullable SheetParser parser, @Nullable OPCPackage pkg) {
    if (parser != null) {
      parser.close();
    }
    if (pkg != null) {
      pkg.revert();
    }
  }

  private static XMLInputFactory xmlFactory() {
    XMLInputFactory f = new com.fasterxml.aalto.stax.InputFactoryImpl();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_COALESCING, true);
    return f;
  }

  @Override
  public FileInfo info() {
    return new FileInfo(
        FileFormat.XLSX, Optional.empty(), Optional.empty(), Optional.of(sheetName));
  }

  @Override
  public Stream<TableRow> rows() {
    if (used) {
      throw new IllegalStateException("the rows of a reader can be read once");
    }
    used = true;
    return Readers.stream(
        () -> {
          TableRow r = first;
          if (r != null) {
            first = null;
            return r;
          }
          return parser.next();
        },
        () -> {});
  }

  @Override
  public void close() {
    closeQuietly(parser, pkg);
    cleanup.run();
  }

  private InputStream guard(InputStream raw, PackagePart part) {
    return zipGuard.guard(raw, part.getPartName().getName());
  }

  private SharedStrings sharedStrings(OPCPackage opened) throws IOException, XMLStreamException {
    List<PackagePart> parts =
        opened.getPartsByContentType(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml");
    SharedStrings out = new SharedStrings();
    if (parts.isEmpty()) {
      return out;
    }
    PackagePart part = parts.get(0);
    try (InputStream in = guard(part.getInputStream(), part)) {
      XMLStreamReader x = XML.createXMLStreamReader(in);
      try {
        StringBuilder sb = new StringBuilder();
        while (x.hasNext()) {
          int ev = x.next();
          if (ev == XMLStreamConstants.START_ELEMENT) {
            String n = x.getLocalName();
            if (n.equals("si")) {
              sb.setLength(0);
            } else if (n.equals("t")) {
              sb.append(x.getElementText());
            } else if (n.equals("rPh")) {
              skip(x);
            }
          } else if (ev == XMLStreamConstants.END_ELEMENT && x.getLocalName().equals("si")) {
            out.add(sb);
          }
        }
      } finally {
        x.close();
      }
    }
    return out;
  }

  /**
   * A workbook's shared strings, all of their chars in one array with where each ends: a table of
   * millions of short strings (a file of kilobytes can hold one) takes a few bytes a string instead
   * of a {@code String} object each (3.5 million one-letter strings had kept 176 MB).
   */
  static final class SharedStrings {
    private char[] chars = new char[1 << 12];
    private int length;
    private int[] ends = new int[1 << 8];
    private int size;

    void add(StringBuilder s) {
      int n = s.length();
      if (length + n > chars.length) {
        long grown = Math.max((long) chars.length * 2, (long) length + n);
        if (grown > Integer.MAX_VALUE - 8) {
          throw ZipGuard.limit("the workbook's shared strings hold more than 2^31 characters");
        }
        chars = Arrays.copyOf(chars, (int) grown);
      }
      s.getChars(0, n, chars, length);
      length += n;
      if (size == ends.length) {
        ends = Arrays.copyOf(ends, size * 2);
      }
      ends[size++] = length;
    }

    int size() {
      return size;
    }

    String get(int i) {
      int start = i == 0 ? 0 : ends[i - 1];
      return new String(chars, start, ends[i] - start);
    }
  }

  private static boolean date1904(XSSFReader reader) throws Exception {
    try (InputStream in = reader.getWorkbookData()) {
      XMLStreamReader x = XML.createXMLStreamReader(in);
      try {
        while (x.hasNext()) {
          if (x.next() == XMLStreamConstants.START_ELEMENT
              && x.getLocalName().equals("workbookPr")) {
            String v = x.getAttributeValue(null, "date1904");
            return "1".equals(v) || "true".equalsIgnoreCase(v);
          }
          if (x.getEventType() == XMLStreamConstants.START_ELEMENT
              && x.getLocalName().equals("sheets")) {
            return false;
          }
        }
        return false;
      } finally {
        x.close();
      }
    }
  }

  private static void skip(XMLStreamReader x) throws XMLStreamException {
    int depth = 1;
    while (depth > 0) {
      int ev = x.next();
      if (ev == XMLStreamConstants.START_ELEMENT) {
        depth++;
      } else if (ev == XMLStreamConstants.END_ELEMENT) {
        depth--;
      }
    }
  }

  /** The kind of a cell style: general, date, or a number format to display. */
  private byte styleKind(int style) {
    if (style >= styleKinds.length) {
      int n = Math.max(style + 1, styleKinds.length * 2);
      styleKinds = java.util.Arrays.copyOf(styleKinds, n);
      formats = java.util.Arrays.copyOf(formats, n);
    }
    byte k = styleKinds[style];
    if (k == 0) {
      k = 1;
      StylesTable st = styles;
      if (st != null && style < st.getNumCellStyles()) {
        XSSFCellStyle cs = st.getStyleAt(style);
        int fmt = cs.getDataFormat();
        String pattern = cs.getDataFormatString();
        if (pattern != null && DateUtil.isADateFormat(fmt, pattern)) {
          k = 2;
        } else if (fmt != 0 && pattern != null && !"General".equalsIgnoreCase(pattern)) {
          k = 3;
          formats[style] = new NumberFormat(fmt, pattern);
        }
      }
      styleKinds[style] = k;
    }
    return k;
  }

  private Cell number(String v, int style, long row, int column) {
    double d;
    try {
      d = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw bad(row, column, "a number cell holds '" + v + "'");
    }
    byte kind = style > 0 ? styleKind(style) : 1;
    if (kind == 2 && DateUtil.isValidExcelDate(d)) {
      LocalDateTime t = DateUtil.getLocalDateTime(d, date1904, true);
      String text =
          t.toLocalTime().equals(LocalTime.MIDNIGHT)
              ? t.toLocalDate().toString()
              : t.getSecond() == 0 ? t.format(MINUTES) : t.withNano(0).toString();
      return new Cell(Cell.Kind.DATE, text);
    }
    if (kind == 3) {
      NumberFormat f = java.util.Objects.requireNonNull(formats[style]);
      return new Cell(Cell.Kind.NUMBER, formatter.formatRawCellContents(d, f.index(), f.pattern()));
    }
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return new Cell(Cell.Kind.NUMBER, Long.toString((long) d));
    }
    return new Cell(Cell.Kind.NUMBER, formatter.formatRawCellContents(d, 0, "General"));
  }

  private static InvalidInputException bad(long row, int column, String message) {
    return Readers.RowBuilder.at(
        ErrorCode.INVALID_FILE, row, column, "unsupported or corrupt file: " + message);
  }

  /** Reads one sheet's rows. */
  private final class SheetParser implements Readers.RowSource {
    private final InputStream in;
    private final XMLStreamReader x;
    private final Readers.RowBuilder builder = new Readers.RowBuilder(options);
    private final StringBuilder text = new StringBuilder();
    private long lastRow;

    /** The most rows a sheet has. */
    private static final long MAX_ROW = 1_048_576;

    private long kept;

    SheetParser(InputStream in) throws XMLStreamException {
      this.in = in;
      this.x = XML.createXMLStreamReader(in);
    }

    @Override
    public @Nullable TableRow next() throws XMLStreamException {
      long row = 0;
      boolean hidden = false;
      int column = -1;
      String type = "";
      int style = 0;
      @Nullable String value = null;
      while (x.hasNext()) {
        int ev = x.next();
        if (ev == XMLStreamConstants.START_ELEMENT) {
          String n = x.getLocalName();
          switch (n) {
            case "row" -> {
              String r = x.getAttributeValue(null, "r");
              row = r == null ? lastRow + 1 : parseRow(r);
              String h = x.getAttributeValue(null, "hidden");
              hidden = "1".equals(h) || "true".equalsIgnoreCase(h);
              column = -1;
              builder.reset();
            }
            case "c" -> {
              String r = x.getAttributeValue(null, "r");
              column = r == null ? column + 1 : columnOf(r, row);
              String t = x.getAttributeValue(null, "t");
              type = t == null ? "" : t;
              String s = x.getAttributeValue(null, "s");
              style = s == null ? 0 : parseStyle(s, row, column);
              value = null;
            }
            case "v" -> value = x.getElementText();
            case "is" -> value = inline();
            default -> {}
          }
        } else if (ev == XMLStreamConstants.END_ELEMENT) {
          String n = x.getLocalName();
          if (n.equals("c")) {
            if (value != null && column >= 0) {
              builder.set(row, column, cell(type, style, value, row, column));
            }
          } else if (n.equals("row")) {
            lastRow = row;
            TableRow built = builder.build(row, hidden);
            if (built != null) {
              Readers.RowBuilder.checkRows(++kept, row, options);
              return built;
            }
          } else if (n.equals("sheetData")) {
            return null;
          }
        }
      }
      return null;
    }

    private String inline() throws XMLStreamException {
      text.setLength(0);
      while (true) {
        int ev = x.next();
        if (ev == XMLStreamConstants.START_ELEMENT) {
          if (x.getLocalName().equals("t")) {
            text.append(x.getElementText());
          } else if (x.getLocalName().equals("rPh")) {
            skip(x);
          }
        } else if (ev == XMLStreamConstants.END_ELEMENT && x.getLocalName().equals("is")) {
          return text.toString();
        }
      }
    }

    private Cell cell(String type, int style, String v, long row, int column) {
      switch (type) {
        case "s" -> {
          int i;
          try {
            i = Integer.parseInt(v.trim());
          } catch (NumberFormatException e) {
            throw bad(row, column, "a shared string index '" + v + "'");
          }
          if (i < 0 || i >= strings.size()) {
            throw bad(row, column, "shared string " + i + " does not exist");
          }
          return Cell.text(strings.get(i));
        }
        case "inlineStr", "str" -> {
          return Cell.text(v);
        }
        case "b" -> {
          return new Cell(Cell.Kind.BOOLEAN, "1".equals(v.trim()) ? "TRUE" : "FALSE");
        }
        case "e" -> {
          return new Cell(Cell.Kind.ERROR, v);
        }
        case "d" -> {
          String t = v.trim();
          return new Cell(Cell.Kind.DATE, t.endsWith("T00:00:00") ? t.substring(0, 10) : t);
        }
        default -> {
          return v.isEmpty() ? Cell.BLANK : number(v, style, row, column);
        }
      }
    }

    /**
     * A row's number: 1-based, after the row before it and within a sheet's 1,048,576 rows (the
     * {@code r} attribute of ECMA-376 Part 1, §18.3.1.73). A row numbered again, or back, would
     * give two rows one number, and everything keyed by the file's row (a plan's previews, the
     * problems of a row) one row's cells for another's.
     */
    private long parseRow(String r) {
      long n;
      try {
        n = Long.parseLong(r.trim());
      } catch (NumberFormatException e) {
        throw bad(lastRow + 1, 0, "a row number '" + r + "'");
      }
      if (n <= lastRow || n > MAX_ROW) {
        throw bad(
            lastRow + 1,
            0,
            "row number "
                + r
                + " after row "
                + lastRow
                + " (rows are numbered from 1 to "
                + MAX_ROW
                + ", each after the one before)");
      }
      return n;
    }

    private int parseStyle(String s, long row, int column) {
      try {
        int i = Integer.parseInt(s);
        if (i < 0 || i > 65_536) {
          throw bad(row, column, "a style index " + s);
        }
        return i;
      } catch (NumberFormatException e) {
        throw bad(row, column, "a style index '" + s + "'");
      }
    }

    private int columnOf(String ref, long row) {
      int col = 0;
      int i = 0;
      while (i < ref.length() && Character.isLetter(ref.charAt(i))) {
        char c = Character.toUpperCase(ref.charAt(i));
        if (c < 'A' || c > 'Z' || col > 1_000_000) {
          throw bad(row, 0, "a cell reference '" + ref + "'");
        }
        col = col * 26 + (c - 'A' + 1);
        i++;
      }
      if (col == 0) {
        throw bad(row, 0, "a cell reference '" + ref + "'");
      }
      return col - 1;
    }

    void close() {
      try {
        x.close();
      } catch (XMLStreamException e) {
        // the stream is closed below
      }
      try {
        in.close();
      } catch (IOException e) {
        // a read-only part
      }
    }
  }

  /** A style's number format, resolved once. */
  private record NumberFormat(int index, String pattern) {}
}
