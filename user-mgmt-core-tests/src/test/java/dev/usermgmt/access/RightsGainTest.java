package dev.usermgmt.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usermgmt.AccessDeniedException;
import dev.usermgmt.Action;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.bulk.BulkEngine;
import dev.usermgmt.bulk.BulkListener;
import dev.usermgmt.bulk.UpdateOptions;
import dev.usermgmt.bulk.UpdatePlan;
import dev.usermgmt.bulk.UpdateRow;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.memory.InMemoryStores;
import dev.usermgmt.role.DomainRole;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.Fixtures;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserDraft;
import dev.usermgmt.user.UserField;
import dev.usermgmt.user.UserPatch;
import dev.usermgmt.user.UserStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Holes the security property found: rights reached a user from an actor who did not hold them,
 * through writes each rank check allowed. Nobody gives a user an action or a rank they do not hold
 * themself, and nobody takes over (by changing the identity of) a user who holds more than they do.
 */
final class RightsGainTest {
  static final RoleCatalog ROLES = RoleCatalog.defaultCatalog();
  final TenantId tenant = TenantId.of("acme");
  final Stores stores = InMemoryStores.create();
  final UserDirectory directory =
      UserDirectory.builder()
          .stores(stores)
          .featureFlags(FeatureFlags.of(Map.of(FeatureFlag.USERS_INTEGRATION_CONFIGURED, true)))
          .build();

  User put(User u) {
    stores.users().insert(tenant, List.of(u));
    return u;
  }

  User stored(String id) {
    return stores.users().get(tenant, UserId.of(id)).orElseThrow();
  }

  Actor actor(String id) {
    return Actor.forUser(stored(id), ROLES).build();
  }

  @Test
  void anOwnerWhoseUndoIsRevokedGivesNobodyARoleThatHoldsUndo() {
    put(
        Fixtures.user(tenant, "owner").toBuilder()
            .role(ROLES.parse("owner"))
            .addPermissionRevocations(Action.UNDO.name())
            .build());
    put(Fixtures.user(tenant, "sam"));
    Actor owner = actor("owner");

    // a second account of their own, as Admin, would hold UNDO again
    assertThatThrownBy(
            () ->
                directory.create(
                    owner,
                    List.of(
                        UserDraft.builder()
                            .primaryEmail(EmailAddress.parse("owner.second@example.com"))
                            .role(ROLES.adminRole())
                            .build())))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("UNDO");
    assertThatThrownBy(
            () ->
                directory.edit(
                    owner,
                    UserId.of("sam"),
                    1,
                    UserPatch.builder().set(UserField.ROLE, ROLES.adminRole()).build()))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("UNDO");
    assertThat(stored("sam").role()).isEqualTo(ROLES.defaultRole());
    assertThat(stores.users().scan(tenant, Optional.empty(), 10)).hasSize(2);

    // a role that holds nothing the owner lacks is fine
    directory.edit(
        owner,
        UserId.of("sam"),
        1,
        UserPatch.builder().set(UserField.ROLE, ROLES.parse("manager")).build());
    assertThat(stored("sam").role()).isEqualTo(ROLES.parse("manager"));
  }

  @Test
  void anOwnerDoesNotGiveBackAccessToSomeoneWhoseDomainRoleIsAboveTheirs() {
    put(Fixtures.user(tenant, "owner").toBuilder().role(ROLES.parse("owner")).build());
    put(
        Fixtures.user(tenant, "kim").toBuilder()
            .role(ROLES.parse("instructor"))
            .addDomainRoles(DomainRole.of("content", ROLES.parse("staff")))
            .status(UserStatus.SUSPENDED)
            .build());

    assertThatThrownBy(() -> directory.unsuspend(actor("owner"), UserId.of("kim")))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("content");
    assertThatThrownBy(() -> directory.activate(actor("owner"), UserId.of("kim")))
        .isInstanceOf(AccessDeniedException.class);
    assertThat(stored("kim").status()).isEqualTo(UserStatus.SUSPENDED);
  }

  @Test
  void anAdminTakesOverNoLowerUserWhoHoldsWhatTheAdminDoesNot() {
    put(Fixtures.user(tenant, "admin").toBuilder().role(ROLES.adminRole()).build());
    put(
        Fixtures.user(tenant, "lee").toBuilder()
            .addPermissionGrants(Action.SYNC_USERS.name())
            .status(UserStatus.DEACTIVATED)
            .deactivatedAt(Fixtures.T0)
            .build());
    BulkEngine engine = BulkEngine.of(directory);
    Actor admin = actor("admin");

    // the file would point the learner's e-mail at the admin's mailbox
    UpdatePlan plan =
        engine.planUpdate(
            admin,
            List.of(
                new UpdateRow(2, Map.of("id", "lee", "primaryEmail", "admin.private@example.com"))),
            new UpdateOptions(
                UpdateOptions.MatchKey.ID,
                Map.of(),
                Optional.empty(),
                false,
                UpdateOptions.ApplyMode.VALID_ROWS,
                0),
            BulkListener.NONE);
    engine.applyUpdate(admin, plan, BulkListener.NONE);
    assertThat(stored("lee").primaryEmail().map(EmailAddress::value)).contains("lee@example.com");

    // and reactivating them would give back SYNC_USERS, which the admin does not hold
    assertThatThrownBy(() -> directory.reactivate(admin, UserId.of("lee")))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("SYNC_USERS");
    assertThat(stored("lee").status()).isEqualTo(UserStatus.DEACTIVATED);
    assertThat(stored("lee").permissionGrants()).isEqualTo(Set.of(Action.SYNC_USERS.name()));
  }

  @Test
  void theSystemActivatesOnlyWhatSomeoneScheduledAndAcceptsOnlyThroughTheAcceptance() {
    User invited =
        put(
            Fixtures.user(tenant, "pending").toBuilder()
                .status(UserStatus.INVITE_PENDING)
                .invitedAt(java.time.Instant.parse("2026-01-01T00:00:00Z"))
                .build());
    Actor system = Actor.system(tenant, ROLES);
    dev.usermgmt.bulk.BulkEngine bulk = dev.usermgmt.bulk.BulkEngine.of(directory);
    // a selection is not the acceptance, and nobody scheduled this activation
    dev.usermgmt.bulk.SelectionPlan plan =
        bulk.planSelection(
            system,
            List.of(invited.id()),
            dev.usermgmt.bulk.ActionSpec.of(dev.usermgmt.bulk.SelectionAction.ACTIVATE),
            dev.usermgmt.bulk.BulkListener.NONE);
    bulk.applySelection(system, plan, dev.usermgmt.bulk.BulkListener.NONE);
    assertThat(stored("pending").status()).isEqualTo(UserStatus.INVITE_PENDING);
    // the acceptance itself moves the same user to active
    directory.acceptInvitation(tenant, invited.id());
    assertThat(stored("pending").status()).isEqualTo(UserStatus.ACTIVE);
  }
}
