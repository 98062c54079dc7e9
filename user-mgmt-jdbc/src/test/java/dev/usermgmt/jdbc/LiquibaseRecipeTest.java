package dev.usermgmt.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usermgmt.TenantId;
import dev.usermgmt.jdbc.dialect.Dialect;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.Fixtures;
import dev.usermgmt.user.User;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.resource.CompositeResourceAccessor;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.ui.LoggerUIService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The README's Liquibase recipe: each library migration a changeset that runs the migration's file
 * from the jar. On each database it creates exactly the schema {@link UserMgmtSchema} creates, a
 * second update changes nothing, and the README shows the PostgreSQL changelog of the current
 * migrations.
 */
final class LiquibaseRecipeTest {
  private static final List<String> LIQUIBASE_TABLES =
      List.of("databasechangelog", "databasechangeloglock");

  /** Liquibase logs through java.util.logging; held here so that the level sticks. */
  private static final Logger LIQUIBASE_LOG = Logger.getLogger("liquibase");

  static {
    LIQUIBASE_LOG.setLevel(Level.WARNING);
  }

  /** The changelog a Liquibase host writes for a dialect's migrations. */
  static String changelog(Dialect d) {
    String folder = d.migrationLocation().substring("classpath:".length());
    StringBuilder sb =
        new StringBuilder(
            """
            <databaseChangeLog
                xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
                xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog
                    http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd">
            """);
    sb.append("  <!-- user-mgmt: one changeset per migration in ")
        .append(folder)
        .append("; an upgrade adds changesets -->\n");
    for (Migrations.Migration m : Migrations.of(d)) {
      sb.append("  <changeSet id=\"user-mgmt-V")
          .append(m.version())
          .append("\" author=\"user-mgmt\">\n")
          .append("    <sqlFile path=\"")
          .append(folder)
          .append('/')
          .append(m.file())
          .append("\"/>\n")
          .append("  </changeSet>\n");
    }
    return sb.append("</databaseChangeLog>").toString();
  }

  @Test
  void theReadmeShowsThePostgresChangelogOfTheCurrentMigrations() throws Exception {
    assertThat(SchemaRecipesTest.readme())
        .as(
            "README.md, \"The database schema\": the Liquibase changelog must list every"
                + " PostgreSQL migration; after adding one, paste this changelog there")
        .contains("```xml\n" + changelog(Dialect.POSTGRESQL) + "\n```");
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void theChangelogCreatesTheSchemaTheMigrationsCreate(Dialect d, @TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("changelog.xml"), changelog(d), StandardCharsets.UTF_8);
    Databases.withEmptyDatabase(
        d,
        ds -> {
          UserMgmtSchema.migrate(ds);
          List<String> migrated = SchemaSnapshot.of(d, ds, SchemaOptions.DEFAULT_HISTORY_TABLE);
          Databases.clean(ds, d);

          update(ds, dir);
          assertThat(SchemaSnapshot.of(d, ds, LIQUIBASE_TABLES))
              .containsExactlyElementsOf(migrated);
          update(ds, dir); // the next start: nothing to run, every checksum still matches
          assertThat(SchemaSnapshot.of(d, ds, LIQUIBASE_TABLES))
              .containsExactlyElementsOf(migrated);

          Stores stores = JdbcStores.create(ds);
          TenantId t = Fixtures.freshTenant();
          User u = Fixtures.user(t, "liquibase");
          stores.users().insert(t, List.of(u));
          assertThat(stores.users().get(t, u.id())).contains(u);
        });
  }

  @SuppressWarnings("deprecation") // the Liquibase facade is the shortest way to run an update
  private static void update(DataSource ds, Path dir) throws Exception {
    try (Connection c = ds.getConnection()) {
      Database db =
          DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c));
      try (CompositeResourceAccessor resources =
              new CompositeResourceAccessor(
                  new DirectoryResourceAccessor(dir), new ClassLoaderResourceAccessor());
          Liquibase liquibase = new Liquibase("changelog.xml", resources, db)) {
        // its messages and summaries go to the (quiet) log instead of standard output
        Scope.child(
            Map.of(
                Scope.Attr.ui.name(),
                new LoggerUIService(),
                "liquibase.command.showSummaryOutput",
                "LOG"),
            () -> liquibase.update(""));
      }
    }
  }
}
