package dev.usermgmt.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usermgmt.AccessDeniedException;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.bulk.BulkEngine;
import dev.usermgmt.bulk.DeletionPlan;
import dev.usermgmt.bulk.PlannedUser;
import dev.usermgmt.user.UserStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A support user (support level 2, Learner role) may plan a bulk deletion and a deactivation file
 * but may not see the users: each plan answers an unseen user as one that does not exist, as a
 * selection does, and names, addresses and states stay hidden.
 */
final class FilePlansNameNoUnseenUserTest extends OneTenant {
  @Test
  void aDeactivationFileNamesNoUserTheActorMayNotSee() {
    put("kim", ROLES.defaultRole(), b -> b.firstName("Kimberly").lastName("Secretname"));
    put("sup", ROLES.defaultRole(), b -> b);
    Actor sup = Actor.builder().from(as("sup")).supportLevel(2).build();
    UserDirectory withFiles =
        UserDirectory.builder()
            .stores(stores)
            .featureFlags(
                dev.usermgmt.access.FeatureFlags.of(
                    java.util.Map.of(dev.usermgmt.access.FeatureFlag.DEACTIVATE_USERS_EXCEL, true)))
            .build();

    dev.usermgmt.bulk.DeactivationPlan plan =
        BulkEngine.of(withFiles)
            .planDeactivation(
                sup,
                new dev.usermgmt.bulk.DeactivationRequest(
                    List.of("kim@example.com", "sup@example.com", "ghost@example.com"), false),
                dev.usermgmt.bulk.BulkListener.NONE);

    assertThat(plan.toDeactivate()).extracting(PlannedUser::id).containsExactly(UserId.of("sup"));
    assertThat(plan.alreadyInactive()).isEmpty();
    assertThat(plan.notFound()).containsExactly("kim@example.com", "ghost@example.com");
  }

  @Test
  void aDeletionPlanNamesNoUserTheActorMayNotSee() {
    put(
        "kim",
        ROLES.defaultRole(),
        b ->
            b.firstName("Kimberly")
                .lastName("Secretname")
                .status(UserStatus.DEACTIVATED)
                .deactivatedAt(dev.usermgmt.testkit.Fixtures.T0));
    put("lee", ROLES.defaultRole(), b -> b.lastName("Hiddenlast"));
    put("sup", ROLES.defaultRole(), b -> b);
    Actor sup = Actor.builder().from(as("sup")).supportLevel(2).build();
    // the single-user API refuses both
    assertThatThrownBy(() -> directory.get(sup, UserId.of("kim")))
        .isInstanceOf(AccessDeniedException.class);
    assertThatThrownBy(() -> directory.get(sup, UserId.of("lee")))
        .isInstanceOf(AccessDeniedException.class);

    DeletionPlan plan =
        BulkEngine.of(directory)
            .planDeletion(
                sup, List.of(UserId.of("kim"), UserId.of("lee"), UserId.of("ghost")), false);

    List<PlannedUser> named = new ArrayList<>(plan.toDelete());
    named.addAll(plan.stillActive());
    // it names kim and lee (e-mail, first and last name, status) like users the actor may see
    assertThat(named).isEmpty();
    assertThat(plan.notFound()).containsExactly("kim", "lee", "ghost");
  }
}
