package dev.usermgmt.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.usermgmt.jdbc.dialect.Dialect;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.StoreContract;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;

/**
 * The JDBC store on MariaDB passes the conformance suite also with the driver's bulk statements on
 * ({@code useBulkStmts}), which answer "success, count unknown" for every row of a batch: no write
 * may take a row it did not find for one it wrote or deleted.
 */
final class MariaDbBulkStatementsStoreTest implements StoreContract {
  private static @Nullable HikariDataSource dataSource;
  private static @Nullable Stores stores;

  @Override
  public synchronized Stores stores() {
    Stores s = stores;
    if (s == null) {
      Databases.dataSource(Dialect.MARIADB); // migrated, or skipped / failed as configured
      HikariConfig config = new HikariConfig();
      String url = Databases.url(Dialect.MARIADB);
      config.setJdbcUrl(
          url + (url.contains("?") ? "&" : "?") + "useBulkStmts=true&useBulkStmtsForInserts=true");
      config.setUsername(Databases.user(Dialect.MARIADB));
      config.setPassword("");
      config.setMaximumPoolSize(4);
      HikariDataSource ds = new HikariDataSource(config);
      dataSource = ds;
      s = JdbcStores.create(ds);
      stores = s;
    }
    return s;
  }

  @AfterAll
  static synchronized void close() {
    HikariDataSource ds = dataSource;
    if (ds != null) {
      ds.close();
    }
    dataSource = null;
    stores = null;
  }
}
