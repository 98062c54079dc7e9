package dev.usermgmt.jdbc;

import dev.usermgmt.jdbc.dialect.Dialect;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An insert that updates the row of the same key instead, as one statement, so that callers putting
 * one new key at once all succeed: an update that found no row followed by an insert let two
 * callers both insert (a duplicate key on PostgreSQL and H2; on MariaDB both held the gap's lock
 * and deadlocked). PostgreSQL {@code INSERT … ON CONFLICT (keys) DO UPDATE}; MariaDB {@code INSERT
 * … ON DUPLICATE KEY UPDATE}; H2 {@code MERGE INTO … USING}.
 */
final class Upserts {
  private Upserts() {}

  /**
   * The statement.
   *
   * @param d the database
   * @param table the table
   * @param columns the columns inserted, in the order {@code rows} gives their values
   * @param rows a query of one row of those values ({@code VALUES (?, …)} or a {@code SELECT})
   * @param keys the columns of the table's primary key, among {@code columns}
   * @param updated the columns a row of the same key takes from the new one
   * @return the SQL
   */
  static String sql(
      Dialect d,
      String table,
      List<String> columns,
      String rows,
      List<String> keys,
      List<String> updated) {
    String names = String.join(", ", columns);
    String insert = "INSERT INTO " + table + " (" + names + ") " + rows;
    return switch (d) {
      case POSTGRESQL ->
          insert
              + " ON CONFLICT ("
              + String.join(", ", keys)
              + ") DO UPDATE SET "
              + updated.stream().map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "));
      case MARIADB ->
          insert
              + " ON DUPLICATE KEY UPDATE "
              + updated.stream()
                  .map(c -> c + " = VALUES(" + c + ")")
                  .collect(Collectors.joining(", "));
      case H2 ->
          "MERGE INTO "
              + table
              + " t USING ("
              + rows
              + ") AS s("
              + names
              + ") ON "
              + keys.stream().map(k -> "t." + k + " = s." + k).collect(Collectors.joining(" AND "))
              + " WHEN MATCHED THEN UPDATE SET "
              + updated.stream().map(c -> c + " = s." + c).collect(Collectors.joining(", "))
              + " WHEN NOT MATCHED THEN INSERT ("
              + names
              + ") VALUES ("
              + columns.stream().map(c -> "s." + c).collect(Collectors.joining(", "))
              + ")";
    };
  }

  /**
   * Runs an upsert of {@link #sql}. On H2 two callers' {@code MERGE} may both find no row and both
   * insert; the one that loses gets a duplicate key, its statement is undone (H2 keeps the rest of
   * the transaction) and it runs once more, now finding the row.
   *
   * @param d the database
   * @param ps the statement, bound
   * @throws SQLException from the database
   */
  static void execute(Dialect d, PreparedStatement ps) throws SQLException {
    try {
      ps.executeUpdate();
    } catch (SQLException e) {
      if (d != Dialect.H2 || !JdbcBackend.constraintViolated(e)) {
        throw e;
      }
      ps.executeUpdate();
    }
  }
}
