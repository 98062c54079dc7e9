package dev.usermgmt.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.usermgmt.TenantId;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.testkit.DomainGenerators;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class UserFieldProperties {
  private static final RoleCatalog ROLES = RoleCatalog.defaultCatalog();

  @Test
  void everyFieldValueSurvivesItsCanonicalTextAndSettingItBackChangesNothing() {
    qt().withExamples(300)
        .forAll(DomainGenerators.users(TenantId.of("t1"), ROLES))
        .checkAssert(
            u -> {
              for (UserField f : UserField.values()) {
                Optional<Object> v = f.get(u);
                if (v.isPresent()) {
                  String text = f.format(v.get());
                  Object back = f.parseCanonical(text, ROLES);
                  assertThat(f.format(back)).as(f.key()).isEqualTo(text);
                  assertThat(f.get(f.set(u, Optional.of(back)))).as(f.key()).isEqualTo(v);
                }
                User same = f.set(u, v.isPresent() || !f.required() ? v : f.get(u));
                assertThat(same).as(f.key()).isEqualTo(u);
              }
              User.Builder rebuilt =
                  User.builder()
                      .id(u.id())
                      .tenant(u.tenant())
                      .version(u.version())
                      .updatedAt(u.updatedAt())
                      .attributes(u.attributes());
              for (UserField f : UserField.values()) {
                f.get(u).ifPresent(v -> f.setOn(rebuilt, f.parseCanonical(f.format(v), ROLES)));
              }
              assertThat(rebuilt.build()).isEqualTo(u);
            });
  }
}
