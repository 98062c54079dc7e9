package dev.usermgmt.io.bounded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A 1,000,000-row update file is planned in a 256 MiB heap: its own JVM runs {@link
 * BoundedPlanMain}, which plans from the stream, pages the previews, streams the plan's JSON and
 * applies it.
 */
final class BoundedPlanTest {
  @Test
  void aMillionRowUpdatePlanFitsIn256MiB() throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-Xmx256m",
                    "-XX:+UseSerialGC",
                    "-XX:StartFlightRecording=filename="
                        + System.getProperty("java.io.tmpdir")
                        + "/bounded-plan.jfr,settings=profile",
                    "-cp",
                    System.getProperty("java.class.path"),
                    BoundedPlanMain.class.getName(),
                    "1000000"))
            .redirectErrorStream(true)
            .start();
    boolean done = p.waitFor(5, TimeUnit.MINUTES);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!done) {
      p.destroyForcibly();
    }
    assertThat(done).as("finished in time: %s", out).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("OK rows=1000000").contains("heapMax=");
    System.out.print(out);
  }
}
