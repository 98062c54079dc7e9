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
   * The problems of one cell: 0 or 1.
   *
   * @param field the cell's field
   * @param key whether the field is the match key (the plan only parses the key's address)
   * @param text the cell's text
   * @return 1 when the plan would reject the cell
   */
  int check(UserField field, boolean key, String text) {
    String t = Texts.trim(text);
    if (t.isEmpty()) {
      return 0;
    }
    if (key) {
      return EmailAddress.tryParse(t).isPresent() ? 0 : 1;
    }
    if (t.length() > UserField.MAX_TEXT) {
      return 1;
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
      return 0;
    } catch (UserMgmtException | DateTimeException e) {
      return 1;
    }
  }

  /** A date as the plan reads it: day first with slashes, otherwise ISO. */
  static LocalDate date(String t) {
    return t.indexOf('/') >= 0 ? LocalDate.parse(t, DMY) : LocalDate.parse(t);
  }
}
