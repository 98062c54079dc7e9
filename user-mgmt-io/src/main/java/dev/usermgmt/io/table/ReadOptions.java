package dev.usermgmt.io.table;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import java.nio.charset.Charset;
import java.util.Optional;

/**
 * Limits and choices for reading a file. The defaults accept any file a spreadsheet program can
 * save (up to Excel's 1,048,576 rows) and refuse what only an attack or an accident produces.
 *
 * @param maxFileBytes the largest file accepted (default 256 MiB)
 * @param maxRows the most rows, counting the header (default 1,048,576, Excel's own limit)
 * @param maxColumns the most columns (default 1,000)
 * @param maxCellLength the longest cell text (default 32,767, Excel's own limit)
 * @param maxXlsRows the most rows of a legacy {@code .xls}, which is read whole (default 65,536)
 * @param maxXlsBytes the largest legacy {@code .xls} accepted (default 32 MiB)
 * @param minInflateRatio the smallest compressed/uncompressed ratio of an XLSX part before it is
 *     treated as a zip bomb (default 0.01, Apache POI's)
 * @param maxPartBytes the largest uncompressed XLSX part (default 2 GiB)
 * @param sheet the sheet to read; default the first sheet that has a non-blank cell
 * @param delimiter the CSV delimiter; default sniffed among {@code , ; tab |}
 * @param charset the CSV encoding; default detected (BOM, UTF-16 pattern, UTF-8, else Windows-1252)
 */
public record ReadOptions(
    long maxFileBytes,
    long maxRows,
    int maxColumns,
    int maxCellLength,
    int maxXlsRows,
    long maxXlsBytes,
    double minInflateRatio,
    long maxPartBytes,
    Optional<String> sheet,
    Optional<Character> delimiter,
    Optional<Charset> charset) {

  /** Checks the limits. */
  public ReadOptions {
    if (maxFileBytes < 1
        || maxRows < 1
        || maxColumns < 1
        || maxCellLength < 1
        || maxXlsRows < 1
        || maxXlsBytes < 1
        || maxPartBytes < 1
        || !(minInflateRatio >= 0 && minInflateRatio < 1)) {
      throw new InvalidInputException(
          Problem.of(ErrorCode.INVALID_CONFIGURATION, "read limits must be positive"));
    }
  }

  /**
   * The defaults.
   *
   * @return the options
   */
  public static ReadOptions defaults() {
    return new ReadOptions(
        256L << 20,
        1_048_576,
        1_000,
        32_767,
        65_536,
        32L << 20,
        0.01,
        2L << 30,
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /**
   * These options with another file size limit.
   *
   * @param bytes the largest file
   * @return the options
   */
  public ReadOptions withMaxFileBytes(long bytes) {
    return new ReadOptions(
        bytes,
        maxRows,
        maxColumns,
        maxCellLength,
        maxXlsRows,
        maxXlsBytes,
        minInflateRatio,
        maxPartBytes,
        sheet,
        delimiter,
        charset);
  }

  /**
   * These options with another row limit.
   *
   * @param rows the most rows
   * @return the options
   */
  public ReadOptions withMaxRows(long rows) {
    return new ReadOptions(
        maxFileBytes,
        rows,
        maxColumns,
        maxCellLength,
        maxXlsRows,
        maxXlsBytes,
        minInflateRatio,
        maxPartBytes,
        sheet,
        delimiter,
        charset);
  }

  /**
   * These options with another column limit.
   *
   * @param columns the most columns
   * @return the options
   */
  public ReadOptions withMaxColumns(int columns) {
    return new ReadOptions(
        maxFileBytes,
        maxRows,
        columns,
        maxCellLength,
        maxXlsRows,
        maxXlsBytes,
        minInflateRatio,
        maxPartBytes,
        sheet,
        delimiter,
        charset);
  }

  /**
   * These options with another cell length limit.
   *
   * @param length the longest cell
   * @return the options
   */
  public ReadOptions withMaxCellLength(int length) {
    return new ReadOptions(
        maxFileBytes,
        maxRows,
        maxColumns,
        length,
        maxXlsRows,
        maxXlsBytes,
        minInflateRatio,
        maxPartBytes,
        sheet,
        delimiter,
        charset);
  }

  /**
   * These options with another zip-bomb ratio and part size.
   *
   * @param ratio the smallest compressed/uncompressed ratio
   * @param partBytes the largest uncompressed part
   * @return the options
   */
  public ReadOptions withZipLimits(double ratio, long partBytes) {
    return new ReadOptions(
        maxFileBytes,
        maxRows,
        maxColumns,
        maxCellLength,
        maxXlsRows,
        maxXlsBytes,
        ratio,
        partBytes,
        sheet,
        delimiter,
        charset);
  }

  /**
   * These options reading a named sheet.
   *
   * @param name the sheet's name
   * @return the options
   */
  public ReadOptions withSheet(String name) {
    return new ReadOptions(
        maxFileBytes,
        maxRows,
        maxColumns,
        maxCellLength,
        maxXlsRows,
        maxXlsBytes,
        minInflateRatio,
        maxPartBytes,
        Optional.of(name),
        delimiter,
        charset);
  }

  /**
   * These options with a fixed CSV delimiter and encoding (no sniffing).
   *
   * @param delimiter the delimiter
   * @param charset the encoding
   * @return the options
   */
  public ReadOptions withCsv(char delimiter, Charset charset) {
    return new ReadOptions(
        maxFileBytes,
        maxRows,
        maxColumns,
        maxCellLength,
        maxXlsRows,
        maxXlsBytes,
        minInflateRatio,
        maxPartBytes,
        sheet,
        Optional.of(delimiter),
        Optional.of(charset));
  }
}
