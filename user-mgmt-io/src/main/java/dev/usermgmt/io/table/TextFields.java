package dev.usermgmt.io.table;

import dev.usermgmt.Problem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fields of one CSV record as both CSV parsers collect them: non-empty texts by column, the
 * record's width up to its last non-empty field, empty fields before it as empty texts.
 */
final class TextFields {
  private static final String[] NONE = new String[0];
  private String[] fields = new String[16];
  private int width;
  private List<Problem> problems = List.of();

  /** Starts a record. */
  void clear() {
    width = 0;
    problems = List.of();
  }

  /**
   * Sets a column's text, cut to the cell limit with the row's problem when longer (or refuses the
   * file in strict mode); empty text is skipped.
   */
  void set(long row, int column, String text, ReadOptions options) {
    if (text.length() > options.maxCellLength()) {
      Problem p = Readers.RowBuilder.cellTooLong(row, column, text.length(), options);
      if (problems.isEmpty()) {
        problems = new ArrayList<>();
      }
      problems.add(p);
      text = text.substring(0, options.maxCellLength());
    }
    if (!text.isEmpty()) {
      set(column, text);
    }
  }

  /** The problems of the record last built; taken once. */
  List<Problem> takeProblems() {
    List<Problem> out = problems;
    problems = List.of();
    return out;
  }

  /**
   * A row of a record's texts, or null when the record is blank or only white space (and has no
   * problem).
   */
  static @org.jspecify.annotations.Nullable TableRow row(
      long number, String[] texts, List<Problem> problems) {
    if (problems.isEmpty()) {
      boolean blank = true;
      for (String t : texts) {
        if (!t.isBlank()) {
          blank = false;
          break;
        }
      }
      if (blank) {
        return null;
      }
    }
    return TableRow.ofTexts(number, texts).withProblems(problems);
  }

  /** Sets a column's non-empty text; columns come in increasing order. */
  void set(int column, String text) {
    if (column >= fields.length) {
      fields = Arrays.copyOf(fields, Math.max(column + 1, fields.length * 2));
    }
    for (int i = width; i < column; i++) {
      fields[i] = "";
    }
    fields[column] = text;
    width = column + 1;
  }

  /** The record's texts up to its last non-empty field; none for a blank record. */
  String[] toArray() {
    return width == 0 ? NONE : Arrays.copyOf(fields, width);
  }
}
