package dev.usermgmt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import java.time.Instant;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.SourceDSL;

/**
 * {@link UserId#generate} makes version 7 UUIDs (RFC 9562 §5.7) written as 32 hex digits, held
 * against {@link UUID}'s own reading of the same digits: the version, the variant and the timestamp
 * field are what the RFC lays out, and ids made at a later millisecond sort after ids made earlier
 * as text, which is the order every store's index keeps them in.
 */
final class UserIdProperties {

  private static UUID asUuid(UserId id) {
    String v = id.value();
    return UUID.fromString(
        v.substring(0, 8)
            + "-"
            + v.substring(8, 12)
            + "-"
            + v.substring(12, 16)
            + "-"
            + v.substring(16, 20)
            + "-"
            + v.substring(20));
  }

  @Test
  void isAVersion7UuidOfItsMillisecond() {
    qt().withExamples(5000)
        .forAll(SourceDSL.longs().between(0, (1L << 48) - 1), SourceDSL.longs().all())
        .checkAssert(
            (millis, seed) -> {
              UserId id = UserId.generate(Instant.ofEpochMilli(millis), new Random(seed));
              assertThat(id.value()).matches("[0-9a-f]{32}");
              UUID uuid = asUuid(id);
              assertThat(uuid.version()).isEqualTo(7);
              assertThat(uuid.variant()).isEqualTo(2);
              assertThat(uuid.getMostSignificantBits() >>> 16).isEqualTo(millis);
              assertThat(UserId.of(id.value())).isEqualTo(id);
            });
  }

  @Test
  void laterIdsSortAfterEarlierOnes() {
    qt().withExamples(5000)
        .forAll(
            SourceDSL.longs().between(0, (1L << 48) - 2),
            SourceDSL.longs().between(1, 1L << 40),
            SourceDSL.longs().all())
        .checkAssert(
            (millis, later, seed) -> {
              Random random = new Random(seed);
              UserId first = UserId.generate(Instant.ofEpochMilli(millis), random);
              UserId second =
                  UserId.generate(
                      Instant.ofEpochMilli(Math.min((1L << 48) - 1, millis + later)), random);
              assertThat(first.compareTo(second)).isNegative();
            });
  }

  @Test
  void idsOfOneMillisecondDifferInTheirRandomBits() {
    Random random = new Random(7);
    Instant at = Instant.parse("2026-12-05T12:00:00Z");
    java.util.Set<UserId> ids = new java.util.HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      ids.add(UserId.generate(at, random));
    }
    assertThat(ids).hasSize(100_000);
  }
}
