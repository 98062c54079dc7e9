package dev.usermgmt.bulk;

import dev.usermgmt.Problem;
import dev.usermgmt.internal.FieldValues;
import java.util.List;
import java.util.Map;

/**
 * One row of an update file, after column mapping: its 1-based row number in the file and its cells
 * by field key ({@code displayName}, {@code primaryEmail}, {@code attributes.level}…), as text.
 *
 * @param row the 1-based row number in the file
 * @param cells cell text by field key
 * @param problems what makes the row invalid as the file has it (more cells than the header, a cell
 *     over the length limit), each with its row and column; a row with problems is previewed as an
 *     error with them and never applied
 */
public record UpdateRow(long row, Map<String, String> cells, List<Problem> problems) {
  /** Copies the cells, keeping their order, and the problems. */
  public UpdateRow {
    cells = FieldValues.copyOf(cells);
    problems = List.copyOf(problems);
  }

  /**
   * A row as the file has it, without problems.
   *
   * @param row the 1-based row number in the file
   * @param cells cell text by field key
   */
  public UpdateRow(long row, Map<String, String> cells) {
    this(row, cells, List.of());
  }
}
