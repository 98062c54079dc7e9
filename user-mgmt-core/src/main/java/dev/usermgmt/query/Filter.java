package dev.usermgmt.query;

import java.util.List;

/**
 * A filter over users: the abstract syntax of the SCIM 2.0 filter grammar (RFC 7644 §3.4.2.2).
 * Parse one with {@link FilterParser}; print it back with {@code toString()}, which gives the
 * canonical text that parses to an equal filter.
 */
public sealed interface Filter
    permits Filter.And, Filter.Or, Filter.Not, Filter.Compare, Filter.Present, Filter.ValuePath {

  /** Comparison operators of RFC 7644 §3.4.2.2, table 3. */
  enum Op {
    /** equal. */
    EQ,
    /** not equal (true for users without a value). */
    NE,
    /** contains (strings; any element of multi-valued attributes). */
    CO,
    /** starts with. */
    SW,
    /** ends with. */
    EW,
    /** greater than. */
    GT,
    /** greater than or equal to. */
    GE,
    /** less than. */
    LT,
    /** less than or equal to. */
    LE;

    /**
     * The operator's text.
     *
     * @return e.g. {@code eq}
     */
    public String text() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * Both (all) hold.
   *
   * @param left the first filter
   * @param right the second filter
   */
  record And(Filter left, Filter right) implements Filter {
    @Override
    public String toString() {
      return FilterPrinter.print(this);
    }
  }

  /**
   * Either holds.
   *
   * @param left the first filter
   * @param right the second filter
   */
  record Or(Filter left, Filter right) implements Filter {
    @Override
    public String toString() {
      return FilterPrinter.print(this);
    }
  }

  /**
   * The filter does not hold.
   *
   * @param filter the negated filter
   */
  record Not(Filter filter) implements Filter {
    @Override
    public String toString() {
      return FilterPrinter.print(this);
    }
  }

  /**
   * {@code attribute op value}.
   *
   * @param attribute the attribute path as written (resolved against {@link QueryAttributes})
   * @param op the operator
   * @param value the literal
   */
  record Compare(String attribute, Op op, Literal value) implements Filter {
    @Override
    public String toString() {
      return FilterPrinter.print(this);
    }
  }

  /**
   * {@code attribute pr}: the attribute has a value.
   *
   * @param attribute the attribute path
   */
  record Present(String attribute) implements Filter {
    @Override
    public String toString() {
      return FilterPrinter.print(this);
    }
  }

  /**
   * {@code attribute[filter]}: a value filter over a complex multi-valued attribute ({@code
   * emails[type eq "work" and value co "@example.com"]}).
   *
   * @param attribute the complex attribute
   * @param filter the filter over its sub-attributes
   */
  record ValuePath(String attribute, Filter filter) implements Filter {
    @Override
    public String toString() {
      return FilterPrinter.print(this);
    }
  }

  /**
   * A comparison value as written: a string, a number, {@code true}/{@code false} or {@code null}.
   *
   * @param kind what kind of literal
   * @param text the string's content, the number's digits, or the keyword
   */
  record Literal(Kind kind, String text) {
    /** Literal kinds of the grammar's {@code compValue}. */
    public enum Kind {
      /** A JSON string. */
      STRING,
      /** A JSON number. */
      NUMBER,
      /** {@code true} or {@code false}. */
      BOOLEAN,
      /** {@code null}. */
      NULL
    }

    /**
     * A string literal.
     *
     * @param s the content
     * @return the literal
     */
    public static Literal string(String s) {
      return new Literal(Kind.STRING, s);
    }

    /**
     * A number literal.
     *
     * @param digits the number as written in JSON
     * @return the literal
     */
    public static Literal number(String digits) {
      return new Literal(Kind.NUMBER, digits);
    }

    /**
     * A boolean literal.
     *
     * @param b the value
     * @return the literal
     */
    public static Literal bool(boolean b) {
      return new Literal(Kind.BOOLEAN, Boolean.toString(b));
    }

    @Override
    public String toString() {
      return FilterPrinter.literal(this);
    }
  }

  /**
   * All of several filters (left-nested {@link And}).
   *
   * @param filters at least one filter
   * @return the conjunction
   */
  static Filter and(List<Filter> filters) {
    Filter f = filters.get(0);
    for (int i = 1; i < filters.size(); i++) {
      f = new And(f, filters.get(i));
    }
    return f;
  }
}
