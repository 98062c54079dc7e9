package dev.usermgmt.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.usermgmt.testkit.DomainGenerators;
import org.junit.jupiter.api.Test;

final class PhoneNumberProperties {

  @Test
  void parseFormatParseIsStable() {
    qt().withExamples(2000)
        .forAll(DomainGenerators.phoneTexts())
        .checkAssert(
            p -> {
              PhoneNumber once = PhoneNumber.parse(p.text(), p.region());
              PhoneNumber fromE164 = PhoneNumber.parse(once.e164());
              PhoneNumber fromInternational = PhoneNumber.parse(once.international());
              assertThat(fromE164).isEqualTo(once);
              assertThat(fromInternational).isEqualTo(once);
              assertThat(once.e164()).matches("\\+[1-9][0-9]{4,15}");
            });
  }

  @Test
  void everyWrittenFormOfANumberGivesTheSameValue() {
    qt().withExamples(1000)
        .forAll(DomainGenerators.phoneTexts())
        .checkAssert(
            p -> {
              PhoneNumber n = PhoneNumber.parse(p.text(), p.region());
              assertThat(PhoneNumber.parse(n.e164(), "ZZ").region()).isEqualTo(n.region());
            });
  }
}
