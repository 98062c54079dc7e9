package dev.usermgmt.io.table;

import java.util.Arrays;

/**
 * The fields of one CSV record as both CSV parsers collect them: non-empty texts by column, the
 * record's width up to its last non-empty field, empty fields before it as empty texts.
 */
final class TextFields {
  private static final String[] NONE = new String[0];
  private String[] fields = new String[16];
  private int width;

  /** Starts a record. */
  void clear() {
    width = 0;
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
