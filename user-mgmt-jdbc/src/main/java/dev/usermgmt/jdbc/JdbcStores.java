package dev.usermgmt.jdbc;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.StoreException;
import dev.usermgmt.jdbc.dialect.Dialect;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.spi.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The reference JDBC store: every store SPI over a host's {@link DataSource}, for H2, PostgreSQL
 * and MariaDB / MySQL. Create its tables first: {@link UserMgmtSchema#migrate(DataSource)} runs the
 * migrations with their own Flyway history table, or {@link Dialect#ddlScript()} is the same schema
 * as plain DDL.
 */
public final class JdbcStores {
  private JdbcStores() {}

  /**
   * Stores over a data source, dialect detected.
   *
   * @param dataSource the host's data source
   * @return the stores
   */
  public static Stores create(DataSource dataSource) {
    return create(dataSource, JdbcOptions.defaults());
  }

  /**
   * Stores over a data source.
   *
   * @param dataSource the host's data source
   * @param options the options
   * @return the stores
   */
  public static Stores create(DataSource dataSource, JdbcOptions options) {
    Dialect dialect = options.dialect().orElseGet(() -> detect(dataSource));
    JdbcBackend db = new JdbcBackend(dataSource, dialect, options.roles(), options.batchSize());
    JdbcUserStore users = new JdbcUserStore(db);
    Transactions tx =
        new Transactions() {
          @Override
          public <T> T inTransaction(Supplier<T> work) {
            return db.tx(c -> work.get());
          }

          @Override
          public <T> T inSnapshot(Supplier<T> work) {
            return db.snapshot(work);
          }
        };
    return new Stores(
        users,
        new JdbcAttributeStore(db, users),
        new JdbcGroupStore(db),
        new JdbcChangeLog(db),
        tx);
  }

  /**
   * The dialect of a data source.
   *
   * @param dataSource the data source
   * @return the dialect
   */
  public static Dialect detect(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      return Dialect.detect(c);
    } catch (SQLException e) {
      throw new StoreException(
          ErrorCode.STORE_UNAVAILABLE, "cannot reach the database: " + e.getMessage(), e);
    }
  }
}
