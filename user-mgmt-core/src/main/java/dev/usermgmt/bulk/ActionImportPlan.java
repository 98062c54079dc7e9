package dev.usermgmt.bulk;

import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.audit.FieldDiff;
import dev.usermgmt.internal.service.Seals;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The dry run of an admin-console action file ({@code add-user}, {@code remove-user}, {@code
 * update} rows: action, username, first name, last name), in file order: a row may act on a user an
 * earlier row adds. The reference applies such files at once; here they are previewed first and can
 * be undone.
 *
 * @param id the plan id
 * @param tenant the tenant
 * @param createdAt when it was planned
 * @param rows every row's plan, in file order
 * @param seal the engine's seal over everything else: apply refuses a plan whose seal does not
 *     match (a plan the engine did not make, or one changed since)
 */
public record ActionImportPlan(
    String id, TenantId tenant, Instant createdAt, List<Row> rows, String seal) {

  static ActionImportPlan sealed(
      Seals seals, String id, TenantId tenant, Instant createdAt, List<Row> rows) {
    ActionImportPlan p = new ActionImportPlan(id, tenant, createdAt, rows, "");
    return new ActionImportPlan(id, tenant, createdAt, rows, seals.seal(p));
  }

  /** What a row will do. */
  public enum Kind {
    /** Create the user. */
    ADD,
    /** Deactivate and delete the user. */
    REMOVE,
    /** Change the user's names. */
    UPDATE,
    /** The row changes nothing. */
    UNCHANGED,
    /** No user has the username. */
    NOT_FOUND,
    /** The row is wrong (unknown action, bad username, missing names, user exists). */
    ERROR
  }

  /**
   * One row's plan.
   *
   * @param row the 1-based row number in the file
   * @param action the action as written
   * @param username the username (e-mail) as written
   * @param kind what it will do
   * @param userId the user it acts on (new for adds)
   * @param version the user's version when planned, for users that existed before the file
   * @param diffs the changes (all fields for adds)
   * @param problems every problem of the row
   */
  public record Row(
      long row,
      String action,
      String username,
      Kind kind,
      Optional<UserId> userId,
      Optional<Long> version,
      List<FieldDiff> diffs,
      List<Problem> problems) {}

  /**
   * How many rows are of a kind.
   *
   * @param kind the kind
   * @return the count
   */
  public long count(Kind kind) {
    return rows.stream().filter(r -> r.kind() == kind).count();
  }
}
