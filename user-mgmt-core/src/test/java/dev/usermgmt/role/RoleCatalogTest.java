package dev.usermgmt.role;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

final class RoleCatalogTest {
  private final RoleCatalog roles = RoleCatalog.defaultCatalog();

  @Test
  void defaultCatalogIsTheReferenceNumericTable() {
    assertThat(roles.roles())
        .extracting(r -> r.label() + "=" + r.level())
        .containsExactly(
            "Learner=1",
            "Instructor=2",
            "Manager=3",
            "Manager-Instructor=4",
            "Admin=5",
            "Owner=6",
            "Owner-Impersonate=7",
            "Staff=8",
            "Support=10",
            "Blocked=99");
    assertThat(roles.defaultRole().key()).isEqualTo(RoleCatalog.LEARNER);
    assertThat(roles.adminRole().level()).isEqualTo(5);
    assertThat(roles.blockedRole().level()).isEqualTo(99);
  }

  @Test
  void parsesKeysLabelsAndLevels() {
    assertThat(roles.parse("admin").level()).isEqualTo(5);
    assertThat(roles.parse(" Manager Instructor ").level()).isEqualTo(4);
    assertThat(roles.parse("manager-instructor").level()).isEqualTo(4);
    assertThat(roles.parse("6").key()).isEqualTo(RoleCatalog.OWNER);
    assertThatThrownBy(() -> roles.parse("superuser"))
        .isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).code())
        .isEqualTo(ErrorCode.INVALID_ROLE);
    assertThatThrownBy(() -> roles.parse("9")).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void nobodyMayAssignAboveTheirOwnRoleOrAssignBlocked() {
    assertThat(roles.assignableBy(roles.parse("manager")))
        .extracting(Role::level)
        .containsExactly(1, 2, 3);
    assertThat(roles.assignableBy(roles.parse("support"))).doesNotContain(roles.blockedRole());
  }

  @Test
  void hostsDefineTheirOwnCatalog() {
    RoleCatalog custom =
        RoleCatalog.builder()
            .role("learner", "Learner", 1)
            .role("curator", "Curator", 2)
            .role("reporter", "Reporter", 3)
            .role("hr", "HR", 4)
            .role("admin", "Admin", 5)
            .role("owner", "Owner", 6)
            .role("blocked", "Blocked", 99)
            .defaultRole("learner")
            .adminRole("admin")
            .managerRole("hr")
            .blockedRole("blocked")
            .build();
    assertThat(custom.parse("HR").level()).isEqualTo(4);
    assertThat(custom.managerRole().key()).isEqualTo("hr");
    assertThat(custom.contains(roles.parse("admin"))).isTrue();
    assertThat(custom.contains(roles.parse("owner_impersonate"))).isFalse();
  }

  @Test
  void rejectsCatalogsThatBreakTheRules() {
    List<Runnable> broken =
        List.of(
            () -> RoleCatalog.builder().role("a", "A", 1).role("b", "B", 1).build(),
            () ->
                RoleCatalog.builder()
                    .role("a", "A", 1)
                    .role("blocked", "Blocked", 0)
                    .defaultRole("a")
                    .adminRole("a")
                    .blockedRole("blocked")
                    .build(),
            () -> RoleCatalog.builder().role("a", "A", 1).defaultRole("a").adminRole("z").build());
    for (Runnable r : broken) {
      assertThatThrownBy(r::run)
          .isInstanceOf(InvalidInputException.class)
          .extracting(e -> ((InvalidInputException) e).code())
          .isEqualTo(ErrorCode.INVALID_CONFIGURATION);
    }
  }
}
