package dev.usermgmt.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.UserMgmtException;
import dev.usermgmt.jdbc.dialect.Dialect;
import java.net.URL;
import java.net.URLClassLoader;
import java.sql.Connection;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.flywaydb.database.mysql.MySQLDatabaseType;
import org.flywaydb.database.postgresql.PostgreSQLDatabaseType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link UserMgmtSchema}'s options, its validation, and what a host without Flyway (or without
 * Flyway's module for its database) is told.
 */
final class UserMgmtSchemaTest {

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aHistoryTableOfTheHostsChoosingHoldsTheLibrarysMigrations(Dialect d) throws Exception {
    Databases.withEmptyDatabase(
        d,
        ds -> {
          SchemaOptions options = SchemaOptions.builder().historyTable("app_usermgmt_log").build();
          assertThat(UserMgmtSchema.migrate(ds, options)).isEqualTo(Migrations.versions(d).size());
          UserMgmtSchema.validate(ds, options);
          assertThat(SchemaCoexistenceTest.versions(d, ds, "app_usermgmt_log"))
              .containsExactlyElementsOf(Migrations.versions(d));
          // the default history table was not used: by it, every migration is pending
          assertThatThrownBy(() -> UserMgmtSchema.validate(ds))
              .isInstanceOf(InvalidInputException.class)
              .hasMessageContaining(SchemaOptions.DEFAULT_HISTORY_TABLE)
              .extracting(e -> ((UserMgmtException) e).code())
              .isEqualTo(ErrorCode.INVALID_CONFIGURATION);
        });
  }

  @Test
  void aMigrationChangedAfterItRanFailsValidationAndMigration() throws Exception {
    Dialect d = Dialect.H2;
    Databases.withEmptyDatabase(
        d,
        ds -> {
          UserMgmtSchema.migrate(ds);
          try (Connection c = ds.getConnection();
              Statement st = c.createStatement()) {
            st.executeUpdate(
                "UPDATE \"usermgmt_schema_history\" SET \"checksum\" = 42 WHERE \"version\" = '1'");
          }
          assertThatThrownBy(() -> UserMgmtSchema.validate(ds))
              .isInstanceOf(InvalidInputException.class)
              .hasMessageContaining("usermgmt_schema_history")
              .hasMessageContaining("checksum")
              .extracting(e -> ((UserMgmtException) e).code())
              .isEqualTo(ErrorCode.INVALID_CONFIGURATION);
          assertThatThrownBy(() -> UserMgmtSchema.migrate(ds))
              .isInstanceOf(InvalidInputException.class)
              .extracting(e -> ((UserMgmtException) e).code())
              .isEqualTo(ErrorCode.INVALID_CONFIGURATION);
        });
  }

  @Test
  void theHostsHistoryTableAndNamesThatAreNotPlainSqlNamesAreRefused() {
    assertThatThrownBy(() -> SchemaOptions.builder().historyTable("flyway_schema_history").build())
        .isInstanceOf(InvalidInputException.class)
        .satisfies(
            e -> {
              UserMgmtException u = (UserMgmtException) e;
              assertThat(u.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
              assertThat(u.field()).contains("historyTable");
            });
    assertThatThrownBy(() -> SchemaOptions.builder().historyTable("h; DROP TABLE x").build())
        .isInstanceOf(InvalidInputException.class)
        .satisfies(e -> assertThat(((UserMgmtException) e).field()).contains("historyTable"));
    assertThatThrownBy(() -> SchemaOptions.builder().schema("my schema").build())
        .isInstanceOf(InvalidInputException.class)
        .satisfies(e -> assertThat(((UserMgmtException) e).field()).contains("schema"));
    assertThat(SchemaOptions.defaults().historyTable()).isEqualTo("usermgmt_schema_history");
  }

  @Test
  void withoutFlywayTheHostIsToldToAddFlywayCore() throws Exception {
    try (URLClassLoader none = loader()) {
      assertThatThrownBy(() -> UserMgmtSchema.requireFlyway(null, none))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("org.flywaydb:flyway-core")
          .hasMessageContaining("Dialect.ddlScript()")
          .extracting(e -> ((UserMgmtException) e).code())
          .isEqualTo(ErrorCode.INVALID_CONFIGURATION);
    }
  }

  @Test
  void withoutFlywaysDatabaseModuleTheHostIsToldWhichOneToAdd() throws Exception {
    URL core = location(Flyway.class);
    try (URLClassLoader coreOnly = loader(core)) {
      assertThatCode(() -> UserMgmtSchema.requireFlyway(null, coreOnly)).doesNotThrowAnyException();
      assertThatCode(() -> UserMgmtSchema.requireFlyway(Dialect.H2, coreOnly))
          .doesNotThrowAnyException();
      assertThatThrownBy(() -> UserMgmtSchema.requireFlyway(Dialect.POSTGRESQL, coreOnly))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("org.flywaydb:flyway-database-postgresql")
          .extracting(e -> ((UserMgmtException) e).code())
          .isEqualTo(ErrorCode.INVALID_CONFIGURATION);
      assertThatThrownBy(() -> UserMgmtSchema.requireFlyway(Dialect.MARIADB, coreOnly))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("org.flywaydb:flyway-mysql");
    }
    try (URLClassLoader all =
        loader(core, location(PostgreSQLDatabaseType.class), location(MySQLDatabaseType.class))) {
      for (Dialect d : Dialect.values()) {
        assertThatCode(() -> UserMgmtSchema.requireFlyway(d, all)).doesNotThrowAnyException();
      }
    }
  }

  /** A class loader that sees the JDK and the given jars only. */
  private static URLClassLoader loader(URL... jars) {
    return new URLClassLoader(jars, ClassLoader.getPlatformClassLoader());
  }

  private static URL location(Class<?> type) {
    return type.getProtectionDomain().getCodeSource().getLocation();
  }
}
