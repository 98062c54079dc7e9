package dev.usermgmt.io.bounded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Huge single fields in a 256 MiB heap, in seconds: 300 MB is refused as {@code limit_exceeded};
 * 200 MB, inside the file limit, makes its row invalid and the file goes on (its own JVM runs
 * {@link HugeFieldMain}).
 */
final class HugeFieldTest {
  @Test
  void hugeFieldsAreRefusedOrMakeTheirRowInvalidInABoundedHeap()
      throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-Xmx256m",
                    "-XX:+UseSerialGC",
                    "-cp",
                    System.getProperty("java.class.path"),
                    HugeFieldMain.class.getName()))
            .redirectErrorStream(true)
            .start();
    boolean done = p.waitFor(2, TimeUnit.MINUTES);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!done) {
      p.destroyForcibly();
    }
    assertThat(done).as("finished in time: %s", out).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out)
        .contains("OK field=300000000 bytes refused")
        .contains("OK field=200000000 bytes refused")
        .contains("OK field=1000000 bytes in");
    System.out.print(out);
  }
}
