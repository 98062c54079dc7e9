package dev.usermgmt.io.table;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * Limits and choices for reading a file. The defaults accept any file a spreadsheet program can
 * save (up to Excel's 1,048,576 rows) and refuse what only an attack or an accident produces.
 * Change one with the {@code with…} methods, e.g. {@code
 * ReadOptions.defaults().withMaxRows(10_000).withSheet("People")}, or several with {@link
 * #builder()}.
 */
@Value.Immutable
public abstract class ReadOptions {
  ReadOptions() {}

  /**
   * The largest file accepted (default 256 MiB).
   *
   * @return bytes
   */
  @Value.Default
  public long maxFileBytes() {
    return 256L << 20;
  }

  /**
   * The most non-blank rows, counting the header (default 1,048,576, Excel's own limit); blank and
   * white-space-only rows are skipped and not counted.
   *
   * @return rows
   */
  @Value.Default
  public long maxRows() {
    return 1_048_576;
  }

  /**
   * The most columns (default 1,000).
   *
   * @return columns
   */
  @Value.Default
  public int maxColumns() {
    return 1_000;
  }

  /**
   * The longest cell text (default 32,767, Excel's own limit). A longer cell makes its row invalid
   * (the row carries a {@code limit_exceeded} problem in {@link TableRow#problems()} and the cell
   * is cut to this length); the file goes on, unless {@link #strict()}.
   *
   * @return characters
   */
  @Value.Default
  public int maxCellLength() {
    return 32_767;
  }

  /**
   * Whether a cell over {@link #maxCellLength()} refuses the whole file ({@code limit_exceeded})
   * instead of making its row invalid (default false).
   *
   * @return whether strict
   */
  @Value.Default
  public boolean strict() {
    return false;
  }

  /**
   * The most rows of a legacy {@code .xls}, which is read whole (default 65,536).
   *
   * @return rows
   */
  @Value.Default
  public int maxXlsRows() {
    return 65_536;
  }

  /**
   * The largest legacy {@code .xls} accepted (default 32 MiB).
   *
   * @return bytes
   */
  @Value.Default
  public long maxXlsBytes() {
    return 32L << 20;
  }

  /**
   * The smallest compressed/uncompressed ratio of an XLSX part once it has inflated past 64 MiB
   * (default 0.01, Apache POI's). Below that size no ratio is checked, so real workbooks, whose
   * highly repetitive parts (a 32,767-character cell of one letter) compress far better than 1:100,
   * never trip it; the absolute limits {@link #maxInflatedBytes()} and {@link #maxPartBytes()} hold
   * at every size.
   *
   * @return the ratio, from 0 (off) to below 1
   */
  @Value.Default
  public double minInflateRatio() {
    return 0.01;
  }

  /**
   * The largest uncompressed XLSX part (default 2 GiB).
   *
   * @return bytes
   */
  @Value.Default
  public long maxPartBytes() {
    return 2L << 30;
  }

  /**
   * The most bytes all parts of an XLSX workbook may inflate to together (default 2 GiB): the zip
   * guard's absolute measure, checked against the archive's directory before reading and against
   * the bytes actually inflated while reading.
   *
   * @return bytes
   */
  @Value.Default
  public long maxInflatedBytes() {
    return 2L << 30;
  }

  /**
   * The most entries an XLSX archive may have (default 10,000).
   *
   * @return entries
   */
  @Value.Default
  public int maxZipEntries() {
    return 10_000;
  }

  /**
   * The file's name as the host received it (an upload's file name), if it has one. When its
   * extension ({@code .csv}, {@code .txt}, {@code .tsv}, {@code .xlsx}, {@code .xlsm}, {@code
   * .xls}) names another format than the bytes show, the file is refused with {@code
   * file_type_mismatch}; other extensions are not checked.
   *
   * @return the declared name
   */
  public abstract Optional<String> declaredName();

  /**
   * The file's media type as the host received it (an upload's {@code Content-Type}), if it has
   * one; checked like {@link #declaredName()} ({@code text/csv}, {@code text/plain}, the XLSX type;
   * {@code application/vnd.ms-excel}, which browsers also send for CSV files, accepts XLS and CSV;
   * {@code application/octet-stream} and unknown types are not checked).
   *
   * @return the declared media type
   */
  public abstract Optional<String> declaredMediaType();

  /**
   * The directory for the temporary copy of an upload; default the system's.
   *
   * @return the directory
   */
  public abstract Optional<Path> tempDirectory();

  /**
   * These options with the file's declared name.
   *
   * @param name the upload's file name
   * @return the options
   */
  public abstract ReadOptions withDeclaredName(String name);

  /**
   * These options with the file's declared media type.
   *
   * @param mediaType the upload's content type
   * @return the options
   */
  public abstract ReadOptions withDeclaredMediaType(String mediaType);

  /**
   * These options with another directory for temporary copies.
   *
   * @param directory the directory
   * @return the options
   */
  public abstract ReadOptions withTempDirectory(Path directory);

  /**
   * These options with strict cell lengths on or off.
   *
   * @param strict whether an over-long cell refuses the file
   * @return the options
   */
  public abstract ReadOptions withStrict(boolean strict);

  /**
   * These options with another total inflated size limit.
   *
   * @param bytes the most bytes all parts inflate to
   * @return the options
   */
  public abstract ReadOptions withMaxInflatedBytes(long bytes);

  /**
   * These options with another zip entry limit.
   *
   * @param entries the most entries
   * @return the options
   */
  public abstract ReadOptions withMaxZipEntries(int entries);

  /**
   * The sheet to read; default the first sheet that has a non-blank cell.
   *
   * @return the sheet's name
   */
  public abstract Optional<String> sheet();

  /**
   * The CSV delimiter; default sniffed among {@code , ; tab |}.
   *
   * @return the delimiter
   */
  public abstract Optional<Character> delimiter();

  /**
   * The CSV encoding; default detected (BOM, UTF-16 pattern, UTF-8, else Windows-1252).
   *
   * @return the encoding
   */
  public abstract Optional<Charset> charset();

  /**
   * These options with another sheet.
   *
   * @param name the sheet's name
   * @return the options
   */
  public abstract ReadOptions withSheet(String name);

  /**
   * These options with another row limit.
   *
   * @param rows the most rows
   * @return the options
   */
  public abstract ReadOptions withMaxRows(long rows);

  /**
   * These options with another column limit.
   *
   * @param columns the most columns
   * @return the options
   */
  public abstract ReadOptions withMaxColumns(int columns);

  /**
   * These options with another cell length limit.
   *
   * @param length the longest cell
   * @return the options
   */
  public abstract ReadOptions withMaxCellLength(int length);

  /**
   * These options with another file size limit.
   *
   * @param bytes the largest file
   * @return the options
   */
  public abstract ReadOptions withMaxFileBytes(long bytes);

  /**
   * These options with another zip-bomb ratio.
   *
   * @param ratio the smallest compressed/uncompressed ratio
   * @return the options
   */
  public abstract ReadOptions withMinInflateRatio(double ratio);

  /**
   * These options with another part size limit.
   *
   * @param bytes the largest uncompressed part
   * @return the options
   */
  public abstract ReadOptions withMaxPartBytes(long bytes);

  /**
   * These options with a fixed CSV delimiter and encoding (no sniffing).
   *
   * @param delimiter the delimiter
   * @param charset the encoding
   * @return the options
   */
  public ReadOptions withCsv(char delimiter, Charset charset) {
    return withDelimiter(delimiter).withCharset(charset);
  }

  /**
   * These options with a fixed CSV delimiter.
   *
   * @param delimiter the delimiter
   * @return the options
   */
  public abstract ReadOptions withDelimiter(char delimiter);

  /**
   * These options with a fixed CSV encoding.
   *
   * @param charset the encoding
   * @return the options
   */
  public abstract ReadOptions withCharset(Charset charset);

  @Value.Check
  void check() {
    if (maxFileBytes() < 1
        || maxRows() < 1
        || maxColumns() < 1
        || maxCellLength() < 1
        || maxXlsRows() < 1
        || maxXlsBytes() < 1
        || maxPartBytes() < 1
        || maxInflatedBytes() < 1
        || maxZipEntries() < 1
        || !(minInflateRatio() >= 0 && minInflateRatio() < 1)) {
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
    return builder().build();
  }

  /**
   * A builder starting from the defaults, for setting several limits at once.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder starting from these options.
   *
   * @return the builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.from(this);
    return b;
  }

  /** Builds {@link ReadOptions}. */
  public static final class Builder extends ImmutableReadOptions.Builder {
    Builder() {}
  }
}
