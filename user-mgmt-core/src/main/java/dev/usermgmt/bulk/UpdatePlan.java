package dev.usermgmt.bulk;

import dev.usermgmt.TenantId;
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
 */
public record UpdatePlan(
    String id, TenantId tenant, Instant createdAt, UpdateOptions options, List<RowPreview> rows) {
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
