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
}
