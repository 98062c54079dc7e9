package dev.usermgmt.io.mapping;

import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.internal.Texts;
import dev.usermgmt.user.UserField;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Header texts to field keys: every field's own key, the common names admins type, and the names of
 * the big directories' bulk templates (Microsoft Entra's {@code User name [userPrincipalName]
 * Required}, Google Workspace's {@code First Name [Required]}). Headers are compared by {@link
 * Texts#compactKey} (case, spacing and punctuation ignored).
 */
final class HeaderSynonyms {

  /** Columns an export writes that are derived, not settable: recognised and left unmapped. */
  static final Map<String, String> EXPORT_ONLY =
      Map.of(
          "inactive", "derived from the status; use the lifecycle actions",
          "managerdisplayname", "the manager's name; the manager is set by managerPrimaryEmail",
          "managers", "the manager hierarchy is derived from each manager",
          "status", "the status changes only through lifecycle actions",
          "userstatus", "the status changes only through lifecycle actions",
          "lastactivity", "set by sign-ins",
          "lastactivityat", "set by sign-ins",
          "skills", "a count kept by the host",
          "skillscount", "a count kept by the host",
          "deactivationdate", "set by deactivation");

  private static final Map<String, String> SYNONYMS = new HashMap<>();

  static {
    for (UserField f : UserField.values()) {
      if (f.editability() == UserField.Editability.FORM) {
        SYNONYMS.put(Texts.compactKey(f.key()), f.key());
      }
    }
    add(
        UserField.PRIMARY_EMAIL,
        "email",
        "e-mail",
        "email address",
        "e-mail address",
        "work email",
        "work e-mail",
        "business email",
        "mail",
        "userPrincipalName",
        "upn",
        "email (work)",
        "primary email",
        "user email",
        "login email");
    add(UserField.DISPLAY_NAME, "name", "full name", "employee name", "user");
    add(UserField.FIRST_NAME, "first name", "given name", "givenName", "forename");
    add(UserField.LAST_NAME, "last name", "surname", "family name");
    add(
        UserField.PHONE_NUMBER,
        "phone",
        "phone number",
        "mobile",
        "mobile phone",
        "telephoneNumber",
        "office phone",
        "work phone",
        "telephone",
        "cell phone");
    add(UserField.ROLE, "permission", "permission level", "access role", "user role");
    add(UserField.DEPARTMENT, "dept", "department name");
    add(UserField.LOCATION, "work location", "city");
    add(UserField.OFFICE, "physicalDeliveryOfficeName", "office location");
    add(UserField.JOB_TITLE, "title", "job title", "employee title");
    add(
        UserField.EMPLOYEE_ID,
        "employee id",
        "employee number",
        "employee no",
        "employeeNumber",
        "staff id",
        "staff number",
        "personnel number",
        "emp id",
        "worker id");
    add(
        UserField.MANAGER_ID,
        "manager",
        "manager email",
        "manager e-mail",
        "managerPrimaryEmail",
        "manager id",
        "reports to",
        "line manager",
        "direct manager",
        "supervisor email");
    add(UserField.HIRE_DATE, "start date", "date of hire", "joining date", "employeeHireDate");
    add(UserField.USER_TYPE, "employee type", "employment type", "employeeType", "worker type");
    add(UserField.COMPANY, "company name", "companyName", "organization", "organisation");
    add(UserField.TIME_ZONE, "time zone", "timezone", "tz");
    add(UserField.LANGUAGE, "preferred language", "preferredLanguage", "locale");
    add(UserField.USERNAME, "user name", "login", "login name");
  }

  private HeaderSynonyms() {}

  private static void add(UserField field, String... names) {
    for (String n : names) {
      SYNONYMS.put(Texts.compactKey(n), field.key());
    }
  }

  /**
   * A header's possible names: the bracketed API name first, then the label without qualifiers. A
   * bracket is {@code [ … ]} or {@code ( … )} up to the first closing mark after it; the scan is
   * linear in the header's length, as a header is the file's text (a pattern of the same shape took
   * seconds on a cell of 32,767 opening brackets).
   */
  static List<String> names(String header) {
    List<String> out = new java.util.ArrayList<>();
    StringBuilder label = new StringBuilder(header.length());
    boolean squareCloses = true;
    boolean roundCloses = true;
    int i = 0;
    while (i < header.length()) {
      char c = header.charAt(i);
      char close = c == '[' && squareCloses ? ']' : c == '(' && roundCloses ? ')' : 0;
      int end = close == 0 ? -1 : header.indexOf(close, i + 1);
      if (end < 0) {
        // no closing mark after this one: none after a later opening one either
        if (c == '[') {
          squareCloses = false;
        } else if (c == '(') {
          roundCloses = false;
        }
        label.append(c);
        i++;
        continue;
      }
      String inner = header.substring(i + 1, end).trim();
      if (!inner.isEmpty() && !qualifier(inner)) {
        out.add(inner);
      }
      label.append(' ');
      i = end + 1;
    }
    String name = withoutQualifier(label.toString().trim());
    if (!name.isEmpty()) {
      out.add(name);
    }
    return out;
  }

  /** Whether a bracket's text only qualifies its column (required, a format, yes/no). */
  private static boolean qualifier(String inner) {
    String t = inner.toLowerCase(java.util.Locale.ROOT);
    return t.equals("required")
        || t.equals("optional")
        || t.equals("upload only")
        || t.equals("yes/no")
        || t.startsWith("must be ")
        || t.contains("format");
  }

  /** A label without a trailing "required" or "optional" after a space. */
  private static String withoutQualifier(String label) {
    for (String word : List.of("required", "optional")) {
      int at = label.length() - word.length();
      if (at > 0
          && label.regionMatches(true, at, word, 0, word.length())
          && Character.isWhitespace(label.charAt(at - 1))) {
        return label.substring(0, at).trim();
      }
    }
    return label;
  }

  /** The field a header names, if any. */
  static Optional<String> field(String header, AttributeSchema schema) {
    for (String name : names(header)) {
      String key = Texts.compactKey(name);
      for (AttributeDefinition d : schema.definitions()) {
        if (Texts.compactKey(d.key()).equals(key)
            || Texts.compactKey(d.label()).equals(key)
            || Texts.compactKey(AttributeSchema.fieldOf(d.key())).equals(key)) {
          return Optional.of(AttributeSchema.fieldOf(d.key()));
        }
      }
      String f = SYNONYMS.get(key);
      if (f != null) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  /** Why a header is deliberately left unmapped (an export's derived column), if it is. */
  static Optional<String> exportOnly(String header) {
    for (String name : names(header)) {
      String why = EXPORT_ONLY.get(Texts.compactKey(name));
      if (why != null) {
        return Optional.of(why);
      }
    }
    return Optional.empty();
  }
}
