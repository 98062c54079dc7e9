package dev.usermgmt.bulk;

import dev.usermgmt.TenantId;
import dev.usermgmt.internal.service.Seals;
import java.time.Instant;
import java.util.List;

/**
 * The dry run of "Update Users from CSV": a preview per row, the options, and the versions seen.
 *
 * @param id the plan id
 * @param tenant the tenant
 * @param createdAt when it was planned
 * @param options the options
 * @param rows the preview of every row, in file order
 * @param seal the engine's seal over everything else: apply refuses a plan whose seal does not
 *     match (a plan the engine did not make, or one changed since)
 */
public record UpdatePlan(
    String id,
    TenantId tenant,
    Instant createdAt,
    UpdateOptions options,
    List<RowPreview> rows,
    String seal) {

  static UpdatePlan sealed(
      Seals seals,
      String id,
      TenantId tenant,
      Instant createdAt,
      UpdateOptions options,
      List<RowPreview> rows) {
    UpdatePlan p = new UpdatePlan(id, tenant, createdAt, options, rows, "");
    return new UpdatePlan(id, tenant, createdAt, options, rows, seals.seal(p));
  }

  /**
   * How many rows are of a kind.
   *
   * @param kind the kind
   * @return the count
   */
  public long count(RowPreview.Kind kind) {
    return rows.stream().filter(r -> r.kind() == kind).count();
  }
}
