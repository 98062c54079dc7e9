package dev.usermgmt.io.export;

import java.io.OutputStream;
import java.util.List;

/**
 * Writes a table to XLSX, CSV or JSON, streaming: rows go to the output as they come (XLSX written
 * directly into its zip, no temporary file), so any number of rows fits in a small heap. Values may
 * be {@link String}, {@link Number}, {@link Boolean}, {@link java.time.LocalDate}, {@link
 * java.time.Instant} (written in UTC), {@link java.util.Optional} of those (empty is a blank cell)
 * or a {@link java.util.Collection} (joined with commas). Text cells of XLSX and CSV go through
 * {@link FormulaGuard#neutralise}. Closing finishes the file; the stream stays open.
 */
public interface TableWriter extends AutoCloseable {

  /**
   * Writes the header (once, first). JSON uses the header as the keys of each row's object.
   *
   * @param names the column names
   */
  void header(List<String> names);

  /**
   * Writes a row.
   *
   * @param values one value per header column
   */
  void row(List<?> values);

  /** Finishes the file and flushes the stream, which stays open. */
  @Override
  void close();

  /**
   * A writer of a format.
   *
   * @param format the format
   * @param out where the file goes (not closed)
   * @return the writer
   */
  static TableWriter open(ExportFormat format, OutputStream out) {
    return switch (format) {
      case XLSX -> new XlsxWriter(out, "Users");
      case CSV -> new CsvWriter(out);
      case JSON -> new JsonWriter(out);
    };
  }
}
