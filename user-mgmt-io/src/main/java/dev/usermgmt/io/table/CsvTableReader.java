package dev.usermgmt.io.table;

import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import de.siegmar.fastcsv.reader.CommentStrategy;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.FieldMismatchStrategy;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.UserMgmtException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * CSV (RFC 4180 quoting: fields in double quotes may hold the delimiter, line breaks and doubled
 * quotes), with the encoding detected and the delimiter sniffed. Valid UTF-8 and single-byte
 * western files (nearly every upload) are read from their bytes by {@link ByteCsvParser}, which
 * makes each field's string straight from the file's bytes; the rest (UTF-16, UTF-8 with malformed
 * sequences, other encodings a caller names) through FastCSV, which decodes characters first and
 * reports a malformed sequence at its row. A property test holds the two to the same rows and
 * errors. FastCSV rather than Commons CSV (which writes the exports): reading with Commons CSV
 * alone took about twice as long as FastCSV here. Both readers bound a record's length, so an
 * unclosed quote cannot pull a whole file into one cell in memory.
 */
final class CsvTableReader implements TableReader {
  private static final char[] DELIMITERS = {',', ';', '\t', '|'};
  private static final int SAMPLE_CHARS = 65536;
  private static final int BYTE_BUFFER = 1 << 16;

  private final Path file;
  private final ReadOptions options;
  private final Runnable cleanup;
  private final Charset charset;
  private final int bomLength;
  private final char delimiter;
  private final boolean bytewise;
  private boolean used;

  CsvTableReader(Path file, byte[] head, ReadOptions options, Runnable cleanup) throws IOException {
    this.file = file;
    this.options = options;
    this.cleanup = cleanup;
    Encodings.Detected detected = Encodings.detect(file, head);
    if (options.charset().isPresent()) {
      this.charset = options.charset().get();
      this.bomLength = detected.charset().equals(charset) ? detected.bomLength() : 0;
    } else {
      this.charset = detected.charset();
      this.bomLength = detected.bomLength();
    }
    this.delimiter =
        options.delimiter().isPresent() ? options.delimiter().get() : sniffDelimiter(sample());
    this.bytewise = delimiter <= 0x7F && bytewise(file, charset, detected);
  }

  /**
   * Whether the file can be read from its bytes ({@link ByteCsvParser}): valid UTF-8 (checked
   * whole, as detection does without a byte-order mark) or a single-byte western encoding, where
   * every byte is a character. Anything else goes through FastCSV, which decodes first and reports
   * a malformed sequence at its row.
   */
  private static boolean bytewise(Path file, Charset charset, Encodings.Detected detected)
      throws IOException {
    if (charset.equals(Encodings.WINDOWS_1252) || charset.equals(StandardCharsets.ISO_8859_1)) {
      return true;
    }
    return charset.equals(StandardCharsets.UTF_8)
        && (detected.checkedUtf8() || Encodings.isUtf8(file));
  }

  @Override
  public FileInfo info() {
    return new FileInfo(
        FileFormat.CSV, Optional.of(charset), Optional.of(delimiter), Optional.empty());
  }

  /** The file's bytes after any byte-order mark. */
  private InputStream input() throws IOException {
    InputStream in = Files.newInputStream(file);
    long skipped = in.skip(bomLength);
    if (skipped != bomLength) {
      in.close();
      throw new IOException("cannot skip the byte-order mark");
    }
    return in;
  }

  private Reader reader() throws IOException {
    InputStream in = input();
    return new InputStreamReader(
        in,
        charset
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPLACE));
  }

  private String sample() throws IOException {
    try (Reader r = reader()) {
      char[] buf = new char[SAMPLE_CHARS];
      int n = 0;
      int k;
      while (n < buf.length && (k = r.read(buf, n, buf.length - n)) > 0) {
        n += k;
      }
      return new String(buf, 0, n);
    } catch (CharacterCodingException e) {
      return "";
    }
  }

  /**
   * The delimiter that splits the first records (outside quotes) into the same number of fields
   * most consistently; a comma when none does (a one-column file).
   */
  static char sniffDelimiter(String sample) {
    int records = 0;
    int[][] counts = new int[DELIMITERS.length][50];
    boolean quoted = false;
    int[] current = new int[DELIMITERS.length];
    for (int i = 0; i < sample.length() && records < 50; i++) {
      char c = sample.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && (c == '\n' || c == '\r')) {
        if (c == '\r' && i + 1 < sample.length() && sample.charAt(i + 1) == '\n') {
          i++;
        }
        for (int d = 0; d < DELIMITERS.length; d++) {
          counts[d][records] = current[d];
          current[d] = 0;
        }
        records++;
      } else if (!quoted) {
        for (int d = 0; d < DELIMITERS.length; d++) {
          if (c == DELIMITERS[d]) {
            current[d]++;
          }
        }
      }
    }
    if (records < 50 && !quoted) {
      boolean any = false;
      for (int d = 0; d < DELIMITERS.length; d++) {
        any |= current[d] > 0;
        counts[d][records] = current[d];
      }
      if (any) {
        records++;
      }
    }
    char best = ',';
    int bestScore = 0;
    for (int d = 0; d < DELIMITERS.length; d++) {
      int score = consistency(counts[d], records);
      if (score > bestScore) {
        bestScore = score;
        best = DELIMITERS[d];
      }
    }
    return best;
  }

  /** How many records share the first record's non-zero count, weighted by that count. */
  private static int consistency(int[] counts, int records) {
    if (records == 0 || counts[0] == 0) {
      return 0;
    }
    int same = 0;
    for (int i = 0; i < records; i++) {
      if (counts[i] == counts[0]) {
        same++;
      }
    }
    return same * 1000 + Math.min(counts[0], 999);
  }

  @Override
  public Stream<TableRow> rows() {
    if (used) {
      throw new IllegalStateException("the rows of a reader can be read once");
    }
    used = true;
    return bytewise ? bytewiseRows(BYTE_BUFFER) : fastCsvRows();
  }

  /**
   * The rows read from the bytes with a given first buffer size (tests compare them with {@link
   * #fastCsvRows} and make records cross the buffer's end); only where {@link #bytewise} holds.
   */
  Stream<TableRow> bytewiseRows(int bufferBytes) {
    ByteCsvParser parser;
    try {
      parser = new ByteCsvParser(input(), charset, delimiter, options, bufferBytes);
    } catch (IOException e) {
      throw Readers.ioFailure("cannot read the file", e);
    }
    long[] kept = {0};
    Readers.RowSource source =
        () -> {
          while (true) {
            String @Nullable [] texts = parser.next();
            if (texts == null) {
              return null;
            }
            TableRow row = TextFields.row(parser.record(), texts, parser.problems());
            if (row != null) {
              Readers.RowBuilder.checkRows(++kept[0], row.number(), options);
              return row;
            }
          }
        };
    return Readers.stream(source, () -> closeQuietly(parser));
  }

  /** The rows read through FastCSV. */
  Stream<TableRow> fastCsvRows() {
    RowHandler handler = new RowHandler(options);
    CsvReader<String[]> csv;
    try {
      csv =
          CsvReader.builder()
              .fieldSeparator(delimiter)
              .quoteCharacter('"')
              .commentStrategy(CommentStrategy.NONE)
              .skipEmptyLines(false)
              .extraFieldStrategy(FieldMismatchStrategy.IGNORE)
              .missingFieldStrategy(FieldMismatchStrategy.IGNORE)
              .allowUnclosedQuote(false)
              .detectBomHeader(false)
              .maxBufferSize(recordBudget(options))
              .build(handler, reader());
    } catch (IOException e) {
      throw Readers.ioFailure("cannot read the file", e);
    }
    Iterator<String[]> records = csv.iterator();
    long[] number = {0};
    long[] kept = {0};
    Readers.RowSource source =
        () -> {
          while (true) {
            boolean more;
            try {
              more = records.hasNext();
            } catch (CsvParseException | UncheckedIOException e) {
              throw wrap(number[0] + 1, e);
            }
            if (!more) {
              return null;
            }
            String[] texts = records.next();
            TableRow row = TextFields.row(++number[0], texts, handler.fields.takeProblems());
            if (row != null) {
              Readers.RowBuilder.checkRows(++kept[0], row.number(), options);
              return row;
            }
          }
        };
    return Readers.stream(source, () -> closeQuietly(csv));
  }

  /**
   * Builds each record as its texts up to its last non-empty field (none for a blank record), with
   * the column and cell-length limits of {@link Readers.RowBuilder} checked before a field becomes
   * a string. FastCSV's callback API, so that no {@code CsvRecord} is made a row.
   */
  private static final class RowHandler extends AbstractBaseCsvCallbackHandler<String[]> {
    private final ReadOptions options;
    final TextFields fields = new TextFields();
    private long record;

    RowHandler(ReadOptions options) {
      this.options = options;
    }

    @Override
    protected void handleBegin(long startingLineNumber) {
      record++;
      fields.clear();
    }

    @Override
    protected void handleField(int index, char[] buf, int offset, int length, boolean quoted) {
      if (index >= options.maxColumns()) {
        throw Readers.RowBuilder.tooManyColumns(record, index, options);
      }
      if (length > 0) {
        fields.set(record, index, new String(buf, offset, length), options);
      }
    }

    @Override
    protected String[] buildRecord() {
      return fields.toArray();
    }
  }

  private static void closeQuietly(java.io.Closeable file) {
    try {
      file.close();
    } catch (IOException e) {
      // closing a file we only read cannot lose data
    }
  }

  private UserMgmtException wrap(long row, RuntimeException e) {
    Throwable cause = e.getCause();
    if (cause instanceof UserMgmtException limit) {
      return limit; // a limit the row handler enforced, with its row and column
    }
    String message =
        String.valueOf(e.getMessage()) + " " + (cause == null ? "" : cause.getMessage());
    if (message.contains("buffer size")) {
      return new InvalidInputException(
          Problem.builder()
              .code(ErrorCode.LIMIT_EXCEEDED)
              .row(row)
              .message(
                  "row "
                      + row
                      + " is longer than "
                      + recordBudget(options)
                      + " characters (an unclosed quote?)")
              .build(),
          e);
    }
    if (cause instanceof CharacterCodingException) {
      return new InvalidInputException(
          Problem.builder()
              .code(ErrorCode.INVALID_FILE)
              .row(row)
              .message("row " + row + " is not valid " + charset.displayName() + " text")
              .build(),
          e);
    }
    return Readers.corrupt(row, e);
  }

  /** The most characters one record may take: enough for the widest sensible row. */
  static int recordBudget(ReadOptions options) {
    return (int)
        Math.min(
            Integer.MAX_VALUE - 16,
            (long) options.maxCellLength() * Math.min(options.maxColumns(), 64) + 65536);
  }

  @Override
  public void close() {
    cleanup.run();
  }
}
