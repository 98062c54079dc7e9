package dev.usermgmt.user;

import com.google.common.collect.ImmutableSortedSet;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.UserId;
import dev.usermgmt.internal.Instants;
import dev.usermgmt.internal.Texts;
import dev.usermgmt.role.DomainRole;
import dev.usermgmt.role.Role;
import dev.usermgmt.role.RoleCatalog;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The standard fields of a {@link User}, by the names the reference uses in files, filters and JSON
 * ({@code displayName}, {@code primaryEmail}, {@code managerId}…). One place knows how to read a
 * field, write it into a copy, and turn its value into canonical text and back; patches, diffs, the
 * change log, column mapping, filters and exports all go through it.
 *
 * <p>{@link Editability#FORM} fields are what an edit form, a patch or an update file may change;
 * {@link Editability#SYSTEM} fields change only through lifecycle transitions and host events.
 */
public enum UserField {
  DISPLAY_NAME("displayName", Kind.TEXT, Editability.FORM, true),
  FIRST_NAME("firstName", Kind.TEXT, Editability.FORM, false),
  LAST_NAME("lastName", Kind.TEXT, Editability.FORM, false),
  INITIALS("initials", Kind.TEXT, Editability.FORM, false),
  USERNAME("username", Kind.TEXT, Editability.FORM, false),
  PRIMARY_EMAIL("primaryEmail", Kind.EMAIL, Editability.FORM, false),
  PHONE_NUMBER("phoneNumber", Kind.PHONE, Editability.FORM, false),
  ROLE("role", Kind.ROLE, Editability.FORM, true),
  DOMAIN_ROLES("domainRoles", Kind.DOMAIN_ROLES, Editability.FORM, false),
  STATUS("status", Kind.STATUS, Editability.SYSTEM, true),
  MODULES("modules", Kind.TEXT_SET, Editability.FORM, false),
  GROUPS("groups", Kind.TEXT_SET, Editability.FORM, false),
  PERMISSION_GRANTS("permissionGrants", Kind.TEXT_SET, Editability.FORM, false),
  PERMISSION_REVOCATIONS("permissionRevocations", Kind.TEXT_SET, Editability.FORM, false),
  JOB_TITLE("jobTitle", Kind.TEXT, Editability.FORM, false),
  POSITION("position", Kind.TEXT, Editability.FORM, false),
  DEPARTMENT("department", Kind.TEXT, Editability.FORM, false),
  COMPANY("company", Kind.TEXT, Editability.FORM, false),
  LOCATION("location", Kind.TEXT, Editability.FORM, false),
  OFFICE("office", Kind.TEXT, Editability.FORM, false),
  USER_TYPE("userType", Kind.TEXT, Editability.FORM, false),
  EMPLOYEE_ID("employeeId", Kind.TEXT, Editability.FORM, false),
  MANAGER_ID("managerId", Kind.USER_ID, Editability.FORM, false),
  HIRE_DATE("hireDate", Kind.DATE, Editability.FORM, false),
  DEACTIVATED_AT("deactivatedAt", Kind.INSTANT, Editability.SYSTEM, false),
  LAST_ACTIVITY_AT("lastActivityAt", Kind.INSTANT, Editability.SYSTEM, false),
  LAST_LOGIN_AT("lastLoginAt", Kind.INSTANT, Editability.SYSTEM, false),
  INVITED_AT("invitedAt", Kind.INSTANT, Editability.SYSTEM, false),
  INVITE_SCHEDULED_AT("inviteScheduledAt", Kind.INSTANT, Editability.SYSTEM, false),
  ACTIVATION_SCHEDULED_AT("activationScheduledAt", Kind.INSTANT, Editability.SYSTEM, false),
  TAKING_A_BREAK("takingABreak", Kind.BOOLEAN, Editability.FORM, true),
  TIME_ZONE("timeZone", Kind.ZONE, Editability.FORM, false),
  LANGUAGE("language", Kind.TEXT, Editability.FORM, false),
  SKILLS_COUNT("skillsCount", Kind.INTEGER, Editability.SYSTEM, true),
  LOCKED_OUT("lockedOut", Kind.BOOLEAN, Editability.SYSTEM, true),
  MFA_REQUIRED("mfaRequired", Kind.BOOLEAN, Editability.SYSTEM, true),
  PASSWORD_STATE("passwordState", Kind.PASSWORD_STATE, Editability.SYSTEM, true),
  CREATED_AT("createdAt", Kind.INSTANT, Editability.SYSTEM, true);

  /** The longest text a text field holds. */
  public static final int MAX_TEXT = dev.usermgmt.internal.ValueDomain.MAX_TEXT;

  /** The type of a field's values. */
  public enum Kind {
    /** {@link String}. */
    TEXT,
    /** {@link EmailAddress}. */
    EMAIL,
    /** {@link PhoneNumber}. */
    PHONE,
    /** {@link Role}. */
    ROLE,
    /** {@link UserStatus}. */
    STATUS,
    /** {@link UserId}. */
    USER_ID,
    /** {@link LocalDate}. */
    DATE,
    /** {@link Instant}. */
    INSTANT,
    /** {@link Boolean}. */
    BOOLEAN,
    /** {@link Integer}. */
    INTEGER,
    /** {@link ZoneId}. */
    ZONE,
    /** {@link PasswordState}. */
    PASSWORD_STATE,
    /** A sorted set of {@link String}. */
    TEXT_SET,
    /** A set of {@link DomainRole}. */
    DOMAIN_ROLES
  }

  /** Who may change a field directly. */
  public enum Editability {
    /** Edit forms, patches and update files. */
    FORM,
    /** Only lifecycle transitions and host events. */
    SYSTEM
  }

  private static final Map<String, UserField> BY_KEY = new HashMap<>();

  static {
    for (UserField f : values()) {
      BY_KEY.put(f.key, f);
      BY_KEY.put(f.key.toLowerCase(Locale.ROOT), f);
    }
  }

  private final String key;
  private final Kind kind;
  private final Editability editability;
  private final boolean required;

  UserField(String key, Kind kind, Editability editability, boolean required) {
    this.key = key;
    this.kind = kind;
    this.editability = editability;
    this.required = required;
  }

  /**
   * The field's name in files, filters and JSON, e.g. {@code primaryEmail}.
   *
   * @return the key
   */
  public String key() {
    return key;
  }

  /**
   * The type of the field's values.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * Who may change the field directly.
   *
   * @return the editability
   */
  public Editability editability() {
    return editability;
  }

  /**
   * Whether every user has a value (it cannot be cleared).
   *
   * @return true for required fields
   */
  public boolean required() {
    return required;
  }

  /**
   * Whether the field holds a set of values (modules, groups…), to which "append" applies.
   *
   * @return true for set-valued fields
   */
  public boolean isSet() {
    return kind == Kind.TEXT_SET || kind == Kind.DOMAIN_ROLES;
  }

  /**
   * A field by its key, case-insensitively.
   *
   * @param key e.g. {@code primaryEmail}
   * @return the field, or empty
   */
  public static Optional<UserField> byKey(String key) {
    UserField f = BY_KEY.get(key);
    return f != null
        ? Optional.of(f)
        : Optional.ofNullable(BY_KEY.get(key.toLowerCase(Locale.ROOT)));
  }

  /**
   * Whether two users hold the same value of this field: what {@code get(a).equals(get(b))} says,
   * without wrapping either value, and at once when both hold the same instance (as a copy made
   * with {@link User#toBuilder()} does for every field it leaves alone).
   *
   * @param a a user
   * @param b another user
   * @return whether the values are equal
   */
  public boolean equalIn(User a, User b) {
    // no accessor returns null; an empty set equals only an empty set, as an absent value only
    // an absent one, so comparing the values unwrapped agrees with comparing get's results
    return FieldAccessors.same(this, a, b);
  }

  /**
   * The field's value on a user. Sets are empty-as-absent: an empty set reads as empty.
   *
   * @param user a user
   * @return the value, or empty
   */
  @SuppressWarnings("unchecked")
  public Optional<Object> get(User user) {
    Object v = FieldAccessors.get(this, user);
    if (v instanceof Optional<?> o) {
      return (Optional<Object>) o;
    }
    if (v instanceof Collection<?> c && c.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(v);
  }

  /**
   * A copy of a user with this field set (or cleared when {@code value} is empty). Does not touch
   * version or timestamps.
   *
   * @param user a user
   * @param value the new value, of this field's {@link #kind()}; empty to clear
   * @return the copy
   * @throws InvalidInputException with {@link ErrorCode#MISSING_FIELD} when clearing a required
   *     field, or {@link ErrorCode#INVALID_VALUE} for a value of the wrong type
   */
  public User set(User user, Optional<?> value) {
    if (value.isEmpty() && required) {
      throw new InvalidInputException(
          Problem.ofField(ErrorCode.MISSING_FIELD, key, key + " cannot be cleared"));
    }
    Object v = value.isPresent() ? checkType(value.get()) : null;
    return FieldAccessors.set(
        this, (ImmutableUser) ImmutableUser.copyOf(user), Optional.ofNullable(v));
  }

  /**
   * Checks that a value has this field's type and normalises it (text trimmed, sets copied and
   * sorted).
   *
   * @param value a candidate value
   * @return the normalised value
   * @throws InvalidInputException with {@link ErrorCode#INVALID_VALUE} for a wrong type
   */
  public Object checkType(Object value) {
    Class<?> expected = javaType();
    if (!expected.isInstance(value)) {
      throw new InvalidInputException(
          Problem.ofField(
              ErrorCode.INVALID_VALUE,
              key,
              key
                  + " takes a "
                  + expected.getSimpleName()
                  + ", not "
                  + value.getClass().getSimpleName()));
    }
    if (kind == Kind.TEXT) {
      return Texts.trim((String) value);
    }
    if (kind == Kind.TEXT_SET) {
      SortedSet<String> out = new TreeSet<>();
      for (Object o : (Set<?>) value) {
        if (!(o instanceof String str) || Texts.trim(str).isEmpty() || str.indexOf('|') >= 0) {
          throw new InvalidInputException(
              Problem.ofField(
                  ErrorCode.INVALID_VALUE, key, key + " holds non-blank text without '|' only"));
        }
        out.add(Texts.trim(str));
      }
      return ImmutableSortedSet.copyOfSorted(out);
    }
    if (kind == Kind.DOMAIN_ROLES) {
      for (Object o : (Set<?>) value) {
        if (!(o instanceof DomainRole)) {
          throw new InvalidInputException(
              Problem.ofField(ErrorCode.INVALID_VALUE, key, key + " holds domain roles only"));
        }
      }
      return Set.copyOf((Set<?>) value);
    }
    return value;
  }

  /**
   * The Java type of the field's values.
   *
   * @return the class
   */
  public Class<?> javaType() {
    switch (kind) {
      case TEXT:
        return String.class;
      case EMAIL:
        return EmailAddress.class;
      case PHONE:
        return PhoneNumber.class;
      case ROLE:
        return Role.class;
      case STATUS:
        return UserStatus.class;
      case USER_ID:
        return UserId.class;
      case DATE:
        return LocalDate.class;
      case INSTANT:
        return Instant.class;
      case BOOLEAN:
        return Boolean.class;
      case INTEGER:
        return Integer.class;
      case ZONE:
        return ZoneId.class;
      case PASSWORD_STATE:
        return PasswordState.class;
      case TEXT_SET:
      case DOMAIN_ROLES:
      default:
        return Set.class;
    }
  }

  /**
   * The canonical text of a value: text as is, e-mail normalised, phone E.164, role key, enums by
   * name, dates and instants ISO-8601, sets as their elements joined by {@code |} (domain roles as
   * {@code domain:roleKey}). {@link #parseCanonical} reads it back.
   *
   * @param value a value of this field's kind
   * @return the canonical text
   */
  public String format(Object value) {
    return switch (kind) {
      case ROLE -> ((Role) value).key();
      case STATUS, PASSWORD_STATE -> ((Enum<?>) value).name();
      case EMAIL -> ((EmailAddress) value).value();
      case PHONE -> ((PhoneNumber) value).e164();
      case TEXT_SET, DOMAIN_ROLES -> String.join("|", stringSet(value));
      case INSTANT -> Instants.iso((Instant) value);
      default -> value.toString();
    };
  }

  private static Set<String> stringSet(Object value) {
    TreeSet<String> out = new TreeSet<>();
    for (Object o : (Set<?>) value) {
      out.add(o.toString());
    }
    return out;
  }

  /**
   * Reads the canonical text of {@link #format} back: values the library wrote itself (a stored
   * user, a change log's diff, a sealed plan), not input. A phone number is read by its E.164 form
   * ({@link PhoneNumber#ofE164}), not validated again; text people type goes through {@link
   * PhoneNumber#parse} and the other parsers.
   *
   * @param text canonical text
   * @param roles the catalog that role keys refer to
   * @return the value
   * @throws InvalidInputException when the text is not canonical for this field
   */
  public Object parseCanonical(String text, RoleCatalog roles) {
    try {
      switch (kind) {
        case TEXT:
          return text;
        case EMAIL:
          return EmailAddress.parse(text);
        case PHONE:
          return PhoneNumber.ofE164(text);
        case ROLE:
          return roles.byKey(text).orElseThrow(() -> new IllegalArgumentException("role " + text));
        case STATUS:
          return UserStatus.valueOf(text);
        case PASSWORD_STATE:
          return PasswordState.valueOf(text);
        case USER_ID:
          return UserId.of(text);
        case DATE:
          return LocalDate.parse(text);
        case INSTANT:
          return Instant.parse(text);
        case BOOLEAN:
          if (!text.equals("true") && !text.equals("false")) {
            throw new IllegalArgumentException(text);
          }
          return Boolean.valueOf(text);
        case INTEGER:
          return Integer.valueOf(text);
        case ZONE:
          return ZoneId.of(text);
        case TEXT_SET:
          return text.isEmpty()
              ? ImmutableSortedSet.of()
              : ImmutableSortedSet.copyOf(Arrays.asList(text.split("\\|")));
        case DOMAIN_ROLES:
        default:
          java.util.HashSet<DomainRole> out = new java.util.HashSet<>();
          for (String part : text.isEmpty() ? new String[0] : text.split("\\|")) {
            int colon = part.indexOf(':');
            Role r =
                roles
                    .byKey(part.substring(colon + 1))
                    .orElseThrow(() -> new IllegalArgumentException("role " + part));
            out.add(DomainRole.of(part.substring(0, colon), r));
          }
          return Set.copyOf(out);
      }
    } catch (RuntimeException e) {
      if (e instanceof InvalidInputException) {
        throw e;
      }
      throw new InvalidInputException(
          Problem.ofField(ErrorCode.INVALID_VALUE, key, "not a canonical " + key + ": " + text));
    }
  }

  /**
   * Clears this field on a builder: with {@link #setOn}, several changes go on one builder and the
   * user is checked once, as they leave it, not after each field.
   *
   * @param builder a user builder
   * @return the builder
   * @throws InvalidInputException with {@link ErrorCode#MISSING_FIELD} when the field is required
   */
  public User.Builder clearOn(User.Builder builder) {
    if (required) {
      throw new InvalidInputException(
          Problem.ofField(ErrorCode.MISSING_FIELD, key, key + " cannot be cleared"));
    }
    FieldAccessors.clear(this, builder);
    return builder;
  }

  /**
   * Sets this field on a builder, for stores that rebuild users from their columns.
   *
   * @param builder a user builder
   * @param value a value of this field's {@link #kind()}
   * @return the builder
   * @throws InvalidInputException for a value of the wrong type
   */
  @SuppressWarnings("unchecked")
  public User.Builder setOn(User.Builder builder, Object value) {
    Object v = checkType(value);
    switch (kind) {
      case TEXT_SET -> {
        Iterable<String> strings = (Iterable<String>) v;
        switch (this) {
          case MODULES -> builder.modules(strings);
          case GROUPS -> builder.groups(strings);
          case PERMISSION_GRANTS -> builder.permissionGrants(strings);
          default -> builder.permissionRevocations(strings);
        }
      }
      case DOMAIN_ROLES -> builder.domainRoles((Iterable<DomainRole>) v);
      default -> FieldAccessors.build(this, builder, v);
    }
    return builder;
  }
}
