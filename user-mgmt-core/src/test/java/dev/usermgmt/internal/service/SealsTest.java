package dev.usermgmt.internal.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The seal's bytes stay what they were: a plan sealed by an earlier version still applies. */
public class SealsTest {
  /** An enum a plan holds. */
  public enum Kind {
    FIRST,
    SECOND {
      @Override
      public String toString() {
        return "second, with a body of its own";
      }
    }
  }

  /** A record inside a plan. */
  public record Inner(long version, Optional<String> name, Kind kind) {}

  /** A plan. */
  public record Plan(String id, Kind kind, List<Inner> rows, String seal) {}

  @Test
  void sealOfRecordsAndEnumsIsUnchanged() {
    Seals seals = new Seals("a test key".getBytes(StandardCharsets.UTF_8));
    Plan plan =
        new Plan(
            "p1",
            Kind.SECOND,
            List.of(
                new Inner(1, Optional.of("Zoë"), Kind.FIRST),
                new Inner(2, Optional.empty(), Kind.SECOND)),
            "");
    assertThat(seals.seal(plan)).isEqualTo(EXPECTED);
  }

  /** A plan with a value of every kind the seal encodes, and a text longer than its buffer. */
  public record Every(
      String text,
      boolean flag,
      int count,
      long big,
      Instant at,
      UserId user,
      TenantId tenant,
      OptionalLong row,
      Optional<Kind> kind,
      Set<String> tags,
      Map<String, Integer> weights,
      List<String> lines,
      String seal) {}

  @Test
  void sealOfEveryKindOfValueIsUnchanged() {
    Seals seals = new Seals("a test key".getBytes(StandardCharsets.UTF_8));
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      lines.add("line " + i + " ünïcödé");
    }
    Every plan =
        new Every(
            "x".repeat(70_000),
            true,
            -7,
            Long.MIN_VALUE + 3,
            Instant.ofEpochSecond(1_700_000_000L, 123_456_789),
            UserId.of("u-1"),
            TenantId.of("acme"),
            OptionalLong.of(42),
            Optional.of(Kind.SECOND),
            new LinkedHashSet<>(List.of("b", "a", "ç")),
            new LinkedHashMap<>(Map.of("z", 1, "y", 2)),
            lines,
            "");
    assertThat(seals.seal(plan)).isEqualTo(EVERY);
  }

  /** Strings of every encoding path: ASCII, Latin-1, a lone surrogate, across buffer bounds. */
  public record Texts(List<String> ascii, List<String> others, String seal) {}

  @Test
  void sealOfAsciiAndOtherTextIsUnchanged() {
    Seals seals = new Seals("a test key".getBytes(StandardCharsets.UTF_8));
    List<String> ascii = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      // lengths 0 to 96, so strings end on every offset of the buffer and some cross its end
      ascii.add("user" + i + "@example.com".repeat(i % 9).substring(0, i % 9 == 0 ? 0 : i % 7));
    }
    ascii.add("x".repeat((1 << 16) - 4));
    ascii.add("y".repeat((1 << 16) - 3));
    List<String> others =
        List.of("", "ÿ", "Zoë", "a\uD800b", "\uDC00", "\uD83D\uDE00 smile", "中文", "plain\u007F");
    assertThat(seals.seal(new Texts(ascii, others, ""))).isEqualTo(TEXTS);
  }

  @Test
  void aListIsSealedByItsElementsWhateverItsClass() {
    Seals seals = new Seals("a test key".getBytes(StandardCharsets.UTF_8));
    List<Inner> rows =
        List.of(
            new Inner(1, Optional.of("Zoë"), Kind.FIRST),
            new Inner(2, Optional.empty(), Kind.SECOND));
    String sealed = seals.seal(new Plan("p1", Kind.SECOND, rows, ""));
    // walked by index (an array list) and by its iterator (a linked list): the same bytes
    assertThat(seals.seal(new Plan("p1", Kind.SECOND, new ArrayList<>(rows), "")))
        .isEqualTo(sealed)
        .isEqualTo(EXPECTED);
    assertThat(seals.seal(new Plan("p1", Kind.SECOND, new LinkedList<>(rows), "")))
        .isEqualTo(sealed);
    assertThat(seals.seal(new Plan("p1", Kind.SECOND, new LinkedList<>(rows.subList(0, 1)), "")))
        .isNotEqualTo(sealed);
  }

  /** The seal computed when every string went through {@code getBytes(UTF_8)}. */
  private static final String TEXTS = "IDDdVonhrw8HFLSrDkTn5SLkRWJBXU4pRlxjju6GrGY";

  /** The seal computed when the encoding went through a DataOutputStream. */
  private static final String EVERY = "wnW9ZAcJM39PocD4GGxLtzXiB7YWHbw5e1umHhAjM3k";

  /** The seal computed before class and constant names were encoded once a class. */
  private static final String EXPECTED = "OWmg95Ciou9nxiHsxqggqsWy50W6Bgj6NrF5XqeFF38";
}
