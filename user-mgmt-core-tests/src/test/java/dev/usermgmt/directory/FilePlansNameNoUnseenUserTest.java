package dev.usermgmt.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usermgmt.AccessDeniedException;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.access.FeatureFlag;
import dev.usermgmt.access.FeatureFlags;
import dev.usermgmt.bulk.BulkEngine;
import dev.usermgmt.bulk.BulkListener;
import dev.usermgmt.bulk.DeactivationPlan;
import dev.usermgmt.bulk.DeactivationRequest;
import dev.usermgmt.bulk.DeletionPlan;
import dev.usermgmt.bulk.FlaggedAddress;
import dev.usermgmt.bulk.PlannedUser;
import dev.usermgmt.user.UserStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A support user (support level 2, Learner role) may plan a bulk deletion and a deactivation file
 * but may not see the users: each plan answers an unseen user as one that does not exist, as a
 * selection does, and names, addresses and states stay hidden.
 */
final class FilePlansNameNoUnseenUserTest extends OneTenant {
  /** The directory with deactivation files switched on, over the same stores. */
  final UserDirectory withFiles =
      UserDirectory.builder()
          .stores(stores)
          .featureFlags(FeatureFlags.of(Map.of(FeatureFlag.DEACTIVATE_USERS_EXCEL, true)))
          .build();

  private DeactivationPlan planAsSupport(String... emails) {
    put("sup", ROLES.defaultRole(), b -> b);
    Actor sup = Actor.builder().from(as("sup")).supportLevel(2).build();
    return BulkEngine.of(withFiles)
        .planDeactivation(sup, new DeactivationRequest(List.of(emails), false), BulkListener.NONE);
  }

  @Test
  void aDeactivationFileNamesNoUserTheActorMayNotSee() {
    put("kim", ROLES.defaultRole(), b -> b.firstName("Kimberly").lastName("Secretname"));

    DeactivationPlan plan =
        planAsSupport("kim@example.com", "sup@example.com", "ghost@example.com");

    assertThat(plan.toDeactivate()).extracting(PlannedUser::id).containsExactly(UserId.of("sup"));
    assertThat(plan.alreadyInactive()).isEmpty();
    assertThat(plan.notFound()).containsExactly("kim@example.com", "ghost@example.com");
  }

  /**
   * An address like an unseen user's (a dotless ı for i) is answered as one like nobody's: a flag
   * would tell the unseen user's address apart from one no user has.
   */
  @Test
  void aLookAlikeOfAnUnseenUserIsAnsweredAsOneOfNoUser() {
    put("kim", ROLES.defaultRole(), b -> b);

    DeactivationPlan plan = planAsSupport("k\u0131m@example.com", "n\u0131body@example.com");

    assertThat(plan.notFound()).containsExactly("k\u0131m@example.com", "n\u0131body@example.com");
    assertThat(plan.flagged()).extracting(FlaggedAddress::reason).isEmpty();
    assertThat(plan.counts().lookAlikes()).isZero();
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
