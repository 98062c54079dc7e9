package dev.usermgmt.io.table;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import java.nio.charset.Charset;
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
   * The most rows, counting the header (default 1,048,576, Excel's own limit).
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
   * The longest cell text (default 32,767, Excel's own limit).
   *
   * @return characters
   */
  @Value.Default
  public int maxCellLength() {
    return 32_767;
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
   * The smallest compressed/uncompressed ratio of an XLSX part before it is treated as a zip bomb
   * (default 0.01, Apache POI's).
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
