package dev.usermgmt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

/** {@link Instants#iso} writes what {@link Instant#toString} writes, for every instant. */
final class InstantsTest {
  /** Nanoseconds of each shape ISO_INSTANT prints: none, milli, micro and nano digits. */
  private static Gen<Integer> nanos() {
    return SourceDSL.integers()
        .between(0, 3)
        .zip(
            SourceDSL.integers().between(0, 999_999_999),
            (shape, n) ->
                switch (shape) {
                  case 0 -> 0;
                  case 1 -> n / 1_000_000 * 1_000_000;
                  case 2 -> n / 1_000 * 1_000;
                  default -> n;
                });
  }

  @Test
  void writesWhatToStringWrites() {
    // a range reaching past both ends of the four-digit years written here
    Gen<Long> seconds = SourceDSL.longs().between(-40_000_000_000L, 260_000_000_000L);
    qt().withExamples(20_000)
        .forAll(seconds, nanos())
        .checkAssert(
            (s, n) -> {
              Instant t = Instant.ofEpochSecond(s, n);
              assertThat(Instants.iso(t)).isEqualTo(t.toString());
            });
  }

  @Test
  void theEdgesOfTheYearsAndOfTheValueModel() {
    for (Instant t :
        List.of(
            Instant.EPOCH,
            Instant.ofEpochSecond(-1, 1),
            Instant.ofEpochSecond(-1, 999_999_999),
            Instant.parse("1000-01-01T00:00:00Z"),
            Instant.parse("0999-12-31T23:59:59.5Z"),
            Instant.parse("9999-12-31T23:59:59.999999999Z"),
            Instant.parse("+10000-01-01T00:00:00Z"),
            Instant.parse("2000-02-29T12:34:56.000001Z"),
            Instant.parse("1900-03-01T00:00:00.010Z"),
            ValueDomain.MIN_INSTANT,
            ValueDomain.MAX_INSTANT,
            Instant.MIN,
            Instant.MAX)) {
      assertThat(Instants.iso(t)).as("%s", t).isEqualTo(t.toString());
    }
  }
}
