package dev.usermgmt.io.table;

/**
 * One cell as read from a file: its kind and its text. Text is what a person sees in the file,
 * except that date cells read as ISO-8601 ({@code 2024-03-01}, or {@code 2024-03-01T09:30} with a
 * time) so that no day/month order has to be guessed later.
 *
 * @param kind what the file says the cell holds
 * @param text the cell's text; empty for a blank cell
 */
public record Cell(Kind kind, String text) {
  /** The blank cell. */
  public static final Cell BLANK = new Cell(Kind.BLANK, "");

  /** What a cell holds. CSV cells are always {@link #TEXT} or {@link #BLANK}. */
  public enum Kind {
    /** Nothing. */
    BLANK,
    /** Text (also a CSV cell and a formula's text result). */
    TEXT,
    /** A number, as displayed by its number format (so {@code 00123} keeps its zeros). */
    NUMBER,
    /** A date or date-time cell of a spreadsheet, as ISO-8601 text. */
    DATE,
    /** {@code TRUE} or {@code FALSE}. */
    BOOLEAN,
    /** A spreadsheet error such as {@code #N/A}. */
    ERROR
  }

  /**
   * A text cell; the empty string gives {@link #BLANK}.
   *
   * @param text the text
   * @return the cell
   */
  public static Cell text(String text) {
    return text.isEmpty() ? BLANK : new Cell(Kind.TEXT, text);
  }

  /**
   * Whether the cell has no visible content (blank, or text of only spaces).
   *
   * @return whether blank
   */
  public boolean isBlank() {
    return text.isBlank();
  }
}
