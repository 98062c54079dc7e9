/**
 * The store's SQL engine: {@link dev.usermgmt.jdbc.internal.SqlTranslator} turns a prepared query
 * into parameterised statements ({@link dev.usermgmt.jdbc.internal.Sql}) over a whitelist of
 * columns, and {@link dev.usermgmt.jdbc.internal.Times} maps instants to the columns. Public for
 * the store's own packages and tests; not API.
 */
@NullMarked
package dev.usermgmt.jdbc.internal;

import org.jspecify.annotations.NullMarked;
