package dev.usermgmt.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class EmailAddressTest {

  @Test
  void trimsAndLowerCasesTheDomainButKeepsTheLocalPartForDisplay() {
    EmailAddress a = EmailAddress.parse("\u00a0 Alex.Doe@Example.COM \t");
    assertThat(a.value()).isEqualTo("Alex.Doe@example.com");
    assertThat(a.localPart()).isEqualTo("Alex.Doe");
    assertThat(a.domain()).isEqualTo("example.com");
    assertThat(a.key()).isEqualTo("alex.doe@example.com");
  }

  @Test
  void identityIsCaseInsensitiveOnTheWholeAddress() {
    assertThat(EmailAddress.parse("ALEX@example.com"))
        .isEqualTo(EmailAddress.parse("alex@EXAMPLE.com"))
        .hasSameHashCodeAs(EmailAddress.parse("alex@example.com"));
    assertThat(EmailAddress.parse("alex@example.com"))
        .isNotEqualTo(EmailAddress.parse("alex2@example.com"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "alex@example.com",
        "sam@example.com",
        "jordan@example.com",
        "u1@email.com",
        "first.last+tag@sub.example.co.uk",
        "o'neil@example.ie",
        "x@a.io",
        "\"quoted local\"@example.com",
        "user_name-1@my-company.example",
        "jörg@bücher.de",
        "!#$%&'*+-/=?^_`{|}~@example.org"
      })
  void acceptsAddressesUsedInPractice(String text) {
    assertThat(EmailAddress.isValid(text)).isTrue();
    assertThat(EmailAddress.parse(text).value()).contains("@");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   ",
        "plainaddress",
        "@example.com",
        "alex@",
        "alex@@example.com",
        "alex@example",
        "alex@example..com",
        "alex@-example.com",
        "alex@example-.com",
        ".alex@example.com",
        "alex.@example.com",
        "al..ex@example.com",
        "alex doe@example.com",
        "Alex <alex@example.com>",
        "alex@[192.0.2.1]",
        "alex@192.0.2.1",
        "alex@exa_mple.com",
        "\"unterminated@example.com",
        "mailto:alex@example.com,sam@example.com"
      })
  void rejectsMalformedAddressesWithTheirCodeAndField(String text) {
    assertThat(EmailAddress.tryParse(text)).isEmpty();
    assertThatThrownBy(() -> EmailAddress.parse(text))
        .isInstanceOf(InvalidInputException.class)
        .satisfies(
            e -> {
              InvalidInputException ex = (InvalidInputException) e;
              assertThat(ex.code()).isEqualTo(ErrorCode.INVALID_EMAIL);
              assertThat(ex.field()).contains("primaryEmail");
            });
  }

  @Test
  void enforcesRfc5321Lengths() {
    String local64 = "a".repeat(64);
    assertThat(EmailAddress.isValid(local64 + "@example.com")).isTrue();
    assertThat(EmailAddress.isValid(local64 + "a@example.com")).isFalse();
    String longDomain = ("a".repeat(60) + ".").repeat(5) + "com";
    assertThat(EmailAddress.isValid("a@" + longDomain)).isFalse();
    assertThat(EmailAddress.isValid("a@" + "b".repeat(64) + ".com")).isFalse();
  }

  /** Next to an existing admin@…, the look-alikes the issue found: none is another identity. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "ad\u00ADmin@example.com", // soft hyphen
        "ad\u200Emin@example.com", // left-to-right mark
        "ad\u2063min@example.com", // invisible separator
        "ad\u034Fmin@example.com", // combining grapheme joiner
        "ad\uFE0Fmin@example.com", // variation selector
        "ad\u200Bmin@example.com", // zero-width space inside
        "ad\u200Dmin@example.com", // zero-width joiner
        "ad\uDB40\uDC61min@example.com", // a tag character
        "ad\uD800min@example.com", // a lone surrogate
      })
  void invisibleCharactersInsideAnAddressAreRefusedAndNamed(String text) {
    assertThat(EmailAddress.tryParse(text)).isEmpty();
    assertThatThrownBy(() -> EmailAddress.parse(text))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("U+");
  }

  @Test
  void fullWidthLettersAreTheSameIdentityAsTheirAsciiForms() {
    EmailAddress admin = EmailAddress.parse("admin@example.com");
    EmailAddress wide = EmailAddress.parse("\uFF41\uFF44\uFF4D\uFF49\uFF4E@example.com");
    assertThat(wide.key()).isEqualTo(admin.key());
    assertThat(wide).isEqualTo(admin);
  }

  @Test
  void decomposedAccentsAreTheComposedOnes() {
    EmailAddress nfc = EmailAddress.parse("ren\u00E9@example.com");
    EmailAddress nfd = EmailAddress.parse("rene\u0301@example.com");
    assertThat(nfd.value()).isEqualTo(nfc.value());
    assertThat(nfd).isEqualTo(nfc);
  }

  @Test
  void mixedScriptLocalPartsAndDomainLabelsAreRefused() {
    // a Cyrillic а (U+0430) among Latin letters, in the local part and in the domain
    assertThat(EmailAddress.tryParse("\u0430dmin@example.com")).isEmpty();
    assertThat(EmailAddress.tryParse("admin@ex\u0430mple.com")).isEmpty();
    assertThatThrownBy(() -> EmailAddress.parse("\u0430dmin@example.com"))
        .hasMessageContaining("mixes scripts");
    // one script, or the mixes UTS #39 calls highly restrictive, are fine
    assertThat(EmailAddress.tryParse("\u0430\u0434\u043C\u0438\u043D@example.com")).isPresent();
    assertThat(EmailAddress.tryParse("taro\u5C71\u7530\u3084\u307E\u3060@example.jp")).isPresent();
    assertThat(EmailAddress.tryParse("jos\u00E9.o'neil+tag@example.com")).isPresent();
  }

  @Test
  void lookAlikesAreOtherIdentitiesWithTheSameSkeleton() {
    EmailAddress admin = EmailAddress.parse("admin@example.com");
    EmailAddress dotless = EmailAddress.parse("adm\u0131n@example.com");
    // all Cyrillic: р а у р а ӏ, a whole-script look-alike of paypal
    EmailAddress cyrillic = EmailAddress.parse("\u0440\u0430\u0443\u0440\u0430\u04CF@example.com");
    assertThat(dotless).isNotEqualTo(admin);
    assertThat(dotless.skeleton()).isEqualTo(admin.skeleton());
    assertThat(EmailAddress.parse("ADMIN@example.com").skeleton()).isEqualTo(admin.skeleton());
    assertThat(EmailAddress.parse("alex@example.com").skeleton()).isNotEqualTo(admin.skeleton());
    EmailAddress paypal = EmailAddress.parse("paypal@example.com");
    assertThat(cyrillic).isNotEqualTo(paypal);
    assertThat(cyrillic.skeleton()).isEqualTo(paypal.skeleton());
  }
}
