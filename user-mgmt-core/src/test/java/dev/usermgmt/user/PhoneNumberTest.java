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
}
