package dev.usermgmt.io.mapping;

import dev.usermgmt.internal.Texts;
import dev.usermgmt.io.table.HeaderRow;
import dev.usermgmt.io.table.TableRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where the header and the data start in a file, as the bulk templates of the big directories save
 * them: a leading {@code version:v1.0} row before the headers is skipped, and so is an example row
 * right after the headers whose first cell starts with "Example". Plain files have their header on
 * the first non-blank row.
 *
 * @param header the header row
 * @param skipped the rows skipped, with why, for the caller to show
 * @param peeked how many of the first rows the layout used (header and skipped rows)
 */
public record TableLayout(HeaderRow header, List<String> skipped, int peeked) {
  private static final Pattern VERSION = Pattern.compile("(?i)version\\s*[:=]\\s*v?\\d+(\\.\\d+)*");

  /** Copies the list. */
  public TableLayout {
    skipped = List.copyOf(skipped);
  }

  /** How many rows {@link #detect} needs to see. */
  public static final int PEEK = 3;

  /**
   * Finds the layout from the first rows of a file.
   *
   * @param first the first (up to {@link #PEEK}) non-blank rows
   * @return the layout
   */
  public static TableLayout detect(List<TableRow> first) {
    if (first.isEmpty()) {
      throw new dev.usermgmt.InvalidInputException(
          dev.usermgmt.Problem.of(
              dev.usermgmt.ErrorCode.NO_DATA,
              "the file has no data: every row is blank, so there is no header row"));
    }
    List<String> skipped = new ArrayList<>();
    int i = 0;
    if (first.size() > 1 && isVersionRow(first.get(0))) {
      skipped.add(
          "row " + first.get(0).number() + ": template version '" + first.get(0).text(0) + "'");
      i++;
    }
    HeaderRow header = HeaderRow.of(first.get(i));
    i++;
    if (i < first.size() && isExampleRow(first.get(i))) {
      skipped.add("row " + first.get(i).number() + ": the template's example row");
      i++;
    }
    return new TableLayout(header, skipped, i);
  }

  private static boolean isVersionRow(TableRow row) {
    return row.texts().stream().filter(t -> !t.isBlank()).count() == 1
        && VERSION.matcher(Texts.trim(row.text(0))).matches();
  }

  private static boolean isExampleRow(TableRow row) {
    return Texts.trim(row.text(0)).toLowerCase(Locale.ROOT).startsWith("example");
  }
}
