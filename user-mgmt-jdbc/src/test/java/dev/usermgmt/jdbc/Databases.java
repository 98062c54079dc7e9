package dev.usermgmt.jdbc;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.usermgmt.jdbc.dialect.Dialect;
import dev.usermgmt.spi.Stores;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.EnumMap;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The test databases: H2 in-process (always), PostgreSQL and MariaDB on this machine when they run.
 * With {@code USERMGMT_REQUIRE_DATABASES=true} (as CI sets it) a missing server fails the tests
 * instead of skipping them. Each database gets the migrations once per test run (clean first, then
 * {@link UserMgmtSchema#migrate}), and one store shared by all tests, which isolate themselves by
 * tenant.
 */
final class Databases {
  /** The signing key of every test directory over a database (a shared store needs the host's). */
  static final byte[] SIGNING_KEY =
      "user-mgmt-jdbc-tests-signing-key".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  static final boolean REQUIRED =
      "true".equalsIgnoreCase(System.getenv("USERMGMT_REQUIRE_DATABASES"));
  private static final Map<Dialect, HikariDataSource> SOURCES = new EnumMap<>(Dialect.class);
  private static final Map<Dialect, Stores> STORES = new EnumMap<>(Dialect.class);

  private Databases() {}

  static String url(Dialect d) {
    return switch (d) {
      case H2 -> "jdbc:h2:mem:usermgmt;DB_CLOSE_DELAY=-1";
      case POSTGRESQL -> env("USERMGMT_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
      case MARIADB -> env("USERMGMT_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test");
    };
  }

  static String user(Dialect d) {
    return switch (d) {
      case H2 -> "sa";
      case POSTGRESQL -> env("USERMGMT_PG_USER", "postgres");
      case MARIADB -> env("USERMGMT_MARIADB_USER", "root");
    };
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  /** The data source of a database, migrated; skips (or fails, when required) if it is down. */
  static synchronized DataSource dataSource(Dialect d) {
    HikariDataSource ds = SOURCES.get(d);
    if (ds != null) {
      return ds;
    }
    if (d != Dialect.H2) {
      try (Connection c = DriverManager.getConnection(url(d), user(d), "")) {
        c.isValid(5);
      } catch (Exception e) {
        String message = d + " is not reachable at " + url(d) + " (" + e.getMessage() + ")";
        if (REQUIRED) {
          throw new IllegalStateException(
              message + "; USERMGMT_REQUIRE_DATABASES=true makes it mandatory", e);
        }
        assumeTrue(
            false,
            message
                + "; skipping. Start it, or set USERMGMT_REQUIRE_DATABASES=true to fail instead.");
      }
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url(d));
    config.setUsername(user(d));
    config.setPassword("");
    config.setMaximumPoolSize(8);
    config.setAutoCommit(true);
    ds = new HikariDataSource(config);
    clean(ds, d);
    UserMgmtSchema.migrate(ds);
    SOURCES.put(d, ds);
    return ds;
  }

  /** Work on a database that starts empty. */
  @FunctionalInterface
  interface Work {
    void run(DataSource dataSource) throws Exception;
  }

  /**
   * Runs work on the shared database emptied first (tests of the schema itself start from nothing),
   * and leaves it as every other test expects it: emptied again and migrated. The work may create
   * anything in the connection's default schema; other schemas it removes itself.
   */
  static synchronized void withEmptyDatabase(Dialect d, Work work) throws Exception {
    DataSource ds = dataSource(d);
    clean(ds, d);
    try {
      work.run(ds);
    } finally {
      clean(ds, d);
      UserMgmtSchema.migrate(ds);
    }
  }

  /** Drops everything in the connection's default schema, whichever history tables it holds. */
  static void clean(DataSource ds, Dialect d) {
    Flyway.configure()
        .dataSource(ds)
        .locations(d.migrationLocation())
        .cleanDisabled(false)
        .load()
        .clean();
  }

  static synchronized Stores stores(Dialect d) {
    Stores s = STORES.get(d);
    if (s == null) {
      s = JdbcStores.create(dataSource(d));
      STORES.put(d, s);
    }
    return s;
  }
}
