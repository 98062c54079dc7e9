package dev.usermgmt.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import org.junit.jupiter.api.Test;

final class PhoneNumberTest {

  @Test
  void storesE164AndReadsNationalNumbersInTheDefaultRegion() {
    assertThat(PhoneNumber.parse("+44 20 7946 0958").e164()).isEqualTo("+442079460958");
    assertThat(PhoneNumber.parse("020 7946 0958", "GB").e164()).isEqualTo("+442079460958");
    assertThat(PhoneNumber.parse("(202) 555-0147", "us").e164()).isEqualTo("+12025550147");
    assertThat(PhoneNumber.parse("+442079460958").region()).isEqualTo("GB");
    assertThat(PhoneNumber.parse("+442079460958").international()).isEqualTo("+44 20 7946 0958");
  }

  @Test
  void rejectsNumbersThatAreNotValidForTheirRegion() {
    assertThat(PhoneNumber.tryParse("12345", "GB")).isEmpty();
    assertThat(PhoneNumber.tryParse("020 7946 0958", "ZZ")).isEmpty();
    assertThat(PhoneNumber.tryParse("not a number", "GB")).isEmpty();
    assertThatThrownBy(() -> PhoneNumber.parse("+1 000"))
        .isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).code())
        .isEqualTo(ErrorCode.INVALID_PHONE);
  }

  /**
   * Every example number libphonenumber has, of every type in every region and non-geographic
   * entity (Italy's leading zeros among them), reads back from its E.164 form as parsing it does.
   */
  @Test
  void readsEveryStoredFormBackAsParsingDoes() {
    com.google.i18n.phonenumbers.PhoneNumberUtil util =
        com.google.i18n.phonenumbers.PhoneNumberUtil.getInstance();
    java.util.List<com.google.i18n.phonenumbers.Phonenumber.PhoneNumber> examples =
        new java.util.ArrayList<>();
    for (String region : util.getSupportedRegions()) {
      for (com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType type :
          com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType.values()) {
        com.google.i18n.phonenumbers.Phonenumber.PhoneNumber n =
            util.getExampleNumberForType(region, type);
        if (n != null) {
          examples.add(n);
        }
      }
    }
    for (int code : util.getSupportedGlobalNetworkCallingCodes()) {
      examples.add(util.getExampleNumberForNonGeoEntity(code));
    }
    int italian = 0;
    for (com.google.i18n.phonenumbers.Phonenumber.PhoneNumber n : examples) {
      String e164 =
          util.format(n, com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat.E164);
      java.util.Optional<PhoneNumber> parsed = PhoneNumber.tryParse(e164, "ZZ");
      if (parsed.isPresent()) {
        assertThat(PhoneNumber.ofE164(e164)).isEqualTo(parsed.get());
        assertThat(PhoneNumber.ofE164(e164).e164()).isEqualTo(e164);
        italian += n.isItalianLeadingZero() ? 1 : 0;
      }
    }
    assertThat(examples).hasSizeGreaterThan(1000);
    assertThat(italian).isPositive();
  }

  @Test
  void refusesTextsNotInE164Form() {
    for (String text :
        java.util.List.of(
            "",
            "+",
            "+4",
            "442079460958",
            "+44 20 7946 0958",
            "+0442079460958",
            "+44207946095812345",
            "+99912345678",
            "+4412",
            "+44207946095x",
            "+١٢٣٤٥٦٧٨٩")) {
      assertThatThrownBy(() -> PhoneNumber.ofE164(text))
          .as(text)
          .isInstanceOf(InvalidInputException.class)
          .extracting(e -> ((InvalidInputException) e).code())
          .isEqualTo(ErrorCode.INVALID_PHONE);
    }
  }
}
