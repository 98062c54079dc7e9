package dev.usermgmt.bulk;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
import dev.usermgmt.internal.service.Seals;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The dry run of "Update Users from CSV": a preview per row, the options, and the versions seen.
 *
 * <p>Memory stays bounded whatever the file size: the {@link #summary} (rows and counts) is held in
 * memory, and the previews of a big plan are kept in a temporary file (deleted once the plan is no
 * longer reachable) that {@link #previews(long, int)} pages through; {@link #rows} reads that file
 * as it is iterated.
 *
 * @param id the plan id
 * @param tenant the tenant
 * @param createdAt when it was planned
 * @param options the options
 * @param rows the preview of every row, in file order (on disk for a big plan: iterate it or page
 *     it, do not copy it)
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
   * What a plan will do, in numbers.
   *
   * @param rows how many rows the plan previews
   * @param kinds how many rows are of each kind (every kind present, zero when none)
   * @param problems how many problems the rows have in all
   */
  public record Summary(long rows, Map<RowPreview.Kind, Long> kinds, long problems) {
    /** Copies the map. */
    public Summary {
      kinds = Collections.unmodifiableMap(new EnumMap<>(kinds));
    }

    static Summary of(long rows, Map<RowPreview.Kind, Long> counts, long problems) {
      Map<RowPreview.Kind, Long> kinds = new EnumMap<>(RowPreview.Kind.class);
      for (RowPreview.Kind k : RowPreview.Kind.values()) {
        kinds.put(k, counts.getOrDefault(k, 0L));
      }
      return new Summary(rows, kinds, problems);
    }

    /**
     * How many rows are of a kind.
     *
     * @param kind the kind
     * @return the count
     */
    public long count(RowPreview.Kind kind) {
      return kinds.getOrDefault(kind, 0L);
    }
  }

  /**
   * The rows and the count of each kind, without reading the previews.
   *
   * @return the summary
   */
  public Summary summary() {
    if (rows instanceof PreviewStore store) {
      return store.summary();
    }
    Map<RowPreview.Kind, Long> counts = new EnumMap<>(RowPreview.Kind.class);
    long problems = 0;
    for (RowPreview r : rows) {
      counts.merge(r.kind(), 1L, Long::sum);
      problems += r.problems().size();
    }
    return Summary.of(rows.size(), counts, problems);
  }

  /**
   * How many rows are of a kind.
   *
   * @param kind the kind
   * @return the count
   */
  public long count(RowPreview.Kind kind) {
    return summary().count(kind);
  }

  /**
   * A page of the previews, in file order: what a host shows or sends one page at a time.
   *
   * @param offset the index of the first preview (0-based; past the end gives an empty page)
   * @param limit the most previews to return
   * @return the page
   * @throws InvalidInputException {@link ErrorCode#INVALID_REQUEST} for a negative offset or limit
   */
  public List<RowPreview> previews(long offset, int limit) {
    if (offset < 0 || limit < 0) {
      throw new InvalidInputException(
          Problem.of(ErrorCode.INVALID_REQUEST, "offset and limit must not be negative"));
    }
    if (rows instanceof PreviewStore store) {
      return store.page(offset, limit);
    }
    if (offset >= rows.size()) {
      return List.of();
    }
    int from = (int) offset;
    return List.copyOf(rows.subList(from, (int) Math.min(rows.size(), offset + limit)));
  }
}
