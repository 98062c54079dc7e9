package dev.usermgmt.bulk;

import dev.usermgmt.Problem;
import java.util.List;

/**
 * One row of an admin-console action file as the file has it: its 1-based row (line) number in the
 * file, its cells (action, username, first name, last name) and what the reader found wrong with it
 * (a cell over the length limit), which makes the row an error.
 *
 * @param row the 1-based row number in the file
 * @param cells the cell texts, first column first
 * @param problems the reader's problems, each with its row and column
 */
public record ActionRow(long row, List<String> cells, List<Problem> problems) {
  /** Copies the lists. */
  public ActionRow {
    cells = List.copyOf(cells);
    problems = List.copyOf(problems);
  }

  /**
   * A row without problems.
   *
   * @param row the 1-based row number in the file
   * @param cells the cell texts
   * @return the row
   */
  public static ActionRow of(long row, List<String> cells) {
    return new ActionRow(row, cells, List.of());
  }
}
