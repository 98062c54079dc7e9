package dev.usermgmt.query;

import java.util.Locale;

/**
 * One key of a sort: an attribute and a direction. Written {@code name} (ascending) or {@code
 * -name} (descending) in URLs. Users without a value sort after all others ascending, and before
 * them descending; ties are always broken by id so that pages are stable.
 *
 * @param attribute the attribute path
 * @param descending whether the order is descending
 */
public record SortKey(String attribute, boolean descending) {
  /**
   * An ascending key.
   *
   * @param attribute the attribute path
   * @return the key
   */
  public static SortKey asc(String attribute) {
    return new SortKey(attribute, false);
  }

  /**
   * A descending key.
   *
   * @param attribute the attribute path
   * @return the key
   */
  public static SortKey desc(String attribute) {
    return new SortKey(attribute, true);
  }

  /**
   * Reads {@code name} or {@code -name} (also {@code name:desc}).
   *
   * @param text the key as written
   * @return the key
   */
  public static SortKey parse(String text) {
    String t = text.strip();
    if (t.startsWith("-")) {
      return desc(t.substring(1));
    }
    if (t.startsWith("+")) {
      return asc(t.substring(1));
    }
    String lower = t.toLowerCase(Locale.ROOT);
    if (lower.endsWith(":desc")) {
      return desc(t.substring(0, t.length() - 5));
    }
    if (lower.endsWith(":asc")) {
      return asc(t.substring(0, t.length() - 4));
    }
    return asc(t);
  }

  @Override
  public String toString() {
    return (descending ? "-" : "") + attribute;
  }
}
