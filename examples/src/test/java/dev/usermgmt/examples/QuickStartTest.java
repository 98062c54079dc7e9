package dev.usermgmt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usermgmt.memory.InMemoryStores;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

final class QuickStartTest {
  @Test
  void walksEveryStepWithVisibleOutput() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new QuickStart(new PrintStream(bytes, true, StandardCharsets.UTF_8))
        .run(InMemoryStores.create(), 300);
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
