package dev.usermgmt.query;

import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.internal.ValueDomain;
import dev.usermgmt.user.UserField;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The attributes filters and sorts can name, and the rules that check a filter against them.
 *
 * <table>
 *   <caption>Standard query attributes (aliases in brackets)</caption>
 *   <tr><th>name</th><th>type</th></tr>
 *   <tr><td>id</td><td>ID</td></tr>
 *   <tr><td>displayName (name, name.formatted, user)</td><td>TEXT</td></tr>
 *   <tr><td>firstName (name.givenName), lastName (name.familyName)</td><td>TEXT</td></tr>
 *   <tr><td>username (userName)</td><td>TEXT</td></tr>
 *   <tr><td>primaryEmail (email, emails, emails.value)</td><td>TEXT</td></tr>
 *   <tr><td>phoneNumber (phoneNumbers, phoneNumbers.value)</td><td>TEXT</td></tr>
 *   <tr><td>role (permission)</td><td>ROLE</td></tr>
 *   <tr><td>status (userStatus)</td><td>STATUS</td></tr>
 *   <tr><td>active</td><td>BOOLEAN (status is active)</td></tr>
 *   <tr><td>jobTitle (title), position, department, company, location, office, userType
 *       (employeeType), employeeId (employeeNumber), language, passwordState</td><td>TEXT</td></tr>
 *   <tr><td>managerId (directManager, manager, manager.value)</td><td>ID</td></tr>
 *   <tr><td>managers (any manager up the hierarchy)</td><td>ID, multi-valued</td></tr>
 *   <tr><td>groups, modules</td><td>TEXT, multi-valued</td></tr>
 *   <tr><td>hireDate</td><td>DATE</td></tr>
 *   <tr><td>lastActivityAt (lastActivity), lastLoginAt, deactivatedAt (deactivationDate),
 *       invitedAt, createdAt (meta.created), updatedAt (meta.lastModified)</td><td>DATETIME</td></tr>
 *   <tr><td>skillsCount (skills)</td><td>NUMBER</td></tr>
 *   <tr><td>neverLoggedIn, takingABreak, lockedOut, mfaRequired</td><td>BOOLEAN</td></tr>
 *   <tr><td>attributes.&lt;key&gt;</td><td>the custom attribute's type</td></tr>
 * </table>
 *
 * <p>{@code emails.type} and {@code phoneNumbers.type} are {@code "work"}, and {@code
 * emails.primary} and {@code phoneNumbers.primary} are {@code true}, for users who have that
 * contact. Names are case-insensitive and may carry a SCIM schema URN prefix. Value paths apply to
 * {@code emails} and {@code phoneNumbers}, whose single element has the sub-attributes {@code
 * value}, {@code type} ({@code "work"}) and {@code primary} ({@code true}).
 */
public final class QueryAttributes {
  /** The prefix of custom attribute paths. */
  public static final String CUSTOM_PREFIX = "attributes.";

  private static final Map<String, QueryAttribute> BY_NAME = new LinkedHashMap<>();
  private static final List<QueryAttribute> STANDARD = new ArrayList<>();

  static {
    std("id", QueryAttribute.Type.ID, false, true, null);
    std(
        "displayName",
        QueryAttribute.Type.TEXT,
        false,
        true,
        UserField.DISPLAY_NAME,
        "name",
        "name.formatted",
        "user");
    std("firstName", QueryAttribute.Type.TEXT, false, true, UserField.FIRST_NAME, "name.givenName");
    std("lastName", QueryAttribute.Type.TEXT, false, true, UserField.LAST_NAME, "name.familyName");
    std("username", QueryAttribute.Type.TEXT, false, true, UserField.USERNAME, "userName");
    std(
        "primaryEmail",
        QueryAttribute.Type.TEXT,
        false,
        true,
        UserField.PRIMARY_EMAIL,
        "email",
        "emails",
        "emails.value");
    std(
        "phoneNumber",
        QueryAttribute.Type.TEXT,
        false,
        true,
        UserField.PHONE_NUMBER,
        "phoneNumbers",
        "phoneNumbers.value");
    std("emails.type", QueryAttribute.Type.TEXT, false, false, null);
    std("emails.primary", QueryAttribute.Type.BOOLEAN, false, false, null);
    std("phoneNumbers.type", QueryAttribute.Type.TEXT, false, false, null);
    std("phoneNumbers.primary", QueryAttribute.Type.BOOLEAN, false, false, null);
    std("role", QueryAttribute.Type.ROLE, false, true, UserField.ROLE, "permission");
    std("status", QueryAttribute.Type.STATUS, false, true, UserField.STATUS, "userStatus");
    std("active", QueryAttribute.Type.BOOLEAN, false, false, null);
    std("jobTitle", QueryAttribute.Type.TEXT, false, true, UserField.JOB_TITLE, "title");
    std("position", QueryAttribute.Type.TEXT, false, true, UserField.POSITION);
    std("department", QueryAttribute.Type.TEXT, false, true, UserField.DEPARTMENT);
    std("company", QueryAttribute.Type.TEXT, false, true, UserField.COMPANY, "organization");
    std("location", QueryAttribute.Type.TEXT, false, true, UserField.LOCATION);
    std("office", QueryAttribute.Type.TEXT, false, true, UserField.OFFICE);
    std("userType", QueryAttribute.Type.TEXT, false, true, UserField.USER_TYPE, "employeeType");
    std(
        "employeeId",
        QueryAttribute.Type.TEXT,
        false,
        true,
        UserField.EMPLOYEE_ID,
        "employeeNumber");
    std("language", QueryAttribute.Type.TEXT, false, true, UserField.LANGUAGE, "preferredLanguage");
    std("passwordState", QueryAttribute.Type.TEXT, false, true, UserField.PASSWORD_STATE);
    std(
        "managerId",
        QueryAttribute.Type.ID,
        false,
        true,
        UserField.MANAGER_ID,
        "directManager",
        "manager",
        "manager.value");
    std("managers", QueryAttribute.Type.ID, true, false, null);
    std("groups", QueryAttribute.Type.TEXT, true, false, UserField.GROUPS);
    std("modules", QueryAttribute.Type.TEXT, true, false, UserField.MODULES);
    std("hireDate", QueryAttribute.Type.DATE, false, true, UserField.HIRE_DATE);
    std(
        "lastActivityAt",
        QueryAttribute.Type.DATETIME,
        false,
        true,
        UserField.LAST_ACTIVITY_AT,
        "lastActivity");
    std(
        "lastLoginAt",
        QueryAttribute.Type.DATETIME,
        false,
        true,
        UserField.LAST_LOGIN_AT,
        "lastLogin");
    std(
        "deactivatedAt",
        QueryAttribute.Type.DATETIME,
        false,
        true,
        UserField.DEACTIVATED_AT,
        "deactivationDate");
    std("invitedAt", QueryAttribute.Type.DATETIME, false, true, UserField.INVITED_AT);
    std(
        "createdAt",
        QueryAttribute.Type.DATETIME,
        false,
        true,
        UserField.CREATED_AT,
        "meta.created");
    std("updatedAt", QueryAttribute.Type.DATETIME, false, true, null, "meta.lastModified");
    std("skillsCount", QueryAttribute.Type.NUMBER, false, true, UserField.SKILLS_COUNT, "skills");
    std("neverLoggedIn", QueryAttribute.Type.BOOLEAN, false, false, null);
    std("takingABreak", QueryAttribute.Type.BOOLEAN, false, false, UserField.TAKING_A_BREAK);
    std("lockedOut", QueryAttribute.Type.BOOLEAN, false, false, UserField.LOCKED_OUT);
    std("mfaRequired", QueryAttribute.Type.BOOLEAN, false, false, UserField.MFA_REQUIRED);
  }

  private QueryAttributes() {}

  private static void std(
      String name,
      QueryAttribute.Type type,
      boolean multi,
      boolean sortable,
      @org.jspecify.annotations.Nullable UserField field,
      String... aliases) {
    QueryAttribute a =
        new QueryAttribute(
            name, type, multi, sortable, Optional.ofNullable(field), Optional.empty());
    STANDARD.add(a);
    BY_NAME.put(name.toLowerCase(Locale.ROOT), a);
    for (String alias : aliases) {
      BY_NAME.put(alias.toLowerCase(Locale.ROOT), a);
    }
  }

  /**
   * The standard field an attribute reads, for deciding who may filter or sort by it: its own
   * field, or for a derived attribute the field it is derived from ({@code active} from {@code
   * status}, {@code managers} from {@code managerId}, {@code neverLoggedIn} from {@code
   * lastLoginAt}, the {@code emails} and {@code phoneNumbers} sub-attributes from the e-mail and
   * phone); empty for the id, the record's update time and custom attributes.
   *
   * @param attribute a resolved attribute
   * @return the field read
   */
  public static Optional<UserField> sourceField(QueryAttribute attribute) {
    if (attribute.field().isPresent()) {
      return attribute.field();
    }
    String n = attribute.name();
    if (n.startsWith("emails")) {
      return Optional.of(UserField.PRIMARY_EMAIL);
    }
    if (n.startsWith("phoneNumbers")) {
      return Optional.of(UserField.PHONE_NUMBER);
    }
    return switch (n) {
      case "active" -> Optional.of(UserField.STATUS);
      case "managers" -> Optional.of(UserField.MANAGER_ID);
      case "neverLoggedIn" -> Optional.of(UserField.LAST_LOGIN_AT);
      default -> Optional.empty();
    };
  }

  /**
   * The standard attributes, in table order.
   *
   * @return the attributes
   */
  public static List<QueryAttribute> standard() {
    return List.copyOf(STANDARD);
  }

  /**
   * Resolves an attribute path as written.
   *
   * @param path e.g. {@code name.familyName}, {@code urn:…:User:userName}, {@code attributes.level}
   * @param schema the tenant's custom attributes
   * @return the attribute, or empty when no attribute has that name
   */
  public static Optional<QueryAttribute> resolve(String path, AttributeSchema schema) {
    String p = FilterParser.stripUrn(path);
    QueryAttribute a = BY_NAME.get(p.toLowerCase(Locale.ROOT));
    if (a != null) {
      return Optional.of(a);
    }
    if (p.regionMatches(true, 0, CUSTOM_PREFIX, 0, CUSTOM_PREFIX.length())) {
      String key = p.substring(CUSTOM_PREFIX.length());
      Optional<AttributeDefinition> d = schema.definition(key);
      return d.map(
          def ->
              new QueryAttribute(
                  CUSTOM_PREFIX + def.key(),
                  typeOf(def.type()),
                  false,
                  true,
                  Optional.empty(),
                  Optional.of(def.key())));
    }
    return Optional.empty();
  }

  /**
   * Resolves a path or fails with an error naming it.
   *
   * @param path the path
   * @param schema the tenant's custom attributes
   * @return the attribute
   * @throws InvalidFilterException for an unknown attribute
   */
  public static QueryAttribute require(String path, AttributeSchema schema) {
    return resolve(path, schema)
        .orElseThrow(
            () ->
                new InvalidFilterException(
                    -1, "a known attribute", "unknown attribute '" + path + "'"));
  }

  static QueryAttribute.Type typeOf(AttributeType t) {
    return switch (t) {
      case TEXT -> QueryAttribute.Type.TEXT;
      case NUMBER -> QueryAttribute.Type.NUMBER;
      case DATE -> QueryAttribute.Type.DATE;
      case BOOLEAN -> QueryAttribute.Type.BOOLEAN;
      case USER_REF -> QueryAttribute.Type.ID;
    };
  }

  /**
   * Checks a filter: known attributes, allowed operators, values of the right type.
   *
   * @param filter the filter
   * @param schema the tenant's custom attributes
   * @throws InvalidFilterException naming the first problem
   */
  public static void check(Filter filter, AttributeSchema schema) {
    if (filter instanceof Filter.And a) {
      check(a.left(), schema);
      check(a.right(), schema);
    } else if (filter instanceof Filter.Or o) {
      check(o.left(), schema);
      check(o.right(), schema);
    } else if (filter instanceof Filter.Not n) {
      check(n.filter(), schema);
    } else if (filter instanceof Filter.Present p) {
      require(p.attribute(), schema);
    } else if (filter instanceof Filter.Compare c) {
      QueryAttribute a = require(c.attribute(), schema);
      coerce(a, c.op(), c.value());
    } else if (filter instanceof Filter.ValuePath v) {
      requireContactPath(v.attribute());
      checkValuePath(v.filter());
    }
  }

  /** Fails unless a value path's attribute is {@code emails} or {@code phoneNumbers}. */
  static void requireContactPath(String attribute) {
    String base = FilterParser.stripUrn(attribute).toLowerCase(Locale.ROOT);
    if (!base.equals("emails") && !base.equals("phonenumbers")) {
      throw new InvalidFilterException(
          -1,
          "emails[…] or phoneNumbers[…]",
          "'" + attribute + "' has no sub-attributes to filter");
    }
  }

  private static void checkValuePath(Filter f) {
    if (f instanceof Filter.And a) {
      checkValuePath(a.left());
      checkValuePath(a.right());
    } else if (f instanceof Filter.Or o) {
      checkValuePath(o.left());
      checkValuePath(o.right());
    } else if (f instanceof Filter.Not n) {
      checkValuePath(n.filter());
    } else if (f instanceof Filter.Present p) {
      subAttribute(p.attribute());
    } else if (f instanceof Filter.Compare c) {
      coerce(subAttribute(c.attribute()), c.op(), c.value());
    }
  }

  /** The sub-attributes of the single-element emails / phoneNumbers values. */
  static QueryAttribute subAttribute(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "value", "display" ->
          new QueryAttribute(
              "value", QueryAttribute.Type.TEXT, false, false, Optional.empty(), Optional.empty());
      case "type" ->
          new QueryAttribute(
              "type", QueryAttribute.Type.TEXT, false, false, Optional.empty(), Optional.empty());
      case "primary" ->
          new QueryAttribute(
              "primary",
              QueryAttribute.Type.BOOLEAN,
              false,
              false,
              Optional.empty(),
              Optional.empty());
      default ->
          throw new InvalidFilterException(
              -1, "value, type or primary", "unknown sub-attribute '" + name + "'");
    };
  }

  /**
   * The typed value a literal stands for when compared with an attribute: folded text, {@link
   * BigDecimal}, {@link LocalDate}, {@link Instant}, {@link Boolean}, a status, a role level, an
   * id; or empty for {@code null}.
   *
   * @param a the attribute
   * @param op the operator
   * @param lit the literal
   * @return the typed value, or empty for {@code null}
   * @throws InvalidFilterException when the operator or the literal does not fit the attribute
   */
  public static Optional<Object> coerce(QueryAttribute a, Filter.Op op, Filter.Literal lit) {
    if (!a.allows(op)) {
      throw new InvalidFilterException(
          -1,
          "an operator that applies to " + a.type(),
          "'" + op.text() + "' does not apply to " + a.name());
    }
    if (lit.kind() == Filter.Literal.Kind.NULL) {
      if (op != Filter.Op.EQ && op != Filter.Op.NE) {
        throw new InvalidFilterException(
            -1, "eq null or ne null", "null is compared with eq or ne only");
      }
      return Optional.empty();
    }
    return Optional.of(value(a, lit));
  }

  private static Object value(QueryAttribute a, Filter.Literal lit) {
    String t = lit.text();
    switch (a.type()) {
      case TEXT, ID -> {
        requireKind(a, lit, Filter.Literal.Kind.STRING);
        outside(a, lit, ValueDomain.characterProblem(t));
        return a.type() == QueryAttribute.Type.TEXT ? dev.usermgmt.internal.Texts.fold(t) : t;
      }
      case NUMBER -> {
        requireKind(a, lit, Filter.Literal.Kind.NUMBER);
        BigDecimal n = number(a, lit);
        outside(a, lit, ValueDomain.numberProblem(n));
        return n;
      }
      case BOOLEAN -> {
        requireKind(a, lit, Filter.Literal.Kind.BOOLEAN);
        return Boolean.valueOf(t);
      }
      case DATE -> {
        requireKind(a, lit, Filter.Literal.Kind.STRING);
        LocalDate d;
        try {
          d = LocalDate.parse(t);
        } catch (DateTimeParseException e) {
          throw mismatch(a, lit, "a date like \"2026-01-31\"");
        }
        outside(a, lit, ValueDomain.dateProblem(d));
        return d;
      }
      case DATETIME -> {
        requireKind(a, lit, Filter.Literal.Kind.STRING);
        Instant i;
        try {
          i =
              t.length() == 10
                  ? LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant()
                  : Instant.parse(t);
        } catch (DateTimeParseException e) {
          throw mismatch(a, lit, "a time like \"2026-01-31T09:00:00Z\" or a date");
        }
        outside(a, lit, ValueDomain.instantProblem(i));
        return i;
      }
      case STATUS -> {
        requireKind(a, lit, Filter.Literal.Kind.STRING);
        return dev.usermgmt.user.UserStatus.fromWord(t)
            .orElseThrow(() -> mismatch(a, lit, "a status word"));
      }
      case ROLE -> {
        if (lit.kind() == Filter.Literal.Kind.NUMBER) {
          return number(a, lit); // compared exactly: role eq 5.5 matches no level
        }
        requireKind(a, lit, Filter.Literal.Kind.STRING);
        return new RoleName(t);
      }
    }
    throw new IllegalStateException(a.type().name());
  }

  private static BigDecimal number(QueryAttribute a, Filter.Literal lit) {
    if (!FilterParser.inRange(lit.text())) {
      throw mismatch(
          a,
          lit,
          "a number between 1e-"
              + FilterParser.MAX_EXPONENT
              + " and 1e"
              + FilterParser.MAX_EXPONENT
              + " in magnitude");
    }
    return new BigDecimal(lit.text()).stripTrailingZeros();
  }

  /** A role named by key or label, resolved against the tenant's catalog when evaluated. */
  public record RoleName(String text) {}

  private static void requireKind(QueryAttribute a, Filter.Literal lit, Filter.Literal.Kind kind) {
    if (lit.kind() != kind) {
      throw mismatch(
          a,
          lit,
          kind == Filter.Literal.Kind.STRING
              ? "a \"string\""
              : "a " + kind.name().toLowerCase(Locale.ROOT));
    }
  }

  /** Refuses a literal outside the value model: no value of the attribute could compare with it. */
  private static void outside(QueryAttribute a, Filter.Literal lit, Optional<String> problem) {
    if (problem.isPresent()) {
      throw new InvalidFilterException(
          -1,
          "a value inside the documented domain of " + a.type(),
          "the literal " + lit + " for " + a.name() + " " + problem.get());
    }
  }

  private static InvalidFilterException mismatch(
      QueryAttribute a, Filter.Literal lit, String expected) {
    return new InvalidFilterException(
        -1, expected, a.name() + " is " + a.type() + " and takes " + expected + ", not " + lit);
  }
}
