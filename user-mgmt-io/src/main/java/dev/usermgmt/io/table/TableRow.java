package dev.usermgmt.io.table;

import dev.usermgmt.Problem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One row of a table: its 1-based row number in the file (the spreadsheet's row number; for CSV,
 * the record number, counting the header), its cells from the first column, and whether a
 * spreadsheet hides it. Trailing blank cells are dropped, so rows of one file may differ in width.
 * Immutable. A row may carry {@link #problems()} the reader found in it (a cell longer than {@link
 * ReadOptions#maxCellLength()}): such a row is invalid, the rows around it are read as usual.
 *
 * <p>A row keeps its cells as texts and kinds, not as {@link Cell} objects, so that reading a
 * million-row CSV does not make a million times eight cells: read one column with {@link
 * #text(int)} and {@link #kind(int)}; {@link #cell(int)} and {@link #cells()} build cells.
 */
public final class TableRow {
  /** The kinds of a row whose cells are all text or blank (a CSV row). */
  private static final Cell.Kind[] ALL_TEXT = new Cell.Kind[0];

  private final long number;
  private final String[] texts;
  private final Cell.Kind[] kinds;
  private final boolean hidden;
  private final List<Problem> problems;

  private TableRow(
      long number, String[] texts, Cell.Kind[] kinds, boolean hidden, List<Problem> problems) {
    this.number = number;
    this.texts = texts;
    this.kinds = kinds;
    this.hidden = hidden;
    this.problems = problems;
  }

  /**
   * A row of the given cells (copied).
   *
   * @param number the 1-based row number
   * @param cells the cells, first column first
   * @param hidden whether the row is hidden in the spreadsheet
   */
  public TableRow(long number, List<Cell> cells, boolean hidden) {
    this(number, new String[cells.size()], new Cell.Kind[cells.size()], hidden, List.of());
    for (int i = 0; i < texts.length; i++) {
      Cell c = cells.get(i);
      texts[i] = c.text();
      kinds[i] = c.kind();
    }
  }

  /** A row of the first {@code width} cells of an array (copied). */
  static TableRow of(long number, Cell[] cells, int width, boolean hidden) {
    return new TableRow(number, Arrays.asList(cells).subList(0, width), hidden);
  }

  /**
   * A row of text cells (empty text is a blank cell), taking the array: the caller must not change
   * it afterwards.
   */
  static TableRow ofTexts(long number, String[] texts) {
    return new TableRow(number, texts, ALL_TEXT, false, List.of());
  }

  /**
   * This row with problems the reader found in it.
   *
   * @param found the problems, each with this row's number and its column
   * @return a row with the same cells and these problems added
   */
  public TableRow withProblems(List<Problem> found) {
    if (found.isEmpty()) {
      return this;
    }
    List<Problem> all = new ArrayList<>(problems);
    all.addAll(found);
    return new TableRow(number, texts, kinds, hidden, List.copyOf(all));
  }

  /**
   * What makes this row invalid as read (a cell over the length limit, kept cut to the limit); the
   * row's other cells are as in the file.
   *
   * @return the problems, empty for a row read as it is
   */
  public List<Problem> problems() {
    return problems;
  }

  /**
   * The 1-based row number in the file.
   *
   * @return the number
   */
  public long number() {
    return number;
  }

  /**
   * Whether a spreadsheet hides the row.
   *
   * @return whether hidden
   */
  public boolean hidden() {
    return hidden;
  }

  /**
   * How many cells the row has, up to its last non-blank one.
   *
   * @return the width
   */
  public int width() {
    return texts.length;
  }

  /**
   * The text of a column, or empty beyond the row's last cell.
   *
   * @param column the 0-based column index
   * @return the text
   */
  public String text(int column) {
    return column < texts.length ? texts[column] : "";
  }

  /**
   * The kind of a column's cell, {@link Cell.Kind#BLANK} beyond the row's last cell.
   *
   * @param column the 0-based column index
   * @return the kind
   */
  public Cell.Kind kind(int column) {
    if (column >= texts.length) {
      return Cell.Kind.BLANK;
    }
    if (kinds == ALL_TEXT) {
      return texts[column].isEmpty() ? Cell.Kind.BLANK : Cell.Kind.TEXT;
    }
    return kinds[column];
  }

  /**
   * The cell of a column, or {@link Cell#BLANK} beyond the row's last cell.
   *
   * @param column the 0-based column index
   * @return the cell
   */
  public Cell cell(int column) {
    Cell.Kind kind = kind(column);
    return kind == Cell.Kind.BLANK && text(column).isEmpty()
        ? Cell.BLANK
        : new Cell(kind, texts[column]);
  }

  /**
   * The cells, first column first.
   *
   * @return a new list of the cells
   */
  public List<Cell> cells() {
    List<Cell> out = new ArrayList<>(texts.length);
    for (int i = 0; i < texts.length; i++) {
      out.add(cell(i));
    }
    return List.copyOf(out);
  }

  /**
   * The texts of all cells.
   *
   * @return the texts
   */
  public List<String> texts() {
    return List.of(texts);
  }

  /**
   * Whether every cell is blank or only white space (readers skip such rows).
   *
   * @return whether the row is blank
   */
  public boolean isBlank() {
    for (String t : texts) {
      if (!t.isBlank()) {
        return false;
      }
    }
    return true;
  }

  /**
   * The spreadsheet name of a 0-based column index: {@code A}, {@code B}, … {@code Z}, {@code AA}.
   *
   * @param column the 0-based index
   * @return the letters
   */
  public static String columnName(int column) {
    return dev.usermgmt.internal.Texts.columnName(column);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof TableRow r)
        || r.number != number
        || r.hidden != hidden
        || !r.problems.equals(problems)
        || !Arrays.equals(r.texts, texts)) {
      return false;
    }
    for (int i = 0; i < texts.length; i++) {
      if (r.kind(i) != kind(i)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(number) * 31 + Arrays.hashCode(texts) + (hidden ? 1 : 0);
  }

  @Override
  public String toString() {
    return "TableRow[number="
        + number
        + ", cells="
        + cells()
        + ", hidden="
        + hidden
        + (problems.isEmpty() ? "" : ", problems=" + problems)
        + "]";
  }
}
