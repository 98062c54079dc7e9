package dev.usermgmt.io.table;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.poi.hssf.usermodel.HSSFWorkbook;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.FormulaError;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;

/**
 * Legacy Excel 97-2003 through POI's HSSF. The format cannot be streamed by cell, so the file is
 * read whole and capped by {@link ReadOptions#maxXlsBytes()} and {@link ReadOptions#maxXlsRows()}.
 */
final class XlsTableReader implements TableReader {
  private final ReadOptions options;
  private final Runnable cleanup;
  private final HSSFWorkbook workbook;
  private final Sheet sheet;
  private final DataFormatter formatter = new DataFormatter(Locale.US);
  private boolean used;

  XlsTableReader(Path file, ReadOptions options, Runnable cleanup) {
    this.options = options;
    this.cleanup = cleanup;
    @org.jspecify.annotations.Nullable HSSFWorkbook wb = null;
    @org.jspecify.annotations.Nullable POIFSFileSystem fs = null;
    try {
      fs = new POIFSFileSystem(file.toFile(), true);
      wb = new HSSFWorkbook(fs.getRoot(), true);
      this.workbook = wb;
      this.sheet = choose(wb, options);
      if (sheet.getLastRowNum() + 1 > options.maxXlsRows()) {
        throw new InvalidInputException(
            Problem.of(
                ErrorCode.LIMIT_EXCEEDED,
                "a legacy .xls sheet may have at most "
                    + options.maxXlsRows()
                    + " rows (the limit); this one has "
                    + (sheet.getLastRowNum() + 1)
                    + "; save the file as .xlsx or .csv"));
      }
    } catch (InvalidInputException e) {
      closeQuietly(wb);
      cleanup.run();
      throw e;
    } catch (Exception e) {
      closeQuietly(wb);
      if (wb == null && fs != null) {
        try {
          fs.close(); // the workbook never took it over
        } catch (java.io.IOException ignored) {
          // read-only
        }
      }
      cleanup.run();
      if (e instanceof org.apache.poi.EncryptedDocumentException) {
        throw Readers.encrypted(e);
      }
      throw new InvalidInputException(
          Problem.of(
              ErrorCode.UNSUPPORTED_FILE,
              "unsupported or corrupt file: not a readable Excel 97-2003 workbook ("
                  + e.getClass().getSimpleName()
                  + ")"),
          e);
    }
  }

  private static Sheet choose(HSSFWorkbook wb, ReadOptions options) {
    List<String> names = new ArrayList<>();
    for (Sheet s : wb) {
      names.add(s.getSheetName());
      if (options.sheet().isPresent()) {
        if (s.getSheetName().equalsIgnoreCase(options.sheet().get())) {
          return s;
        }
      } else if (s.getPhysicalNumberOfRows() > 0) {
        return s;
      }
    }
    throw Readers.noSheet(options, names);
  }

  private static void closeQuietly(@org.jspecify.annotations.Nullable HSSFWorkbook wb) {
    if (wb != null) {
      try {
        wb.close();
      } catch (java.io.IOException e) {
        // read-only
      }
    }
  }

  @Override
  public FileInfo info() {
    return new FileInfo(
        FileFormat.XLS, Optional.empty(), Optional.empty(), Optional.of(sheet.getSheetName()));
  }

  @Override
  public Stream<TableRow> rows() {
    if (used) {
      throw new IllegalStateException("the rows of a reader can be read once");
    }
    used = true;
    Iterator<Row> it = sheet.rowIterator();
    Readers.RowBuilder builder = new Readers.RowBuilder(options);
    long[] kept = {0};
    return Readers.stream(
        () -> {
          while (it.hasNext()) {
            Row r = it.next();
            long number = r.getRowNum() + 1L;
            builder.reset();
            for (org.apache.poi.ss.usermodel.Cell c : r) {
              builder.set(number, c.getColumnIndex(), cell(c));
            }
            TableRow row = builder.build(number, r.getZeroHeight());
            if (row != null) {
              Readers.RowBuilder.checkRows(++kept[0], number, options);
              return row;
            }
          }
          return null;
        },
        () -> {});
  }

  private Cell cell(org.apache.poi.ss.usermodel.Cell c) {
    CellType type = c.getCellType();
    if (type == CellType.FORMULA) {
      type = c.getCachedFormulaResultType();
    }
    return switch (type) {
      case STRING -> Cell.text(c.getRichStringCellValue().getString());
      case BOOLEAN -> new Cell(Cell.Kind.BOOLEAN, c.getBooleanCellValue() ? "TRUE" : "FALSE");
      case ERROR ->
          new Cell(Cell.Kind.ERROR, FormulaError.forInt(c.getErrorCellValue()).getString());
      case NUMERIC -> {
        if (DateUtil.isCellDateFormatted(c)) {
          LocalDateTime t = c.getLocalDateTimeCellValue();
          yield new Cell(
              Cell.Kind.DATE,
              t.toLocalTime().equals(LocalTime.MIDNIGHT)
                  ? t.toLocalDate().toString()
                  : t.withNano(0).toString());
        }
        double d = c.getNumericCellValue();
        String fmt = c.getCellStyle().getDataFormatString();
        if ((fmt == null || "General".equalsIgnoreCase(fmt))
            && d == Math.rint(d)
            && Math.abs(d) < 1e15) {
          yield new Cell(Cell.Kind.NUMBER, Long.toString((long) d));
        }
        yield new Cell(Cell.Kind.NUMBER, formatter.formatCellValue(c));
      }
      default -> Cell.BLANK;
    };
  }

  @Override
  public void close() {
    closeQuietly(workbook);
    cleanup.run();
  }
}
