/**
 * Queries to SQL: {@link dev.usermgmt.jdbc.sql.SqlTranslator} turns a prepared query into a
 * parameterised statement ({@link dev.usermgmt.jdbc.sql.Sql}) over a whitelist of columns.
 */
@NullMarked
package dev.usermgmt.jdbc.sql;

import org.jspecify.annotations.NullMarked;
