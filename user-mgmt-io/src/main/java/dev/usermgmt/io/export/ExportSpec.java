package dev.usermgmt.io.export;

import java.util.Arrays;
import java.util.List;

/**
 * What an export includes: the visible table columns (only visible columns are exported) and the
 * custom attributes shown, by key.
 *
 * @param columns the visible columns, in table order
 * @param attributes the keys of the visible custom attributes
 */
public record ExportSpec(List<ExportColumn> columns, List<String> attributes) {
  /** Copies the lists. */
  public ExportSpec {
    columns = List.copyOf(columns);
    attributes = List.copyOf(attributes);
  }

  /**
   * The columns the table shows by default, no custom attributes.
   *
   * @return the spec
   */
  public static ExportSpec defaults() {
    return new ExportSpec(
        Arrays.stream(ExportColumn.values()).filter(ExportColumn::visibleByDefault).toList(),
        List.of());
  }

  /**
   * Some columns.
   *
   * @param columns the visible columns
   * @return the spec
   */
  public static ExportSpec of(ExportColumn... columns) {
    return new ExportSpec(List.of(columns), List.of());
  }

  /**
   * This spec with custom attributes.
   *
   * @param keys the attribute keys
   * @return the spec
   */
  public ExportSpec withAttributes(List<String> keys) {
    return new ExportSpec(columns, keys);
  }
}
