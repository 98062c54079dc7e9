package dev.usermgmt.benchmarks;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.PhoneNumber;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parsing and normalising 1,000,000 e-mail addresses and 1,000,000 phone numbers — what every bulk
 * file is full of — through the domain types, against the raw work a host would write by hand:
 * {@code strip().toLowerCase()} and an {@code @} check for e-mail, libphonenumber's parse, validity
 * check and E.164 format for phones. Scores are milliseconds per million values.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ContactParsing {
  static final int N = 1_000_000;
  private static final String[] FIRST = {"alex", "Sam", "JORDAN", "kim", "Lee", "zoe", "max"};
  private static final String[] DOMAINS = {
    "Example.com", "acme.co.uk", "MAIL.example.org", "globex.io", "initech.de"
  };

  String[] emails = new String[0];
  String[] phones = new String[0];
  String[] regions = new String[0];

  /** Makes the inputs, deterministically. */
  @Setup
  public void setUp() {
    Random random = new Random(42);
    emails = new String[N];
    for (int i = 0; i < N; i++) {
      String pad = i % 10 == 0 ? " " : "";
      emails[i] =
          pad
              + FIRST[random.nextInt(FIRST.length)]
              + (i % 3 == 0 ? "." : "")
              + i
              + "@"
              + DOMAINS[random.nextInt(DOMAINS.length)]
              + pad;
    }
    PhoneNumberUtil util = PhoneNumberUtil.getInstance();
    List<String[]> samples = new ArrayList<>();
    for (String region : List.of("GB", "US", "DE", "FR", "BR", "IN", "JP", "AU")) {
      for (PhoneNumberUtil.PhoneNumberType t :
          List.of(
              PhoneNumberUtil.PhoneNumberType.MOBILE, PhoneNumberUtil.PhoneNumberType.FIXED_LINE)) {
        Phonenumber.PhoneNumber n = util.getExampleNumberForType(region, t);
        for (PhoneNumberUtil.PhoneNumberFormat f : PhoneNumberUtil.PhoneNumberFormat.values()) {
          samples.add(new String[] {util.format(n, f), region});
        }
      }
    }
    phones = new String[N];
    regions = new String[N];
    for (int i = 0; i < N; i++) {
      String[] s = samples.get(random.nextInt(samples.size()));
      phones[i] = s[0];
      regions[i] = s[1];
    }
  }

  /**
   * E-mail through {@link EmailAddress#tryParse}.
   *
   * @param bh sink
   */
  @Benchmark
  public void email(Blackhole bh) {
    for (String e : emails) {
      bh.consume(EmailAddress.tryParse(e));
    }
  }

  /**
   * Raw baseline: strip, lower-case, check for an {@code @}.
   *
   * @param bh sink
   */
  @Benchmark
  public void email_raw(Blackhole bh) {
    for (String e : emails) {
      String s = e.strip().toLowerCase(Locale.ROOT);
      int at = s.indexOf('@');
      bh.consume(at > 0 && at < s.length() - 1 ? s : null);
    }
  }

  /**
   * Phones through {@link PhoneNumber#tryParse}.
   *
   * @param bh sink
   */
  @Benchmark
  public void phone(Blackhole bh) {
    for (int i = 0; i < N; i++) {
      bh.consume(PhoneNumber.tryParse(phones[i], regions[i]));
    }
  }

  /**
   * Raw baseline: libphonenumber parse, validity check, E.164 format.
   *
   * @param bh sink
   */
  @Benchmark
  public void phone_raw(Blackhole bh) {
    PhoneNumberUtil util = PhoneNumberUtil.getInstance();
    for (int i = 0; i < N; i++) {
      try {
        Phonenumber.PhoneNumber n = util.parse(phones[i], regions[i]);
        bh.consume(
            util.isValidNumber(n) ? util.format(n, PhoneNumberUtil.PhoneNumberFormat.E164) : null);
      } catch (NumberParseException e) {
        bh.consume(e);
      }
    }
  }
}
