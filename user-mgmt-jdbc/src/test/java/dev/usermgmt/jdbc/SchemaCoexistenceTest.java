package dev.usermgmt.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usermgmt.TenantId;
import dev.usermgmt.jdbc.dialect.Dialect;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.Fixtures;
import dev.usermgmt.user.User;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The library's migrations in a host's database that has its own Flyway: a host migration {@code
 * V1} in the host's history table ({@code flyway_schema_history}), the library's {@code V1}... in
 * its own. Both migrate and validate, in either order, and a second run of each changes nothing; on
 * H2, PostgreSQL and MariaDB. (The README's old recipe, the library's location added to the host's
 * Flyway, failed on any such host: "Found more than one migration with version 1".)
 */
final class SchemaCoexistenceTest {
  private static final String HOST_HISTORY = "flyway_schema_history";

  /** The host's own Flyway, as a host configures it; baselined at 0 when the schema may be full. */
  private static Flyway hostFlyway(DataSource ds, boolean baselineAtZero) {
    FluentConfiguration config =
        Flyway.configure().dataSource(ds).locations("classpath:db/migration");
    if (baselineAtZero) {
      config.baselineOnMigrate(true).baselineVersion("0");
    }
    return config.load();
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aHostsOwnFlywayFirstThenTheLibrarysBothMigrateAndValidate(Dialect d) throws Exception {
    Databases.withEmptyDatabase(
        d,
        ds -> {
          Flyway host = hostFlyway(ds, false);
          assertThat(host.migrate().migrationsExecuted).isEqualTo(1);
          assertThat(UserMgmtSchema.migrate(ds)).isEqualTo(Migrations.versions(d).size());
          bothValidateAndRunAgainAsNoOps(d, ds, host);
        });
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void theLibrarysMigrationsFirstThenAHostFlywayThatBaselinesAtZero(Dialect d) throws Exception {
    Databases.withEmptyDatabase(
        d,
        ds -> {
          assertThat(UserMgmtSchema.migrate(ds)).isEqualTo(Migrations.versions(d).size());
          Flyway host = hostFlyway(ds, true);
          assertThat(host.migrate().migrationsExecuted).isEqualTo(1);
          bothValidateAndRunAgainAsNoOps(d, ds, host);
        });
  }

  /**
   * In a schema of their own, the library's tables leave the host's schema empty, so the host's
   * Flyway starts after them with no baseline at all; the store reads that schema through a data
   * source whose current schema it is.
   */
  @Test
  void inASchemaOfItsOwnTheLibraryLeavesTheHostsSchemaAlone() throws Exception {
    Dialect d = Dialect.POSTGRESQL;
    Databases.withEmptyDatabase(
        d,
        ds -> {
          String schema = "usermgmt_own";
          SchemaOptions options = SchemaOptions.builder().schema(schema).build();
          try {
            assertThat(UserMgmtSchema.migrate(ds, options))
                .isEqualTo(Migrations.versions(d).size());
            Flyway host = hostFlyway(ds, false);
            assertThat(host.migrate().migrationsExecuted).isEqualTo(1);
            assertThat(host.validateWithResult().validationSuccessful).isTrue();
            UserMgmtSchema.validate(ds, options);
            assertThat(UserMgmtSchema.migrate(ds, options)).isZero();
            assertThat(host.migrate().migrationsExecuted).isZero();

            PGSimpleDataSource own = new PGSimpleDataSource();
            String url = Databases.url(d);
            own.setURL(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema);
            own.setUser(Databases.user(d));
            assertThat(versions(d, own, SchemaOptions.DEFAULT_HISTORY_TABLE))
                .containsExactlyElementsOf(Migrations.versions(d));
            storeWorks(own);
          } finally {
            try (Connection c = ds.getConnection();
                Statement st = c.createStatement()) {
              st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
          }
        });
  }

  private static void bothValidateAndRunAgainAsNoOps(Dialect d, DataSource ds, Flyway host)
      throws SQLException {
    assertThat(host.validateWithResult().validationSuccessful).isTrue();
    UserMgmtSchema.validate(ds);
    assertThat(host.migrate().migrationsExecuted).isZero();
    assertThat(UserMgmtSchema.migrate(ds)).isZero();
    // each history holds its own versions only
    assertThat(versions(d, ds, HOST_HISTORY)).containsExactly("1");
    assertThat(versions(d, ds, SchemaOptions.DEFAULT_HISTORY_TABLE))
        .containsExactlyElementsOf(Migrations.versions(d));
    storeWorks(ds);
  }

  private static void storeWorks(DataSource ds) {
    Stores stores = JdbcStores.create(ds);
    TenantId t = Fixtures.freshTenant();
    User u = Fixtures.user(t, "coexisting");
    stores.users().insert(t, List.of(u));
    assertThat(stores.users().get(t, u.id())).contains(u);
  }

  /** The versions of the SQL migrations a Flyway history table records, in the order applied. */
  static List<String> versions(Dialect d, DataSource ds, String table) throws SQLException {
    String q = d == Dialect.MARIADB ? "`" : "\"";
    String sql =
        "SELECT "
            + q
            + "version"
            + q
            + " FROM "
            + q
            + table
            + q
            + " WHERE "
            + q
            + "type"
            + q
            + " = 'SQL' ORDER BY "
            + q
            + "installed_rank"
            + q;
    List<String> versions = new ArrayList<>();
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        versions.add(rs.getString(1));
      }
    }
    return versions;
  }
}
