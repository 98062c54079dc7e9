package dev.usermgmt.directory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usermgmt.access.Actor;
import dev.usermgmt.bulk.BulkEngine;
import dev.usermgmt.bulk.BulkListener;
import dev.usermgmt.bulk.DeactivationPlan;
import dev.usermgmt.bulk.DeactivationRequest;
import dev.usermgmt.bulk.FlaggedAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A deactivation file answers kim@ (unseen by a support-level Learner) as not found, but an address
 * that only looks like kim@ is flagged LOOK_ALIKE, judged against every user of the tenant: the
 * actor learns that kim@ exists, which the not-found answer was meant to hide. An address that
 * looks like no user is not flagged, so the two are told apart.
 */
final class DeactivationLookAlikeUnseenTest extends OneTenant {
  @Test
  void aLookAlikeOfAnUnseenUserIsAnsweredAsOneOfNoUser() {
    put("kim", ROLES.defaultRole(), b -> b);
    put("sup", ROLES.defaultRole(), b -> b);
    Actor sup = Actor.builder().from(as("sup")).supportLevel(2).build();
    UserDirectory withFiles =
        UserDirectory.builder()
            .stores(stores)
            .featureFlags(
                dev.usermgmt.access.FeatureFlags.of(
                    java.util.Map.of(dev.usermgmt.access.FeatureFlag.DEACTIVATE_USERS_EXCEL, true)))
            .build();

    DeactivationPlan plan =
        BulkEngine.of(withFiles)
            .planDeactivation(
                sup,
                new DeactivationRequest(
                    List.of("k\u0131m@example.com", "n\u0131body@example.com"), false),
                BulkListener.NONE);

    assertThat(plan.notFound()).containsExactly("k\u0131m@example.com", "n\u0131body@example.com");
    // kım@ is flagged (kim@ exists, unseen); nıbody@ is not: the flag tells the two apart
    assertThat(plan.flagged()).extracting(FlaggedAddress::reason).isEmpty();
    assertThat(plan.counts().lookAlikes()).isZero();
  }
}
