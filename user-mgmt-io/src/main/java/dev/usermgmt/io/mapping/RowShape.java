package dev.usermgmt.io.mapping;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.Problem;
import dev.usermgmt.internal.Texts;
import dev.usermgmt.io.table.TableRow;
import java.util.ArrayList;
import java.util.List;

/** What makes a row invalid as the file has it: the reader's problems and cells past the header. */
final class RowShape {
  private RowShape() {}

  /**
   * The row's problems: the reader's (a cell over the length limit) and, when it has non-blank
   * cells past the header's last column, one {@code extra_cells} problem naming each of them.
   */
  static List<Problem> problems(TableRow row, int headerWidth) {
    List<Problem> out = row.problems();
    if (row.width() <= headerWidth) {
      return out;
    }
    StringBuilder found = new StringBuilder();
    String firstColumn = "";
    int count = 0;
    for (int c = headerWidth; c < row.width(); c++) {
      String text = row.text(c);
      if (text.isBlank()) {
        continue;
      }
      String column = TableRow.columnName(c);
      if (count++ == 0) {
        firstColumn = column;
      } else {
        found.append(", ");
      }
      found.append(column).append(row.number()).append(" '").append(Texts.clip(text)).append('\'');
    }
    if (count == 0) {
      return out;
    }
    List<Problem> all = new ArrayList<>(out);
    all.add(
        Problem.builder()
            .code(ErrorCode.EXTRA_CELLS)
            .row(row.number())
            .column(firstColumn)
            .message(
                "row "
                    + row.number()
                    + " has "
                    + count
                    + (count == 1 ? " cell" : " cells")
                    + " past the header's "
                    + headerWidth
                    + " columns: "
                    + found
                    + "; a value with the delimiter in it must be in double quotes")
            .build());
    return all;
  }
}
