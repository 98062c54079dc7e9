package dev.usermgmt.jdbc;

import dev.usermgmt.ConflictException;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.Problem;
import dev.usermgmt.StoreException;
import dev.usermgmt.UserMgmtException;
import dev.usermgmt.jdbc.dialect.Dialect;
import dev.usermgmt.role.RoleCatalog;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Connections and transactions over a host's {@link DataSource}: a transaction binds one connection
 * to the thread until commit or rollback; a store call outside one runs in its own, except a read
 * of one statement, which runs in autocommit ({@link #read}). Connections are always returned. SQL
 * errors become {@link UserMgmtException}s.
 */
final class JdbcBackend {
  final DataSource dataSource;
  final Dialect dialect;
  final RoleCatalog roles;
  final int batchSize;

  // one bound connection per backend and thread
  @SuppressWarnings("ThreadLocalUsage")
  private final ThreadLocal<@Nullable Connection> current = new ThreadLocal<>();

  JdbcBackend(DataSource dataSource, Dialect dialect, RoleCatalog roles, int batchSize) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.roles = roles;
    this.batchSize = batchSize;
  }

  /** Work on a connection. */
  @FunctionalInterface
  interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }

  /** Runs work on the connection of the transaction the thread is in. */
  private static <T> T inBound(Connection bound, SqlWork<T> work) {
    try {
      return work.run(bound);
    } catch (SQLException e) {
      throw translate(e);
    }
  }

  /** Whether the calling thread is in a transaction (or snapshot) of this backend. */
  boolean bound() {
    return current.get() != null;
  }

  /** Runs work in the current transaction, or in a new one of its own. */
  <T> T tx(SqlWork<T> work) {
    Connection bound = current.get();
    if (bound != null) {
      return inBound(bound, work);
    }
    Connection c = open();
    current.set(c);
    try {
      T result = work.run(c);
      c.commit();
      return result;
    } catch (SQLException e) {
      rollback(c);
      throw translate(e);
    } catch (RuntimeException | Error e) {
      rollback(c);
      throw e;
    } finally {
      current.remove();
      close(c);
    }
  }

  /**
   * Runs reads in one read-only transaction that sees one state of the database: {@code REPEATABLE
   * READ} on PostgreSQL and MariaDB (a snapshot taken at the first read), {@code SNAPSHOT} on H2
   * (whose {@code REPEATABLE READ} shows rows others commit meanwhile). On PostgreSQL the level and
   * read-only mode are the transaction's own ({@code SET TRANSACTION}, which pgjdbc sends with its
   * {@code BEGIN} in one request, and which ends with the transaction): the session's level is not
   * read, changed and put back, each a round trip of its own. Elsewhere the connection's isolation
   * and read-only flag are set, and put back before it returns to the pool. Inside a transaction
   * the reads join it.
   */
  <T> T snapshot(java.util.function.Supplier<T> work) {
    if (bound()) {
      return work.get();
    }
    Connection c = open();
    int isolation = -1;
    try {
      if (dialect == Dialect.POSTGRESQL) {
        // a pool that does not roll back on return may hand out a transaction left open; pgjdbc
        // sends nothing when none is
        c.rollback();
        try (Statement s = c.createStatement()) {
          s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        }
      } else {
        isolation = c.getTransactionIsolation();
        c.rollback(); // a driver that asked the server began no transaction to change levels in
        c.setTransactionIsolation(
            dialect == Dialect.H2 ? H2_SNAPSHOT : Connection.TRANSACTION_REPEATABLE_READ);
        c.setReadOnly(true);
      }
      current.set(c);
      T result = work.get();
      c.commit();
      return result;
    } catch (SQLException e) {
      rollback(c);
      throw translate(e);
    } catch (RuntimeException | Error e) {
      rollback(c);
      throw e;
    } finally {
      current.remove();
      try {
        if (isolation >= 0) {
          c.setReadOnly(false);
          c.setTransactionIsolation(isolation);
        }
      } catch (SQLException ignored) {
        // the connection is broken; closing it is all that is left
      }
      close(c);
    }
  }

  /** H2's own isolation level above {@code SERIALIZABLE}'s number: a snapshot for reads. */
  private static final int H2_SNAPSHOT = 6;

  /**
   * A read of one statement: in the current transaction if any (seeing its writes), else on a
   * connection of its own as the pool gives it. In autocommit (the JDBC default, and Hikari's) the
   * statement is its own transaction and nothing else goes to the server: no {@code BEGIN} or
   * {@code COMMIT}, no switching autocommit off and back on. A connection the host's pool gives out
   * of autocommit is committed after the read. Reads of several statements that must see one state
   * use {@link #tx} (or {@link #snapshot}) instead.
   */
  <T> T read(SqlWork<T> work) {
    Connection bound = current.get();
    if (bound != null) {
      return inBound(bound, work);
    }
    Connection c = connection();
    boolean autoCommit = true;
    try {
      autoCommit = c.getAutoCommit();
      T result = work.run(c);
      if (!autoCommit) {
        c.commit();
      }
      return result;
    } catch (SQLException e) {
      if (!autoCommit) {
        rollback(c);
      }
      throw translate(e);
    } catch (RuntimeException | Error e) {
      if (!autoCommit) {
        rollback(c);
      }
      throw e;
    } finally {
      close(c);
    }
  }

  private Connection open() {
    Connection c = connection();
    try {
      c.setAutoCommit(false);
      return c;
    } catch (SQLException e) {
      close(c);
      throw unavailable(e);
    }
  }

  private Connection connection() {
    try {
      return dataSource.getConnection();
    } catch (SQLException e) {
      throw unavailable(e);
    }
  }

  private static StoreException unavailable(SQLException e) {
    return new StoreException(
        ErrorCode.STORE_UNAVAILABLE, "cannot get a database connection: " + e.getMessage(), e);
  }

  private static void rollback(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the connection is broken; closing it is all that is left
    }
  }

  private static void close(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // nothing more to do
    }
  }

  /**
   * Whether a statement failed on an integrity constraint (SQLSTATE class 23, as SQL and JDBC
   * define it): a key another row holds, or a check.
   */
  static boolean constraintViolated(SQLException e) {
    return e.getSQLState() != null && e.getSQLState().startsWith("23");
  }

  static UserMgmtException translate(SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
    if (constraintViolated(e)) {
      if (message.contains("ux_um_users_email")) {
        return new ConflictException(
            Problem.ofField(
                ErrorCode.EMAIL_TAKEN,
                "primaryEmail",
                "another user already has that e-mail address"));
      }
      return new ConflictException(
          Problem.of(ErrorCode.ALREADY_EXISTS, "the record exists already: " + e.getMessage()));
    }
    if (state.startsWith("08")
        || state.startsWith("57P")
        || e instanceof java.sql.SQLTransientConnectionException) {
      return new StoreException(
          ErrorCode.STORE_UNAVAILABLE, "the database is unavailable: " + e.getMessage(), e);
    }
    if (state.equals("55P03") || state.equals("HYT00") || e.getErrorCode() == 1205) {
      // lock_not_available (PostgreSQL), H2's lock timeout, MariaDB's ER_LOCK_WAIT_TIMEOUT: another
      // transaction held the lock longer than the database waits, not a fault of what was written
      return new StoreException(
          ErrorCode.STORE_UNAVAILABLE,
          "the database gave up waiting for a lock another transaction holds: " + e.getMessage(),
          e);
    }
    if (state.startsWith("40")) {
      return new ConflictException(
          Problem.of(
              ErrorCode.VERSION_CONFLICT,
              "the database aborted a conflicting transaction: " + e.getMessage()));
    }
    return new StoreException(ErrorCode.STORE_FAILURE, "database error: " + e.getMessage(), e);
  }
}
