package dev.usermgmt.query;

import dev.usermgmt.user.UserField;
import java.util.Optional;

/**
 * An attribute that filters and sorts can name: a standard field (with its SCIM aliases), a derived
 * one ({@code managers}, {@code neverLoggedIn}, {@code active}) or a custom attribute ({@code
 * attributes.<key>}).
 *
 * @param name the canonical name
 * @param type the value type, which decides operators and literal forms
 * @param multiValued whether a user has a set of values (modules, groups, managers)
 * @param sortable whether queries may sort by it
 * @param field the standard field behind it, if any
 * @param customKey the custom attribute key, if it is one
 */
public record QueryAttribute(
    String name,
    Type type,
    boolean multiValued,
    boolean sortable,
    Optional<UserField> field,
    Optional<String> customKey) {

  /** Value types of query attributes. */
  public enum Type {
    /** Text; compared case- and accent-insensitively. */
    TEXT,
    /** A calendar date ({@code "2026-01-31"}). */
    DATE,
    /** A point in time ({@code "2026-01-31T09:00:00Z"}, or a date meaning its start in UTC). */
    DATETIME,
    /** A number. */
    NUMBER,
    /** {@code true} / {@code false}. */
    BOOLEAN,
    /** A lifecycle status, by any reference status word; {@code eq}/{@code ne} only. */
    STATUS,
    /** A role, by key, label or level; ordered by level. */
    ROLE,
    /** A user id, compared exactly. */
    ID
  }

  /**
   * Whether an operator applies to this attribute.
   *
   * @param op the operator
   * @return true when allowed
   */
  public boolean allows(Filter.Op op) {
    return switch (op) {
      case EQ, NE -> true;
      case CO, SW, EW -> type == Type.TEXT;
      case GT, GE, LT, LE ->
          !multiValued
              && (type == Type.TEXT
                  || type == Type.DATE
                  || type == Type.DATETIME
                  || type == Type.NUMBER
                  || type == Type.ROLE);
    };
  }
}
