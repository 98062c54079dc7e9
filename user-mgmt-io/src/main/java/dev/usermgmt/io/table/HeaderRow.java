package dev.usermgmt.io.table;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.Problem;
import dev.usermgmt.internal.Texts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A table's header row: each column's name (trimmed) and the problems a person should fix before
 * mapping — blank names between named columns and names used twice (compared ignoring case and
 * spacing), each with its row and column.
 *
 * @param row the header's row number
 * @param names each column's trimmed name; blank for a blank header
 * @param problems blank and duplicate headers
 */
public record HeaderRow(long row, List<String> names, List<Problem> problems) {
  /** Copies the lists. */
  public HeaderRow {
    names = List.copyOf(names);
    problems = List.copyOf(problems);
  }

  /**
   * Reads a row as the header.
   *
   * @param row the row
   * @return the header with its problems
   */
  public static HeaderRow of(TableRow row) {
    List<String> names = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < row.width(); i++) {
      String name = Texts.trim(row.text(i));
      names.add(name);
      String column = TableRow.columnName(i);
      if (name.isEmpty()) {
        problems.add(
            Problem.builder()
                .code(ErrorCode.INVALID_HEADER_ROW)
                .row(row.number())
                .column(column)
                .message("column " + column + " has no header")
                .build());
        continue;
      }
      Integer before = seen.putIfAbsent(Texts.compactKey(name), i);
      if (before != null) {
        problems.add(
            Problem.builder()
                .code(ErrorCode.INVALID_HEADER_ROW)
                .row(row.number())
                .column(column)
                .message(
                    "header '"
                        + name
                        + "' of column "
                        + column
                        + " repeats column "
                        + TableRow.columnName(before))
                .build());
      }
    }
    return new HeaderRow(row.number(), names, problems);
  }

  /**
   * The index of a column by name, ignoring case and spacing, or -1.
   *
   * @param name the name
   * @return the 0-based index or -1
   */
  public int indexOf(String name) {
    String key = Texts.compactKey(name);
    for (int i = 0; i < names.size(); i++) {
      if (Texts.compactKey(names.get(i)).equals(key)) {
        return i;
      }
    }
    return -1;
  }
}
