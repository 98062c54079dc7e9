package dev.usermgmt.io.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.access.FeatureFlag;
import dev.usermgmt.access.FeatureFlags;
import dev.usermgmt.bulk.BulkEngine;
import dev.usermgmt.bulk.BulkListener;
import dev.usermgmt.bulk.DeactivationPlan;
import dev.usermgmt.bulk.DeactivationRequest;
import dev.usermgmt.bulk.DeactivationResult;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.memory.InMemoryStores;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.Fixtures;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.UserStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The reference API's request and responses, byte for byte in structure. */
final class DeactivationJsonTest {
  final ObjectMapper json =
      new ObjectMapper()
          .registerModule(
              UserMgmtJacksonModule.builder()
                  .internalEmailsField("allowJunoInternalEmails")
                  .build());

  @Test
  void replaysTheReferenceRequestAndResponses() throws Exception {
    TenantId t = TenantId.of("acme");
    Stores stores = InMemoryStores.create();
    stores
        .users()
        .insert(
            t,
            List.of(
                Fixtures.user(t, "a1").toBuilder()
                    .primaryEmail(EmailAddress.parse("alex@example.com"))
                    .firstName("Alex")
                    .lastName("Doe")
                    .build(),
                Fixtures.user(t, "s1").toBuilder()
                    .primaryEmail(EmailAddress.parse("sam@example.com"))
                    .firstName("Sam")
                    .lastName("Lee")
                    .status(UserStatus.DEACTIVATED)
                    .deactivatedAt(Fixtures.T0)
                    .build()));
    UserDirectory directory =
        UserDirectory.builder()
            .stores(stores)
            .featureFlags(FeatureFlags.of(Map.of(FeatureFlag.DEACTIVATE_USERS_EXCEL, true)))
            .build();
    BulkEngine engine = BulkEngine.of(directory);
    Actor support =
        Actor.builder()
            .tenant(t)
            .userId(UserId.of("staff"))
            .role(RoleCatalog.defaultCatalog().parse("support"))
            .supportLevel(2)
            .build();

    DeactivationRequest request =
        json.readValue(
            "{\"emails\": [\"alex@example.com\", \"sam@example.com\", \"jordan@example.com\"], \"allowJunoInternalEmails\": false}",
            DeactivationRequest.class);
    assertThat(request.allowInternalEmails()).isFalse();
    DeactivationPlan plan = engine.planDeactivation(support, request, BulkListener.NONE);
    JsonNode dry = json.readTree(json.writeValueAsString(plan));
    assertThat(dry)
        .isEqualTo(
            json.readTree(
                "{\"toDeactivate\": [{\"_id\": \"a1\", \"primaryEmail\": \"alex@example.com\", \"firstName\": \"Alex\", \"lastName\": \"Doe\"}],"
                    + " \"alreadyInactive\": [{\"primaryEmail\": \"sam@example.com\", \"firstName\": \"Sam\", \"lastName\": \"Lee\"}],"
                    + " \"notFound\": [\"jordan@example.com\"]}"));
    // extended: the rows of the flagged addresses and the counts of every group, as data
    ObjectMapper extended =
        new ObjectMapper().registerModule(UserMgmtJacksonModule.builder().extended(true).build());
    DeactivationPlan flagged =
        engine.planDeactivation(
            support,
            new DeactivationRequest(
                List.of("alex@example.com", "nope", "Alex@Example.com"),
                false,
                List.of(4L, 6L, 9L)),
            BulkListener.NONE);
    JsonNode more = extended.readTree(extended.writeValueAsString(flagged));
    assertThat(more.get("flagged"))
        .isEqualTo(
            json.readTree(
                "[{\"row\": 6, \"address\": \"nope\", \"reason\": \"invalid\"},"
                    + " {\"row\": 9, \"address\": \"Alex@Example.com\", \"reason\": \"duplicate\","
                    + " \"firstRow\": 4}]"));
    assertThat(more.get("counts"))
        .isEqualTo(
            json.readTree(
                "{\"toDeactivate\": 1, \"alreadyInactive\": 0, \"notFound\": 0, \"invalid\": 1,"
                    + " \"duplicates\": 1, \"excludedInternal\": 0,"
                    + " \"lookAlikes\": 0}"));
    DeactivationResult result = engine.applyDeactivation(support, plan, BulkListener.NONE);
    JsonNode applied = json.readTree(json.writeValueAsString(result));
    assertThat(applied.fieldNames())
        .toIterable()
        .containsExactly(
            "toDeactivate", "alreadyInactive", "notFound", "deactivatedCount", "failedEmails");
    assertThat(applied.get("deactivatedCount").asInt()).isEqualTo(1);
    assertThat(applied.get("failedEmails")).isEmpty();
    assertThat(Optional.ofNullable(applied.get("toDeactivate"))).isPresent();
  }

  @Test
  void malformedRequestsAreRefused() {
    assertThatThrownBy(
            () -> json.readValue("{\"emails\": \"alex@example.com\"}", DeactivationRequest.class))
        .isInstanceOf(MismatchedInputException.class);
    assertThatThrownBy(
            () -> json.readValue("{\"allowJunoInternalEmails\": true}", DeactivationRequest.class))
        .isInstanceOf(MismatchedInputException.class);
    assertThatThrownBy(() -> json.readValue("{\"emails\": [1]}", DeactivationRequest.class))
        .isInstanceOf(MismatchedInputException.class);
  }
}
