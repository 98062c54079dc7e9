package dev.usermgmt.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.usermgmt.InvalidInputException;
import dev.usermgmt.TenantId;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.testkit.DomainGenerators;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserField;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link SearchText#FIELDS} is what {@link SearchText#of} is made of, which a search's visibility
 * check and a store's stored text both rely on: a change of any other field leaves the text as it
 * was, and each of these fields, given a word no user has, puts that word in it.
 */
final class SearchTextProperties {
  private static final RoleCatalog ROLES = RoleCatalog.defaultCatalog();

  @Test
  void theTextIsMadeOfItsFieldsAndNoOther() {
    qt().withExamples(300)
        .forAll(DomainGenerators.users(TenantId.of("t1"), ROLES))
        .checkAssert(
            u -> {
              String text = SearchText.of(u);
              for (UserField f : UserField.values()) {
                if (SearchText.FIELDS.contains(f)) {
                  continue;
                }
                List<Optional<?>> values = DomainGenerators.valuesOf(f);
                for (Optional<?> v : values) {
                  User changed;
                  try {
                    changed = f.set(u, v);
                  } catch (InvalidInputException e) {
                    continue; // a combination the user's own checks refuse
                  }
                  assertThat(SearchText.of(changed)).as(f.key()).isEqualTo(text);
                }
              }
              for (UserField f : SearchText.FIELDS) {
                Object word =
                    f == UserField.PRIMARY_EMAIL
                        ? dev.usermgmt.user.EmailAddress.parse("zyxwvut@example.com")
                        : "Zyxwvut";
                assertThat(SearchText.of(f.set(u, Optional.of(word))))
                    .as(f.key())
                    .contains("zyxwvut");
              }
            });
  }
}
