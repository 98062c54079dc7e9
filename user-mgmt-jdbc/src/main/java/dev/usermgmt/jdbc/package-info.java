/**
 * The reference JDBC store: {@link dev.usermgmt.jdbc.JdbcStores} returns the store SPIs over a
 * {@code DataSource} for H2, PostgreSQL and MariaDB / MySQL; {@link
 * dev.usermgmt.jdbc.UserMgmtSchema} creates and upgrades its tables with Flyway, recorded in a
 * history table of their own ({@link dev.usermgmt.jdbc.SchemaOptions}). The migrations ship as
 * resources under {@code db/usermgmt/{h2,postgresql,mariadb}}, and the same schema as plain DDL
 * under {@code db/usermgmt/ddl}.
 */
@NullMarked
@UserMgmtStyle
package dev.usermgmt.jdbc;

import dev.usermgmt.internal.UserMgmtStyle;
import org.jspecify.annotations.NullMarked;
