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
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The plain DDL scripts for hosts without Flyway ({@link Dialect#ddlScript()}) cannot drift from
 * the migrations: each is generated from its dialect's migrations, and on each database it creates
 * exactly the tables, columns, indexes and constraints they create. A new migration fails these
 * tests until the scripts are regenerated; the failure says how.
 */
final class DdlScriptsTest {

  private static String stale(Dialect d) {
    return d.ddlScript()
        + " is not the schema the migrations of "
        + d.migrationLocation()
        + " create. Regenerate the scripts from the migrations (never edit them by hand):\n  "
        + DdlScripts.REGENERATE
        + "\n";
  }

  /** With -Dusermgmt.writeDdl=true the scripts are written anew first (see REGENERATE). */
  @ParameterizedTest
  @EnumSource(Dialect.class)
  void scriptsAreTheMigrationsInVersionOrder(Dialect d) throws Exception {
    String generated = DdlScripts.generate(d);
    Path source = Path.of("src/main/resources", d.ddlScript());
    if (Boolean.getBoolean("usermgmt.writeDdl")) {
      Files.createDirectories(source.getParent());
      Files.writeString(source, generated, StandardCharsets.UTF_8);
    }
    assertThat(source).as(stale(d)).exists();
    assertThat(Files.readString(source, StandardCharsets.UTF_8)).as(stale(d)).isEqualTo(generated);
    // every migration is in it, the last one last
    List<Migrations.Migration> migrations = Migrations.of(d);
    assertThat(generated).contains(migrations.get(migrations.size() - 1).sql());
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void eachScriptCreatesExactlyTheSchemaTheMigrationsCreate(Dialect d) throws Exception {
    Databases.withEmptyDatabase(
        d,
        ds -> {
          UserMgmtSchema.migrate(ds);
          String history = SchemaOptions.DEFAULT_HISTORY_TABLE;
          List<String> migrated = SchemaSnapshot.of(d, ds, history);
          // the snapshot sees tables, columns, indexes and constraints
          assertThat(SchemaSnapshot.mentions(migrated, "table", "um_users", "")).isTrue();
          assertThat(SchemaSnapshot.mentions(migrated, "column", "um_change_log", "doc_deflated"))
              .isTrue();
          assertThat(SchemaSnapshot.mentions(migrated, "index", "um_users", "ux_um_users_email"))
              .isTrue();
          assertThat(
                  SchemaSnapshot.mentions(
                      migrated, "constraint", "um_change_log", "ck_um_change_log_doc"))
              .isTrue();

          Databases.clean(ds, d);
          DdlScripts.run(ds, DdlScripts.shipped(d));
          List<String> scripted = SchemaSnapshot.of(d, ds, history);
          assertThat(scripted).as(stale(d)).containsExactlyElementsOf(migrated);

          // and the store works on it
          Stores stores = JdbcStores.create(ds);
          TenantId t = Fixtures.freshTenant();
          User u = Fixtures.user(t, "ddl");
          stores.users().insert(t, List.of(u));
          assertThat(stores.users().get(t, u.id())).contains(u);

          // the comparison notices one index, one check or one column more
          DdlScripts.run(ds, "CREATE INDEX ix_extra ON um_groups (tenant_id, name)");
          List<String> withIndex = SchemaSnapshot.of(d, ds, history);
          assertThat(withIndex).isNotEqualTo(scripted);
          DdlScripts.run(ds, "ALTER TABLE um_groups ADD CONSTRAINT ck_extra CHECK (id <> name)");
          List<String> withCheck = SchemaSnapshot.of(d, ds, history);
          assertThat(withCheck).isNotEqualTo(withIndex);
          DdlScripts.run(ds, "ALTER TABLE um_groups ADD COLUMN extra_col INT");
          assertThat(SchemaSnapshot.of(d, ds, history)).isNotEqualTo(withCheck);
        });
  }
}
