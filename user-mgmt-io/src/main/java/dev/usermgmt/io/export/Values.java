package dev.usermgmt.io.export;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Optional;
import java.util.stream.Collectors;

/** The text of a cell value, as CSV and the text cells of XLSX write it. */
final class Values {
  static final DateTimeFormatter INSTANT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private Values() {}

  static Object unwrap(Object value) {
    return value instanceof Optional<?> o ? o.map(v -> (Object) v).orElse("") : value;
  }

  static String text(Object value) {
    Object v = unwrap(value);
    if (v instanceof Instant i) {
      return INSTANT.format(i);
    }
    if (v instanceof LocalDate d) {
      return d.toString();
    }
    if (v instanceof Boolean b) {
      return b ? "Yes" : "No";
    }
    if (v instanceof java.math.BigDecimal n) {
      return n.toPlainString();
    }
    if (v instanceof Collection<?> c) {
      return c.stream().map(Values::text).collect(Collectors.joining(", "));
    }
    return v.toString();
  }

  /**
   * The text with what the library's own readers refuse replaced by U+FFFD: C0 control characters
   * other than tab, line feed and carriage return (a NUL makes a CSV look like binary data) and
   * lone surrogates (not encodable as UTF-8). Such values cannot be stored through the API; this
   * keeps an export of older data importable.
   */
  static String printable(String text) {
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (unprintable(text, i, c)) {
        StringBuilder sb = new StringBuilder(n);
        sb.append(text, 0, i);
        for (int j = i; j < n; j++) {
          char d = text.charAt(j);
          if (unprintable(text, j, d)) {
            sb.append('\uFFFD');
          } else {
            sb.append(d);
            if (Character.isHighSurrogate(d)) {
              sb.append(text.charAt(++j));
            }
          }
        }
        return sb.toString();
      }
      if (Character.isHighSurrogate(c)) {
        i++; // a valid pair: unprintable saw the low half
      }
    }
    return text;
  }

  private static boolean unprintable(String text, int i, char c) {
    if (c < 0x20) {
      return c != '\t' && c != '\n' && c != '\r';
    }
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
    }
    return Character.isLowSurrogate(c);
  }

  /** A write that failed (disk full, a closed stream): {@code io_failure}. */
  static dev.usermgmt.StoreException ioFailure(String what, Exception cause) {
    String why = cause.getMessage();
    return new dev.usermgmt.StoreException(
        dev.usermgmt.ErrorCode.IO_FAILURE, why == null ? what : what + ": " + why, cause);
  }
}
