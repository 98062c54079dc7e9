package dev.usermgmt.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;

/** Instants as text. Not API. */
public final class Instants {
  /** The first second written here: 1000-01-01T00:00:00Z (earlier years are not four digits). */
  private static final long FIRST = -30_610_224_000L;

  /** The last second written here: 9999-12-31T23:59:59Z (later years take a sign). */
  private static final long LAST = 253_402_300_799L;

  private Instants() {}

  /**
   * The text {@link Instant#toString} gives ({@code DateTimeFormatter.ISO_INSTANT}: seconds always,
   * a fraction of 3, 6 or 9 digits only when there are nanoseconds), written straight into one
   * array. Every instant of the value model (years 1678 to 2261) is written here; {@link
   * Instant#toString} went through the general formatter's field map, and a bulk change formats the
   * instants of every diff it records.
   *
   * @param t the instant
   * @return its ISO-8601 text
   */
  public static String iso(Instant t) {
    long s = t.getEpochSecond();
    if (s < FIRST || s > LAST) {
      return t.toString();
    }
    LocalDate d = LocalDate.ofEpochDay(Math.floorDiv(s, 86_400));
    int second = Math.floorMod(s, 86_400);
    int nano = t.getNano();
    int digits;
    int fraction;
    if (nano == 0) {
      digits = 0;
      fraction = 0;
    } else if (nano % 1_000_000 == 0) {
      digits = 3;
      fraction = nano / 1_000_000;
    } else if (nano % 1_000 == 0) {
      digits = 6;
      fraction = nano / 1_000;
    } else {
      digits = 9;
      fraction = nano;
    }
    byte[] b = new byte[20 + (digits == 0 ? 0 : digits + 1)];
    put(b, 0, d.getYear(), 4);
    b[4] = '-';
    put(b, 5, d.getMonthValue(), 2);
    b[7] = '-';
    put(b, 8, d.getDayOfMonth(), 2);
    b[10] = 'T';
    put(b, 11, second / 3_600, 2);
    b[13] = ':';
    put(b, 14, second / 60 % 60, 2);
    b[16] = ':';
    put(b, 17, second % 60, 2);
    int at = 19;
    if (digits > 0) {
      b[at++] = '.';
      put(b, at, fraction, digits);
      at += digits;
    }
    b[at] = 'Z';
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  /** {@code value} as {@code width} decimal digits, zero-padded, at {@code b[at]}. */
  private static void put(byte[] b, int at, int value, int width) {
    int v = value;
    for (int i = at + width - 1; i >= at; i--) {
      b[i] = (byte) ('0' + v % 10);
      v /= 10;
    }
  }
}
