package dev.usermgmt.io.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.usermgmt.UserMgmtException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/**
 * The byte-level CSV reader reads every file as the FastCSV path does: the same rows with the same
 * numbers, or the same error at the same row.
 */
class CsvPathsProperties {
  /** Pieces files are made of: delimiters, quotes (doubled, stray, unclosed), line breaks. */
  private static final List<String> PIECES =
      List.of(
          "a",
          "Zoë",
          "ß",
          "€",
          ",",
          ";",
          "\t",
          "\"",
          "\"\"",
          "\n",
          "\r\n",
          "\r",
          " ",
          "x\"y",
          "|",
          "00123",
          "=1",
          "\"q,\nq\"",
          "",
          "é,è");

  @SuppressWarnings("NullAway.Init")
  @TempDir
  Path dir;

  @Test
  void bytesAndFastCsvReadTheSame() {
    qt().withExamples(1500)
        .forAll(
            SourceDSL.lists().of(Generate.pick(PIECES)).ofSizeBetween(1, 40),
            Generate.pick(List.of("UTF-8", "UTF-8 BOM", "windows-1252")),
            Generate.pick(List.of(',', ';', '\t')),
            SourceDSL.integers().between(1, 6 * 70))
        .checkAssert(
            (pieces, encoding, delimiter, columnsAndBuffer) -> {
              // records cross the end of a buffer of 1 to 70 bytes, and make it grow
              int maxColumns = 1 + columnsAndBuffer % 6;
              int buffer = 1 + columnsAndBuffer / 6;
              String text = String.join("", pieces);
              Charset charset =
                  encoding.startsWith("UTF-8") ? StandardCharsets.UTF_8 : Charset.forName(encoding);
              byte[] body = text.getBytes(charset);
              byte[] bytes = body;
              if (encoding.endsWith("BOM")) {
                bytes = new byte[body.length + 3];
                bytes[0] = (byte) 0xEF;
                bytes[1] = (byte) 0xBB;
                bytes[2] = (byte) 0xBF;
                System.arraycopy(body, 0, bytes, 3, body.length);
              }
              ReadOptions options =
                  ReadOptions.defaults()
                      .withDelimiter(delimiter)
                      .withCharset(charset)
                      .withMaxColumns(maxColumns * 2);
              assertThat(read(bytes, options, buffer))
                  .as("%s %s, buffer %d", encoding, text, buffer)
                  .isEqualTo(read(bytes, options, 0));
            });
  }

  /**
   * The rows as number and texts, or the error as code, row and column: from the bytes with a
   * buffer of the given size, or through FastCSV for 0.
   */
  private List<String> read(byte[] bytes, ReadOptions options, int buffer) {
    Path file = dir.resolve("t" + System.nanoTime() + ".csv");
    try {
      Files.write(file, bytes);
      CsvTableReader reader =
          new CsvTableReader(
              file,
              java.util.Arrays.copyOf(bytes, Math.min(bytes.length, 8192)),
              options,
              () -> {});
      try (Stream<TableRow> rows =
          buffer > 0 ? reader.bytewiseRows(buffer) : reader.fastCsvRows()) {
        return rows.map(r -> r.number() + " " + r.texts()).toList();
      } catch (UserMgmtException e) {
        return List.of("error " + e.code() + " " + e.row() + " " + e.column());
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
