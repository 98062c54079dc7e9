package dev.usermgmt.jdbc;

import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.internal.Texts;
import dev.usermgmt.jdbc.internal.Times;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.PasswordState;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserField;
import dev.usermgmt.user.UserStatus;
import dev.usermgmt.user.UserSummary;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The canonical text of a whole user, kept in the {@code doc} column: one {@code key=value} line a
 * field (values as {@link UserField#format}, but instants as epoch nanoseconds), {@code
 * attr.<key>:<TYPE>=value} for custom attributes, and {@code updatedAt}. Version and tenant live in
 * their own columns.
 */
final class UserCodec {
  private UserCodec() {}

  static String encode(User u) {
    StringBuilder b = new StringBuilder(512);
    for (UserField f : FIELDS) {
      write(b, f, u);
    }
    u.attributes().forEach((k, v) -> line(b, "attr." + k + ":" + v.type().name(), v.canonical()));
    number(b, "updatedAt", Times.nanos(u.updatedAt()));
    return b.toString();
  }

  /**
   * Writes one field's line when it has a value, as {@link UserField#format} writes it but for
   * instants, written as epoch nanoseconds (exact, and far cheaper to read back than ISO text). The
   * fields a user holds most are read by their own accessor, without the general accessor's detours
   * (a table lookup, an {@code Optional} and a string a value); the rest through {@link
   * UserField#get}. {@code UserCodecProperties} holds the general form and checks both agree.
   */
  private static void write(StringBuilder b, UserField f, User u) {
    switch (f) {
      case DISPLAY_NAME -> line(b, f.key(), u.displayName());
      case FIRST_NAME -> text(b, f, u.firstName());
      case LAST_NAME -> text(b, f, u.lastName());
      case INITIALS -> text(b, f, u.initials());
      case USERNAME -> text(b, f, u.username());
      case PRIMARY_EMAIL -> {
        if (u.primaryEmail().isPresent()) {
          line(b, f.key(), u.primaryEmail().get().value());
        }
      }
      case ROLE -> line(b, f.key(), u.role().key());
      case STATUS -> line(b, f.key(), u.status().name());
      case JOB_TITLE -> text(b, f, u.jobTitle());
      case POSITION -> text(b, f, u.position());
      case DEPARTMENT -> text(b, f, u.department());
      case COMPANY -> text(b, f, u.company());
      case LOCATION -> text(b, f, u.location());
      case OFFICE -> text(b, f, u.office());
      case USER_TYPE -> text(b, f, u.userType());
      case EMPLOYEE_ID -> text(b, f, u.employeeId());
      case LANGUAGE -> text(b, f, u.language());
      case HIRE_DATE -> {
        if (u.hireDate().isPresent()) {
          line(b, f.key(), u.hireDate().get().toString());
        }
      }
      case DEACTIVATED_AT -> instant(b, f, u.deactivatedAt());
      case LAST_ACTIVITY_AT -> instant(b, f, u.lastActivityAt());
      case LAST_LOGIN_AT -> instant(b, f, u.lastLoginAt());
      case INVITED_AT -> instant(b, f, u.invitedAt());
      case INVITE_SCHEDULED_AT -> instant(b, f, u.inviteScheduledAt());
      case ACTIVATION_SCHEDULED_AT -> instant(b, f, u.activationScheduledAt());
      case CREATED_AT -> number(b, f.key(), Times.nanos(u.createdAt()));
      case TAKING_A_BREAK -> b.append(f.key()).append('=').append(u.takingABreak()).append('\n');
      case LOCKED_OUT -> b.append(f.key()).append('=').append(u.lockedOut()).append('\n');
      case MFA_REQUIRED -> b.append(f.key()).append('=').append(u.mfaRequired()).append('\n');
      case SKILLS_COUNT -> number(b, f.key(), u.skillsCount());
      case PASSWORD_STATE -> line(b, f.key(), u.passwordState().name());
      default -> {
        Optional<Object> v = f.get(u);
        if (v.isPresent()) {
          if (v.get() instanceof Instant t) {
            number(b, f.key(), Times.nanos(t));
          } else {
            line(b, f.key(), f.format(v.get()));
          }
        }
      }
    }
  }

  private static void text(StringBuilder b, UserField f, Optional<String> value) {
    if (value.isPresent()) {
      line(b, f.key(), value.get());
    }
  }

  private static void instant(StringBuilder b, UserField f, Optional<Instant> value) {
    if (value.isPresent()) {
      number(b, f.key(), Times.nanos(value.get()));
    }
  }

  /** A line whose value is a number, which needs no escaping. */
  private static void number(StringBuilder b, String key, long value) {
    b.append(key).append('=').append(value).append('\n');
  }

  private static void line(StringBuilder b, String key, String value) {
    b.append(key).append('=');
    Escapes.escapeTo(b, value);
    b.append('\n');
  }

  private static final UserField[] FIELDS = UserField.values();

  /** The indexes of the fields by the length of their key. */
  private static final int[][] BY_LENGTH = byLength();

  private static int[][] byLength() {
    int longest = 0;
    for (UserField f : FIELDS) {
      longest = Math.max(longest, f.key().length());
    }
    int[][] out = new int[longest + 1][0];
    for (int i = 0; i < FIELDS.length; i++) {
      int length = FIELDS[i].key().length();
      out[length] = java.util.Arrays.copyOf(out[length], out[length].length + 1);
      out[length][out[length].length - 1] = i;
    }
    return out;
  }

  static User decode(TenantId tenant, String id, long version, String doc, RoleCatalog roles) {
    User.Builder b = User.builder().id(UserId.of(id)).tenant(tenant).version(version);
    Map<String, AttributeValue> attributes = Map.of();
    int start = 0;
    int next = 0; // fields are written in UserField order: try the next one first
    while (start < doc.length()) {
      int f = nextField(doc, start, next);
      int eq;
      int end;
      if (f >= 0) {
        eq = start + FIELDS[f].key().length();
        end = doc.indexOf('\n', eq); // a field's key holds no line break
      } else {
        // any other line: its '=' must be on it, or a lost '=' would join it to the next line
        end = doc.indexOf('\n', start);
        eq = doc.indexOf('=', start);
        if (eq < 0 || end < 0 || eq > end) {
          throw new IllegalStateException(
              "a line without '=' in doc: " + doc.substring(start, end < 0 ? doc.length() : end));
        }
        f = field(doc, start, eq);
      }
      if (f >= 0) {
        next = f + 1;
        set(b, FIELDS[f], doc, eq + 1, end, roles);
      } else if (doc.startsWith("attr.", start)) {
        if (attributes.isEmpty()) {
          attributes = new LinkedHashMap<>();
        }
        int colon = doc.lastIndexOf(':', eq);
        attributes.put(
            doc.substring(start + 5, colon),
            AttributeValue.parseCanonical(
                AttributeType.valueOf(doc.substring(colon + 1, eq)),
                Escapes.unescape(doc.substring(eq + 1, end))));
      } else if (doc.startsWith("updatedAt=", start)) {
        b.updatedAt(instant(doc, eq + 1, end));
      } else {
        throw new IllegalStateException("unknown field in doc: " + doc.substring(start, eq));
      }
      start = end + 1;
    }
    return b.attributes(attributes).build();
  }

  /**
   * The summary of the user a doc holds, read from the lines of its five fields without decoding
   * the others (no builder, no parsing of the address, no checks of the whole record: the doc was
   * written from a checked user).
   */
  static UserSummary summary(String id, long version, String doc) {
    String displayName = null;
    String firstName = null;
    String lastName = null;
    String email = null;
    UserStatus status = null;
    int start = 0;
    while (start < doc.length()
        && (displayName == null
            || firstName == null
            || lastName == null
            || email == null
            || status == null)) {
      int end = doc.indexOf('\n', start);
      int eq = doc.indexOf('=', start);
      if (key(doc, start, eq, DISPLAY_NAME)) {
        displayName = value(doc, eq, end);
      } else if (key(doc, start, eq, FIRST_NAME)) {
        firstName = value(doc, eq, end);
      } else if (key(doc, start, eq, LAST_NAME)) {
        lastName = value(doc, eq, end);
      } else if (key(doc, start, eq, PRIMARY_EMAIL)) {
        email = value(doc, eq, end);
      } else if (key(doc, start, eq, STATUS)) {
        status = status(doc, eq + 1, end);
      }
      start = end + 1;
    }
    if (displayName == null || status == null) {
      throw new IllegalStateException("a doc without displayName or status: user " + id);
    }
    return new UserSummary(
        UserId.of(id),
        version,
        status,
        Optional.ofNullable(email),
        Optional.ofNullable(firstName),
        Optional.ofNullable(lastName),
        displayName);
  }

  private static final String DISPLAY_NAME = UserField.DISPLAY_NAME.key();
  private static final String FIRST_NAME = UserField.FIRST_NAME.key();
  private static final String LAST_NAME = UserField.LAST_NAME.key();
  private static final String PRIMARY_EMAIL = UserField.PRIMARY_EMAIL.key();
  private static final String STATUS = UserField.STATUS.key();

  private static final UserStatus[] STATUSES = UserStatus.values();

  /** The status named by {@code doc[from, to)}, without a substring. */
  private static UserStatus status(String doc, int from, int to) {
    UserStatus s = named(STATUSES, doc, from, to);
    if (s == null) {
      throw new IllegalStateException("unknown status in doc: " + doc.substring(from, to));
    }
    return s;
  }

  /** Whether the line's key {@code doc[start, eq)} is {@code key}. */
  private static boolean key(String doc, int start, int eq, String key) {
    return eq - start == key.length() && doc.startsWith(key, start);
  }

  private static String value(String doc, int eq, int end) {
    return Escapes.unescape(doc.substring(eq + 1, end));
  }

  /**
   * Sets one field from its text {@code doc[from, to)}. The fields a page of users holds most are
   * set by their own builder method, read without the general parser's detours (instants, dates,
   * booleans, counts, plain text, the status and password state by name); the rest through {@link
   * UserField#parseCanonical} and {@link UserField#setOn}. {@link User}'s own checks still run on
   * build, so a stored value outside the value model is refused as before.
   */
  private static void set(
      User.Builder b, UserField field, String doc, int from, int to, RoleCatalog roles) {
    switch (field) {
      case DISPLAY_NAME -> b.displayName(trimmed(doc, from, to));
      case FIRST_NAME -> b.firstName(trimmed(doc, from, to));
      case LAST_NAME -> b.lastName(trimmed(doc, from, to));
      case INITIALS -> b.initials(trimmed(doc, from, to));
      case USERNAME -> b.username(trimmed(doc, from, to));
      case PRIMARY_EMAIL -> b.primaryEmail(EmailAddress.parse(text(doc, from, to)));
      case STATUS -> b.status(constant(STATUSES, field, doc, from, to, roles));
      case JOB_TITLE -> b.jobTitle(trimmed(doc, from, to));
      case POSITION -> b.position(trimmed(doc, from, to));
      case DEPARTMENT -> b.department(trimmed(doc, from, to));
      case COMPANY -> b.company(trimmed(doc, from, to));
      case LOCATION -> b.location(trimmed(doc, from, to));
      case OFFICE -> b.office(trimmed(doc, from, to));
      case USER_TYPE -> b.userType(trimmed(doc, from, to));
      case EMPLOYEE_ID -> b.employeeId(trimmed(doc, from, to));
      case LANGUAGE -> b.language(trimmed(doc, from, to));
      case MANAGER_ID -> b.managerId(UserId.of(text(doc, from, to)));
      case HIRE_DATE -> b.hireDate(date(doc, from, to));
      case DEACTIVATED_AT -> b.deactivatedAt(instant(doc, from, to));
      case LAST_ACTIVITY_AT -> b.lastActivityAt(instant(doc, from, to));
      case LAST_LOGIN_AT -> b.lastLoginAt(instant(doc, from, to));
      case INVITED_AT -> b.invitedAt(instant(doc, from, to));
      case INVITE_SCHEDULED_AT -> b.inviteScheduledAt(instant(doc, from, to));
      case ACTIVATION_SCHEDULED_AT -> b.activationScheduledAt(instant(doc, from, to));
      case CREATED_AT -> b.createdAt(instant(doc, from, to));
      case TAKING_A_BREAK -> b.takingABreak(bool(doc, from, to));
      case LOCKED_OUT -> b.lockedOut(bool(doc, from, to));
      case MFA_REQUIRED -> b.mfaRequired(bool(doc, from, to));
      case SKILLS_COUNT -> b.skillsCount(Integer.parseInt(doc, from, to, 10));
      case PASSWORD_STATE ->
          b.passwordState(constant(PASSWORD_STATES, field, doc, from, to, roles));
      default -> field.setOn(b, field.parseCanonical(text(doc, from, to), roles));
    }
  }

  private static String text(String doc, int from, int to) {
    return Escapes.unescape(doc.substring(from, to));
  }

  /** A text field's value trimmed, as {@link UserField#setOn} takes text. */
  private static String trimmed(String doc, int from, int to) {
    return Texts.trim(text(doc, from, to));
  }

  private static Instant instant(String doc, int from, int to) {
    return Times.instant(number(doc, from, to));
  }

  /**
   * The decimal {@code doc[from, to)}, read digit by digit: up to 19 plain digits (every instant
   * from 1970 to 2262 in nanoseconds) whose value fits a {@code long}. Anything else (a sign, an
   * overflow, a malformed number) goes to {@link Long#parseLong}, which decides.
   */
  private static long number(String doc, int from, int to) {
    int length = to - from;
    if (length > 0 && length <= 19) {
      long n = 0; // 18 digits cannot overflow; only a 19th can
      for (int i = from; i < from + Math.min(length, 18); i++) {
        int d = doc.charAt(i) - '0';
        if (d < 0 || d > 9) {
          return Long.parseLong(doc, from, to, 10);
        }
        n = n * 10 + d;
      }
      if (length < 19) {
        return n;
      }
      int d = doc.charAt(to - 1) - '0';
      if (d >= 0 && d <= 9 && n <= (Long.MAX_VALUE - d) / 10) {
        return n * 10 + d;
      }
    }
    return Long.parseLong(doc, from, to, 10);
  }

  private static final PasswordState[] PASSWORD_STATES = PasswordState.values();

  /**
   * The constant named by {@code doc[from, to)}, without a substring; null for any other text,
   * which the general parser then reads (and refuses) as it always has.
   */
  private static <E extends Enum<E>> @Nullable E named(E[] values, String doc, int from, int to) {
    for (E e : values) {
      if (key(doc, from, to, e.name())) {
        return e;
      }
    }
    return null;
  }

  /**
   * The constant of an enum field named by {@code doc[from, to)}; any other text goes to the
   * general parser, which reads it (an escaped name) or refuses it, as it always has.
   */
  private static <E extends Enum<E>> E constant(
      E[] values, UserField field, String doc, int from, int to, RoleCatalog roles) {
    E e = named(values, doc, from, to);
    return e != null
        ? e
        : values[0].getDeclaringClass().cast(field.parseCanonical(text(doc, from, to), roles));
  }

  private static boolean bool(String doc, int from, int to) {
    if (to - from == 4 && doc.startsWith("true", from)) {
      return true;
    }
    if (to - from == 5 && doc.startsWith("false", from)) {
      return false;
    }
    throw new IllegalStateException("not a boolean in doc: " + doc.substring(from, to));
  }

  /** An ISO date {@code yyyy-mm-dd} as {@link LocalDate#toString} writes years 0–9999. */
  private static LocalDate date(String doc, int from, int to) {
    if (to - from == 10 && doc.charAt(from + 4) == '-' && doc.charAt(from + 7) == '-') {
      return LocalDate.of(
          Integer.parseInt(doc, from, from + 4, 10),
          Integer.parseInt(doc, from + 5, from + 7, 10),
          Integer.parseInt(doc, from + 8, to, 10));
    }
    return LocalDate.parse(doc.substring(from, to));
  }

  /**
   * The index of the field at or after {@code next} whose key and {@code '='} start the line at
   * {@code start}, or -1. Fields are written in their order, so this finds almost every line's
   * field, and its end of key, without searching for the {@code '='} first.
   */
  private static int nextField(String doc, int start, int next) {
    for (int i = next; i < FIELDS.length; i++) {
      String key = FIELDS[i].key();
      int eq = start + key.length();
      if (eq < doc.length() && doc.charAt(eq) == '=' && doc.startsWith(key, start)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The index of the field whose key is {@code doc[start, eq)}, or -1; without substrings or
   * hashing: any key of that length.
   */
  private static int field(String doc, int start, int eq) {
    int length = eq - start;
    if (length < 0 || length >= BY_LENGTH.length) {
      return -1;
    }
    for (int i : BY_LENGTH[length]) {
      if (doc.startsWith(FIELDS[i].key(), start)) {
        return i;
      }
    }
    return -1;
  }
}
