package dev.usermgmt.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usermgmt.ErrorCode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Filters are bounded: nesting, terms and literal length are checked before anything recursive
 * runs, every rejection is an {@code invalid_filter} at a position, and inputs at ten times the
 * limits are refused at once.
 */
final class FilterLimitsTest {
  private static final FilterLimits LIMITS = FilterLimits.defaults();

  /** Asserts the filter is refused at the position, in well under a second. */
  private static void refusedAt(Supplier<String> filter, int position, String message) {
    String text = filter.get();
    long start = System.nanoTime();
    assertThatThrownBy(() -> FilterParser.parse(text, FilterParserTest.SCHEMA, LIMITS))
        .isInstanceOf(InvalidFilterException.class)
        .hasMessageContaining(message)
        .satisfies(
            e -> {
              InvalidFilterException ex = (InvalidFilterException) e;
              assertThat(ex.code()).isEqualTo(ErrorCode.INVALID_FILTER);
              assertThat(ex.position()).isEqualTo(position);
            });
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
  }

  private static String nested(String open, String inner, String close, int levels) {
    return open.repeat(levels) + inner + close.repeat(levels);
  }

  private static String chain(String term, String connective, int terms) {
    StringBuilder b = new StringBuilder(term);
    for (int i = 1; i < terms; i++) {
      b.append(' ').append(connective).append(' ').append(term);
    }
    return b.toString();
  }

  @Test
  void theDefaultsAreDepthSixteenAHundredTermsLiteralsOfTwoThousandCharacters() {
    assertThat(LIMITS.maxDepth()).isEqualTo(16);
    assertThat(LIMITS.maxTerms()).isEqualTo(100);
    assertThat(LIMITS.maxLiteralLength()).isEqualTo(2_000);
    assertThat(LIMITS.maxLength()).isEqualTo(100_000);
  }

  @Test
  void filtersAtTheLimitsParseAndPrint() {
    String deep = nested("(", "department eq \"x\"", ")", 16);
    assertThat(FilterParser.parse(deep, FilterParserTest.SCHEMA, LIMITS).toString())
        .isEqualTo("department eq \"x\"");
    String nots = nested("not (", "department pr", ")", 15) + " and emails[value pr]";
    assertThat(FilterParser.parse(nots, FilterParserTest.SCHEMA, LIMITS)).isNotNull();
    String terms = chain("skills gt 1", "or", 100);
    Filter f = FilterParser.parse(terms, FilterParserTest.SCHEMA, LIMITS);
    LIMITS.check(f);
    assertThat(FilterParser.parse(f.toString(), FilterParserTest.SCHEMA, LIMITS)).isEqualTo(f);
    String literal = "department eq \"" + "é".repeat(2_000) + "\"";
    assertThat(FilterParser.parse(literal, FilterParserTest.SCHEMA, LIMITS)).isNotNull();
  }

  @Test
  void tenTimesTheLimitsIsRefusedAtOnceWhereItGoesOver() {
    refusedAt(() -> nested("(", "department eq \"x\"", ")", 160), 16, "nests deeper than 16");
    refusedAt(() -> nested("(", "department eq \"x\"", ")", 20_000), 16, "nests deeper than 16");
    refusedAt(() -> nested("not (", "title pr", ")", 160), 16 * 5 + 4, "nests deeper than 16");
    refusedAt(() -> "emails[" + nested("(", "value pr", ")", 16) + "]", 22, "nests deeper than 16");
    int chainAt = 100 * "title pr and ".length() - "and ".length();
    refusedAt(() -> chain("title pr", "and", 1_000), chainAt, "more than 100 terms");
    refusedAt(() -> chain("title pr", "OR", 5_000), 100 * 12 - 3, "more than 100 terms");
    refusedAt(
        () -> "department eq \"" + "x".repeat(20_000) + "\"", 14, "longer than 2000 characters");
    refusedAt(
        () -> "department eq \"" + "\\\"".repeat(10_000) + "\"", 14, "longer than 2000 characters");
    refusedAt(() -> "skills eq 1" + "0".repeat(20_000), 10, "longer than 2000 characters");
    refusedAt(() -> "a".repeat(20_000) + " pr", 0, "longer than 2000 characters");
    assertThat(UserQuery.parse("filter=title%20pr", FilterParserTest.SCHEMA).filter()).isPresent();
    for (String huge :
        List.of(
            "department eq \"" + "x".repeat(10_000_000) + "\"",
            "skills eq 1" + "0".repeat(10_000_000),
            "title pr" + " ".repeat(10_000_000))) {
      refusedAt(() -> huge, 100_000, "longer than 100000 characters");
      String qs = "filter=" + URLEncoder.encode(huge, StandardCharsets.UTF_8);
      long start = System.nanoTime();
      assertThatThrownBy(() -> UserQuery.parse(qs, FilterParserTest.SCHEMA))
          .isInstanceOf(InvalidFilterException.class)
          .hasMessageContaining("at position 100000");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
    }
  }

  @Test
  void limitsAreConfigurable() {
    FilterLimits tight = FilterLimits.builder().maxDepth(1).maxTerms(2).maxLiteralLength(3).build();
    assertThat(FilterParser.parseSyntax("(a eq \"abc\") or b pr", tight)).isNotNull();
    assertThatThrownBy(() -> FilterParser.parseSyntax("((a pr))", tight))
        .hasMessageContaining("at position 1");
    assertThatThrownBy(() -> FilterParser.parseSyntax("a pr or b pr or c pr", tight))
        .hasMessageContaining("at position 13");
    assertThatThrownBy(() -> FilterParser.parseSyntax("a eq \"abcd\"", tight))
        .hasMessageContaining("at position 5");
    assertThatThrownBy(
            () -> FilterParser.parseSyntax("a pr", FilterLimits.builder().maxLength(3).build()))
        .hasMessageContaining("at position 3");
    assertThatThrownBy(() -> FilterLimits.builder().maxDepth(0).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                UserQuery.parse(
                    "filter=a%20pr%20or%20b%20pr%20or%20c%20pr",
                    FilterParserTest.SCHEMA, FilterLimits.builder().maxTerms(2).build()))
        .isInstanceOf(InvalidFilterException.class);
  }

  @Test
  void filtersBuiltInCodeAreCheckedWithoutRecursion() {
    Filter deep = new Filter.Present("title");
    for (int i = 0; i < 1_000_000; i++) {
      deep = new Filter.Not(deep);
    }
    Filter tooDeep = deep;
    assertThatThrownBy(() -> LIMITS.check(tooDeep))
        .isInstanceOf(InvalidFilterException.class)
        .hasMessageContaining("levels deep");
    Filter wide = new Filter.Present("title");
    for (int i = 0; i < 100; i++) {
      wide = new Filter.Or(wide, new Filter.Present("title"));
    }
    Filter tooWide = wide;
    assertThatThrownBy(() -> LIMITS.check(tooWide)).hasMessageContaining("100 terms");
    Filter longValue =
        new Filter.Compare("title", Filter.Op.EQ, Filter.Literal.string("x".repeat(2_001)));
    assertThatThrownBy(() -> LIMITS.check(longValue)).hasMessageContaining("2000 characters");
  }

  @ParameterizedTest(name = "{0} → position {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "title eq \"\\u+041\"                     | 10 | bad \\u escape",
        "title eq \"\\u-041\"                     | 10 | bad \\u escape",
        "title eq \"\\u 041\"                     | 10 | bad \\u escape",
        "skills lt 1e2147483648                   | 10 | out of range",
        "skills lt 1e999999999                    | 10 | out of range",
        "skills lt -1e-999999999                  | 10 | out of range",
        "skills lt 1e308                          | 10 | out of range",
        "attributes.level eq 1e-309               | 20 | out of range",
        "skills lt 1e35                           | 10 | more than 35 digits",
        "hireDate lt \"+10000-01-01\"             | 12 | outside the dates 0001-01-01 to 9999-12-31",
        "lastLoginAt lt \"+10000-01-01T00:00:00Z\" | 15 | outside the times",
        "createdAt gt \"1677-12-31T23:59:59Z\"     | 13 | outside the times"
      })
  void literalsOutOfRangeAreRefusedByTheParser(String filter, int position, String message) {
    refusedAt(filter::strip, position, message);
  }

  @Test
  void literalsInRangeParse() {
    assertThat(FilterParser.parseSyntax("a eq \"\\u0041\\u00e9\"").toString())
        .isEqualTo("a eq \"Aé\"");
    for (String ok :
        new String[] {
          "skills lt 9.99e34",
          "skills gt -1e-30",
          "skills eq 0e999999999",
          "hireDate lt \"9999-12-31\"",
          "hireDate gt \"0001-01-01\"",
          "lastLoginAt gt \"1678-01-01T00:00:00Z\"",
          "lastLoginAt lt \"2261-12-31T23:59:59.999999999Z\""
        }) {
      assertThat(FilterParser.parse(ok, FilterParserTest.SCHEMA, LIMITS)).isNotNull();
    }
  }
}
