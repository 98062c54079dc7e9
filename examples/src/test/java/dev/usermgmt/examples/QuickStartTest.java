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
        .contains("e-mail column detected: 'Email' (5 of 6 cells are addresses)")
        .contains(
            "to deactivate:    [Alex Okafor <alex.okafor.7@example.com>, Noor Doe <noor.doe.8@example.com>]")
        .contains("already inactive: [Mia Nguyen <mia.nguyen.9@example.com>]")
        .contains("not found:        [former.contractor@example.com]")
        .contains("invalid:          [jordan.doe.2999@@example.com]")
        .contains("internal (kept):  [agent@support.vendor.example]")
        .contains("deactivatedCount 2, failedEmails []")
        .contains("Alex Okafor is ACTIVE")
        .contains("column E 'Employee Number' -> employeeId")
        .contains("row 2 CHANGED")
        .contains("jobTitle: Specialist -> Account Executive")
        .contains("row 3 UNCHANGED")
        .contains("row 4 ERROR")
        .contains("row 6 NOT_FOUND")
        .contains("users exported to ")
        .contains("Done.");
  }
}
