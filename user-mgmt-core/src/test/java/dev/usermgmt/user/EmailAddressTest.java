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
}
