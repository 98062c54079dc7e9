package dev.usermgmt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usermgmt.jdbc.JdbcStores;
import dev.usermgmt.jdbc.dialect.Dialect;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

final class QuickStartTest {
  @Test
  void walksEveryStepWithVisibleOutput() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:quickstart-test;DB_CLOSE_DELAY=-1");
    Flyway.configure().dataSource(ds).locations(Dialect.H2.migrationLocation()).load().migrate();
    new QuickStart(new PrintStream(bytes, true, StandardCharsets.UTF_8))
        .run(JdbcStores.create(ds), 300);
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out)
        .contains("denied: deny(role_too_low")
        .contains("is DEACTIVATED, effective role Blocked (99)")
        .contains("after undo: ACTIVE")
        .contains("second edit refused: version_conflict")
        .contains("matches; first page:")
        .contains("Done.");
  }
}
