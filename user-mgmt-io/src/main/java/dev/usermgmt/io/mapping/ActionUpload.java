package dev.usermgmt.io.mapping;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.bulk.ActionRow;
import dev.usermgmt.io.table.Cell;
import dev.usermgmt.io.table.TableReader;
import dev.usermgmt.io.table.TableRow;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * An admin-console action file (add-user, remove-user, update; username, first name, last name) as
 * the rows {@link dev.usermgmt.bulk.BulkEngine#planActionRows} takes, each with the file's own row
 * number (blank rows are skipped, so counting rows would be wrong after one); whether the first row
 * is a header is the caller's checkbox, as in the reference.
 */
public final class ActionUpload {
  private ActionUpload() {}

  /**
   * Every non-blank row with its file row number and the reader's problems.
   *
   * @param reader the open file (not closed here)
   * @return the rows, in file order
   * @throws InvalidInputException {@code no_data} when every row is blank
   */
  public static List<ActionRow> read(TableReader reader) {
    List<ActionRow> out;
    try (Stream<TableRow> s = reader.rows()) {
      out = s.map(r -> new ActionRow(r.number(), r.texts(), problems(r))).toList();
    }
    if (out.isEmpty()) {
      throw new InvalidInputException(
          Problem.of(ErrorCode.NO_DATA, "the file has no data: every row is blank"));
    }
    return out;
  }

  /** The reader's problems of a row, and one for each cell holding a spreadsheet error. */
  private static List<Problem> problems(TableRow r) {
    List<Problem> out = null;
    for (int c = 0; c < r.width(); c++) {
      if (r.kind(c) == Cell.Kind.ERROR) {
        if (out == null) {
          out = new ArrayList<>(r.problems());
        }
        out.add(
            Problem.builder()
                .from(ValueParsers.errorCell("", r.text(c)))
                .row(r.number())
                .column(TableRow.columnName(c))
                .build());
      }
    }
    return out == null ? r.problems() : out;
  }

  /**
   * Every row's cell texts, without their row numbers (prefer {@link #read}).
   *
   * @param reader the open file (not closed here)
   * @return the rows, in file order
   */
  public static List<List<String>> rows(TableReader reader) {
    try (Stream<TableRow> s = reader.rows()) {
      return s.map(TableRow::texts).toList();
    }
  }
}
