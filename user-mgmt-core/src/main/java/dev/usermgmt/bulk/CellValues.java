package dev.usermgmt.bulk;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.UserId;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.internal.CellLists;
import dev.usermgmt.internal.Texts;
import dev.usermgmt.internal.ValueDomain;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.PhoneNumber;
import dev.usermgmt.user.UserField;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the text of a cell as a field's value: the forms the reference forms and files use (dates
 * {@code dd/mm/yyyy} or ISO-8601, Yes/No, roles by name or level, lists split on commas or
 * semicolons). Richer spreadsheet parsing (Excel serial dates…) belongs to the file readers.
 */
final class CellValues {
  private static final DateTimeFormatter DMY =
      DateTimeFormatter.ofPattern("dd/MM/uuuu").withResolverStyle(ResolverStyle.STRICT);

  private CellValues() {}

  static Object parse(
      UserField f, String text, RoleCatalog roles, String phoneRegion, Set<String> modules) {
    String t = Texts.trim(text);
    return switch (f.kind()) {
      case TEXT -> t;
      case EMAIL -> EmailAddress.parse(t);
      case PHONE -> PhoneNumber.parse(t, phoneRegion);
      case ROLE -> roles.parse(t);
      case USER_ID -> UserId.of(t);
      case DATE -> date(f.key(), t);
      case BOOLEAN -> bool(f.key(), t);
      case ZONE -> zone(f.key(), t);
      case TEXT_SET -> list(f, t, modules);
      default ->
          throw new InvalidInputException(
              Problem.ofField(
                  ErrorCode.UNKNOWN_COLUMN, f.key(), f.key() + " cannot be set from a file"));
    };
  }

  static AttributeValue attribute(String field, AttributeType type, String text) {
    String t = Texts.trim(text);
    return switch (type) {
      case TEXT -> AttributeValue.text(t);
      case NUMBER -> {
        try {
          yield AttributeValue.number(ValueDomain.decimal(t));
        } catch (NumberFormatException e) {
          throw new InvalidInputException(
              Problem.ofField(ErrorCode.INVALID_NUMBER, field, "'" + t + "' " + e.getMessage()));
        }
      }
      case DATE -> AttributeValue.date(date(field, t));
      case BOOLEAN -> AttributeValue.bool(bool(field, t));
      case USER_REF -> AttributeValue.userRef(UserId.of(t));
    };
  }

  static LocalDate date(String field, String t) {
    try {
      return t.indexOf('/') >= 0 ? LocalDate.parse(t, DMY) : LocalDate.parse(t);
    } catch (DateTimeException e) {
      throw new InvalidInputException(
          Problem.ofField(
              ErrorCode.INVALID_DATE, field, "not a date (dd/mm/yyyy or yyyy-mm-dd): '" + t + "'"));
    }
  }

  static boolean bool(String field, String t) {
    return switch (t.toLowerCase(Locale.ROOT)) {
      case "yes", "y", "true", "1" -> true;
      case "no", "n", "false", "0" -> false;
      default ->
          throw new InvalidInputException(
              Problem.ofField(ErrorCode.INVALID_BOOLEAN, field, "not Yes/No: '" + t + "'"));
    };
  }

  private static ZoneId zone(String field, String t) {
    try {
      return ZoneId.of(t);
    } catch (DateTimeException e) {
      throw new InvalidInputException(
          Problem.ofField(ErrorCode.INVALID_VALUE, field, "not a time zone: '" + t + "'"));
    }
  }

  private static Set<String> list(UserField f, String t, Set<String> modules) {
    Set<String> out = new TreeSet<>();
    for (String part : CellLists.items(t)) {
      out.add(f == UserField.MODULES ? CellLists.module(f.key(), part, modules) : part);
    }
    return out;
  }
}
