package dev.usermgmt.io.table;

import java.util.List;

/**
 * One row of a table: its 1-based row number in the file (the spreadsheet's row number; for CSV,
 * the record number, counting the header), its cells from the first column, and whether a
 * spreadsheet hides it. Trailing blank cells are dropped, so rows of one file may differ in width.
 *
 * @param number the 1-based row number
 * @param cells the cells, first column first
 * @param hidden whether the row is hidden in the spreadsheet
 */
public record TableRow(long number, List<Cell> cells, boolean hidden) {
  /** Copies the cells. */
  public TableRow {
    cells = List.copyOf(cells);
  }

  /**
   * The text of a column, or empty beyond the row's last cell.
   *
   * @param column the 0-based column index
   * @return the text
   */
  public String text(int column) {
    return column < cells.size() ? cells.get(column).text() : "";
  }

  /**
   * The cell of a column, or {@link Cell#BLANK} beyond the row's last cell.
   *
   * @param column the 0-based column index
   * @return the cell
   */
  public Cell cell(int column) {
    return column < cells.size() ? cells.get(column) : Cell.BLANK;
  }

  /**
   * The texts of all cells.
   *
   * @return the texts
   */
  public List<String> texts() {
    return cells.stream().map(Cell::text).toList();
  }

  /**
   * Whether every cell is blank.
   *
   * @return whether the row is blank
   */
  public boolean isBlank() {
    return cells.stream().allMatch(Cell::isBlank);
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
}
