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

          @Override
          public boolean canReadOnAnotherThread() {
            return options.readAhead() && !db.bound();
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
   * Works out again, for every user of every tenant, each value the store keeps beside the user's
   * document for matching, sorting and search: the folded keys, the e-mail skeleton's digest, the
   * search text, and the rows of modules, groups and custom attributes with their keys. An update
   * writes only the columns whose field changed, so a value worked out by an earlier version keeps
   * its form until this runs: run it after changing the Java feature version (its Unicode tables
   * fold text), the ICU4J version (its confusables give the skeletons) or this library's version
   * where its changelog says so. Users are read and rewritten a chunk a transaction, each chunk
   * locked while it is rewritten; documents, versions and the change log are left as they are, and
   * the stores may serve requests meanwhile.
   *
   * <p>A write waiting for a user being rewritten is written once the chunk commits. Pass the
   * options the stores are created with: the role catalog reads the documents and gives the role
   * columns their levels, so another catalog fails on an unknown role or stores other levels.
   *
   * @param dataSource the host's data source, the schema migrated
   * @param options the options the stores are created with
   * @return how many users were rewritten
   * @throws dev.usermgmt.StoreException when the database fails
   * @throws dev.usermgmt.ConflictException when a worked-out e-mail key is another user's, or the
   *     database ends a chunk's transaction to break a deadlock (run it again: chunks written stay
   *     written)
   */
  public static long rederive(DataSource dataSource, JdbcOptions options) {
    Dialect dialect = options.dialect().orElseGet(() -> detect(dataSource));
    return new JdbcUserStore(
            new JdbcBackend(dataSource, dialect, options.roles(), options.batchSize()))
        .rederive();
  }

  /**
   * {@link #rederive(DataSource, JdbcOptions)} with the default options, for stores created with
   * them ({@link #create(DataSource)}).
   *
   * @param dataSource the host's data source, the schema migrated
   * @return how many users were rewritten
   */
  public static long rederive(DataSource dataSource) {
    return rederive(dataSource, JdbcOptions.defaults());
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
