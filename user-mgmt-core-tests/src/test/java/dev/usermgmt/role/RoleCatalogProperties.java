package dev.usermgmt.role;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.usermgmt.testkit.DomainGenerators;
import java.util.List;
import org.junit.jupiter.api.Test;

final class RoleCatalogProperties {

  @Test
  void roleOrderingIsATotalOrderConsistentWithLevels() {
    qt().withExamples(300)
        .forAll(
            DomainGenerators.roleCatalogs()
                .flatMap(
                    c ->
                        DomainGenerators.roles(c)
                            .zip(
                                DomainGenerators.roles(c),
                                DomainGenerators.roles(c),
                                (a, b, d) -> List.of(a, b, d))))
        .checkAssert(
            rs -> {
              Role a = rs.get(0);
              Role b = rs.get(1);
              Role c = rs.get(2);
              assertThat(Integer.signum(a.compareTo(b)))
                  .isEqualTo(Integer.signum(Integer.compare(a.level(), b.level())));
              assertThat(Integer.signum(a.compareTo(b))).isEqualTo(-Integer.signum(b.compareTo(a)));
              assertThat(a.compareTo(b) == 0).isEqualTo(a.equals(b));
              if (a.compareTo(b) <= 0 && b.compareTo(c) <= 0) {
                assertThat(a.compareTo(c)).isLessThanOrEqualTo(0);
              }
              assertThat(a.atLeast(b) || b.atLeast(a)).isTrue();
            });
  }

  @Test
  void catalogsListRolesByAscendingLevelAndParseTheirOwnKeysLabelsAndLevels() {
    qt().withExamples(300)
        .forAll(DomainGenerators.roleCatalogs())
        .checkAssert(
            c -> {
              List<Role> roles = c.roles();
              for (int i = 1; i < roles.size(); i++) {
                assertThat(roles.get(i - 1).level()).isLessThan(roles.get(i).level());
              }
              for (Role r : roles) {
                assertThat(c.parse(r.key())).isEqualTo(r);
                assertThat(c.parse(r.label().toUpperCase(java.util.Locale.ROOT))).isEqualTo(r);
                if (r.level() >= 0) {
                  assertThat(c.parse(Integer.toString(r.level()))).isEqualTo(r);
                }
              }
              assertThat(c.blockedRole()).isEqualTo(roles.get(roles.size() - 1));
              RoleCatalog check = RoleCatalog.defaultCatalog();
              assertThat(check.roles()).isSortedAccordingTo(Role::compareTo);
            });
  }
}
