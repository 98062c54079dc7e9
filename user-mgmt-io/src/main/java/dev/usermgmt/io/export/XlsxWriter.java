package dev.usermgmt.io.export;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.poi.ss.SpreadsheetVersion;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;

/**
 * XLSX through POI's streaming SXSSF writer: a window of rows in memory, the rest flushed to a
 * temporary file that is deleted on close; text as inline strings, dates and date-times as real
 * date cells, numbers and booleans typed.
 */
final class XlsxWriter implements TableWriter {
  private final OutputStream out;
  private final SXSSFWorkbook workbook;
  private final SXSSFSheet sheet;
  private final CellStyle date;
  private final CellStyle dateTime;
  private final CellStyle bold;
  private int next;

  XlsxWriter(OutputStream out, String sheetName) {
    this.out = out;
    try {
      this.workbook = new SXSSFWorkbook(100);
    } catch (RuntimeException e) {
      throw Values.ioFailure("cannot start the export", e);
    }
    workbook.setCompressTempFiles(true);
    this.sheet = workbook.createSheet(sheetName);
    this.date = workbook.createCellStyle();
    date.setDataFormat(workbook.createDataFormat().getFormat("yyyy-mm-dd"));
    this.dateTime = workbook.createCellStyle();
    dateTime.setDataFormat(workbook.createDataFormat().getFormat("yyyy-mm-dd hh:mm:ss"));
    this.bold = workbook.createCellStyle();
    Font font = workbook.createFont();
    font.setBold(true);
    bold.setFont(font);
  }

  @Override
  public void header(List<String> names) {
    Row row = sheet.createRow(next++);
    for (int i = 0; i < names.size(); i++) {
      Cell c = row.createCell(i);
      c.setCellValue(FormulaGuard.neutralise(names.get(i)));
      c.setCellStyle(bold);
    }
    sheet.createFreezePane(0, 1);
  }

  @Override
  public void row(List<?> values) {
    if (next >= SpreadsheetVersion.EXCEL2007.getMaxRows()) {
      throw new InvalidInputException(
          Problem.of(
              ErrorCode.LIMIT_EXCEEDED,
              "an XLSX sheet holds at most "
                  + SpreadsheetVersion.EXCEL2007.getMaxRows()
                  + " rows; export CSV or JSON, or narrow the view"));
    }
    Row row;
    try {
      row = sheet.createRow(next++); // flushes older rows to the temporary file
    } catch (RuntimeException e) { // POI wraps the temporary file's IOException
      throw Values.ioFailure("cannot write the export's temporary file (is the disk full?)", e);
    }
    for (int i = 0; i < values.size(); i++) {
      Object v = Values.unwrap(values.get(i));
      if (v instanceof String s && s.isEmpty()) {
        continue;
      }
      Cell c = row.createCell(i);
      if (v instanceof LocalDate d) {
        c.setCellValue(d);
        c.setCellStyle(date);
      } else if (v instanceof Instant t) {
        c.setCellValue(LocalDateTime.ofInstant(t, ZoneOffset.UTC));
        c.setCellStyle(dateTime);
      } else if (v instanceof Boolean b) {
        c.setCellValue(b);
      } else if (v instanceof Integer || v instanceof Long || v instanceof BigDecimal) {
        c.setCellValue(((Number) v).doubleValue());
      } else {
        String text = Values.text(v);
        if (text.length() > SpreadsheetVersion.EXCEL2007.getMaxTextLength()) {
          throw new InvalidInputException(
              Problem.builder()
                  .code(ErrorCode.LIMIT_EXCEEDED)
                  .row(next)
                  .message("a cell longer than an XLSX cell holds (32,767 characters)")
                  .build());
        }
        c.setCellValue(FormulaGuard.neutralise(text));
      }
    }
  }

  @Override
  public void close() {
    try {
      workbook.write(out);
      out.flush();
    } catch (IOException | RuntimeException e) {
      throw Values.ioFailure("cannot write the export", e);
    } finally {
      try {
        workbook.close();
      } catch (IOException e) {
        // temporary files only
      }
    }
  }
}
