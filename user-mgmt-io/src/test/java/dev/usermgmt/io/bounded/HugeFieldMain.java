package dev.usermgmt.io.bounded;

import dev.usermgmt.io.table.ReadOptions;
import dev.usermgmt.io.table.TableReader;
import dev.usermgmt.io.table.TableRow;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Reads a CSV whose second row holds one quoted field of 300 MB, generated as it is read (never in
 * memory), and checks that the field makes its row invalid while the rows around it read whole. Run
 * by {@link HugeFieldTest} in its own 256 MiB JVM; prints {@code OK} and the time taken.
 */
public final class HugeFieldMain {
  private HugeFieldMain() {}

  /**
   * Entry point.
   *
   * @param args the field's size in bytes (default 300 MB)
   */
  public static void main(String[] args) {
    refused(300L * 1000 * 1000, "larger than"); // past the file limit
    refused(200L * 1000 * 1000, "row 2 is longer than"); // past the row limit: an unclosed quote?
    read(1000L * 1000); // past the cell limit: the row is invalid, the file goes on
  }

  private static void refused(long size, String message) {
    long start = System.nanoTime();
    try {
      read(size);
      throw new IllegalStateException("check failed: a field of " + size + " bytes was read");
    } catch (dev.usermgmt.UserMgmtException e) {
      check(e.code() == dev.usermgmt.ErrorCode.LIMIT_EXCEEDED, "refused as " + e.code());
      check(String.valueOf(e.getMessage()).contains(message), "refused with " + e.getMessage());
    }
    System.out.printf(
        Locale.ROOT,
        "OK field=%d bytes refused (limit_exceeded) in %d ms%n",
        size,
        (System.nanoTime() - start) / 1_000_000);
  }

  private static void read(long size) {
    long start = System.nanoTime();
    byte[] head = "email,department\na@example.com,\"".getBytes(StandardCharsets.UTF_8);
    byte[] tail = "\"\nb@example.com,Sales\n".getBytes(StandardCharsets.UTF_8);
    List<TableRow> rows;
    try (TableReader reader =
        TableReader.open(generated(head, size, tail), ReadOptions.defaults())) {
      rows = reader.rows().toList();
    }
    check(rows.size() == 3, "rows " + rows.size());
    check(!rows.get(1).problems().isEmpty(), "the huge field's row has no problem");
    check(rows.get(2).problems().isEmpty(), "the next row has a problem");
    check(rows.get(2).text(1).equals("Sales"), "the next row reads " + rows.get(2).texts());
    System.out.printf(
        Locale.ROOT,
        "OK field=%d bytes in %d ms heapMax=%d MiB problem=%s%n",
        size,
        (System.nanoTime() - start) / 1_000_000,
        Runtime.getRuntime().maxMemory() >> 20,
        rows.get(1).problems().get(0).code().id());
  }

  private static InputStream generated(byte[] head, long size, byte[] tail) {
    return new InputStream() {
      private long at;
      private final long end = head.length + size + tail.length;

      @Override
      public int read() {
        if (at >= end) {
          return -1;
        }
        long i = at++;
        if (i < head.length) {
          return head[(int) i];
        }
        i -= head.length;
        return i < size ? 'x' : tail[(int) (i - size)];
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (at >= end) {
          return -1;
        }
        int n = 0;
        while (n < len && at < end) {
          if (at >= head.length && at < head.length + size) {
            int run = (int) Math.min(len - n, head.length + size - at);
            java.util.Arrays.fill(b, off + n, off + n + run, (byte) 'x');
            n += run;
            at += run;
          } else {
            b[off + n++] = (byte) read();
          }
        }
        return n;
      }
    };
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("check failed: " + what);
    }
  }
}
