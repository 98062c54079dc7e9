package dev.usermgmt.io.table;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.StoreException;
import dev.usermgmt.UserMgmtException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/** Opens files: spools uploads, recognises the format from the bytes, builds the reader. */
final class Readers {
  private static final byte[] ZIP = {0x50, 0x4B, 0x03, 0x04};
  private static final byte[] OLE2 = {
    (byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1
  };
  private static final int SNIFF = 8192;

  private Readers() {}

  static Path spool(InputStream in, ReadOptions options) {
    Path tmp;
    try {
      tmp =
          options.tempDirectory().isPresent()
              ? Files.createTempFile(options.tempDirectory().get(), "usermgmt-upload", ".bin")
              : Files.createTempFile("usermgmt-upload", ".bin");
    } catch (IOException | RuntimeException e) { // also a missing or unwritable directory
      throw ioFailure("cannot create a temporary file for the upload", e);
    }
    try (OutputStream out = Files.newOutputStream(tmp)) {
      byte[] buf = new byte[65536];
      long total = 0;
      int n;
      while ((n = in.read(buf)) > 0) {
        total += n;
        if (total > options.maxFileBytes()) {
          throw tooLarge(options.maxFileBytes(), total);
        }
        out.write(buf, 0, n);
      }
      return tmp;
    } catch (IOException | RuntimeException e) {
      deleteQuietly(tmp);
      if (e instanceof UserMgmtException known) {
        throw known;
      }
      throw ioFailure("cannot copy the upload to a temporary file (is the disk full?)", e);
    }
  }

  /** A file could not be read or written: {@code io_failure}. */
  static StoreException ioFailure(String message, Exception cause) {
    String why = cause.getMessage();
    return new StoreException(
        ErrorCode.IO_FAILURE, why == null ? message : message + ": " + why, cause);
  }

  static InvalidInputException encrypted(Exception cause) {
    return new InvalidInputException(
        Problem.of(
            ErrorCode.ENCRYPTED_FILE,
            "the workbook is password-protected or encrypted; remove the password (save it again"
                + " without one) and upload it again"),
        cause);
  }

  static TableReader open(Path file, boolean temporary, ReadOptions options) {
    try {
      long size;
      try {
        size = Files.size(file);
      } catch (NoSuchFileException e) {
        throw new InvalidInputException(Problem.of(ErrorCode.INVALID_FILE, "no such file"));
      }
      if (size > options.maxFileBytes()) {
        throw tooLarge(options.maxFileBytes(), size);
      }
      if (size == 0) {
        throw new InvalidInputException(Problem.of(ErrorCode.NO_DATA, "the file is empty"));
      }
      byte[] head = head(file);
      Runnable cleanup = temporary ? () -> deleteQuietly(file) : () -> {};
      if (startsWith(head, ZIP)) {
        ZipGuard guard = ZipGuard.scan(file, options);
        DeclaredType.check(FileFormat.XLSX, options);
        return new XlsxTableReader(file, options, cleanup, guard);
      }
      if (startsWith(head, OLE2)) {
        if (isEncryptedPackage(file)) {
          throw encrypted(new IOException("an OLE2 EncryptedPackage"));
        }
        DeclaredType.check(FileFormat.XLS, options);
        if (size > options.maxXlsBytes()) {
          throw new InvalidInputException(
              Problem.of(
                  ErrorCode.LIMIT_EXCEEDED,
                  "legacy .xls files are read whole and may be at most "
                      + options.maxXlsBytes()
                      + " bytes (the limit); this one has "
                      + size
                      + "; save the file as .xlsx or .csv"));
        }
        return new XlsTableReader(file, options, cleanup);
      }
      requireText(head);
      DeclaredType.check(FileFormat.CSV, options);
      return new CsvTableReader(file, head, options, cleanup);
    } catch (IOException e) {
      if (temporary) {
        deleteQuietly(file);
      }
      throw ioFailure("cannot read the file", e);
    } catch (RuntimeException e) {
      if (temporary) {
        deleteQuietly(file);
      }
      throw e;
    }
  }

  private static byte[] head(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(SNIFF);
    }
  }

  /** Refuses what is neither a zip, an OLE2 file nor text: PDFs and other binaries. */
  private static void requireText(byte[] head) {
    if (startsWith(head, "%PDF".getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
      throw unsupported("a PDF document");
    }
    if (!Encodings.looksLikeText(head)) {
      throw unsupported("binary data");
    }
  }

  /**
   * Whether an OLE2 file is an encrypted Office Open XML package (what Excel saves with a
   * password), rather than a legacy workbook.
   */
  private static boolean isEncryptedPackage(Path file) {
    try (org.apache.poi.poifs.filesystem.POIFSFileSystem fs =
        new org.apache.poi.poifs.filesystem.POIFSFileSystem(file.toFile(), true)) {
      return fs.getRoot().hasEntry("EncryptedPackage") || fs.getRoot().hasEntry("EncryptionInfo");
    } catch (IOException | RuntimeException e) {
      return false; // the legacy reader reports a broken file
    }
  }

  private static boolean startsWith(byte[] head, byte[] magic) {
    return head.length >= magic.length && Arrays.equals(Arrays.copyOf(head, magic.length), magic);
  }

  static InvalidInputException unsupported(String what) {
    return new InvalidInputException(
        Problem.of(
            ErrorCode.UNSUPPORTED_FILE,
            "unsupported or corrupt file ("
                + what
                + "): upload an .xlsx, .xls or .csv file as saved by a spreadsheet program"));
  }

  /** No sheet to read: the named one is missing, or every sheet is empty. */
  static InvalidInputException noSheet(ReadOptions options, List<String> names) {
    return new InvalidInputException(
        Problem.of(
            ErrorCode.INVALID_FILE,
            options.sheet().isPresent()
                ? "no sheet named '" + options.sheet().get() + "'; the sheets are " + names
                : "every sheet of the workbook is empty"));
  }

  static InvalidInputException tooLarge(long max, long found) {
    return new InvalidInputException(
        Problem.of(
            ErrorCode.LIMIT_EXCEEDED,
            "the file is larger than " + max + " bytes (the limit): at least " + found));
  }

  static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      file.toFile().deleteOnExit();
    }
  }

  /**
   * A stream over a source of rows that returns {@code null} at the end; any failure other than a
   * {@link UserMgmtException} becomes {@code invalid_file} at the row reached.
   */
  static Stream<TableRow> stream(RowSource source, Runnable onClose) {
    Spliterator<TableRow> rows =
        new Spliterators.AbstractSpliterator<>(
            Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL) {
          private boolean done;
          private long lastRow;

          @Override
          public boolean tryAdvance(Consumer<? super TableRow> action) {
            if (done) {
              return false;
            }
            @Nullable TableRow next;
            try {
              next = source.next();
            } catch (UserMgmtException e) {
              done = true;
              throw e;
            } catch (IOException | RuntimeException | javax.xml.stream.XMLStreamException e) {
              done = true;
              throw corrupt(lastRow + 1, e);
            }
            if (next == null) {
              done = true;
              return false;
            }
            lastRow = next.number();
            action.accept(next); // outside the try: what the consumer throws is its own
            return true;
          }
        };
    return StreamSupport.stream(rows, false).onClose(onClose);
  }

  static InvalidInputException corrupt(long row, Exception e) {
    return new InvalidInputException(
        Problem.builder()
            .code(ErrorCode.INVALID_FILE)
            .row(row)
            .message("unsupported or corrupt file near row " + row + ": " + describe(e))
            .build(),
        e);
  }

  private static String describe(Exception e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
  }

  /** Where a reader's rows come from. */
  interface RowSource {
    /** The next non-blank row, or null at the end. */
    @Nullable TableRow next() throws IOException, javax.xml.stream.XMLStreamException;
  }

  /** Collects a row's cells, enforcing the column and cell-length limits. */
  static final class RowBuilder {
    private final ReadOptions options;
    private Cell[] cells = new Cell[16];
    private int width;
    private List<Problem> problems = List.of();

    RowBuilder(ReadOptions options) {
      this.options = options;
    }

    void reset() {
      Arrays.fill(cells, 0, width, null);
      width = 0;
      problems = List.of();
    }

    void set(long row, int column, Cell cell) {
      if (column >= options.maxColumns()) {
        throw tooManyColumns(row, column, options);
      }
      if (cell.text().length() > options.maxCellLength()) {
        Problem p = cellTooLong(row, column, cell.text().length(), options);
        if (problems.isEmpty()) {
          problems = new ArrayList<>();
        }
        problems.add(p);
        cell = new Cell(cell.kind(), cell.text().substring(0, options.maxCellLength()));
      }
      if (cell.kind() == Cell.Kind.BLANK) {
        return;
      }
      if (column >= cells.length) {
        cells = Arrays.copyOf(cells, Math.max(column + 1, cells.length * 2));
      }
      cells[column] = cell;
      width = Math.max(width, column + 1);
    }

    /** The row, or null when it has no non-blank cell. */
    @Nullable TableRow build(long number, boolean hidden) {
      boolean blank = true;
      for (int i = 0; i < width; i++) {
        Cell c = cells[i];
        if (c == null) {
          cells[i] = Cell.BLANK;
        } else if (!c.text().isBlank()) {
          blank = false;
        }
      }
      int w = width;
      while (w > 0 && cells[w - 1].text().isEmpty()) {
        w--;
      }
      if (blank && problems.isEmpty()) {
        return null;
      }
      return TableRow.of(number, cells, w, hidden).withProblems(problems);
    }

    static InvalidInputException tooManyColumns(long row, int column, ReadOptions options) {
      return at(
          ErrorCode.LIMIT_EXCEEDED,
          row,
          column,
          "more than "
              + options.maxColumns()
              + " columns (the limit): row "
              + row
              + " has a cell in column "
              + (column + 1));
    }

    /**
     * A cell over the length limit: the row's problem, or, with {@link ReadOptions#strict()}, the
     * file's (thrown).
     */
    static Problem cellTooLong(long row, int column, int length, ReadOptions options) {
      InvalidInputException e =
          at(
              ErrorCode.LIMIT_EXCEEDED,
              row,
              column,
              "cell "
                  + TableRow.columnName(column)
                  + row
                  + " has "
                  + length
                  + " characters, more than "
                  + options.maxCellLength()
                  + " (the limit)");
      if (options.strict()) {
        throw e;
      }
      return e.problems().get(0);
    }

    /** A problem of a file at a cell. */
    static InvalidInputException at(ErrorCode code, long row, int column, String message) {
      return new InvalidInputException(
          Problem.builder()
              .code(code)
              .row(row)
              .column(TableRow.columnName(column))
              .message(message)
              .build());
    }

    /**
     * Refuses the {@code count}-th non-blank row (blank rows are not counted), at file row {@code
     * row}, when it is past the row limit.
     */
    static void checkRows(long count, long row, ReadOptions options) {
      if (count > options.maxRows()) {
        throw new InvalidInputException(
            Problem.builder()
                .code(ErrorCode.LIMIT_EXCEEDED)
                .row(row)
                .message(
                    "more than "
                        + options.maxRows()
                        + " rows (the limit): row "
                        + row
                        + " is the file's row "
                        + count
                        + " that is not blank")
                .build());
      }
    }
  }
}
