package dev.usermgmt.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.usermgmt.UserMgmtException;
import dev.usermgmt.io.export.ExportFormat;
import dev.usermgmt.io.export.FormulaGuard;
import dev.usermgmt.io.export.TableWriter;
import dev.usermgmt.io.table.ReadOptions;
import dev.usermgmt.io.table.TableReader;
import dev.usermgmt.io.table.TableRow;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/** Properties of the file readers and writers. */
class IoProperties {
  /** Pieces cells are made of: delimiters, quotes, line breaks, unicode, zeros, formulas. */
  private static final List<String> PIECES =
      List.of(
          "a", "Zoë", "日本", "😀", " ", ",", ";", "|", "\t", "\"", "'", "\n", "\r\n", "00123",
          "=1+2", "+44", "-5", "@x", "=", "x", "Ñandú", "\\", "<b>", "&amp;", "]]>", "");

  private static Gen<String> cells() {
    return SourceDSL.lists()
        .of(Generate.pick(PIECES))
        .ofSizeBetween(0, 4)
        .map(parts -> String.join("", parts));
  }

  private static Gen<List<List<String>>> tables() {
    return SourceDSL.integers()
        .between(1, 5)
        .flatMap(
            width ->
                SourceDSL.lists()
                    .of(SourceDSL.lists().of(cells()).ofSize(width))
                    .ofSizeBetween(1, 8));
  }

  /**
   * What a reader gives back for a table: trailing empty cells dropped, rows that are empty or only
   * white space as written skipped (a lone tab is written guarded, {@code '<tab>}, so it stays).
   */
  private static List<List<String>> normalised(List<List<String>> table) {
    List<List<String>> out = new ArrayList<>();
    for (List<String> row : table) {
      int w = row.size();
      while (w > 0 && row.get(w - 1).isEmpty()) {
        w--;
      }
      if (w > 0 && row.stream().anyMatch(c -> !FormulaGuard.neutralise(c).isBlank())) {
        out.add(row.subList(0, w));
      }
    }
    return out;
  }

  private static byte[] write(ExportFormat format, List<List<String>> table) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TableWriter w = TableWriter.open(format, out)) {
      w.header(table.get(0));
      table.subList(1, table.size()).forEach(w::row);
    }
    return out.toByteArray();
  }

  private static List<List<String>> read(byte[] bytes) {
    try (TableReader r =
        TableReader.open(new ByteArrayInputStream(bytes), ReadOptions.defaults())) {
      return r.rows().map(TableRow::texts).toList();
    }
  }

  @Test
  void anyTableWrittenAsCsvOrXlsxReadsBackToTheSameCells() {
    qt().withExamples(300)
        .forAll(tables(), Generate.pick(List.of(ExportFormat.CSV, ExportFormat.XLSX)))
        .checkAssert(
            (table, format) -> {
              List<List<String>> expected = normalised(table);
              if (expected.isEmpty()) {
                return;
              }
              List<List<String>> back = read(write(format, table));
              List<List<String>> recovered =
                  back.stream().map(r -> r.stream().map(FormulaGuard::recover).toList()).toList();
              assertThat(recovered).as(format + " " + table).isEqualTo(expected);
              // what a spreadsheet shows never starts a formula
              back.forEach(
                  r ->
                      r.forEach(
                          c ->
                              assertThat(c)
                                  .doesNotStartWith("=")
                                  .doesNotStartWith("+")
                                  .doesNotStartWith("-")
                                  .doesNotStartWith("@")));
            });
  }

  @Test
  void neutralisingIsReversibleForAnyText() {
    qt().forAll(cells(), SourceDSL.strings().allPossible().ofLengthBetween(0, 6))
        .checkAssert(
            (a, b) -> {
              String s = a + b;
              assertThat(FormulaGuard.recover(FormulaGuard.neutralise(s))).isEqualTo(s);
            });
  }

  static byte[] fixture(String name) {
    try (InputStream in = IoProperties.class.getResourceAsStream("/fixtures/" + name)) {
      return Objects.requireNonNull(in, name).readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads everything; only a UserMgmtException may escape. */
  private static void readAnything(byte[] bytes) {
    try (TableReader r =
        TableReader.open(new ByteArrayInputStream(bytes), ReadOptions.defaults())) {
      r.rows().forEach(row -> assertThat(row.number()).isPositive());
    } catch (UserMgmtException expected) {
      assertThat(expected.code()).isNotNull();
    }
  }

  @Test
  void randomBytesGiveRowsOrAUserMgmtException() {
    qt().withExamples(500)
        .forAll(SourceDSL.lists().of(SourceDSL.integers().between(0, 255)).ofSizeBetween(0, 3000))
        .checkAssert(
            ints -> {
              byte[] bytes = new byte[ints.size()];
              for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) (int) ints.get(i);
              }
              readAnything(bytes);
            });
  }

  @Test
  void damagedSpreadsheetsGiveRowsOrAUserMgmtException() {
    List<String> names =
        List.of("people.xlsx", "people.xls", "people-comma-utf8.csv", "people-tab-utf16.txt");
    qt().withExamples(400)
        .forAll(
            Generate.pick(names),
            SourceDSL.lists()
                .of(SourceDSL.integers().between(0, Integer.MAX_VALUE))
                .ofSizeBetween(1, 12),
            SourceDSL.integers().between(0, 3))
        .checkAssert(
            (name, hits, mode) -> {
              byte[] bytes = fixture(name);
              switch (mode) {
                case 0 -> bytes = Arrays.copyOf(bytes, hits.get(0) % bytes.length);
                case 1 -> {
                  for (int h : hits) {
                    bytes[h % bytes.length] ^= (byte) (1 + (h >>> 8) % 255);
                  }
                }
                case 2 -> {
                  int at = hits.get(0) % bytes.length;
                  int len = Math.min(bytes.length - at, 1 + hits.size() * 37);
                  Arrays.fill(bytes, at, at + len, (byte) 0);
                }
                default -> {
                  for (int h : hits) {
                    bytes[h % bytes.length] = (byte) h;
                  }
                }
              }
              readAnything(bytes);
            });
  }
}
