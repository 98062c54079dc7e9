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
import dev.usermgmt.user.User;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A plan whose previews are on disk (a small threshold and small chunks) gives the same previews,
 * summary and seal checks as one held in memory; pages are slices of the previews; cycles and
 * repeated keys are found across chunks.
 */
final class PlanPagingTest {
  static final RoleCatalog ROLES = RoleCatalog.defaultCatalog();
  final TenantId tenant = TenantId.of("acme");
  final Stores stores = InMemoryStores.create();
  final UserDirectory directory = UserDirectory.builder().stores(stores).build();
  final BulkEngine inMemory = BulkEngine.of(directory);
  final BulkEngine onDisk = BulkEngine.of(directory, new BulkLimits(1, 5000, 7, 10));
  final Actor admin =
      Actor.builder().tenant(tenant).userId(UserId.of("admin")).role(ROLES.adminRole()).build();

  List<UpdateRow> file() {
    List<User> users = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      users.add(Fixtures.user(tenant, "u" + i));
    }
    stores.users().insert(tenant, users);
    List<UpdateRow> rows = new ArrayList<>();
    // u0 → u1 at the start and u1 → u0 in a later chunk: a cycle across chunks
    rows.add(new UpdateRow(2, Map.of("primaryEmail", "u0@example.com", "managerId", "u1")));
    for (int i = 0; i < 300; i++) {
      String who = i % 3 == 0 ? "u" + (2 + i % 38) : "nobody" + i;
      rows.add(
          new UpdateRow(
              3 + i,
              Map.of(
                  "primaryEmail",
                  who + "@example.com",
                  "department",
                  "D" + i,
                  "hireDate",
                  i % 5 == 0 ? "31/02/2024" : "01/02/2024")));
    }
    rows.add(new UpdateRow(400, Map.of("primaryEmail", "u1@example.com", "managerId", "u0")));
    return rows;
  }

  @Test
  void aPlanOnDiskIsTheSamePlanPagedAndItsSealHolds() {
    List<UpdateRow> rows = file();
    UpdatePlan held = inMemory.planUpdate(admin, rows, UpdateOptions.defaults(), BulkListener.NONE);
    UpdatePlan spilled =
        onDisk.planUpdate(admin, rows.stream(), UpdateOptions.defaults(), BulkListener.NONE);

    assertThat(spilled.rows()).hasSize(302).isEqualTo(held.rows());
    assertThat(spilled.summary()).isEqualTo(held.summary());
    assertThat(spilled.summary().rows()).isEqualTo(302);
    assertThat(spilled.count(RowPreview.Kind.DUPLICATE_KEY)).isPositive();
    assertThat(spilled.rows().get(0).kind()).isEqualTo(RowPreview.Kind.ERROR);
    assertThat(spilled.rows().get(0).problems().get(0).code()).isEqualTo(ErrorCode.MANAGER_CYCLE);
    assertThat(spilled.rows().get(301).problems().get(0).code()).isEqualTo(ErrorCode.MANAGER_CYCLE);
    for (int offset : new int[] {0, 1, 255, 256, 257, 290, 301, 302, 500}) {
      assertThat(spilled.previews(offset, 20))
          .as("page at %d", offset)
          .isEqualTo(held.rows().subList(Math.min(offset, 302), Math.min(offset + 20, 302)));
      assertThat(held.previews(offset, 20)).isEqualTo(spilled.previews(offset, 20));
    }
    assertThatThrownBy(() -> spilled.previews(-1, 3)).isInstanceOf(InvalidInputException.class);

    ApplyResult applied = onDisk.applyUpdate(admin, spilled, BulkListener.NONE);
    assertThat(applied.changed()).hasSize((int) spilled.count(RowPreview.Kind.CHANGED));

    List<RowPreview> changed = new ArrayList<>(spilled.previews(0, 302));
    changed.set(5, changed.get(3));
    UpdatePlan forged =
        new UpdatePlan(
            spilled.id(),
            spilled.tenant(),
            spilled.createdAt(),
            spilled.options(),
            changed,
            spilled.seal());
    assertThatThrownBy(() -> onDisk.applyUpdate(admin, forged, BulkListener.NONE))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("invalid_plan");
  }

  @Test
  void unknownColumnsAnywhereInTheStreamAreNamedAndNothingIsLeftBehind() {
    List<UpdateRow> rows = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      rows.add(new UpdateRow(2 + i, Map.of("primaryEmail", "x" + i + "@example.com")));
    }
    rows.add(new UpdateRow(60, Map.of("primaryEmail", "y@example.com", "status", "active")));
    assertThatThrownBy(
            () ->
                onDisk.planUpdate(
                    admin, rows.stream(), UpdateOptions.defaults(), BulkListener.NONE))
        .isInstanceOf(InvalidInputException.class)
        .satisfies(
            e ->
                assertThat(((InvalidInputException) e).problems())
                    .extracting(p -> p.code())
                    .containsExactly(ErrorCode.UNKNOWN_COLUMN));
  }
}
