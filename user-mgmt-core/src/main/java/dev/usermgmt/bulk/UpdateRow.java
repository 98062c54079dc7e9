package dev.usermgmt.bulk;

import dev.usermgmt.internal.FieldValues;
import java.util.Map;

/**
 * One row of an update file, after column mapping: its 1-based row number in the file and its cells
 * by field key ({@code displayName}, {@code primaryEmail}, {@code attributes.level}…), as text.
 *
 * @param row the 1-based row number in the file
 * @param cells cell text by field key
 */
public record UpdateRow(long row, Map<String, String> cells) {
  /** Copies the cells, keeping their order. */
  public UpdateRow {
    cells = FieldValues.copyOf(cells);
  }
}
