package dev.usermgmt.internal.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.audit.FieldDiff;
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

  /** A plan holding the kinds of value the other plans here do not, and a {@code long} seal. */
  public record Mixed(
      Optional<Long> version,
      List<Problem> problems,
      List<FieldDiff> diffs,
      OptionalLong none,
      List<String> linked,
      long seal) {}

  @Test
  void sealOfProblemsDiffsBoxedLongsAndALongSealIsUnchanged() {
    Seals seals = new Seals("a test key".getBytes(StandardCharsets.UTF_8));
    Mixed plan =
        new Mixed(
            Optional.of(1_234_567_890_123L),
            List.of(
                Problem.of(ErrorCode.INVALID_VALUE, "plain"),
                Problem.ofField(ErrorCode.INVALID_VALUE, "department", "too long")
                    .atRow(7)
                    .atColumn("Dept")),
            List.of(
                FieldDiff.builder()
                    .field("department")
                    .before(Optional.of("Sales"))
                    .after(Optional.empty())
                    .build(),
                FieldDiff.builder()
                    .field("attr.level")
                    .before(Optional.empty())
                    .after(Optional.of("3"))
                    .attributeType(AttributeType.NUMBER)
                    .build()),
            OptionalLong.empty(),
            new LinkedList<>(List.of("first", "second", "ç")),
            -42);
    // a component named seal that is not text is sealed like any other
    assertThat(seals.seal(plan)).isEqualTo(MIXED);
  }

  /** A plan holding a number the seal has no encoding for. */
  public record WithDouble(double ratio, String seal) {}

  /** A plan whose record the seal may not read. */
  private record Hidden(String id, String seal) {}

  /** A plan whose component fails when read. */
  public record Failing(String id, String seal) {
    @Override
    public String id() {
      throw new IllegalArgumentException("not readable");
    }
  }

  @Test
  void aPlanTheSealCannotEncodeIsRefusedNotSealedInPart() {
    Seals seals = new Seals("a test key".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> seals.seal(new WithDouble(0.5, "")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot encode")
        .hasMessageContaining("Double");
    assertThatThrownBy(() -> seals.seal(new Hidden("p1", "")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot read id of");
    assertThatThrownBy(() -> seals.seal(new Failing("p1", "")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not readable");
  }

  /** The seal of {@link Mixed}, computed before each class's kind was found once. */
  private static final String MIXED = "RL7KBTQ5dDDUgVItpkP2DqJbbyU6M_CY8lCteFfZ7C4";

  /** The seal computed when every string went through {@code getBytes(UTF_8)}. */
  private static final String TEXTS = "IDDdVonhrw8HFLSrDkTn5SLkRWJBXU4pRlxjju6GrGY";

  /** The seal computed when the encoding went through a DataOutputStream. */
  private static final String EVERY = "wnW9ZAcJM39PocD4GGxLtzXiB7YWHbw5e1umHhAjM3k";

  /** The seal computed before class and constant names were encoded once a class. */
  private static final String EXPECTED = "OWmg95Ciou9nxiHsxqggqsWy50W6Bgj6NrF5XqeFF38";
}
