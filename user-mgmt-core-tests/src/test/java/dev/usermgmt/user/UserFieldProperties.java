package dev.usermgmt.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.usermgmt.InvalidInputException;
import dev.usermgmt.TenantId;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.testkit.DomainGenerators;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.SourceDSL;

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

  /**
   * {@link UserField#equalIn} says what comparing {@link UserField#get}'s results says, for every
   * field: of two random users; of a user and a copy given, field by field, another value of the
   * field's kind ({@link DomainGenerators#valuesOf}, else the other user's), so that every field
   * differs in some examples while the others stay equal; and of a user and a copy whose values are
   * equal but other instances (each read back from its canonical text).
   */
  @Test
  void equalInAgreesWithComparingTheValues() {
    qt().withExamples(500)
        .forAll(
            DomainGenerators.users(TenantId.of("t1"), ROLES),
            DomainGenerators.users(TenantId.of("t1"), ROLES),
            SourceDSL.longs().all(),
            SourceDSL.longs().all())
        .checkAssert(
            (a, b, chosen, seed) -> {
              UserField[] fields = UserField.values();
              java.util.Random pick = new java.util.Random(seed);
              User mixed = a;
              User copied = a;
              for (int k = 0; k < fields.length; k++) {
                UserField f = fields[k];
                List<Optional<?>> values = DomainGenerators.valuesOf(f);
                Optional<?> other =
                    values.isEmpty() ? f.get(b) : values.get(pick.nextInt(values.size()));
                if ((chosen & (1L << k)) != 0) {
                  mixed = setIfAllowed(f, mixed, other);
                }
                copied =
                    setIfAllowed(
                        f, copied, f.get(a).map(v -> f.parseCanonical(f.format(v), ROLES)));
              }
              for (User other : List.of(b, mixed, copied)) {
                for (UserField f : fields) {
                  assertThat(f.equalIn(a, other))
                      .as(f.key())
                      .isEqualTo(f.get(a).equals(f.get(other)));
                  assertThat(f.equalIn(other, a)).as(f.key()).isEqualTo(f.equalIn(a, other));
                }
              }
            });
  }

  /** The user with a field set, or as it was when its own checks refuse the combination. */
  private static User setIfAllowed(UserField f, User u, Optional<?> value) {
    try {
      return f.set(u, value);
    } catch (InvalidInputException e) {
      return u;
    }
  }
}
