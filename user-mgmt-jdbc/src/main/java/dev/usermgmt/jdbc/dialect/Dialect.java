package dev.usermgmt.jdbc.dialect;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The SQL differences between the supported databases that the store cares about: how a batch of
 * keys is matched (so that one statement serves a whole chunk and still uses the index), how a
 * tenant row is created idempotently, and where the migrations and the plain DDL script are.
 */
public enum Dialect {
  /**
   * H2 2.x: keys are joined as a table ({@code TABLE(k VARCHAR = ?)}); an IN list or {@code =
   * ANY(?)} made the planner use only the tenant part of the index (30–45 s for 5,000 keys over a
   * million users, against 15–25 ms joined).
   */
  H2("h2"),
  /** PostgreSQL: keys are matched with {@code = ANY(?)} on a text array. */
  POSTGRESQL("postgresql"),
  /** MariaDB and MySQL: keys are matched with an IN list of parameters. */
  MARIADB("mariadb");

  private final String folder;

  Dialect(String folder) {
    this.folder = folder;
  }

  /**
   * The dialect of a connection, from its metadata.
   *
   * @param connection an open connection
   * @return the dialect
   * @throws SQLException when the metadata cannot be read
   * @throws InvalidInputException with {@link ErrorCode#INVALID_CONFIGURATION} for another database
   */
  public static Dialect detect(Connection connection) throws SQLException {
    String name = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
    if (name.contains("h2")) {
      return H2;
    }
    if (name.contains("postgres")) {
      return POSTGRESQL;
    }
    if (name.contains("mariadb") || name.contains("mysql")) {
      return MARIADB;
    }
    throw new InvalidInputException(
        Problem.of(ErrorCode.INVALID_CONFIGURATION, "unsupported database: " + name));
  }

  /**
   * The form in which this database stores and compares a folded text key (the {@code *_key},
   * {@code email_fold}, {@code search_text}, {@code val_key} and {@code text_key} columns) and the
   * literals compared with them, so that it orders them by code point as every store does: the text
   * itself on PostgreSQL ({@code COLLATE "C"}) and MariaDB ({@code utf8mb4_nopad_bin}); on H2,
   * which compares UTF-16 code units, an order-preserving re-mapping of the units from U+D800 up
   * (identity below, so ids and ASCII are unchanged).
   *
   * @param key a folded key, id or literal
   * @return the form to store and bind
   */
  public String storedKey(String key) {
    return this == H2 ? CodePointKeys.encode(key) : key;
  }

  /**
   * Prefixes a query that sorts by keys (pages, autocomplete) so that MariaDB sorts long keys
   * whole: its {@code max_sort_length} (1,024 bytes by default) otherwise treats keys equal in
   * their first 1,024 bytes as equal. Other databases sort whole values; the query is returned as
   * is.
   *
   * @param select a SELECT statement
   * @return the statement to run
   */
  public String sortingWholeKeys(String select) {
    return this == MARIADB ? "SET STATEMENT max_sort_length = 65536 FOR " + select : select;
  }

  /**
   * The classpath location of this dialect's Flyway migrations ({@code
   * classpath:db/usermgmt/postgresql}), which {@code UserMgmtSchema} runs with their own history
   * table. A host that runs them with its own Flyway instance must give that instance a history
   * table of its own too: their versions start at 1, as the host's do.
   *
   * @return the location
   */
  public String migrationLocation() {
    return "classpath:db/usermgmt/" + folder;
  }

  /**
   * The classpath resource of this dialect's plain DDL script ({@code
   * db/usermgmt/ddl/postgresql/create.sql}): the whole schema at the version of the latest
   * migration, for hosts that create it with Liquibase or their own tooling instead of Flyway. It
   * is generated from the migrations, and a test proves it creates exactly the tables, columns,
   * indexes and constraints they create. It lies outside the migration location, so Flyway never
   * sees it.
   *
   * @return the resource name, without a leading slash
   */
  public String ddlScript() {
    return "db/usermgmt/ddl/" + folder + "/create.sql";
  }

  /**
   * A condition matching a column against a batch of text keys, and the SQL to put in FROM for it
   * (H2 joins a table of the keys).
   *
   * @param column the column expression
   * @param keys how many keys
   * @return the fragment
   */
  public KeyMatch keyMatch(String column, int keys) {
    return switch (this) {
      case H2 -> new KeyMatch(" JOIN TABLE(k VARCHAR = ?) keys ON " + column + " = keys.k", "");
      case POSTGRESQL -> new KeyMatch("", " AND " + column + " = ANY(?)");
      case MARIADB -> new KeyMatch("", " AND " + column + " IN (" + "?,".repeat(keys - 1) + "?)");
    };
  }

  /**
   * A condition that a column holds none of a batch of text keys, to add to a {@link
   * #selectByKeys(String, String, String, String, int)} statement; bind the keys with {@link
   * #bindKeys} after its others. PostgreSQL and H2 take one array ({@code NOT (column = ANY(?))}),
   * MariaDB a {@code NOT IN} list.
   *
   * @param column the column expression
   * @param keys how many keys, at least one
   * @return the condition, starting with {@code " AND "}
   */
  public String notAmong(String column, int keys) {
    return this == MARIADB
        ? " AND " + column + " NOT IN (" + "?,".repeat(keys - 1) + "?)"
        : " AND NOT (" + column + " = ANY(?))";
  }

  /**
   * A query of the users whose column equals one of a batch of text keys, in a shape that leaves
   * the planner no worse choice than one index probe per key, even on a table that has never been
   * analyzed: PostgreSQL takes the keys as the outer side of a lateral join that it cannot flatten
   * ({@code OFFSET 0}), so each key is one probe of the index on {@code (tenant_id, column)}; with
   * {@code column = ANY(?)} a never-analyzed table (estimated at one row per tenant) made it read
   * the whole tenant through whichever index led with {@code tenant_id}. H2 joins a table of the
   * keys; MariaDB takes an IN list. Bind it with {@link #bindKeyLookup}.
   *
   * @param columns the select list over the alias {@code u}, e.g. {@code u.id, u.version, u.doc}
   * @param column the key column of {@code um_users}, e.g. {@code email_key}
   * @param keys how many keys
   * @return the statement, without ORDER BY
   */
  public String selectByKeys(String columns, String column, int keys) {
    return selectByKeys(columns, "um_users", column, "", keys);
  }

  /**
   * {@link #selectByKeys(String, String, int)} over any table of the store whose index leads with
   * {@code (tenant_id, column)}, with a further condition on the same row: the change log's user
   * index is read this way ({@code um_change_users}, by user, after a sequence). Bind it with
   * {@link #bindKeyLookup}, then the condition's parameters from the index it returns.
   *
   * @param columns the select list over the alias {@code u}
   * @param table the table, aliased {@code u}
   * @param column the key column
   * @param and a condition over {@code u} to add, starting with {@code " AND "}, or empty
   * @param keys how many keys
   * @return the statement, without ORDER BY
   */
  public String selectByKeys(String columns, String table, String column, String and, int keys) {
    if (this == POSTGRESQL) {
      return "SELECT "
          + columns
          + " FROM unnest(CAST(? AS text[])) AS keys(k) CROSS JOIN LATERAL (SELECT "
          + columns
          + " FROM "
          + table
          + " u WHERE u.tenant_id = ? AND u."
          + column
          + " = keys.k"
          + and
          + " OFFSET 0) u";
    }
    KeyMatch m = keyMatch("u." + column, keys);
    return "SELECT "
        + columns
        + " FROM "
        + table
        + " u"
        + m.join()
        + " WHERE u.tenant_id = ?"
        + m.where()
        + and;
  }

  /**
   * Binds the keys and the tenant of a {@link #selectByKeys} statement. On PostgreSQL and H2 the
   * keys are bound distinct and in ascending order, so each row is returned once even for a key
   * given twice (an {@code IN} list, MariaDB's, returns it once too).
   *
   * @param ps the statement
   * @param keys the keys
   * @param tenant the tenant id
   * @return the index of the next parameter (the added condition's first)
   * @throws SQLException from the driver
   */
  public int bindKeyLookup(PreparedStatement ps, List<String> keys, String tenant)
      throws SQLException {
    planEachExecution(ps);
    if (this == MARIADB) {
      ps.setString(1, tenant);
      return bindKeys(ps, 2, keys);
    }
    int next = bindKeys(ps, 1, inIndexOrder(keys));
    ps.setString(next, tenant);
    return next + 1;
  }

  /**
   * The distinct keys in ascending order, for a lookup whose keys are the outer side of a join
   * (PostgreSQL's lateral join, H2's joined table): each key is one probe of the index, made in the
   * order given, so probes in the index's own order read neighbouring pages one after the other
   * instead of jumping through the whole index. On PostgreSQL this took a lookup of 5,000 random
   * e-mails among 100,000 users from 21 ms to 16 ms of execution, against 15 ms for {@code =
   * ANY(?)}, which sorts its array itself. The key columns' collation is {@code C} (byte order);
   * {@link String#compareTo} differs from it only between supplementary and some BMP characters,
   * which costs nothing but locality. A duplicate would be probed, and its rows returned, twice.
   */
  private static List<String> inIndexOrder(List<String> keys) {
    String[] sorted = keys.toArray(new String[0]);
    Arrays.sort(sorted);
    int n = 0;
    for (String k : sorted) {
      if (n == 0 || !k.equals(sorted[n - 1])) {
        sorted[n++] = k;
      }
    }
    return Arrays.asList(sorted).subList(0, n);
  }

  /**
   * Has PostgreSQL plan a statement for the values of each execution: the driver otherwise prepares
   * it on the server after a few executions, and the server may then keep one generic plan, made
   * once (on a table that had no statistics and few rows, a plan that read the whole tenant for
   * every key: a bulk create of 50,000 users slowed to seconds a batch). Other databases and
   * drivers are left as they are.
   *
   * @param ps the statement
   */
  public void planEachExecution(PreparedStatement ps) {
    if (this != POSTGRESQL) {
      return;
    }
    try {
      Class<?> pg =
          Class.forName("org.postgresql.PGStatement", false, Dialect.class.getClassLoader());
      if (ps.isWrapperFor(pg)) {
        pg.getMethod("setPrepareThreshold", int.class).invoke(ps.unwrap(pg), 0);
      }
    } catch (ReflectiveOperationException | SQLException | LinkageError e) {
      // another driver: it plans as it does
    }
  }

  /**
   * Binds a batch of keys for a {@link #keyMatch} fragment.
   *
   * @param ps the statement
   * @param index the first parameter index
   * @param keys the keys
   * @return the next parameter index
   * @throws SQLException from the driver
   */
  public int bindKeys(PreparedStatement ps, int index, List<String> keys) throws SQLException {
    switch (this) {
      case H2 -> {
        ps.setObject(index, keys.toArray(new String[0]));
        return index + 1;
      }
      case POSTGRESQL -> {
        ps.setArray(index, ps.getConnection().createArrayOf("varchar", keys.toArray()));
        return index + 1;
      }
      default -> {
        int i = index;
        for (String k : keys) {
          ps.setString(i++, k);
        }
        return i;
      }
    }
  }

  /**
   * An INSERT that does nothing when the primary key exists. On H2 the statement takes the tenant
   * id once more as its last parameter (and two racing inserts can still collide; the caller
   * ignores that duplicate).
   *
   * @param table the table
   * @param columns the column list
   * @param values the placeholders
   * @return the statement
   */
  public String insertIgnore(String table, String columns, String values) {
    return switch (this) {
      case POSTGRESQL ->
          "INSERT INTO "
              + table
              + " ("
              + columns
              + ") VALUES ("
              + values
              + ") ON CONFLICT DO NOTHING";
      case MARIADB -> "INSERT IGNORE INTO " + table + " (" + columns + ") VALUES (" + values + ")";
      case H2 ->
          "INSERT INTO "
              + table
              + " ("
              + columns
              + ") SELECT "
              + values
              + " FROM DUAL WHERE NOT EXISTS"
              + " (SELECT 1 FROM "
              + table
              + " WHERE tenant_id = ?)";
    };
  }

  /**
   * Where the keys of a batch go in a query.
   *
   * @param join SQL after the FROM table (H2), or empty
   * @param where SQL appended to the WHERE clause, or empty
   */
  public record KeyMatch(String join, String where) {}
}
