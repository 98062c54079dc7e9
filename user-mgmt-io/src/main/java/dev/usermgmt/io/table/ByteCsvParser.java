package dev.usermgmt.io.table;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * RFC 4180 CSV read straight from the bytes of an encoding in which the delimiter, the quote and
 * the line breaks are single ASCII bytes that never occur inside another character: valid UTF-8 and
 * the single-byte western encodings. Fields become strings straight from the bytes, without first
 * decoding the whole file into characters as a {@link java.io.Reader} must.
 *
 * <p>It reads what {@link CsvTableReader}'s FastCSV path reads, record for record (a property test
 * compares them): a field in double quotes may hold delimiters, line breaks and doubled quotes, and
 * nothing but a delimiter or a line break may follow its closing quote; a quote inside an unquoted
 * field is text; CR, LF and CRLF end a record; an empty line is a record without fields; an
 * unclosed quote at the end of the file is an error.
 */
final class ByteCsvParser implements Closeable {
  private static final byte QUOTE = '"';
  private static final byte CR = '\r';
  private static final byte LF = '\n';

  private final InputStream in;
  private final Charset charset;
  private final byte delimiter;
  private final ReadOptions options;
  private final int budget;
  private byte[] buf;
  private int pos;
  private int len;
  private boolean eof;
  private boolean skipLf;
  private long record;
  private final TextFields fields = new TextFields();

  /**
   * A parser of a stream positioned after any byte-order mark.
   *
   * @param in the bytes
   * @param charset an ASCII-compatible encoding in which the bytes are valid
   * @param delimiter an ASCII delimiter
   * @param options the limits
   * @param bufferBytes the buffer's first size (it grows for a longer record, within the limits)
   */
  ByteCsvParser(
      InputStream in, Charset charset, char delimiter, ReadOptions options, int bufferBytes) {
    if (delimiter > 0x7F) {
      throw new IllegalArgumentException("not an ASCII delimiter: " + delimiter);
    }
    this.in = in;
    this.charset = charset;
    this.delimiter = (byte) delimiter;
    this.options = options;
    this.budget = CsvTableReader.recordBudget(options);
    this.buf = new byte[Math.max(1, Math.min(bufferBytes, budget))];
  }

  /**
   * The number of the record {@link #next} returned last (1-based, blank records counted).
   *
   * @return the record number
   */
  long record() {
    return record;
  }

  /**
   * The problems of the record {@link #next} returned last (cells over the length limit).
   *
   * @return the problems, taken once
   */
  java.util.List<dev.usermgmt.Problem> problems() {
    return fields.takeProblems();
  }

  /**
   * The next record's fields up to its last non-empty one (none for a blank record), or null at the
   * end of the file.
   *
   * @return the texts, or null
   * @throws IOException when the file cannot be read
   * @throws InvalidInputException for a malformed record or one beyond the limits, at its row
   */
  String @Nullable [] next() throws IOException {
    while (true) {
      if (skipLf) {
        if (pos == len && !fill()) {
          return null;
        }
        if (buf[pos] == LF) {
          pos++;
        }
        skipLf = false;
      }
      if (pos == len && !fill()) {
        return null;
      }
      int end = parse(pos);
      if (end >= 0) {
        pos = end;
        return fields.toArray();
      }
      // the record goes on past the buffer: keep its start, read more, parse it again
      if (!fill()) {
        eof = true;
      }
    }
  }

  /**
   * Moves the unparsed bytes to the front and reads more, growing the buffer within the record
   * budget.
   *
   * @return whether bytes were added
   */
  private boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, len - pos);
      len -= pos;
      pos = 0;
    }
    if (len == buf.length) {
      if (buf.length >= budget) {
        throw new InvalidInputException(
            Problem.builder()
                .code(ErrorCode.LIMIT_EXCEEDED)
                .row(record + 1)
                .message(
                    "row "
                        + (record + 1)
                        + " is longer than "
                        + budget
                        + " characters (an unclosed quote?)")
                .build());
      }
      buf = Arrays.copyOf(buf, (int) Math.min(budget, 2L * buf.length));
    }
    int n = in.read(buf, len, buf.length - len);
    if (n <= 0) {
      eof = true;
      return false;
    }
    len += n;
    return true;
  }

  /**
   * Parses the record starting at {@code p}: its fields into {@link #fields}.
   *
   * @return the position after the record, or -1 when the buffer ends before the record does and
   *     more of the file is left
   */
  private int parse(int p) {
    long number = record + 1;
    fields.clear();
    byte b = buf[p];
    if (b == CR || b == LF) {
      record = number;
      skipLf = b == CR;
      return p + 1; // an empty line: a record without fields
    }
    int column = 0;
    while (true) {
      int next;
      if (p < len && buf[p] == QUOTE) {
        next = quoted(p, column, number);
      } else {
        int e = p;
        byte d = delimiter;
        while (e < len && (b = buf[e]) != d && b != LF && b != CR) {
          e++;
        }
        if (e == len && !eof) {
          return -1;
        }
        field(column, p, e, false, number);
        next = e;
      }
      if (next < 0) {
        return -1;
      }
      if (next == len) {
        record = number; // the last record, without a line break
        return next;
      }
      b = buf[next];
      if (b == delimiter) {
        p = next + 1;
        column++;
        if (p == len && eof) {
          field(column, p, p, false, number); // a delimiter at the very end: one more empty field
          record = number;
          return p;
        }
        if (p == len) {
          return -1;
        }
        continue;
      }
      record = number;
      skipLf = b == CR;
      return next + 1; // CR or LF
    }
  }

  /**
   * Reads the quoted field at {@code p}.
   *
   * @return the position after its closing quote, or -1 when more bytes are needed
   */
  private int quoted(int p, int column, long number) {
    int i = p + 1;
    boolean doubled = false;
    while (true) {
      while (i < len && buf[i] != QUOTE) {
        i++;
      }
      if (i >= len - 1 && !eof) {
        return -1; // the quote, or what follows it, is not read yet
      }
      if (i == len) {
        throw malformed(number, "a quoted field is not closed at the end of the file");
      }
      if (i + 1 < len && buf[i + 1] == QUOTE) {
        doubled = true;
        i += 2;
        continue;
      }
      int after = i + 1;
      if (after < len) {
        byte b = buf[after];
        if (b != delimiter && b != CR && b != LF) {
          throw malformed(number, "unexpected character after a closing quote");
        }
      }
      field(column, p + 1, i, doubled, number);
      return after;
    }
  }

  private static InvalidInputException malformed(long row, String what) {
    return new InvalidInputException(
        Problem.builder()
            .code(ErrorCode.INVALID_FILE)
            .row(row)
            .message("unsupported or corrupt file near row " + row + ": " + what)
            .build());
  }

  /**
   * Keeps the field {@code buf[from, to)} (doubled quotes made single) when it is not empty; every
   * field, empty or not, comes here once it is read whole, so the column limit is checked after a
   * malformed field is reported, as the FastCSV path does.
   */
  private void field(int column, int from, int to, boolean doubled, long number) {
    if (column >= options.maxColumns()) {
      throw Readers.RowBuilder.tooManyColumns(number, column, options);
    }
    int n = to - from;
    if (n == 0) {
      return;
    }
    String text;
    if (doubled) {
      byte[] b = new byte[n];
      int k = 0;
      for (int i = from; i < to; i++) {
        b[k++] = buf[i];
        if (buf[i] == QUOTE) {
          i++; // the second of a pair
        }
      }
      text = new String(b, 0, k, charset);
    } else {
      text = new String(buf, from, n, charset);
    }
    fields.set(number, column, text, options);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
