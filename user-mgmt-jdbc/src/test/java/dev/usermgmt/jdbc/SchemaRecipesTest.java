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
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The README's schema recipes run as written, on each database, and the README quotes them. */
final class SchemaRecipesTest {

  static String readme() throws Exception {
    return Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
  }

  /** The lines between a pair of README markers in a source file, indentation removed. */
  static String block(String file, String marker, int indent) throws Exception {
    List<String> source = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
    String pad = " ".repeat(indent);
    int begin = source.indexOf(pad + "// README:" + marker + ":begin");
    int end = source.indexOf(pad + "// README:" + marker + ":end");
    assertThat(begin).as(marker).isNotNegative();
    assertThat(end).as(marker).isGreaterThan(begin);
    return String.join(
        "\n",
        source.subList(begin + 1, end).stream()
            .map(l -> l.length() >= indent ? l.substring(indent) : l)
            .toList());
  }

  @Test
  void theReadmeQuotesEachRecipeVerbatim() throws Exception {
    String readme = readme();
    for (String marker : List.of("one-call", "options", "beside-flyway")) {
      String snippet = block("src/test/java/dev/usermgmt/jdbc/SchemaRecipes.java", marker, 4);
      assertThat(readme).as(marker).contains("```java\n" + snippet + "\n```");
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void inOneCallTheSchemaIsCreatedAndTheStoreWorks(Dialect d) throws Exception {
    Databases.withEmptyDatabase(
        d,
        ds -> {
          storeWorks(SchemaRecipes.inOneCall(ds));
          storeWorks(SchemaRecipes.inOneCall(ds)); // a second start changes nothing
          assertThat(UserMgmtSchema.migrate(ds)).isZero();
        });
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void besideTheHostsFlywayWhicheverRunsFirst(Dialect d) throws Exception {
    Databases.withEmptyDatabase(d, ds -> besideTheHostsFlyway(d, ds));
    Databases.withEmptyDatabase(
        d,
        ds -> {
          UserMgmtSchema.migrate(ds);
          besideTheHostsFlyway(d, ds);
        });
  }

  private static void besideTheHostsFlyway(Dialect d, DataSource ds) throws Exception {
    SchemaRecipes.besideYourOwnFlyway(ds);
    SchemaRecipes.besideYourOwnFlyway(ds); // the next start
    assertThat(SchemaCoexistenceTest.versions(d, ds, "flyway_schema_history")).containsExactly("1");
    assertThat(SchemaCoexistenceTest.versions(d, ds, SchemaOptions.DEFAULT_HISTORY_TABLE))
        .containsExactlyElementsOf(Migrations.versions(d));
    UserMgmtSchema.validate(ds);
    storeWorks(JdbcStores.create(ds));
  }

  /** On MariaDB the schema would be a database of its own, which these tests do not create. */
  @ParameterizedTest
  @EnumSource(
      value = Dialect.class,
      names = {"H2", "POSTGRESQL"})
  void withOptionsTheTablesAndTheirHistoryGoWhereTheHostSays(Dialect d) throws Exception {
    Databases.withEmptyDatabase(
        d,
        ds -> {
          try {
            SchemaRecipes.withOptions(ds);
            SchemaOptions options =
                SchemaOptions.builder()
                    .historyTable("app_usermgmt_history")
                    .schema("usermgmt")
                    .build();
            UserMgmtSchema.validate(ds, options);
            assertThat(UserMgmtSchema.migrate(ds, options)).isZero();
            // nothing went to the connection's own schema
            assertThat(SchemaSnapshot.of(d, ds, List.of())).isEmpty();
          } finally {
            try (Connection c = ds.getConnection();
                Statement st = c.createStatement()) {
              st.execute("DROP SCHEMA IF EXISTS \"usermgmt\" CASCADE");
            }
          }
        });
  }

  private static void storeWorks(Stores stores) {
    TenantId t = Fixtures.freshTenant();
    User u = Fixtures.user(t, "recipe");
    stores.users().insert(t, List.of(u));
    assertThat(stores.users().get(t, u.id())).contains(u);
  }
}
