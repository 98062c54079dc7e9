package dev.usermgmt.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.SourceDSL;

/** The bound past every string starting with a prefix, MariaDB's starts-with range. */
class PrefixBoundTest {
  private static final String MAX = Character.toString(Character.MAX_CODE_POINT);

  @Test
  void theLastCodePointIsTheNextOnePastTheSurrogatesAndTrailingMaximumsGo() {
    assertThat(SqlTranslator.pastPrefix("ab")).contains("ac");
    assertThat(SqlTranslator.pastPrefix("a\uD7FF")).contains("a\uE000");
    assertThat(SqlTranslator.pastPrefix("a\uFFFF")).contains("a\uD800\uDC00");
    assertThat(SqlTranslator.pastPrefix("a" + MAX + MAX)).contains("b");
    assertThat(SqlTranslator.pastPrefix(MAX)).isEmpty();
    assertThat(SqlTranslator.pastPrefix("")).isEmpty();
  }

  /**
   * In code point order, a string starts with p exactly when p ≤ s < the bound. Over texts of the
   * value domain: no stored key holds a lone surrogate, and a prefix with one is answered before
   * any bound is worked out.
   */
  @Test
  void theRangeHoldsExactlyTheStringsStartingWithThePrefix() {
    var text =
        SourceDSL.strings()
            .betweenCodePoints(0x61, 0x63)
            .ofLengthBetween(0, 4)
            .mix(SourceDSL.strings().allPossible().ofLengthBetween(0, 3), 30)
            .map(s -> withoutLoneSurrogates(s).replace("b", MAX));
    qt().withExamples(3000)
        .forAll(text, text)
        .checkAssert(
            (p, s) -> {
              Optional<String> end = SqlTranslator.pastPrefix(p);
              boolean inRange =
                  codePoints(p, s) <= 0 && end.map(e -> codePoints(s, e) < 0).orElse(true);
              assertThat(inRange).as("%s in range of %s", s, p).isEqualTo(s.startsWith(p));
            });
  }

  private static String withoutLoneSurrogates(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints()
        .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
        .forEach(b::appendCodePoint);
    return b.toString();
  }

  private static int codePoints(String a, String b) {
    return java.util.Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
  }
}
