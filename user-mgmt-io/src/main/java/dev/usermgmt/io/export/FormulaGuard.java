package dev.usermgmt.io.export;

/**
 * Neutralises spreadsheet formula injection ("CSV injection", OWASP): a text cell whose first
 * character is {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return could be run
 * as a formula by the spreadsheet program that opens the file, so the exporters prefix it with a
 * single quote, which spreadsheet programs show as text. The rule is reversible: a value that
 * already starts with quotes followed by one of those characters gets one quote more, and {@link
 * #recover} removes exactly one. The importers recover every cell, so an exported file re-imports
 * unchanged.
 *
 * @see <a href="https://owasp.org/www-community/attacks/CSV_Injection">OWASP: CSV Injection</a>
 */
public final class FormulaGuard {
  private FormulaGuard() {}

  private static boolean trigger(char c) {
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
  }

  /** Whether the text, after any leading quotes, starts with a formula trigger. */
  private static boolean guarded(String text) {
    int i = 0;
    while (i < text.length() && text.charAt(i) == '\'') {
      i++;
    }
    return i < text.length() && trigger(text.charAt(i));
  }

  /**
   * The text as it is safe to write into a text cell.
   *
   * @param text the value
   * @return the value, quoted when it could run as a formula
   */
  public static String neutralise(String text) {
    return guarded(text) ? "'" + text : text;
  }

  /**
   * The value a neutralised cell held.
   *
   * @param text a cell's text
   * @return the text without the quote {@link #neutralise} added
   */
  public static String recover(String text) {
    return !text.isEmpty() && text.charAt(0) == '\'' && guarded(text) ? text.substring(1) : text;
  }
}
