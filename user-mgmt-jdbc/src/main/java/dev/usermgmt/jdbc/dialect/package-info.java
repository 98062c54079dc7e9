/** The database dialects of the JDBC store: {@link dev.usermgmt.jdbc.dialect.Dialect}. */
@NullMarked
package dev.usermgmt.jdbc.dialect;

import org.jspecify.annotations.NullMarked;
