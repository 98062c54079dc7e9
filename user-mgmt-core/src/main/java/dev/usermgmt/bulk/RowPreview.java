package dev.usermgmt.bulk;

import dev.usermgmt.Problem;
import dev.usermgmt.audit.FieldDiff;
import java.util.List;
import java.util.Optional;

/**
 * The preview of one row of an update file: what will change (field, old → new), or why nothing
 * will.
 *
 * @param row the 1-based row number in the file
 * @param kind what the row will do
 * @param key the row's match key as written
 * @param user the matched user as the plan saw it
 * @param diffs the changes (for {@link Kind#CHANGED}; every field for {@link Kind#TO_CREATE})
 * @param problems every problem of the row, with its column
 */
public record RowPreview(
    long row,
    Kind kind,
    String key,
    Optional<PlannedUser> user,
    List<FieldDiff> diffs,
    List<Problem> problems) {

  /** What a row will do. */
  public enum Kind {
    /** The user will change as the diffs say. */
    CHANGED,
    /** The row matches a user and changes nothing. */
    UNCHANGED,
    /** The row has problems; nothing will be written for it. */
    ERROR,
    /** The key matches no user (and creating is off). */
    NOT_FOUND,
    /** The key matches several users. */
    AMBIGUOUS,
    /** An earlier row of the file has the same key. */
    DUPLICATE_KEY,
    /** A new user will be created. */
    TO_CREATE
  }
}
