package dev.usermgmt.io.table;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Reads a table from a CSV, XLSX or XLS file, lazily: rows come one by one from {@link #rows()} and
 * only a bounded window of the file is ever in memory (a legacy XLS, read whole, is capped
 * instead). Blank rows are skipped, trailing blank cells dropped. Close it to release the file.
 *
 * <pre>{@code
 * try (TableReader reader = TableReader.open(path, ReadOptions.defaults())) {
 *   reader.rows().forEach(row -> ...);
 * }
 * }</pre>
 *
 * <p>Failures are {@link dev.usermgmt.InvalidInputException}s: {@code unsupported_file} for what is
 * not a CSV, XLSX or XLS (ODS, PDF, a renamed binary), {@code invalid_file} for a corrupt one (with
 * its row and column where known), {@code limit_exceeded} for a limit of {@link ReadOptions}.
 */
public interface TableReader extends AutoCloseable {

  /**
   * What was found out about the file.
   *
   * @return the format, encoding, delimiter or sheet
   */
  FileInfo info();

  /**
   * The rows, lazily; may be consumed once.
   *
   * @return the rows, blank rows skipped
   */
  Stream<TableRow> rows();

  /** Releases the file and any temporary copy. */
  @Override
  void close();

  /**
   * Opens a file, recognising its format from its bytes.
   *
   * @param file the file
   * @param options limits and choices
   * @return the reader
   */
  static TableReader open(Path file, ReadOptions options) {
    return Readers.open(file, false, options);
  }

  /**
   * Opens an upload: the stream is copied to a temporary file (within {@link
   * ReadOptions#maxFileBytes()}) that the reader deletes on close. The stream is not closed.
   *
   * @param in the bytes
   * @param options limits and choices
   * @return the reader
   */
  static TableReader open(InputStream in, ReadOptions options) {
    return Readers.open(Readers.spool(in, options), true, options);
  }
}
