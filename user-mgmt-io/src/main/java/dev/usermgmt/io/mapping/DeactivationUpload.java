package dev.usermgmt.io.mapping;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.bulk.BulkLimits;
import dev.usermgmt.bulk.DeactivationRequest;
import dev.usermgmt.io.export.FormulaGuard;
import dev.usermgmt.io.table.HeaderRow;
import dev.usermgmt.io.table.TableReader;
import dev.usermgmt.io.table.TableRow;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A "Deactivate Users from Excel/CSV" file (reference wizard steps 1 and 2): the first row is the
 * header, the e-mail column is detected, and the chosen column becomes the dry run's request. Files
 * hold at most {@link BulkLimits#maxEmails()} data rows, so the whole file is read at once.
 */
public final class DeactivationUpload {
  private final HeaderRow header;
  private final List<TableRow> rows;
  private final EmailColumns columns;
  private final int width; // the widest row: data rows may reach past the header

  private DeactivationUpload(HeaderRow header, List<TableRow> rows) {
    this.header = header;
    this.rows = List.copyOf(rows);
    this.columns = EmailColumns.detect(header, rows);
    int w = Math.max(header.names().size(), 1);
    for (TableRow r : rows) {
      w = Math.max(w, r.width());
    }
    this.width = w;
  }

  /**
   * Reads a file.
   *
   * @param reader the open file (not closed here)
   * @param limits the bulk limits: more than {@code maxEmails} data rows is refused
   * @return the upload
   * @throws InvalidInputException {@code limit_exceeded} for too many rows, {@code invalid_file}
   *     for a file without rows
   */
  public static DeactivationUpload read(TableReader reader, BulkLimits limits) {
    try (Stream<TableRow> s = reader.rows()) {
      Iterator<TableRow> it = s.iterator();
      if (!it.hasNext()) {
        throw new InvalidInputException(
            Problem.of(ErrorCode.NO_DATA, "the file has no data: every row is blank"));
      }
      HeaderRow header = HeaderRow.of(it.next());
      List<TableRow> rows = new ArrayList<>();
      while (it.hasNext()) {
        TableRow r = it.next();
        if (rows.size() == limits.maxEmails()) {
          throw new InvalidInputException(
              Problem.builder()
                  .code(ErrorCode.LIMIT_EXCEEDED)
                  .row(r.number())
                  .message(
                      "the file has more than "
                          + limits.maxEmails()
                          + " rows; deactivate at most "
                          + limits.maxEmails()
                          + " users per file")
                  .build());
        }
        rows.add(r);
      }
      return new DeactivationUpload(header, rows);
    }
  }

  /**
   * The header row.
   *
   * @return the header
   */
  public HeaderRow header() {
    return header;
  }

  /**
   * The columns that look like e-mail addresses.
   *
   * @return the candidates; one is chosen without asking
   */
  public EmailColumns emailColumns() {
    return columns;
  }

  /**
   * The request from the only e-mail column.
   *
   * @param allowInternalEmails whether internal addresses may be deactivated
   * @return the request
   * @throws EmailColumnChoiceException when several columns hold addresses (with them as data)
   * @throws InvalidInputException when no column holds addresses
   */
  public DeactivationRequest request(boolean allowInternalEmails) {
    return request(columns.require().index(), allowInternalEmails);
  }

  /**
   * The rows the reader found invalid (a cell over the length limit), each problem with its row and
   * column; their cells are not in any request.
   *
   * @return the problems, in file order
   */
  public List<Problem> problems() {
    List<Problem> out = new ArrayList<>();
    rows.forEach(r -> out.addAll(r.problems()));
    return List.copyOf(out);
  }

  /**
   * The request from a chosen column: every non-blank cell, valid or not, with its file row (the
   * dry run lists the invalid, repeated and internal ones with their rows).
   *
   * @param column the 0-based column index
   * @param allowInternalEmails whether internal addresses may be deactivated
   * @return the request
   */
  public DeactivationRequest request(int column, boolean allowInternalEmails) {
    if (column < 0 || column >= width) {
      throw new InvalidInputException(
          Problem.of(
              ErrorCode.UNKNOWN_COLUMN, "no column " + TableRow.columnName(Math.max(column, 0))));
    }
    List<String> emails = new ArrayList<>();
    List<Long> numbers = new ArrayList<>();
    for (TableRow r : rows) {
      if (!r.problems().isEmpty()) {
        continue;
      }
      String t = FormulaGuard.recover(r.text(column)).strip();
      if (!t.isEmpty()) {
        emails.add(t);
        numbers.add(r.number());
      }
    }
    return new DeactivationRequest(emails, allowInternalEmails, numbers);
  }
}
