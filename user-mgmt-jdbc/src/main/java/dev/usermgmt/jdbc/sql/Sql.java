package dev.usermgmt.jdbc.sql;

import java.util.List;

/**
 * A parameterised SQL statement: text with {@code ?} placeholders and the values for them. No value
 * from a request is ever part of the text.
 *
 * @param text the SQL
 * @param params the parameter values, in order (String, Integer, Long, BigDecimal, LocalDate,
 *     Boolean)
 */
public record Sql(String text, List<Object> params) {}
