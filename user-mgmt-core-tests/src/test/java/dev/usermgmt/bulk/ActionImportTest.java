package dev.usermgmt.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.memory.InMemoryStores;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.Fixtures;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserStatus;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class ActionImportTest {
  static final RoleCatalog ROLES = RoleCatalog.defaultCatalog();
  final TenantId tenant = TenantId.of("acme");
  final Stores stores = InMemoryStores.create();
  final UserDirectory directory = UserDirectory.builder().stores(stores).build();
  final BulkEngine engine = BulkEngine.of(directory);
  final Actor admin =
      Actor.builder().tenant(tenant).userId(UserId.of("admin")).role(ROLES.adminRole()).build();

  /** The reference's example content, one line per row. */
  static final List<List<String>> EXAMPLE =
      List.of(
          cells("update,username,firstName,lastName"),
          cells("add-user,u1@email.com,u1first,u1last"),
          cells("remove-user,u2@email.com,,"),
          cells("remove-user,u3@email.com,,"),
          cells("add-user,u4@email.com,u4first,u4last"),
          cells("add-user,u1@email.com,u1first changed,u1last changed"));

  static List<String> cells(String line) {
    return Arrays.asList(line.split(",", -1));
  }

  @BeforeEach
  void people() {
    stores
        .users()
        .insert(
            tenant,
            List.of(
                Fixtures.user(tenant, "u2").toBuilder()
                    .primaryEmail(EmailAddress.parse("u2@email.com"))
                    .build(),
                Fixtures.user(tenant, "u3").toBuilder()
                    .primaryEmail(EmailAddress.parse("u3@email.com"))
                    .status(UserStatus.DEACTIVATED)
                    .deactivatedAt(Fixtures.T0)
                    .build()));
  }

  Map<UserId, User> snapshot() {
    Map<UserId, User> m = new TreeMap<>();
    stores.users().scan(tenant, Optional.empty(), 100).forEach(u -> m.put(u.id(), u));
    return m;
  }

  @Test
  void withoutTheHeaderFlagTheExampleFailsWithTheReferenceMessage() {
    assertThatThrownBy(() -> engine.planActionImport(admin, EXAMPLE, false))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(
            "The first line is invalid. If this is a header row, please enable 'Ignore first or header row in the CSV file.'")
        .extracting(e -> ((InvalidInputException) e).code())
        .isEqualTo(ErrorCode.INVALID_HEADER_ROW);
  }

  @Test
  void replaysTheReferenceExampleInFileOrderWithPreviewApplyAndUndo() {
    Map<UserId, User> before = snapshot();
    ActionImportPlan plan = engine.planActionImport(admin, EXAMPLE, true);
    assertThat(plan.rows())
        .extracting(r -> r.row() + ":" + r.kind())
        .containsExactly("2:ADD", "3:REMOVE", "4:REMOVE", "5:ADD", "6:ERROR");
    assertThat(plan.rows().get(4).problems().get(0).code()).isEqualTo(ErrorCode.ALREADY_EXISTS);
    assertThat(snapshot()).isEqualTo(before);

    ApplyResult r = engine.applyActionImport(admin, plan, BulkListener.NONE);
    assertThat(r.changed()).hasSize(4);
    Map<String, User> byEmail =
        stores
            .users()
            .findByEmails(
                tenant,
                List.of(
                    EmailAddress.parse("u1@email.com"),
                    EmailAddress.parse("u2@email.com"),
                    EmailAddress.parse("u4@email.com")));
    assertThat(byEmail).containsOnlyKeys("u1@email.com", "u4@email.com");
    assertThat(byEmail.get("u1@email.com"))
        .extracting(User::displayName)
        .isEqualTo("u1first u1last");
    assertThat(stores.users().get(tenant, UserId.of("u3"))).isEmpty();

    Map<UserId, User> afterFirst = snapshot();
    assertThat(engine.applyActionImport(admin, plan, BulkListener.NONE).changed()).isEmpty();
    assertThat(snapshot()).isEqualTo(afterFirst);

    engine.undo(admin, r.changeSetIds());
    assertThat(snapshot().keySet()).isEqualTo(before.keySet());
    assertThat(snapshot().get(UserId.of("u2")))
        .extracting(User::status)
        .isEqualTo(UserStatus.ACTIVE);
  }

  @Test
  void rowsMayActOnUsersEarlierRowsAdded() {
    ActionImportPlan plan =
        engine.planActionImport(
            admin,
            List.of(
                cells("add-user,n@email.com,Nia,Cole"),
                cells("update,n@email.com,Nia,Cole-Smith"),
                cells("remove-user,ghost@email.com,,"),
                cells("promote,x@email.com,a,b")),
            false);
    assertThat(plan.rows())
        .extracting(r -> r.kind().name())
        .containsExactly("ADD", "UPDATE", "NOT_FOUND", "ERROR");
    engine.applyActionImport(admin, plan, BulkListener.NONE);
    User n =
        stores
            .users()
            .findByEmails(tenant, List.of(EmailAddress.parse("n@email.com")))
            .values()
            .iterator()
            .next();
    assertThat(n.lastName()).contains("Cole-Smith");
  }
}
