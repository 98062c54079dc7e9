package dev.usermgmt.internal;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;

/** Text helpers shared by the feature packages. Not API. */
public final class Texts {
  private Texts() {}

  /**
   * Whether a character is white space for our purposes: Java white space, Unicode space separators
   * (no-break space included), the byte-order mark and zero-width spaces that spreadsheets leave in
   * cells.
   *
   * @param c a character
   * @return true for white space
   */
  public static boolean isSpace(char c) {
    if (c > ' ' && c < 0x7F) {
      return false; // printable ASCII, the common case, without the Unicode tables
    }
    return Character.isWhitespace(c)
        || Character.isSpaceChar(c)
        || c == '\uFEFF'
        || c == '\u200B'
        || c == '\u200C'
        || c == '\u200D'
        || c == '\u2060';
  }

  /**
   * Removes leading and trailing white space in the sense of {@link #isSpace(char)}.
   *
   * @param s text
   * @return the trimmed text
   */
  public static String trim(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isSpace(s.charAt(start))) {
      start++;
    }
    while (end > start && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return start == 0 && end == s.length() ? s : s.substring(start, end);
  }

  /**
   * The trimmed text, or empty when nothing is left.
   *
   * @param s text
   * @return non-blank trimmed text, or empty
   */
  public static Optional<String> nonBlank(String s) {
    String t = trim(s);
    return t.isEmpty() ? Optional.empty() : Optional.of(t);
  }

  /**
   * A key for case- and accent-insensitive comparison: NFKD-decomposed, combining marks removed,
   * lower-cased in the root locale.
   *
   * @param s text
   * @return the folded text
   */
  public static String fold(String s) {
    boolean ascii = true;
    for (int i = 0; i < s.length() && ascii; i++) {
      ascii = s.charAt(i) < 0x80;
    }
    if (ascii) {
      return s.toLowerCase(Locale.ROOT);
    }
    String d = Normalizer.normalize(s, Normalizer.Form.NFKD);
    StringBuilder b = new StringBuilder(d.length());
    for (int i = 0; i < d.length(); i++) {
      char c = d.charAt(i);
      if (Character.getType(c) != Character.NON_SPACING_MARK) {
        b.append(c);
      }
    }
    return b.toString().toLowerCase(Locale.ROOT);
  }

  /**
   * A key for header and word matching: folded, with every character that is not a letter or digit
   * removed ("E-mail Address" and "email_address" give the same key).
   *
   * @param s text
   * @return the compact key
   */
  public static String compactKey(String s) {
    String f = fold(s);
    StringBuilder b = new StringBuilder(f.length());
    for (int i = 0; i < f.length(); i++) {
      char c = f.charAt(i);
      if (Character.isLetterOrDigit(c)) {
        b.append(c);
      }
    }
    return b.toString();
  }

  /**
   * The spreadsheet name of a 0-based column index: {@code A}, {@code B}, … {@code Z}, {@code AA}.
   *
   * @param column the 0-based index
   * @return the letters
   */
  public static String columnName(int column) {
    StringBuilder sb = new StringBuilder();
    int c = column + 1;
    while (c > 0) {
      int rem = (c - 1) % 26;
      sb.append((char) ('A' + rem));
      c = (c - 1) / 26;
    }
    return sb.reverse().toString();
  }

  /**
   * A text cut to at most 40 characters (an ellipsis marks the cut), for messages.
   *
   * @param s the text
   * @return the text or its start
   */
  public static String clip(String s) {
    return s.length() <= 40 ? s : s.substring(0, 39) + "\u2026";
  }
}
