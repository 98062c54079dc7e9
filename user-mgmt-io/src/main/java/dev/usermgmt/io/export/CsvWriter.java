package dev.usermgmt.io.export;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.QuoteMode;

/**
 * RFC 4180 CSV in UTF-8 with a byte-order mark; every field quoted, so no delimiter a reader might
 * sniff ({@code ; tab |}) can appear outside quotes. Control characters the readers refuse are
 * written as U+FFFD ({@link Values#printable}), so the library's own reader reads every export.
 */
final class CsvWriter implements TableWriter {
  private final Writer writer;
  private final CSVPrinter printer;
  private final List<String> buffer = new ArrayList<>();

  CsvWriter(OutputStream out) {
    try {
      out.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
      this.writer =
          new java.io.BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
      this.printer =
          new CSVPrinter(writer, CSVFormat.RFC4180.builder().setQuoteMode(QuoteMode.ALL).get());
    } catch (IOException e) {
      throw Values.ioFailure("cannot write the export", e);
    }
  }

  @Override
  public void header(List<String> names) {
    print(names);
  }

  @Override
  public void row(List<?> values) {
    print(values);
  }

  private void print(List<?> values) {
    buffer.clear();
    for (Object v : values) {
      buffer.add(FormulaGuard.neutralise(Values.printable(Values.text(v))));
    }
    try {
      printer.printRecord(buffer);
    } catch (IOException e) {
      throw Values.ioFailure("cannot write the export", e);
    }
  }

  @Override
  public void close() {
    try {
      printer.flush();
      writer.flush();
    } catch (IOException e) {
      throw Values.ioFailure("cannot write the export", e);
    }
  }
}
