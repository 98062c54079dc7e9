package dev.usermgmt.jdbc;

import dev.usermgmt.spi.Stores;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The README's schema recipes ("The database schema"), compiled and run by {@link
 * SchemaRecipesTest}, which also checks that the README quotes the lines between each pair of
 * markers verbatim.
 */
final class SchemaRecipes {
  private SchemaRecipes() {}

  static Stores inOneCall(DataSource dataSource) {
    // README:one-call:begin
    UserMgmtSchema.migrate(dataSource); // returns how many migrations it applied; 0 once current
    Stores stores = JdbcStores.create(dataSource); // the dialect is read from the connection
    // README:one-call:end
    return stores;
  }

  static void withOptions(DataSource dataSource) {
    // README:options:begin
    SchemaOptions options =
        SchemaOptions.builder().historyTable("app_usermgmt_history").schema("usermgmt").build();
    UserMgmtSchema.migrate(dataSource, options);
    // README:options:end
  }

  static void besideYourOwnFlyway(DataSource dataSource) {
    // README:beside-flyway:begin
    Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/migration") // yours only
        .baselineOnMigrate(true) // only needed when UserMgmtSchema may run first
        .baselineVersion("0")
        .load()
        .migrate();
    UserMgmtSchema.migrate(dataSource);
    // README:beside-flyway:end
  }
}
