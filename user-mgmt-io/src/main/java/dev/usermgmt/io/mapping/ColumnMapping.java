package dev.usermgmt.io.mapping;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.io.table.HeaderRow;
import dev.usermgmt.io.table.TableRow;
import dev.usermgmt.user.UserField;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which field each column of an update file sets (the wizard's "Map columns" step). {@link
 * #suggest} proposes a mapping from the headers; the caller shows it, lets the person change it
 * with {@link #map} and {@link #unmap}, and passes the confirmed mapping on. Columns without a
 * field are reported, never silently dropped.
 *
 * @param columns every column of the header, in order
 */
public record ColumnMapping(List<Column> columns) {
  /** Copies the list. */
  public ColumnMapping {
    columns = List.copyOf(columns);
  }

  /**
   * One column.
   *
   * @param index the 0-based column index
   * @param letter the spreadsheet column name ({@code A}, {@code B}…)
   * @param header the header text
   * @param field the field key it sets ({@code primaryEmail}, {@code attributes.level}), if mapped
   * @param note why it is unmapped, when it is
   */
  public record Column(
      int index, String letter, String header, Optional<String> field, Optional<String> note) {}

  /**
   * Proposes a field for every header the synonyms or the custom attributes recognise.
   *
   * @param header the header row
   * @param schema the tenant's custom attributes
   * @return the suggestion
   */
  public static ColumnMapping suggest(HeaderRow header, AttributeSchema schema) {
    List<Column> out = new ArrayList<>();
    Map<String, Integer> taken = new HashMap<>();
    for (int i = 0; i < header.names().size(); i++) {
      String h = header.names().get(i);
      String letter = TableRow.columnName(i);
      Optional<String> field = h.isEmpty() ? Optional.empty() : HeaderSynonyms.field(h, schema);
      if (field.isPresent() && taken.putIfAbsent(field.get(), i) != null) {
        out.add(
            new Column(
                i,
                letter,
                h,
                Optional.empty(),
                Optional.of(
                    "column "
                        + TableRow.columnName(taken.get(field.get()))
                        + " already sets "
                        + field.get())));
        continue;
      }
      Optional<String> note =
          field.isPresent()
              ? Optional.empty()
              : Optional.of(
                  h.isEmpty()
                      ? "no header"
                      : HeaderSynonyms.exportOnly(h).orElse("no field matches this header"));
      out.add(new Column(i, letter, h, field, note));
    }
    return new ColumnMapping(out);
  }

  /**
   * This mapping with a column set to a field.
   *
   * @param index the 0-based column index
   * @param field the field key
   * @return the mapping
   */
  public ColumnMapping map(int index, String field) {
    return replace(index, Optional.of(field), Optional.empty());
  }

  /**
   * This mapping with a column left out.
   *
   * @param index the 0-based column index
   * @return the mapping
   */
  public ColumnMapping unmap(int index) {
    return replace(index, Optional.empty(), Optional.of("left out by the user"));
  }

  private ColumnMapping replace(int index, Optional<String> field, Optional<String> note) {
    if (index < 0 || index >= columns.size()) {
      throw new InvalidInputException(
          Problem.of(ErrorCode.UNKNOWN_COLUMN, "no column " + index + " in the file"));
    }
    List<Column> out = new ArrayList<>(columns);
    Column c = columns.get(index);
    out.set(index, new Column(c.index(), c.letter(), c.header(), field, note));
    return new ColumnMapping(out);
  }

  /**
   * The field of each mapped column.
   *
   * @return column index to field key, in column order
   */
  public Map<Integer, String> fields() {
    Map<Integer, String> out = new LinkedHashMap<>();
    for (Column c : columns) {
      c.field().ifPresent(f -> out.put(c.index(), f));
    }
    return out;
  }

  /**
   * The columns that set nothing, with why.
   *
   * @return the unmapped columns
   */
  public List<Column> unmapped() {
    return columns.stream().filter(c -> c.field().isEmpty()).toList();
  }

  /**
   * Checks that every mapped field exists and can be set from a file, and that no field is set by
   * two columns.
   *
   * @param schema the tenant's custom attributes
   * @throws InvalidInputException listing every problem, each with its column
   */
  public void validate(AttributeSchema schema) {
    List<Problem> problems = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    for (Column c : columns) {
      if (c.field().isEmpty()) {
        continue;
      }
      String f = c.field().get();
      boolean known =
          f.startsWith("attributes.")
              ? schema.definition(f.substring("attributes.".length())).isPresent()
              : UserField.byKey(f)
                  .filter(u -> u.editability() == UserField.Editability.FORM)
                  .isPresent();
      if (!known) {
        problems.add(
            Problem.builder()
                .code(
                    f.startsWith("attributes.")
                        ? ErrorCode.UNKNOWN_ATTRIBUTE
                        : ErrorCode.UNKNOWN_FIELD)
                .field(f)
                .column(c.letter())
                .message("column " + c.letter() + " ('" + c.header() + "'): no settable field " + f)
                .build());
      }
      String before = seen.putIfAbsent(f, c.letter());
      if (before != null) {
        problems.add(
            Problem.builder()
                .code(ErrorCode.INVALID_CONFIGURATION)
                .field(f)
                .column(c.letter())
                .message("columns " + before + " and " + c.letter() + " both set " + f)
                .build());
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
  }
}
