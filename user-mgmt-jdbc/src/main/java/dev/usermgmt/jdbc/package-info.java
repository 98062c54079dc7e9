/**
 * The reference JDBC store: {@link dev.usermgmt.jdbc.JdbcStores} returns the store SPIs over a
 * {@code DataSource} for H2, PostgreSQL and MariaDB / MySQL. Schema migrations ship as resources
 * under {@code db/usermgmt/{h2,postgresql,mariadb}}.
 */
@NullMarked
@UserMgmtStyle
package dev.usermgmt.jdbc;

import dev.usermgmt.internal.UserMgmtStyle;
import org.jspecify.annotations.NullMarked;
