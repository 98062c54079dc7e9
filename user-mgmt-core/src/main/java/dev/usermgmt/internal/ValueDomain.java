package dev.usermgmt.internal;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.Problem;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The one value model: the exact domain of every field and custom attribute type, stated once and
 * enforced by the domain types ({@code User}, {@code EmailAddress}, {@code AttributeValue}, {@code
 * Group}, filter literals), so that what the library accepts every store holds, returns unchanged,
 * compares and orders identically, and what no store can hold is refused up front as invalid input
 * naming the field. The schema's column sizes follow from it (migration V4). Not API.
 *
 * <ul>
 *   <li><b>Code points</b>: the characters of XML 1.0 — tab, line feed, carriage return, U+0020 to
 *       U+D7FF, U+E000 to U+FFFD and U+10000 to U+10FFFF. Lone surrogates (which PostgreSQL and
 *       MariaDB turn into {@code ?}), NUL (which PostgreSQL refuses), the other C0 controls and
 *       U+FFFE / U+FFFF are refused.
 *   <li><b>Text lengths</b> in UTF-16 units ({@link String#length()}, never fewer than code
 *       points): a text field at most {@link #MAX_TEXT}, a module or group name at most {@link
 *       #MAX_NAME}, a custom text attribute at most {@link #MAX_CUSTOM_TEXT}, an e-mail address at
 *       most 254 octets. The folded key of each (lower case, accents removed, compatibility
 *       characters decomposed, which can lengthen a text) is held whole by its column: a value
 *       whose key outgrows the limit is refused, so no search key is ever cut.
 *   <li><b>Numbers</b>: exact decimals with at most {@link #MAX_INTEGER_DIGITS} digits before the
 *       point and {@link #MAX_FRACTION_DIGITS} after it (trailing zeros dropped), the columns
 *       {@code DECIMAL(65,30)} on every database: {@code 0.30000000000000004} is stored and
 *       compared exactly.
 *   <li><b>Dates</b>: {@link #MIN_DATE} to {@link #MAX_DATE}, years 1 to 9999.
 *   <li><b>Instants</b>: {@link #MIN_INSTANT} to {@link #MAX_INSTANT} with nanoseconds, inside the
 *       nanoseconds since the epoch that a signed 64-bit column holds (1677-09-21 to 2262-04-11).
 * </ul>
 */
public final class ValueDomain {
  /** The longest standard text field (names, job title, department…), in UTF-16 units. */
  public static final int MAX_TEXT = 500;

  /** The longest module, group, grant or revocation name, in UTF-16 units. */
  public static final int MAX_NAME = 200;

  /** The longest custom text attribute, in UTF-16 units. */
  public static final int MAX_CUSTOM_TEXT = 2000;

  /** The longest folded key of an e-mail address (the columns hold 320). */
  public static final int MAX_EMAIL_KEY = 320;

  /** The most digits a number has before the decimal point. */
  public static final int MAX_INTEGER_DIGITS = 35;

  /** The most digits a number has after the decimal point. */
  public static final int MAX_FRACTION_DIGITS = 30;

  /** The earliest date. */
  public static final LocalDate MIN_DATE = LocalDate.of(1, 1, 1);

  /** The latest date. */
  public static final LocalDate MAX_DATE = LocalDate.of(9999, 12, 31);

  /** The earliest instant. */
  public static final Instant MIN_INSTANT = Instant.parse("1678-01-01T00:00:00Z");

  /** The latest instant. */
  public static final Instant MAX_INSTANT = Instant.parse("2261-12-31T23:59:59.999999999Z");

  private ValueDomain() {}

  /**
   * Whether a code point is allowed in text: a character of XML 1.0.
   *
   * @param cp a code point
   * @return true when allowed
   */
  public static boolean allowed(int cp) {
    if (cp < 0x20) {
      return cp == '\t' || cp == '\n' || cp == '\r';
    }
    if (cp < 0xD800) {
      return true;
    }
    if (cp < 0xE000) {
      return false; // surrogates: only in pairs, read as one supplementary code point
    }
    return cp <= 0xFFFD || (cp >= 0x10000 && cp <= 0x10FFFF);
  }

  /**
   * Why a text's characters are outside the domain, or empty when they are all allowed.
   *
   * @param text a text
   * @return the reason, naming the first refused character and its position
   */
  public static Optional<String> characterProblem(String text) {
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      if (!allowed(cp)) {
        String what =
            Character.isSurrogate((char) cp)
                ? "a lone surrogate"
                : cp == 0 ? "NUL" : "the control character";
        return Optional.of(
            String.format(
                "contains %s U+%04X at position %d (text may hold tab, line feed, carriage"
                    + " return and any other character except controls, lone surrogates,"
                    + " U+FFFE and U+FFFF)",
                what, cp, i + 1));
      }
      i += Character.charCount(cp);
    }
    return Optional.empty();
  }

  /**
   * Checks a text against its domain: allowed characters, at most {@code max} UTF-16 units, and a
   * folded key of at most {@code max} units.
   *
   * @param field the field the problem names
   * @param text the text
   * @param max the longest text and folded key
   * @return the problem, or empty when the text fits
   */
  public static Optional<Problem> text(String field, String text, int max) {
    Optional<String> chars = characterProblem(text);
    if (chars.isPresent()) {
      return Optional.of(problem(field, field + " " + chars.get()));
    }
    if (text.length() > max) {
      return Optional.of(
          problem(
              field,
              field
                  + " is "
                  + text.length()
                  + " characters long; at most "
                  + max
                  + " are allowed"));
    }
    if (!isAscii(text)) {
      int folded = Texts.fold(text).length();
      if (folded > max) {
        return Optional.of(
            problem(
                field,
                field
                    + " is "
                    + folded
                    + " characters long once folded for search (compatibility characters"
                    + " such as ligatures decompose); at most "
                    + max
                    + " are allowed"));
      }
    }
    return Optional.empty();
  }

  /**
   * Checks every text of a set (modules, groups…) against {@link #MAX_NAME}.
   *
   * @param field the field the problem names
   * @param texts the texts
   * @param out where the problems go
   */
  public static void names(String field, Collection<String> texts, List<Problem> out) {
    for (String t : texts) {
      Optional<Problem> p = text(field, t, MAX_NAME);
      if (p.isPresent()) {
        out.add(p.get());
      }
    }
  }

  /**
   * Checks a number against the decimal domain.
   *
   * @param field the field the problem names
   * @param n the number
   * @return the problem, or empty when the number fits
   */
  public static Optional<Problem> number(String field, BigDecimal n) {
    return ofField(field, numberProblem(n));
  }

  /**
   * Why a number is outside the decimal domain, or empty when it fits.
   *
   * @param n a number
   * @return the reason
   */
  public static Optional<String> numberProblem(BigDecimal n) {
    if (n.signum() == 0) {
      return Optional.empty();
    }
    // the exponent of the leading digit, in long arithmetic: a number like 1E2147483647 is judged
    // by it before any step that would overflow the scale or spell out its digits
    long leading = (long) n.precision() - n.scale();
    if (leading > MAX_INTEGER_DIGITS) {
      return Optional.of(tooManyIntegerDigits());
    }
    if (leading < -MAX_FRACTION_DIGITS) {
      return Optional.of(tooManyFractionDigits());
    }
    BigDecimal s = n.stripTrailingZeros();
    int fraction = Math.max(0, s.scale());
    // digits before the point: precision minus scale (may be negative for 0.00x, then 0)
    long integer = (long) s.precision() - s.scale();
    if (integer > MAX_INTEGER_DIGITS) {
      return Optional.of(tooManyIntegerDigits());
    }
    if (fraction > MAX_FRACTION_DIGITS) {
      return Optional.of(tooManyFractionDigits());
    }
    return Optional.empty();
  }

  private static String tooManyIntegerDigits() {
    return "has more than "
        + MAX_INTEGER_DIGITS
        + " digits before the decimal point (numbers are exact decimals of at most "
        + MAX_INTEGER_DIGITS
        + " integer and "
        + MAX_FRACTION_DIGITS
        + " fraction digits)";
  }

  private static String tooManyFractionDigits() {
    return "has more than "
        + MAX_FRACTION_DIGITS
        + " digits after the decimal point (numbers are exact decimals of at most "
        + MAX_INTEGER_DIGITS
        + " integer and "
        + MAX_FRACTION_DIGITS
        + " fraction digits)";
  }

  /**
   * A number of the decimal domain read from a cell's text: the one reading every number cell of a
   * file goes through (the upload's mapping and the bulk engine's cells), so that both read a cell
   * alike and no text makes a later step overflow the scale ({@code 1E2147483647}) or write out a
   * hundred million digits ({@code 1e100000000}). White space (a no-break space too) is ignored;
   * with both a comma and a dot the last of them is the decimal mark and the other groups digits
   * ({@code 1,234.5}, {@code 1.234,5}); a comma alone is the decimal mark ({@code 1,5}); an
   * exponent may follow.
   *
   * @param text the cell's text
   * @return the number
   * @throws NumberFormatException when the text is no number, or names one outside the domain; the
   *     message says which, to follow the text in a problem ({@code "'1e99' has more than …"})
   */
  public static BigDecimal decimal(String text) {
    String t = com.google.common.base.CharMatcher.whitespace().removeFrom(Texts.trim(text));
    if (t.indexOf(',') >= 0 && t.indexOf('.') >= 0) {
      char mark = t.lastIndexOf(',') > t.lastIndexOf('.') ? ',' : '.';
      char group = mark == ',' ? '.' : ',';
      t = t.replace(String.valueOf(group), "").replace(mark, '.');
    } else {
      t = t.replace(',', '.');
    }
    BigDecimal n;
    try {
      n = new BigDecimal(t);
    } catch (NumberFormatException e) {
      throw new NumberFormatException("is not a number");
    }
    Optional<String> problem = numberProblem(n);
    if (problem.isPresent()) {
      throw new NumberFormatException(problem.get());
    }
    return n;
  }

  /**
   * Checks a date against {@link #MIN_DATE} and {@link #MAX_DATE}.
   *
   * @param field the field the problem names
   * @param d the date
   * @return the problem, or empty when the date fits
   */
  public static Optional<Problem> date(String field, LocalDate d) {
    return ofField(field, dateProblem(d));
  }

  /**
   * Why a date is outside the domain, or empty when it fits.
   *
   * @param d a date
   * @return the reason
   */
  public static Optional<String> dateProblem(LocalDate d) {
    if (d.isBefore(MIN_DATE) || d.isAfter(MAX_DATE)) {
      return Optional.of("is outside the dates " + MIN_DATE + " to " + MAX_DATE);
    }
    return Optional.empty();
  }

  /**
   * Checks an instant against {@link #MIN_INSTANT} and {@link #MAX_INSTANT}.
   *
   * @param field the field the problem names
   * @param t the instant
   * @return the problem, or empty when the instant fits
   */
  public static Optional<Problem> instant(String field, Instant t) {
    return ofField(field, instantProblem(t));
  }

  /**
   * A field's problem from the reason its value is refused. Not a capturing lambda over {@code
   * map}: these checks run for every field of every user built, and a value that fits allocates
   * nothing.
   */
  private static Optional<Problem> ofField(String field, Optional<String> reason) {
    return reason.isEmpty()
        ? Optional.empty()
        : Optional.of(problem(field, field + " " + reason.get()));
  }

  /**
   * Why an instant is outside the domain, or empty when it fits.
   *
   * @param t an instant
   * @return the reason
   */
  public static Optional<String> instantProblem(Instant t) {
    if (t.isBefore(MIN_INSTANT) || t.isAfter(MAX_INSTANT)) {
      return Optional.of("is outside the times " + MIN_INSTANT + " to " + MAX_INSTANT);
    }
    return Optional.empty();
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private static Problem problem(String field, String message) {
    return Problem.ofField(ErrorCode.INVALID_VALUE, field, message);
  }
}
