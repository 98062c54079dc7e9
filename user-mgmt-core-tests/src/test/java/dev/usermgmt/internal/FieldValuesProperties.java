package dev.usermgmt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import dev.usermgmt.bulk.UpdateRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/** The array map behind update rows answers exactly as the linked hash map it replaced. */
final class FieldValuesProperties {
  private static final List<String> KEYS =
      List.of(
          "primaryEmail",
          "displayName",
          "department",
          "hireDate",
          "attributes.level",
          "attributes.site",
          "Aa",
          "BB", // "Aa" and "BB" share a hash code
          "");

  /** Random columns (distinct keys) with a value or none (null) each. */
  private static Gen<Map<String, String>> rows() {
    return SourceDSL.lists()
        .of(
            Generate.pick(KEYS)
                .zip(
                    SourceDSL.strings().basicLatinAlphabet().ofLengthBetween(0, 3),
                    (k, v) -> Map.entry(k, v)))
        .ofSizeBetween(0, 12)
        .map(
            entries -> {
              Map<String, String> m = new LinkedHashMap<>();
              entries.forEach(e -> m.putIfAbsent(e.getKey(), e.getValue()));
              return m;
            });
  }

  @Test
  void aCopyAnswersAsTheMapItCopies() {
    qt().withExamples(1000)
        .forAll(rows(), Generate.pick(KEYS))
        .checkAssert(
            (map, probe) -> {
              FieldValues copy = FieldValues.copyOf(map);
              assertThat(copy).isEqualTo(map);
              assertThat(copy.hashCode()).isEqualTo(map.hashCode());
              assertThat(new ArrayList<>(copy.entrySet()))
                  .as("iteration order")
                  .isEqualTo(new ArrayList<>(map.entrySet()));
              assertThat(copy.get(probe)).isEqualTo(map.get(probe));
              assertThat(copy.containsKey(probe)).isEqualTo(map.containsKey(probe));
              assertThat(copy.getOrDefault(probe, "-")).isEqualTo(map.getOrDefault(probe, "-"));
              assertThat(copy.toString()).isEqualTo(map.toString());
              assertThat(new UpdateRow(7, map)).isEqualTo(new UpdateRow(7, copy));
            });
  }

  @Test
  void sharedKeysLeaveOutTheColumnsWithoutAValue() {
    qt().withExamples(1000)
        .forAll(
            SourceDSL.lists()
                .of(SourceDSL.strings().basicLatinAlphabet().ofLengthBetween(0, 2))
                .ofSize(KEYS.size()),
            SourceDSL.lists().of(SourceDSL.booleans().all()).ofSize(KEYS.size()))
        .checkAssert(
            (values, present) -> {
              String[] row = new String[KEYS.size()];
              Map<String, String> expected = new LinkedHashMap<>();
              for (int i = 0; i < row.length; i++) {
                if (present.get(i)) {
                  row[i] = values.get(i);
                  expected.put(KEYS.get(i), values.get(i));
                }
              }
              FieldValues built = FieldValues.keys(KEYS.toArray(new String[0])).with(row);
              assertThat(new ArrayList<>(built.entrySet()))
                  .isEqualTo(new ArrayList<>(expected.entrySet()));
            });
  }

  @Test
  void keysMustBeDistinctAndValuesAsMany() {
    assertThatThrownBy(() -> FieldValues.keys("a", "b", "a"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FieldValues.keys("a", "b").with(new String[] {"x"}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FieldValues.copyOf(new LinkedHashMap<>()).put("a", "b"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
