package dev.usermgmt.bulk;

import dev.usermgmt.Problem;
import dev.usermgmt.internal.FieldValues;
import java.util.List;
import java.util.Map;

/**
 * One row of an update file, after column mapping: its 1-based row number in the file, its cells by
 * field key ({@code displayName}, {@code primaryEmail}, {@code attributes.level}…) as text, the
 * file column each field was read from, and the problems found while reading its cells.
 *
 * <p>The plan reports each problem once, with both the field and the file column: a cell with a
 * problem here is not parsed again, and problems the plan finds name the file column from {@link
 * #columns} (the field key when the row has no column for it).
 *
 * @param row the 1-based row number in the file
 * @param cells cell text by field key
 * @param columns the file column (e.g. {@code "C"}) of each field key; rows of one file may share
 *     one map
 * @param problems problems the reader or the value parsers found in the row's cells, each with its
 *     field
 */
public record UpdateRow(
    long row, Map<String, String> cells, Map<String, String> columns, List<Problem> problems) {
  /** Copies the cells, keeping their order. */
  public UpdateRow {
    cells = FieldValues.copyOf(cells);
    columns = FieldValues.copyOf(columns);
    problems = List.copyOf(problems);
  }

  /**
   * A row without file columns or problems (the column of a problem is then its field key).
   *
   * @param row the 1-based row number
   * @param cells cell text by field key
   */
  public UpdateRow(long row, Map<String, String> cells) {
    this(row, cells, Map.of(), List.of());
  }

  /**
   * The file column of a field, or the field key when the row does not know it.
   *
   * @param field a field key
   * @return the column name
   */
  public String column(String field) {
    return columns.getOrDefault(field, field);
  }
}
