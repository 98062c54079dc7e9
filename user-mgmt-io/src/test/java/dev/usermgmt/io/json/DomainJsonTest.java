package dev.usermgmt.io.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.bulk.BulkEngine;
import dev.usermgmt.bulk.BulkListener;
import dev.usermgmt.bulk.UpdateOptions;
import dev.usermgmt.bulk.UpdatePlan;
import dev.usermgmt.bulk.UpdateRow;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.memory.InMemoryStores;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.Fixtures;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.PhoneNumber;
import dev.usermgmt.user.User;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DomainJsonTest {
  final ObjectMapper json = new ObjectMapper().registerModule(UserMgmtJacksonModule.create());

  @Test
  void valuesAreStringsThatReadBackThroughTheirParsers() throws Exception {
    assertThat(json.writeValueAsString(EmailAddress.parse("Alex@Example.COM")))
        .isEqualTo("\"Alex@example.com\"");
    assertThat(json.readValue("\"+44 20 7946 0018\"", PhoneNumber.class).e164())
        .isEqualTo("+442079460018");
    assertThat(json.readValue("\"u1\"", UserId.class)).isEqualTo(UserId.of("u1"));
    assertThatThrownBy(() -> json.readValue("\"not an address\"", EmailAddress.class))
        .isInstanceOf(InvalidFormatException.class)
        .hasMessageContaining("not a valid EmailAddress");
    assertThat(json.writeValueAsString(AttributeValue.number(3))).isEqualTo("3");
  }

  @Test
  void plansSerialiseWithTheirRowsDiffsAndProblems() throws Exception {
    Stores stores = InMemoryStores.create();
    TenantId tenant = Fixtures.freshTenant();
    User alex = Fixtures.user(tenant, "alex");
    User sam = Fixtures.user(tenant, "sam");
    stores.users().insert(tenant, List.of(alex, sam));
    UserDirectory directory = UserDirectory.builder().stores(stores).build();
    Actor admin =
        Actor.builder()
            .tenant(tenant)
            .userId(UserId.of("admin"))
            .role(RoleCatalog.defaultCatalog().adminRole())
            .build();
    String email = alex.primaryEmail().orElseThrow().value();
    UpdatePlan plan =
        BulkEngine.of(directory)
            .planUpdate(
                admin,
                List.of(
                    new UpdateRow(2, Map.of("primaryEmail", email, "department", "Sales")),
                    new UpdateRow(
                        3,
                        Map.of(
                            "primaryEmail",
                            sam.primaryEmail().orElseThrow().value(),
                            "hireDate",
                            "soon"))),
                UpdateOptions.defaults(),
                BulkListener.NONE);
    JsonNode node = json.valueToTree(plan);
    assertThat(node.get("tenant").asText()).isEqualTo(tenant.value());
    assertThat(node.get("createdAt").asText()).endsWith("Z");
    JsonNode first = node.get("rows").get(0);
    assertThat(first.get("kind").asText()).isEqualTo("CHANGED");
    assertThat(first.get("user").get("id").asText()).isEqualTo("alex");
    assertThat(first.get("diffs").get(0).get("field").asText()).isEqualTo("department");
    assertThat(first.get("diffs").get(0).get("after").asText()).isEqualTo("Sales");
    JsonNode second = node.get("rows").get(1);
    assertThat(second.get("problems").get(0).get("row").asLong()).isEqualTo(3);
    assertThat(second.get("problems").get(0).get("code").asText()).isNotBlank();
    JsonNode user = json.valueToTree(alex);
    assertThat(user.get("primaryEmail").asText()).isEqualTo(email);
    assertThat(user.get("role").asText()).isEqualTo(alex.role().key());
    assertThat(user.get("takingABreak").isBoolean()).isTrue();
    assertThat(user.get("skillsCount").isInt()).isTrue();
  }
}
