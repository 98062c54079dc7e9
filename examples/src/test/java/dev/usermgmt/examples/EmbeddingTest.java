package dev.usermgmt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

final class EmbeddingTest {
  @Test
  void theReadmeExampleRuns() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:embed-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    byte[] file = "Email,Department\nalex@example.com,Sales\n".getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(
            Embedding.embed(ds, DemoData.SIGNING_KEY, new ByteArrayInputStream(file), out).items())
        .isEmpty();
    assertThat(out.size()).as("the Sales view, after the update moved Alex there").isPositive();
  }

  /** The README shows the whole compiled file, imports included, verbatim. */
  @Test
  void theReadmeShowsTheCompiledExampleVerbatim() throws Exception {
    String source =
        Files.readString(
            Path.of("src/main/java/dev/usermgmt/examples/Embedding.java"), StandardCharsets.UTF_8);
    String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
    assertThat(readme).contains("```java\n" + source.stripTrailing() + "\n```");
  }
}
