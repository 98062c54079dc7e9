package dev.usermgmt.jdbc;

import dev.usermgmt.jdbc.dialect.Dialect;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * What a schema is made of, read from the database's own catalogue, one sorted line per table,
 * column, index (its columns in order) and constraint: enough to tell two schemas apart by any
 * type, length, nullability, default, collation, storage, key or check. The tables of one name (a
 * Flyway history table) can be left out.
 */
final class SchemaSnapshot {
  /** H2 names a constraint or index nobody named after its object id, which differs run to run. */
  private static final Pattern H2_GENERATED =
      Pattern.compile("(CONSTRAINT|PRIMARY_KEY|CONSTRAINT_INDEX|FK)_[0-9A-F]+");

  private SchemaSnapshot() {}

  /** The lines of the data source's current schema, without the tables named {@code except}. */
  static List<String> of(Dialect d, DataSource ds, String except) throws SQLException {
    return of(d, ds, List.of(except));
  }

  /** The lines of the data source's current schema, without the tables named in {@code except}. */
  static List<String> of(Dialect d, DataSource ds, List<String> except) throws SQLException {
    List<String> lines = new ArrayList<>();
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      // a connection's own temporary tables (H2's sets of ids a managers filter reads) are not
      // part of the schema
      List<String> skipped = new ArrayList<>(except);
      if (d == Dialect.H2) {
        try (ResultSet rs =
            st.executeQuery(
                "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES"
                    + " WHERE TABLE_TYPE = 'LOCAL TEMPORARY'")) {
          while (rs.next()) {
            skipped.add(rs.getString(1));
          }
        }
      }
      for (String[] q : queries(d)) {
        try (ResultSet rs = st.executeQuery(q[1])) {
          int n = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            String table = Objects.requireNonNull(rs.getString(1));
            if (skipped.stream().anyMatch(table::equalsIgnoreCase)) {
              continue;
            }
            StringBuilder line = new StringBuilder(q[0]).append(' ').append(table);
            for (int i = 2; i <= n; i++) {
              String v = rs.getString(i);
              line.append(" | ").append(v == null ? "-" : normalise(d, c, v));
            }
            lines.add(line.toString());
          }
        }
      }
    }
    lines.sort(null);
    return lines;
  }

  private static String normalise(Dialect d, Connection c, String value) throws SQLException {
    return switch (d) {
      case H2 -> H2_GENERATED.matcher(value).replaceAll("<generated>");
      case POSTGRESQL -> value.replace(c.getSchema() + ".", "");
      case MARIADB -> value;
    };
  }

  /** Pairs of a line's kind and the query of its rows; each query's first column is the table. */
  private static List<String[]> queries(Dialect d) {
    return switch (d) {
      case H2 ->
          List.of(
              new String[] {
                "table",
                "SELECT TABLE_NAME, TABLE_TYPE FROM INFORMATION_SCHEMA.TABLES"
                    + " WHERE TABLE_SCHEMA = CURRENT_SCHEMA"
              },
              new String[] {
                "column",
                "SELECT TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, DATA_TYPE,"
                    + " CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, IS_NULLABLE,"
                    + " COLUMN_DEFAULT, IS_IDENTITY"
                    + " FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = CURRENT_SCHEMA"
              },
              new String[] {
                "index",
                "SELECT i.TABLE_NAME, i.INDEX_NAME, i.INDEX_TYPE_NAME, c.ORDINAL_POSITION,"
                    + " c.COLUMN_NAME, c.ORDERING_SPECIFICATION, c.NULL_ORDERING"
                    + " FROM INFORMATION_SCHEMA.INDEXES i JOIN INFORMATION_SCHEMA.INDEX_COLUMNS c"
                    + " ON c.INDEX_SCHEMA = i.INDEX_SCHEMA AND c.INDEX_NAME = i.INDEX_NAME"
                    + " WHERE i.TABLE_SCHEMA = CURRENT_SCHEMA"
              },
              new String[] {
                "constraint",
                "SELECT t.TABLE_NAME, t.CONSTRAINT_NAME, t.CONSTRAINT_TYPE, k.ORDINAL_POSITION,"
                    + " k.COLUMN_NAME, cc.CHECK_CLAUSE"
                    + " FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS t"
                    + " LEFT JOIN INFORMATION_SCHEMA.KEY_COLUMN_USAGE k"
                    + " ON k.CONSTRAINT_SCHEMA = t.CONSTRAINT_SCHEMA"
                    + " AND k.CONSTRAINT_NAME = t.CONSTRAINT_NAME"
                    + " LEFT JOIN INFORMATION_SCHEMA.CHECK_CONSTRAINTS cc"
                    + " ON cc.CONSTRAINT_SCHEMA = t.CONSTRAINT_SCHEMA"
                    + " AND cc.CONSTRAINT_NAME = t.CONSTRAINT_NAME"
                    + " WHERE t.TABLE_SCHEMA = CURRENT_SCHEMA"
              });
      case POSTGRESQL ->
          List.of(
              new String[] {
                "table",
                "SELECT table_name, table_type FROM information_schema.tables"
                    + " WHERE table_schema = current_schema()"
              },
              new String[] {
                "column",
                "SELECT c.table_name, c.column_name, c.ordinal_position, c.data_type,"
                    + " c.character_maximum_length, c.numeric_precision, c.numeric_scale,"
                    + " c.is_nullable, c.column_default, c.collation_name, a.attstorage"
                    + " FROM information_schema.columns c"
                    + " JOIN pg_namespace n ON n.nspname = c.table_schema"
                    + " JOIN pg_class t ON t.relnamespace = n.oid AND t.relname = c.table_name"
                    + " JOIN pg_attribute a ON a.attrelid = t.oid AND a.attname = c.column_name"
                    + " WHERE c.table_schema = current_schema()"
              },
              new String[] {
                "index",
                "SELECT tablename, indexname, indexdef FROM pg_indexes"
                    + " WHERE schemaname = current_schema()"
              },
              new String[] {
                "constraint",
                "SELECT t.relname, co.conname, co.contype, pg_get_constraintdef(co.oid)"
                    + " FROM pg_constraint co JOIN pg_class t ON t.oid = co.conrelid"
                    + " JOIN pg_namespace n ON n.oid = t.relnamespace"
                    + " WHERE n.nspname = current_schema()"
              });
      case MARIADB ->
          List.of(
              new String[] {
                "table",
                "SELECT table_name, table_type, engine, table_collation"
                    + " FROM information_schema.tables WHERE table_schema = DATABASE()"
              },
              new String[] {
                "column",
                "SELECT table_name, column_name, ordinal_position, column_type, is_nullable,"
                    + " column_default, character_set_name, collation_name, extra"
                    + " FROM information_schema.columns WHERE table_schema = DATABASE()"
              },
              new String[] {
                "index",
                "SELECT table_name, index_name, non_unique, seq_in_index, column_name, sub_part,"
                    + " collation, index_type FROM information_schema.statistics"
                    + " WHERE table_schema = DATABASE()"
              },
              new String[] {
                "constraint",
                "SELECT t.table_name, t.constraint_name, t.constraint_type, k.ordinal_position,"
                    + " k.column_name, cc.check_clause"
                    + " FROM information_schema.table_constraints t"
                    + " LEFT JOIN information_schema.key_column_usage k"
                    + " ON k.constraint_schema = t.constraint_schema"
                    + " AND k.table_name = t.table_name AND k.constraint_name = t.constraint_name"
                    + " LEFT JOIN information_schema.check_constraints cc"
                    + " ON cc.constraint_schema = t.constraint_schema"
                    + " AND cc.table_name = t.table_name AND cc.constraint_name = t.constraint_name"
                    + " WHERE t.table_schema = DATABASE()"
              });
    };
  }

  /** Whether a snapshot has a line of a kind about a table that mentions a text. */
  static boolean mentions(List<String> lines, String kind, String table, String text) {
    String prefix = (kind + " " + table).toLowerCase(Locale.ROOT);
    return lines.stream()
        .map(l -> l.toLowerCase(Locale.ROOT))
        .anyMatch(l -> l.startsWith(prefix) && l.contains(text.toLowerCase(Locale.ROOT)));
  }
}
