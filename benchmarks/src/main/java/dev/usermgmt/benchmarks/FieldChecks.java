package dev.usermgmt.benchmarks;

import dev.usermgmt.UserMgmtException;
import dev.usermgmt.internal.Texts;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.PhoneNumber;
import dev.usermgmt.user.UserField;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;

/**
 * The checks an update plan makes of each cell of a row before it looks anything up in the store,
 * as the plan makes them: the key address through {@link EmailAddress#tryParse}, every other cell
 * through the parser of its field's kind (the plan's {@code CellValues.parse}, which is internal to
 * the bulk engine, calls these same public parsers: {@link EmailAddress#parse}, {@link
 * PhoneNumber#parse(String, String)}, {@link RoleCatalog#parse}, {@link LocalDate#parse} with the
 * strict {@code dd/MM/uuuu} form for text with a slash) and then the field's type and length check
 * ({@link UserField#checkType}).
 *
 * <p>The library has no public entry point that validates a file's rows without a store (the plan
 * makes these checks between its per-chunk lookups), so both sides of the read benchmarks call this
 * class: the library on the canonical text its mapping wrote, the baselines on the file's text.
 */
final class FieldChecks {
  private static final DateTimeFormatter DMY =
      DateTimeFormatter.ofPattern("dd/MM/uuuu").withResolverStyle(ResolverStyle.STRICT);

  private final RoleCatalog roles;
  private final String region;

  FieldChecks(RoleCatalog roles, String region) {
    this.roles = roles;
    this.region = region;
  }

  /**
   * Checks one cell as the plan would: a cell the plan rejects is a problem, any other non-blank
   * cell adds its parsed value to the tally.
   *
   * @param tally what the file's checks found so far
   * @param field the cell's field
   * @param key whether the field is the match key (the plan only parses the key's address)
   * @param text the cell's text
   */
  void check(Tally tally, UserField field, boolean key, String text) {
    String t = Texts.trim(text);
    if (t.isEmpty()) {
      return;
    }
    if (key) {
      EmailAddress.tryParse(t).ifPresentOrElse(e -> tally.value(field, e), () -> tally.problems++);
      return;
    }
    if (t.length() > UserField.MAX_TEXT) {
      tally.problems++;
      return;
    }
    try {
      Object value =
          switch (field.kind()) {
            case TEXT -> t;
            case EMAIL -> EmailAddress.parse(t);
            case PHONE -> PhoneNumber.parse(t, region);
            case ROLE -> roles.parse(t);
            case DATE -> date(t);
            default -> throw new IllegalArgumentException("not in the benchmark's files: " + field);
          };
      field.checkType(value);
      tally.value(field, value);
    } catch (UserMgmtException | DateTimeException e) {
      tally.problems++;
    }
  }

  /**
   * What the checks of a file found, the fingerprint both sides of a read must agree on: its rows,
   * its problems, and a sum over every accepted cell of a hash of its row, its field and its parsed
   * value (a sum, so the order a row's cells come in does not matter; the values as parsed, so a
   * cell one side read as other text, a date on another day, a number as other digits, is a
   * different fingerprint, where counts alone agreed).
   */
  static final class Tally {
    private long rows;
    private long problems;
    private long values;

    /** The next row starts. */
    void row() {
      rows++;
    }

    /** Problems found outside the checks (the library's reader's). */
    void problems(int n) {
      problems += n;
    }

    /** An accepted cell of the current row. */
    void value(UserField field, Object value) {
      long h = (rows * 64 + field.ordinal()) * 0x9E3779B97F4A7C15L ^ value.hashCode();
      h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
      h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
      values += h ^ (h >>> 31);
    }

    Found found() {
      return new Found(rows, problems, values);
    }
  }

  /** A {@link Tally}'s result. */
  record Found(long rows, long problems, long values) {}

  /** A date as the plan reads it: day first with slashes, otherwise ISO. */
  static LocalDate date(String t) {
    return t.indexOf('/') >= 0 ? LocalDate.parse(t, DMY) : LocalDate.parse(t);
  }
}
