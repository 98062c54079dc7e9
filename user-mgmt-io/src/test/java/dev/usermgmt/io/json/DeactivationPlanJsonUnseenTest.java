package dev.usermgmt.io.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.usermgmt.AccessDeniedException;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.access.FeatureFlag;
import dev.usermgmt.access.FeatureFlags;
import dev.usermgmt.bulk.BulkEngine;
import dev.usermgmt.bulk.BulkListener;
import dev.usermgmt.bulk.DeactivationPlan;
import dev.usermgmt.bulk.DeactivationRequest;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.memory.InMemoryStores;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A support user (support level 2, Learner role) who may not see a user sends a deactivation file
 * naming the user's e-mail: the dry run's JSON gives the user's id and names.
 */
final class DeactivationPlanJsonUnseenTest {
  @Test
  void theDryRunNamesNoUserTheActorMayNotSee() throws Exception {
    TenantId t = Fixtures.freshTenant();
    Stores stores = InMemoryStores.create();
    RoleCatalog roles = RoleCatalog.defaultCatalog();
    stores
        .users()
        .insert(
            t,
            List.of(
                Fixtures.user(t, "kim").toBuilder()
                    .firstName("Kimberly")
                    .lastName("Secretname")
                    .build(),
                Fixtures.user(t, "sup")));
    UserDirectory directory =
        UserDirectory.builder()
            .stores(stores)
            .featureFlags(FeatureFlags.of(Map.of(FeatureFlag.DEACTIVATE_USERS_EXCEL, true)))
            .build();
    Actor sup =
        Actor.forUser(stores.users().get(t, UserId.of("sup")).orElseThrow(), roles)
            .supportLevel(2)
            .build();
    assertThatThrownBy(() -> directory.get(sup, UserId.of("kim")))
        .isInstanceOf(AccessDeniedException.class);

    DeactivationPlan plan =
        BulkEngine.of(directory)
            .planDeactivation(
                sup, new DeactivationRequest(List.of("kim@example.com"), false), BulkListener.NONE);
    String body =
        new ObjectMapper().registerModule(UserMgmtJacksonModule.create()).writeValueAsString(plan);
    // {"toDeactivate":[{"_id":"kim","primaryEmail":"kim@example.com","firstName":"Kimberly",
    // "lastName":"Secretname"}],...}
    assertThat(body).doesNotContain("Kimberly").doesNotContain("Secretname");
  }
}
