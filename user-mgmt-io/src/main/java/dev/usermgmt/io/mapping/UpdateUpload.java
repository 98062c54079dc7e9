package dev.usermgmt.io.mapping;

import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.bulk.UpdateRow;
import dev.usermgmt.internal.FieldValues;
import dev.usermgmt.io.export.FormulaGuard;
import dev.usermgmt.io.table.Cell;
import dev.usermgmt.io.table.FileInfo;
import dev.usermgmt.io.table.TableReader;
import dev.usermgmt.io.table.TableRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * An "Update Users from CSV" file between upload and plan: its layout (template version and example
 * rows skipped), the suggested column mapping, and then its rows mapped to field keys with values
 * in canonical text, streamed. Cells a parser rejects keep their text and their problem (with
 * field, row and file column) travels in the {@link UpdateRow}: the plan reports it once, in the
 * row's preview, and every problem the plan finds names the file column too. A row with non-blank
 * cells past the header's last column ({@code extra_cells}, naming them) or a cell over the
 * reader's length limit carries those problems too: the plan shows it as an error and never applies
 * it.
 *
 * <pre>{@code
 * try (UpdateUpload upload = UpdateUpload.open(reader, MappingContext.of(directory, actor))) {
 *   ColumnMapping mapping = upload.suggested();           // shown, confirmed or edited
 *   MappedRows rows = upload.collect(mapping);
 *   UpdatePlan plan = bulk.planUpdate(actor, rows.rows(), options, listener);
 * }
 * }</pre>
 */
public final class UpdateUpload implements AutoCloseable {
  private final TableReader reader;
  private final MappingContext context;
  private final TableLayout layout;
  private final ColumnMapping suggested;
  private final List<TableRow> pending;
  private final Spliterator<TableRow> rest;
  private final Stream<TableRow> stream;
  private boolean used;

  private UpdateUpload(TableReader reader, MappingContext context) {
    this.reader = reader;
    this.context = context;
    this.stream = reader.rows();
    this.rest = stream.spliterator();
    List<TableRow> first = new ArrayList<>();
    while (first.size() < TableLayout.PEEK && rest.tryAdvance(first::add)) {
      // peeked
    }
    this.layout = TableLayout.detect(first);
    this.pending = new ArrayList<>(first.subList(layout.peeked(), first.size()));
    this.suggested = ColumnMapping.suggest(layout.header(), context.schema());
  }

  /**
   * Reads the start of a file: its layout and the suggested mapping.
   *
   * @param reader the open file
   * @param context the tenant's schema, roles, phone region and modules
   * @return the upload; close it to close the reader
   */
  public static UpdateUpload open(TableReader reader, MappingContext context) {
    return new UpdateUpload(reader, context);
  }

  /**
   * What the reader found out about the file.
   *
   * @return the format, encoding, delimiter or sheet
   */
  public FileInfo info() {
    return reader.info();
  }

  /**
   * Where the header is and which rows were skipped.
   *
   * @return the layout
   */
  public TableLayout layout() {
    return layout;
  }

  /**
   * The mapping suggested from the headers.
   *
   * @return the suggestion
   */
  public ColumnMapping suggested() {
    return suggested;
  }

  /**
   * The data rows mapped with a confirmed mapping, lazily; may be consumed once.
   *
   * @param mapping the confirmed mapping
   * @return the rows
   * @throws InvalidInputException when the mapping names unknown fields or a field twice
   */
  public Stream<MappedRow> rows(ColumnMapping mapping) {
    mapping.validate(context.schema());
    if (used) {
      throw new IllegalStateException("the rows of an upload can be read once");
    }
    used = true;
    Map<Integer, String> fields = mapping.fields();
    int[] columns = fields.keySet().stream().mapToInt(Integer::intValue).toArray();
    String[] keys = fields.values().toArray(new String[0]);
    FieldValues.Keys keyset = FieldValues.keys(keys);
    ValueParsers.Converter[] converters = new ValueParsers.Converter[keys.length];
    for (int i = 0; i < keys.length; i++) {
      converters[i] = ValueParsers.converter(keys[i], context);
    }
    Spliterator<TableRow> all =
        new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE, Spliterator.ORDERED) {
          private int i;

          @Override
          public boolean tryAdvance(Consumer<? super TableRow> action) {
            if (i < pending.size()) {
              action.accept(pending.get(i++));
              return true;
            }
            return rest.tryAdvance(action);
          }

          @Override
          public void forEachRemaining(Consumer<? super TableRow> action) {
            while (i < pending.size()) {
              action.accept(pending.get(i++));
            }
            rest.forEachRemaining(action);
          }
        };
    int headerWidth = layout.header().names().size();
    String[] letters = new String[columns.length];
    for (int i = 0; i < columns.length; i++) {
      letters[i] = TableRow.columnName(columns[i]);
    }
    Map<String, String> fileColumns = keyset.with(letters);
    return StreamSupport.stream(all, false)
        .map(r -> map(r, headerWidth, columns, keys, keyset, fileColumns, converters));
  }

  private static MappedRow map(
      TableRow r,
      int headerWidth,
      int[] columns,
      String[] fieldKeys,
      FieldValues.Keys keys,
      Map<String, String> fileColumns,
      ValueParsers.Converter[] converters) {
    @Nullable String[] cells = new String[columns.length];
    List<Problem> shape = RowShape.problems(r, headerWidth);
    List<Problem> problems = shape.isEmpty() ? List.of() : new ArrayList<>(shape);
    for (int i = 0; i < columns.length; i++) {
      String text = r.text(columns[i]);
      if (text.isEmpty()) {
        continue;
      }
      Cell.Kind kind = r.kind(columns[i]);
      if (kind == Cell.Kind.TEXT) {
        text = FormulaGuard.recover(text);
      }
      String value;
      try {
        value = converters[i].convert(kind, text);
      } catch (InvalidInputException e) {
        if (problems.isEmpty()) {
          problems = new ArrayList<>();
        }
        for (Problem p : e.problems()) {
          problems.add(
              Problem.builder()
                  .from(p)
                  .field(fieldKeys[i])
                  .row(r.number())
                  .column(TableRow.columnName(columns[i]))
                  .build());
        }
        value = text;
      }
      cells[i] = value;
    }
    return new MappedRow(
        new UpdateRow(r.number(), keys.with(cells), fileColumns, problems), problems, r.hidden());
  }

  /**
   * All data rows mapped, for {@link dev.usermgmt.bulk.BulkEngine#planUpdate}.
   *
   * @param mapping the confirmed mapping
   * @return the rows with the problems and hidden rows found
   */
  public MappedRows collect(ColumnMapping mapping) {
    List<UpdateRow> rows = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    List<Long> hidden = new ArrayList<>();
    try (Stream<MappedRow> s = rows(mapping)) {
      s.forEach(
          m -> {
            rows.add(m.row());
            problems.addAll(m.problems());
            if (m.hidden()) {
              hidden.add(m.row().row());
            }
          });
    }
    return new MappedRows(rows, problems, hidden, mapping.unmapped());
  }

  @Override
  public void close() {
    stream.close();
    reader.close();
  }

  /**
   * One mapped row.
   *
   * @param row the row for the bulk engine
   * @param problems cells no parser accepted (kept as text in the row); the same problems are in
   *     the row and so in its plan preview: show one or the other
   * @param hidden whether the spreadsheet hides the row
   */
  public record MappedRow(UpdateRow row, List<Problem> problems, boolean hidden) {
    /** Copies the list. */
    public MappedRow {
      problems = List.copyOf(problems);
    }
  }

  /**
   * Every mapped row of a file.
   *
   * @param rows the rows for the bulk engine
   * @param problems cells no parser accepted, with field, row and column; the plan's previews
   *     report them too (once, in their row): a host that shows the plan need not show these
   * @param hiddenRows the numbers of rows the spreadsheet hides (imported like the others)
   * @param unmapped the columns that set nothing, with why
   */
  public record MappedRows(
      List<UpdateRow> rows,
      List<Problem> problems,
      List<Long> hiddenRows,
      List<ColumnMapping.Column> unmapped) {
    /** Copies the lists. */
    public MappedRows {
      rows = List.copyOf(rows);
      problems = List.copyOf(problems);
      hiddenRows = List.copyOf(hiddenRows);
      unmapped = List.copyOf(unmapped);
    }
  }
}
