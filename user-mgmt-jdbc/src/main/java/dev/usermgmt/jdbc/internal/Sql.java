package dev.usermgmt.jdbc.internal;

import java.util.List;

/**
 * A parameterised SQL statement: text with {@code ?} placeholders and the values for them. No value
 * from a request is ever part of the text.
 *
 * @param text the SQL
 * @param params the parameter values, in order (String, Integer, Long, BigDecimal, LocalDate,
 *     Boolean)
 * @param before statements to run first, on the same connection and in the same transaction: on H2,
 *     the sets of ids the statement reads (see {@link SqlTranslator#CLEAR_ID_SETS})
 */
public record Sql(String text, List<Object> params, List<Sql> before) {
  /** Copies the lists. */
  public Sql {
    params = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(params));
    before = List.copyOf(before);
  }

  /**
   * A statement that needs nothing run first.
   *
   * @param text the SQL
   * @param params the parameter values
   */
  public Sql(String text, List<Object> params) {
    this(text, params, List.of());
  }
}
