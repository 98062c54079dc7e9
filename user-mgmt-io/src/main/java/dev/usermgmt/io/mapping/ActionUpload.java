package dev.usermgmt.io.mapping;

import dev.usermgmt.io.table.TableReader;
import dev.usermgmt.io.table.TableRow;
import java.util.List;
import java.util.stream.Stream;

/**
 * An admin-console action file (add-user, remove-user, update; username, first name, last name) as
 * the rows {@link dev.usermgmt.bulk.BulkEngine#planActionImport} takes; whether the first row is a
 * header is the caller's checkbox, as in the reference.
 */
public final class ActionUpload {
  private ActionUpload() {}

  /**
   * Every row's cell texts.
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
