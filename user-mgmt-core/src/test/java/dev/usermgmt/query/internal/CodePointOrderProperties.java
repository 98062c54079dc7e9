package dev.usermgmt.query.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

/**
 * {@link QueryEvaluator#compareCodePoints} orders text as its code points do (as UTF-8 bytes and
 * the stores' {@code C} collation do), held against the code points themselves compared: over
 * strings drawn from the ranges where UTF-16 order and code point order part (letters, the units
 * just below and above the surrogates, and code points above U+FFFF), with shared prefixes so that
 * most pairs differ late.
 */
final class CodePointOrderProperties {
  /** Code points from each range whose UTF-16 units order differently from the code points. */
  private static final int[] CODE_POINTS = {
    'a', 'b', 'z', 'é', 0x7FF, 0xD7FF, 0xE000, 0xF900, 0xFFFD, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF
  };

  private static Gen<String> texts() {
    return SourceDSL.lists()
        .of(SourceDSL.integers().between(0, CODE_POINTS.length - 1))
        .ofSizeBetween(0, 6)
        .map(
            picks -> {
              StringBuilder b = new StringBuilder();
              picks.forEach(i -> b.appendCodePoint(CODE_POINTS[i]));
              return b.toString();
            });
  }

  @Test
  void ordersAsTheCodePointsDo() {
    qt().withExamples(5000)
        .forAll(texts(), texts(), texts())
        .checkAssert(
            (prefix, x, y) -> {
              String a = prefix + x;
              String b = prefix + y;
              int expected =
                  Integer.signum(
                      Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray()));
              assertThat(Integer.signum(QueryEvaluator.compareCodePoints(a, b)))
                  .as("%s against %s", a, b)
                  .isEqualTo(expected);
            });
  }
}
