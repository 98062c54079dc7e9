package dev.usermgmt.io.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.usermgmt.io.table.ReadOptions;
import dev.usermgmt.io.table.TableReader;
import dev.usermgmt.io.table.TableRow;
import java.io.ByteArrayInputStream;
import java.util.stream.Stream;

/**
 * Fuzzes {@link TableReader} with CSV, XLSX and XLS bytes. In a normal build each target runs its
 * committed seeds (the inputs under {@code src/test/resources/dev/usermgmt/io/fuzz/
 * TableReaderFuzzTestInputs/<target>/}, real files saved by spreadsheet programs among them) and
 * every earlier finding; {@code JAZZER_FUZZ=1} fuzzes one target for its {@code maxDuration} (see
 * the README's "Fuzzing").
 */
final class TableReaderFuzzTest {
  /** Small limits, so that a fuzzed input cannot take more than a moment or much memory. */
  static final ReadOptions LIMITS =
      ReadOptions.builder()
          .maxFileBytes(1 << 20)
          .maxRows(2_000)
          .maxColumns(200)
          .maxCellLength(4_000)
          .maxXlsBytes(1 << 20)
          .maxXlsRows(2_000)
          .maxInflatedBytes(16 << 20)
          .maxPartBytes(8 << 20)
          .maxZipEntries(200)
          .build();

  static void read(byte[] data, ReadOptions options) {
    FuzzInvariant.holds(
        () -> {
          try (TableReader r = TableReader.open(new ByteArrayInputStream(data), options);
              Stream<TableRow> rows = r.rows()) {
            rows.forEach(
                row -> {
                  row.cells();
                  row.isBlank();
                });
          }
        });
  }

  @FuzzTest(maxDuration = "10m")
  void csv(byte[] data) {
    read(data, LIMITS);
  }

  @FuzzTest(maxDuration = "10m")
  void xlsx(byte[] data) {
    read(data, LIMITS);
  }

  @FuzzTest(maxDuration = "10m")
  void xls(byte[] data) {
    read(data, LIMITS.withStrict(true));
  }
}
