package dev.usermgmt.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.testkit.DomainGenerators;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class EmailAddressProperties {

  @Test
  void normalisationIsIdempotent() {
    qt().withExamples(2000)
        .forAll(DomainGenerators.emailLikeTexts())
        .checkAssert(
            text -> {
              Optional<EmailAddress> once = EmailAddress.tryParse(text);
              once.ifPresent(
                  a -> {
                    EmailAddress twice = EmailAddress.parse(a.value());
                    assertThat(twice.value()).isEqualTo(a.value());
                    assertThat(twice.key()).isEqualTo(a.key());
                  });
            });
  }

  @Test
  void caseInsensitiveIdentityIsAnEquivalence() {
    qt().withExamples(500)
        .forAll(
            DomainGenerators.emailTexts()
                .flatMap(
                    t ->
                        DomainGenerators.caseVariants(t)
                            .zip(
                                DomainGenerators.caseVariants(t),
                                (b, c) -> new String[] {t, b, c})))
        .checkAssert(
            texts -> {
              EmailAddress a = EmailAddress.parse(texts[0]);
              EmailAddress b = EmailAddress.parse(texts[1]);
              EmailAddress c = EmailAddress.parse(texts[2]);
              assertThat(a).isEqualTo(EmailAddress.parse(texts[0]));
              assertThat(a.equals(b)).isEqualTo(b.equals(a));
              assertThat(a).isEqualTo(b).isEqualTo(c);
              assertThat(b).isEqualTo(c);
              assertThat(a.hashCode()).isEqualTo(b.hashCode()).isEqualTo(c.hashCode());
              assertThat(a.compareTo(b)).isZero();
            });
  }

  @Test
  void differentKeysAreDifferentAddressesAndEqualityMatchesKeys() {
    qt().withExamples(1000)
        .forAll(DomainGenerators.emails(), DomainGenerators.emails())
        .checkAssert(
            (a, b) -> {
              assertThat(a.equals(b)).isEqualTo(a.key().equals(b.key()));
              assertThat(a.compareTo(b) == 0).isEqualTo(a.equals(b));
            });
  }

  @Test
  void anyTextEitherParsesOrFailsWithTheEmailCode() {
    qt().withExamples(3000)
        .forAll(DomainGenerators.emailLikeTexts())
        .checkAssert(
            text -> {
              try {
                EmailAddress a = EmailAddress.parse(text);
                assertThat(EmailAddress.isValid(a.value())).isTrue();
              } catch (InvalidInputException e) {
                assertThat(e.code()).isEqualTo(ErrorCode.INVALID_EMAIL);
                assertThat(EmailAddress.tryParse(text)).isEmpty();
              }
            });
  }
}
