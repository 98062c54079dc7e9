package dev.usermgmt.io.mapping;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.internal.CellLists;
import dev.usermgmt.internal.Texts;
import dev.usermgmt.internal.ValueDomain;
import dev.usermgmt.io.table.Cell;
import dev.usermgmt.user.PhoneNumber;
import dev.usermgmt.user.UserField;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads spreadsheet cells as field values and writes them in the canonical text the bulk engine
 * reads (ISO dates, {@code true}/{@code false}, plain decimals, role keys, module names,
 * comma-separated lists). What the engine already reads as the file has it (phone text, ISO dates)
 * passes through unparsed and is checked once, by the plan.
 *
 * <ul>
 *   <li>Dates: date cells; Excel serial numbers in number cells (1900 date system, as Excel's
 *       {@code DATEVALUE}); ISO-8601 {@code 2024-03-01}; day first as the reference form shows,
 *       {@code 01/03/2024}, {@code 1.3.2024}, {@code 1-3-2024}; {@code 1 Mar 2024}. A two-digit
 *       year or a missing year is ambiguous and an error ({@code ambiguous_date}), never a guess.
 *   <li>Phones: a number cell that lost its {@code +} is read with it, to E.164; text goes on as
 *       typed, for the engine to parse with the tenant's default region.
 *   <li>Booleans: Yes/No, True/False, 1/0, Y/N, boolean cells.
 *   <li>Numbers: number cells, and text with a dot or a comma as the decimal mark.
 *   <li>Lists (modules, groups): split on commas, semicolons and line breaks; modules by name.
 *   <li>Roles: by key, label or level of the tenant's catalog.
 * </ul>
 */
public final class ValueParsers {
  private static final Pattern ISO = Pattern.compile("\\d{4}-\\d{2}-\\d{2}([T ].*)?");
  private static final Pattern YEAR_FIRST = Pattern.compile("(\\d{4})[./](\\d{1,2})[./](\\d{1,2})");
  private static final Pattern SERIAL = Pattern.compile("\\d{1,7}(\\.0+)?");
  private static final LocalDate EXCEL_EPOCH = LocalDate.of(1899, 12, 30);
  private static final List<DateTimeFormatter> WORDS =
      List.of(
          DateTimeFormatter.ofPattern("d MMM uuuu", Locale.ENGLISH),
          DateTimeFormatter.ofPattern("d MMMM uuuu", Locale.ENGLISH),
          DateTimeFormatter.ofPattern("MMM d, uuuu", Locale.ENGLISH),
          DateTimeFormatter.ofPattern("MMMM d, uuuu", Locale.ENGLISH));

  private ValueParsers() {}

  /**
   * A cell as the canonical text of a field of an update file.
   *
   * @param field the field key ({@code hireDate}, {@code attributes.level}…)
   * @param cell the cell
   * @param context the tenant's schema, roles, phone region and modules
   * @return the canonical text; empty for a blank cell
   * @throws InvalidInputException for a value the field cannot hold, naming the field
   */
  public static String canonical(String field, Cell cell, MappingContext context) {
    return converter(field, context).convert(cell.kind(), cell.text());
  }

  /** A column's conversion of a cell, given as its kind and text, to canonical text. */
  @FunctionalInterface
  interface Converter {
    /**
     * The canonical text of a cell.
     *
     * @param kind the cell's kind
     * @param text the cell's text
     * @return the canonical text, empty for a blank cell
     * @throws InvalidInputException for a value the field cannot hold
     */
    String convert(Cell.Kind kind, String text);
  }

  /** What a field does with a cell's text, resolved once per column. */
  private enum Kind {
    TEXT,
    DATE,
    BOOLEAN,
    NUMBER,
    PHONE,
    ROLE,
    MODULES,
    LIST
  }

  /**
   * The converter of one field, resolved once for a whole column.
   *
   * @param field the field key
   * @param context the tenant
   * @return the column's converter
   */
  static Converter converter(String field, MappingContext context) {
    Kind kind = kind(field, context);
    return (cellKind, text) -> {
      String t = Texts.trim(text);
      if (t.isEmpty()) {
        return "";
      }
      if (cellKind == Cell.Kind.ERROR) {
        throw new InvalidInputException(errorCell(field, t));
      }
      return switch (kind) {
        case TEXT -> t;
        case DATE -> isoDate(field, cellKind, t);
        case BOOLEAN -> Boolean.toString(bool(field, new Cell(cellKind, t)));
        case NUMBER -> number(field, new Cell(cellKind, t)).toPlainString();
        // text phones go on as typed: the bulk engine parses them with the same region
        case PHONE ->
            cellKind == Cell.Kind.NUMBER
                ? phone(field, new Cell(cellKind, t), context.phoneRegion()).e164()
                : t;
        case ROLE -> role(field, t, context);
        case MODULES -> String.join(", ", list(field, t, context));
        case LIST -> String.join(", ", list(field, t, null));
      };
    };
  }

  /**
   * A cell holding a spreadsheet error ({@code #REF!}, {@code #N/A}, {@code #DIV/0!}: a formula
   * that failed) holds no value: it is a problem of its cell, never the error's text taken as one.
   *
   * @param field the field the cell is mapped to, or empty for a cell of no field
   * @param error the error's text
   * @return the problem, without its row and column
   */
  static Problem errorCell(String field, String error) {
    String message = "the cell holds the spreadsheet error " + error + " (a formula that failed)";
    return field.isEmpty()
        ? Problem.of(ErrorCode.INVALID_VALUE, message)
        : Problem.ofField(ErrorCode.INVALID_VALUE, field, message);
  }

  private static Kind kind(String field, MappingContext context) {
    if (field.startsWith("attributes.")) {
      AttributeType type =
          context
              .schema()
              .definition(field.substring("attributes.".length()))
              .map(AttributeDefinition::type)
              .orElse(AttributeType.TEXT);
      return switch (type) {
        case DATE -> Kind.DATE;
        case BOOLEAN -> Kind.BOOLEAN;
        case NUMBER -> Kind.NUMBER;
        case TEXT, USER_REF -> Kind.TEXT;
      };
    }
    Optional<UserField> f = UserField.byKey(field);
    if (f.isEmpty()) {
      return Kind.TEXT;
    }
    return switch (f.get().kind()) {
      case DATE -> Kind.DATE;
      case BOOLEAN -> Kind.BOOLEAN;
      case PHONE -> Kind.PHONE;
      case ROLE -> Kind.ROLE;
      case TEXT_SET -> f.get() == UserField.MODULES ? Kind.MODULES : Kind.LIST;
      default -> Kind.TEXT;
    };
  }

  /**
   * Day, month, year and the year's digit count of {@code d/m/yyyy} (also with {@code .} or {@code
   * -}, the same separator twice, a year of two to four digits), or an empty array.
   */
  private static int[] dayFirst(String t) {
    int[] out = new int[4];
    int part = 0;
    int digits = 0;
    int value = 0;
    char sep = 0;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c >= '0' && c <= '9') {
        value = value * 10 + (c - '0');
        if (++digits > 4) {
          return new int[0];
        }
      } else if ((c == '/' || c == '.' || c == '-') && part < 2 && digits >= 1 && digits <= 2) {
        if (sep != 0 && c != sep) {
          return new int[0];
        }
        sep = c;
        out[part++] = value;
        value = 0;
        digits = 0;
      } else {
        return new int[0];
      }
    }
    if (part != 2 || digits < 2) {
      return new int[0];
    }
    out[2] = value;
    out[3] = digits;
    return out;
  }

  /**
   * A date cell's ISO text: ISO text passes as it is (the bulk engine checks the calendar), day
   * first text is checked and written without a {@link LocalDate} round trip of its text, the rest
   * through {@link #date}.
   */
  private static String isoDate(String field, Cell.Kind kind, String t) {
    if (kind == Cell.Kind.TEXT) {
      if (isIsoDate(t)) {
        return t;
      }
      if (isDayFirstDate(t)) {
        // dd/mm/yyyy: the same digits in ISO order, once the calendar accepts them
        dayFirstDate(field, t, new int[] {digits(t, 0, 2), digits(t, 3, 5), digits(t, 6, 10), 4});
        return new String(
            new char[] {
              t.charAt(6),
              t.charAt(7),
              t.charAt(8),
              t.charAt(9),
              '-',
              t.charAt(3),
              t.charAt(4),
              '-',
              t.charAt(0),
              t.charAt(1)
            });
      }
    }
    return date(field, new Cell(kind, t)).toString();
  }

  /** {@code dd/mm/yyyy} (or with dots or dashes) by shape. */
  private static boolean isDayFirstDate(String t) {
    if (t.length() != 10) {
      return false;
    }
    char sep = t.charAt(2);
    if ((sep != '/' && sep != '.' && sep != '-') || t.charAt(5) != sep) {
      return false;
    }
    for (int i = 0; i < 10; i++) {
      char c = t.charAt(i);
      if (i != 2 && i != 5 && (c < '0' || c > '9')) {
        return false;
      }
    }
    return true;
  }

  /** The decimal number of the ASCII digits {@code t[from, to)}. */
  private static int digits(String t, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      n = n * 10 + t.charAt(i) - '0';
    }
    return n;
  }

  /** {@code yyyy-mm-dd} by shape; the bulk engine checks the calendar. */
  private static boolean isIsoDate(String t) {
    if (t.length() != 10 || t.charAt(4) != '-' || t.charAt(7) != '-') {
      return false;
    }
    for (int i = 0; i < 10; i++) {
      if (i != 4 && i != 7 && (t.charAt(i) < '0' || t.charAt(i) > '9')) {
        return false;
      }
    }
    return true;
  }

  /**
   * A date.
   *
   * @param field the field, for errors
   * @param cell the cell
   * @return the date
   */
  public static LocalDate date(String field, Cell cell) {
    String t = Texts.trim(cell.text());
    try {
      if (cell.kind() == Cell.Kind.DATE) {
        return LocalDate.parse(t.length() > 10 ? t.substring(0, 10) : t);
      }
      if (cell.kind() == Cell.Kind.NUMBER && SERIAL.matcher(t).matches()) {
        long serial = (long) Double.parseDouble(t);
        if (serial >= 1 && serial <= 2_958_465) {
          // Excel counts 1900-02-29, which did not exist: serials from 61 on are one day late.
          return serial < 61 ? EXCEL_EPOCH.plusDays(serial + 1) : EXCEL_EPOCH.plusDays(serial);
        }
      }
      int[] dmy = dayFirst(t);
      if (dmy.length == 4) {
        return dayFirstDate(field, t, dmy);
      }
      if (ISO.matcher(t).matches()) {
        return LocalDate.parse(t.substring(0, 10));
      }
      Matcher m = YEAR_FIRST.matcher(t);
      if (m.matches()) {
        return LocalDate.of(
            Integer.parseInt(m.group(1)),
            Integer.parseInt(m.group(2)),
            Integer.parseInt(m.group(3)));
      }
      for (DateTimeFormatter f : WORDS) {
        try {
          return LocalDate.parse(t, f.withResolverStyle(ResolverStyle.SMART));
        } catch (DateTimeException e) {
          // try the next form
        }
      }
    } catch (DateTimeException | NumberFormatException e) {
      throw new InvalidInputException(
          Problem.ofField(ErrorCode.INVALID_DATE, field, "'" + t + "' is not a date"), e);
    }
    throw new InvalidInputException(
        Problem.ofField(
            ErrorCode.INVALID_DATE,
            field,
            "'" + t + "' is not a date (dd/mm/yyyy, yyyy-mm-dd or a date cell)"));
  }

  /** The date of day-first text split by {@link #dayFirst}; a two-digit year is ambiguous. */
  private static LocalDate dayFirstDate(String field, String t, int[] dmy) {
    if (dmy[3] != 4) {
      throw new InvalidInputException(
          Problem.ofField(
              ErrorCode.AMBIGUOUS_DATE,
              field,
              "'" + t + "' has a two-digit year; write the year in full (dd/mm/yyyy)"));
    }
    if (dmy[1] > 12 && dmy[0] <= 12) {
      throw new InvalidInputException(
          Problem.ofField(
              ErrorCode.AMBIGUOUS_DATE,
              field,
              "'" + t + "' looks month-first; dates are day first (dd/mm/yyyy)"));
    }
    try {
      return LocalDate.of(dmy[2], dmy[1], dmy[0]);
    } catch (DateTimeException e) {
      throw new InvalidInputException(
          Problem.ofField(ErrorCode.INVALID_DATE, field, "'" + t + "' is not a date"), e);
    }
  }

  /**
   * A Yes/No value.
   *
   * @param field the field, for errors
   * @param cell the cell
   * @return the value
   */
  public static boolean bool(String field, Cell cell) {
    String t = Texts.trim(cell.text()).toLowerCase(Locale.ROOT);
    return switch (t) {
      case "yes", "y", "true", "1", "on" -> true;
      case "no", "n", "false", "0", "off" -> false;
      default ->
          throw new InvalidInputException(
              Problem.ofField(
                  ErrorCode.INVALID_BOOLEAN, field, "'" + cell.text() + "' is not Yes or No"));
    };
  }

  /**
   * A number, with a dot or a comma as the decimal mark.
   *
   * @param field the field, for errors
   * @param cell the cell
   * @return the number
   */
  public static BigDecimal number(String field, Cell cell) {
    try {
      return ValueDomain.decimal(cell.text());
    } catch (NumberFormatException e) {
      throw new InvalidInputException(
          Problem.ofField(
              ErrorCode.INVALID_NUMBER, field, "'" + cell.text() + "' " + e.getMessage()),
          e);
    }
  }

  /**
   * A phone number in E.164.
   *
   * @param field the field, for errors
   * @param cell the cell
   * @param region the default region
   * @return the number
   */
  public static PhoneNumber phone(String field, Cell cell, String region) {
    String t = Texts.trim(cell.text());
    Optional<PhoneNumber> p = PhoneNumber.tryParse(t, region);
    if (p.isEmpty() && cell.kind() == Cell.Kind.NUMBER) {
      p = PhoneNumber.tryParse("+" + t, region);
    }
    return p.orElseThrow(
        () ->
            new InvalidInputException(
                Problem.ofField(
                    ErrorCode.INVALID_PHONE, field, "'" + t + "' is not a phone number")));
  }

  private static String role(String field, String t, MappingContext context) {
    try {
      return context.roles().parse(t).key();
    } catch (InvalidInputException e) {
      throw new InvalidInputException(
          Problem.ofField(
              ErrorCode.INVALID_ROLE,
              field,
              "unknown role '"
                  + t
                  + "'; use one of "
                  + context.roles().roles().stream().map(r -> r.label()).toList()));
    }
  }

  /**
   * A list: split on commas, semicolons and line breaks; modules matched to the tenant's names.
   *
   * @param field the field, for errors
   * @param text the cell text
   * @param modules the context whose modules to match, or null for free text
   * @return the items
   */
  static List<String> list(
      String field, String text, @org.jspecify.annotations.Nullable MappingContext modules) {
    List<String> out = new ArrayList<>();
    for (String part : CellLists.items(text)) {
      out.add(modules == null ? part : CellLists.module(field, part, modules.modules()));
    }
    return out;
  }
}
