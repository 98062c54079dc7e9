package dev.usermgmt.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The jar carries the metadata an IDE completes {@code usermgmt.*} from, with descriptions. */
final class ConfigurationMetadataTest {
  @Test
  void everyPropertyIsDescribedForIdeCompletion() throws Exception {
    JsonNode metadata;
    try (InputStream in =
        getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).isNotNull();
      metadata = new ObjectMapper().readTree(in);
    }
    List<String> names = new ArrayList<>();
    for (JsonNode p : metadata.get("properties")) {
      names.add(p.get("name").asText());
      assertThat(p.path("description").asText()).as(p.get("name").asText()).isNotBlank();
    }
    assertThat(names)
        .contains(
            "usermgmt.signing-key",
            "usermgmt.internal-email-domains",
            "usermgmt.feature-flags",
            "usermgmt.roles.catalog",
            "usermgmt.limits.max-emails",
            "usermgmt.schema.migrate",
            "usermgmt.json.internal-emails-aliases");
  }
}
