package dev.usermgmt.internal.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
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

  /** The seal computed before class and constant names were encoded once a class. */
  private static final String EXPECTED = "OWmg95Ciou9nxiHsxqggqsWy50W6Bgj6NrF5XqeFF38";
}
