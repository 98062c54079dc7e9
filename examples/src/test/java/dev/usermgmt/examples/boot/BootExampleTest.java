package dev.usermgmt.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.usermgmt.bulk.BulkEngine;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.io.export.UserExporter;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The example application starts with the starter and answers the reference's dry run. */
final class BootExampleTest {
  @Test
  void theApplicationStartsAndAnswersTheReferenceRequest() throws Exception {
    try (ConfigurableApplicationContext ctx =
        new SpringApplicationBuilder(BootExample.class)
            .web(WebApplicationType.NONE)
            .properties(
                "spring.datasource.url=jdbc:h2:mem:boot-"
                    + UUID.randomUUID()
                    + ";DB_CLOSE_DELAY=-1")
            .run()) {
      assertThat(ctx.getBeansOfType(UserExporter.class)).hasSize(1);
      String body =
          BootExample.dryRun(
              ctx.getBean(UserDirectory.class),
              ctx.getBean(BulkEngine.class),
              ctx.getBean(ObjectMapper.class));
      var json = new ObjectMapper().readTree(body);
      assertThat(json.get("toDeactivate")).hasSize(1);
      assertThat(json.get("toDeactivate").get(0).get("primaryEmail").asText())
          .isEqualTo("alex@example.com");
      assertThat(json.get("notFound").get(0).asText()).isEqualTo("nobody@example.com");
    }
  }
}
