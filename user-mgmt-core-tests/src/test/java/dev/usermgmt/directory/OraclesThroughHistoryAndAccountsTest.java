package dev.usermgmt.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.usermgmt.AccessDeniedException;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.audit.ChangeSet;
import dev.usermgmt.audit.FieldDiff;
import dev.usermgmt.memory.InMemoryStores;
import dev.usermgmt.role.Role;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.Fixtures;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserStatus;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * An attacker's review, second round: the change log after an attribute's key is used again,
 * invitations and refused lifecycle moves answered with what the single-user read hides from the
 * same actor.
 */
final class OraclesThroughHistoryAndAccountsTest {
  private static final RoleCatalog ROLES = RoleCatalog.defaultCatalog();
  private final TenantId tenant = Fixtures.freshTenant();
  private final Stores stores = InMemoryStores.create();
  private final UserDirectory directory = UserDirectory.builder().stores(stores).build();

  private User put(String id, Role role, UnaryOperator<User.Builder> more) {
    User u = more.apply(Fixtures.user(tenant, id).toBuilder().role(role)).build();
    stores.users().insert(tenant, List.of(u));
    return u;
  }

  private Actor as(String id) {
    return as(directory, id);
  }

  private Actor as(UserDirectory d, String id) {
    return Actor.forUser(stores.users().get(tenant, UserId.of(id)).orElseThrow(), ROLES).build();
  }

  private static List<FieldDiff> diffs(List<ChangeSet> log, String field) {
    return log.stream()
        .flatMap(cs -> cs.changes().stream())
        .flatMap(c -> c.diffs().stream())
        .filter(d -> d.field().equals(field))
        .toList();
  }

  // ------------------------------------------------------------------ invitations

  @Test
  void anInvitationAnswersAlikeWhetherAnUnseenUserEverSignedIn() {
    put("kim", ROLES.defaultRole(), b -> b.permissionGrants(Set.of("SEND_INVITATIONS")));
    put("never", ROLES.defaultRole(), b -> b);
    put("signed", ROLES.defaultRole(), b -> b.lastLoginAt(Instant.parse("2025-01-01T00:00:00Z")));
    // kim may not read either user, nor so their last sign-in
    assertThatThrownBy(() -> directory.get(as("kim"), UserId.of("never")))
        .isInstanceOf(AccessDeniedException.class);
    assertThatThrownBy(() -> directory.get(as("kim"), UserId.of("signed")))
        .isInstanceOf(AccessDeniedException.class);
    InvitationResult never = directory.invite(as("kim"), List.of(UserId.of("never")));
    InvitationResult signed = directory.invite(as("kim"), List.of(UserId.of("signed")));
    // "never" was sent a welcome, "signed" skipped: kim learned that "signed" has signed in
    assertThat(never.sent().isEmpty()).isEqualTo(signed.sent().isEmpty());
    assertThat(never.skipped().isEmpty()).isEqualTo(signed.skipped().isEmpty());
  }

  // ------------------------------------------------------------------ grants

  @Test
  void aRefusedActivationNamesNoGrantTheActorMayNotSee() {
    // kim may activate users, and sees nobody else
    put("kim", ROLES.defaultRole(), b -> b.permissionGrants(Set.of("ACTIVATE")));
    put(
        "stan",
        ROLES.defaultRole(),
        b -> b.status(UserStatus.STAGED).permissionGrants(Set.of("EXPORT")));
    assertThatThrownBy(() -> directory.get(as("kim"), UserId.of("stan")))
        .isInstanceOf(AccessDeniedException.class);
    AccessDeniedException unseen =
        catchThrowableOfType(
            () -> directory.activate(as("kim"), UserId.of("stan")), AccessDeniedException.class);
    assertThat(unseen).isNotNull();

    // a manager reads their report, but not the report's grants
    put("boss", ROLES.managerRole(), b -> b.permissionGrants(Set.of("REACTIVATE_USER")));
    put(
        "rae",
        ROLES.defaultRole(),
        b ->
            b.managerId(UserId.of("boss"))
                .status(UserStatus.DEACTIVATED)
                .deactivatedAt(Instant.parse("2025-01-01T00:00:00Z"))
                .permissionGrants(Set.of("EXPORT")));
    assertThat(directory.get(as("boss"), UserId.of("rae")).permissionGrants()).isEmpty();
    AccessDeniedException report =
        catchThrowableOfType(
            () -> directory.reactivate(as("boss"), UserId.of("rae")), AccessDeniedException.class);
    assertThat(report).isNotNull();
    // both: "nobody gives a user an action they do not hold themself: EXPORT"
    assertThat(List.of(unseen.getMessage(), report.getMessage()))
        .allSatisfy(m -> assertThat(m).doesNotContain("EXPORT"));
  }
}
