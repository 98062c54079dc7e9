package dev.usermgmt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

  @Test
  void theReadmeQuotesTheCompiledExampleVerbatim() throws Exception {
    List<String> source =
        Files.readAllLines(
            Path.of("src/main/java/dev/usermgmt/examples/Embedding.java"), StandardCharsets.UTF_8);
    int begin = source.indexOf("    // README:begin");
    int end = source.indexOf("    // README:end");
    String snippet =
        String.join(
            "\n",
            source.subList(begin + 1, end).stream()
                .map(l -> l.length() >= 4 ? l.substring(4) : l)
                .toList());
    String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
    assertThat(readme).contains("```java\n" + snippet + "\n```");
  }
}
