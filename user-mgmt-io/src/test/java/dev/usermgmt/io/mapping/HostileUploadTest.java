package dev.usermgmt.io.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.quicktheories.QuickTheory.qt;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.UserMgmtException;
import dev.usermgmt.access.Actor;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.bulk.ActionImportPlan;
import dev.usermgmt.bulk.ActionRow;
import dev.usermgmt.bulk.BulkEngine;
import dev.usermgmt.bulk.BulkLimits;
import dev.usermgmt.bulk.BulkListener;
import dev.usermgmt.bulk.RowPreview;
import dev.usermgmt.bulk.UpdateOptions;
import dev.usermgmt.bulk.UpdatePlan;
import dev.usermgmt.bulk.UpdateRow;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.io.table.ReadOptions;
import dev.usermgmt.io.table.TableReader;
import dev.usermgmt.io.table.TableRow;
import dev.usermgmt.io.table.Workbooks;
import dev.usermgmt.memory.InMemoryStores;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.Fixtures;
import dev.usermgmt.user.EmailAddress;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

/**
 * Uploads with ragged, blank and over-long rows (nothing lost, shifted or misnumbered), and hostile
 * cells and rows between reader, mapping and plan: huge exponents, header text that made the
 * synonym patterns quadratic, error cells, repeated row numbers.
 */
final class HostileUploadTest {
  final TenantId tenant = Fixtures.freshTenant();
  final Stores stores = InMemoryStores.create();
  final UserDirectory directory = UserDirectory.builder().stores(stores).build();
  final BulkEngine engine = BulkEngine.of(directory);
  final Actor admin =
      Actor.builder()
          .tenant(tenant)
          .userId(UserId.of("admin"))
          .role(RoleCatalog.defaultCatalog().adminRole())
          .build();

  @BeforeEach
  void people() {
    stores
        .attributes()
        .put(
            tenant,
            Optional.empty(),
            AttributeDefinition.builder()
                .key("level")
                .label("Career Level")
                .type(AttributeType.NUMBER)
                .build());
    stores
        .users()
        .insert(
            tenant,
            List.of(
                Fixtures.user(tenant, "sam").toBuilder()
                    .primaryEmail(EmailAddress.parse("sam@example.com"))
                    .department("Sales")
                    .build(),
                Fixtures.user(tenant, "kim").toBuilder()
                    .primaryEmail(EmailAddress.parse("kim@example.com"))
                    .department("Sales")
                    .build()));
  }

  static TableReader csv(String text) {
    return TableReader.open(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), ReadOptions.defaults());
  }

  @Test
  void aRowWithMoreCellsThanTheHeaderIsAnErrorNamingThemNeverShifted() {
    String file =
        "email,displayName,department\n"
            + "sam@example.com,Sam Smith, Jr,Marketing\n"
            + "kim@example.com,Kim,Marketing\n";
    try (UpdateUpload upload = UpdateUpload.open(csv(file), MappingTest.CONTEXT)) {
      UpdateUpload.MappedRows mapped = upload.collect(upload.suggested());
      assertThat(mapped.problems())
          .singleElement()
          .satisfies(
              p -> {
                isAt(p, ErrorCode.EXTRA_CELLS, 2, "D");
                assertThat(p.message()).contains("D2 'Marketing'");
              });
      UpdatePlan plan =
          engine.planUpdate(admin, mapped.rows(), UpdateOptions.defaults(), BulkListener.NONE);
      RowPreview sam = plan.rows().get(0);
      assertThat(sam.kind()).isEqualTo(RowPreview.Kind.ERROR);
      assertThat(sam.problems()).extracting(Problem::code).containsExactly(ErrorCode.EXTRA_CELLS);
      assertThat(plan.rows().get(1).kind()).isEqualTo(RowPreview.Kind.CHANGED);
    }
  }

  @Test
  void randomRaggedBlankAndWhiteSpaceRowsNeverLoseOrShiftACell() {
    Gen<String> cell = SourceDSL.strings().betweenCodePoints('a', 'e').ofLengthBetween(0, 3);
    Gen<List<String>> row = SourceDSL.lists().of(cell).ofSizeBetween(0, 6);
    Gen<List<List<String>>> rows = SourceDSL.lists().of(row).ofSizeBetween(0, 12);
    Gen<List<Integer>> blanks = SourceDSL.lists().of(SourceDSL.integers().between(0, 2)).ofSize(12);
    qt().withExamples(300)
        .forAll(rows, blanks)
        .checkAssert(
            (data, kinds) -> {
              StringBuilder text = new StringBuilder("h1,h2,h3\n");
              List<Long> numbers = new ArrayList<>();
              List<List<String>> expected = new ArrayList<>();
              long line = 1;
              for (int i = 0; i < data.size(); i++) {
                int k = kinds.get(i);
                if (k > 0) { // a blank or white-space-only line first
                  text.append(k == 1 ? "" : " ,\t, ").append('\n');
                  line++;
                }
                List<String> r = data.get(i);
                text.append(String.join(",", r)).append('\n');
                line++;
                int width = r.size();
                while (width > 0 && r.get(width - 1).isEmpty()) {
                  width--;
                }
                if (width > 0) {
                  numbers.add(line);
                  expected.add(r.subList(0, width));
                }
              }
              if (expected.isEmpty()) {
                return;
              }
              try (UpdateUpload upload =
                  UpdateUpload.open(csv(text.toString()), MappingTest.CONTEXT)) {
                List<UpdateUpload.MappedRow> mapped = upload.rows(upload.suggested()).toList();
                assertThat(mapped).extracting(m -> m.row().row()).isEqualTo(numbers);
                for (int i = 0; i < mapped.size(); i++) {
                  List<String> r = expected.get(i);
                  boolean extra =
                      r.size() > 3 && r.subList(3, r.size()).stream().anyMatch(c -> !c.isBlank());
                  assertThat(
                          mapped.get(i).row().problems().stream()
                              .anyMatch(p -> p.code() == ErrorCode.EXTRA_CELLS))
                      .as(r.toString())
                      .isEqualTo(extra);
                }
              }
              try (TableReader reader = csv(text.toString())) {
                List<TableRow> read = reader.rows().skip(1).toList();
                assertThat(read).extracting(TableRow::number).isEqualTo(numbers);
                assertThat(read).extracting(TableRow::texts).isEqualTo(expected);
              }
            });
  }

  @Test
  void anOverLongCellMakesItsDeactivationRowInvalidAndTheFileGoesOn() {
    String file = "email,notes\nsam@example.com,ok\nkim@example.com," + "n".repeat(100_000) + "\n";
    try (TableReader r = csv(file)) {
      DeactivationUpload upload = DeactivationUpload.read(r, BulkLimits.DEFAULT);
      assertThat(upload.problems())
          .singleElement()
          .satisfies(p -> isAt(p, ErrorCode.LIMIT_EXCEEDED, 3, "B"));
      assertThat(upload.request(0, false).emails()).containsExactly("sam@example.com");
    }
  }

  @Test
  void filesOfBlankRowsHaveNoData() {
    String blank = "\n \n,,,\n\t\n".repeat(1000);
    try (TableReader r = csv(blank)) {
      assertThatThrownBy(() -> DeactivationUpload.read(r, BulkLimits.DEFAULT))
          .satisfies(e -> assertThat(((UserMgmtException) e).code()).isEqualTo(ErrorCode.NO_DATA));
    }
    try (TableReader r = csv(blank)) {
      assertThatThrownBy(() -> UpdateUpload.open(r, MappingTest.CONTEXT))
          .satisfies(e -> assertThat(((UserMgmtException) e).code()).isEqualTo(ErrorCode.NO_DATA));
    }
    try (TableReader r = csv(blank)) {
      assertThatThrownBy(() -> ActionUpload.read(r))
          .satisfies(e -> assertThat(((UserMgmtException) e).code()).isEqualTo(ErrorCode.NO_DATA));
    }
  }

  @Test
  void actionFileProblemsNameTheFilesOwnLineAndColumn() {
    String file =
        "action,username,first,last\n"
            + "\n"
            + ",,,\n"
            + "remove-user,not-an-address,,\n"
            + "update,sam@example.com,Sam,Smith, Jr\n";
    List<ActionRow> rows;
    try (TableReader r = csv(file)) {
      rows = ActionUpload.read(r);
    }
    assertThat(rows).extracting(ActionRow::row).containsExactly(1L, 4L, 5L);
    ActionImportPlan plan = engine.planActionRows(admin, rows, true);
    assertThat(plan.rows()).hasSize(2);
    Problem bad = plan.rows().get(0).problems().get(0);
    assertThat(bad.row()).hasValue(4);
    assertThat(bad.column()).contains("B");
    assertThat(bad.field()).contains("username");
    List<Problem> shifted = plan.rows().get(1).problems();
    assertThat(plan.rows().get(1).kind()).isEqualTo(ActionImportPlan.Kind.ERROR);
    assertThat(shifted)
        .extracting(Problem::code, p -> p.row().getAsLong(), p -> p.column().orElseThrow())
        .containsExactly(org.assertj.core.groups.Tuple.tuple(ErrorCode.EXTRA_CELLS, 5L, "E"));
    assertThat(shifted.stream().map(Problem::message).collect(Collectors.joining()))
        .contains("E5 ' Jr'");
  }

  static TableReader xlsx(byte[] bytes) {
    return TableReader.open(new ByteArrayInputStream(bytes), ReadOptions.defaults());
  }

  /** A problem of this code at this row and column of the file. */
  private static void isAt(Problem p, ErrorCode code, long row, String column) {
    assertThat(p.code()).isEqualTo(code);
    assertThat(p.row()).hasValue(row);
    assertThat(p.column()).contains(column);
  }

  // ------------------------------------------------------------ numbers with huge exponents

  /** A 12-character number cell: NegativeArraySizeException from BigDecimal.toPlainString. */
  @Test
  void aNumberWithAHugeExponentIsAnInvalidNumberAtItsCell() {
    String file = "email,Career Level\nsam@example.com,1e2147483647\n";
    try (UpdateUpload upload = UpdateUpload.open(csv(file), MappingTest.CONTEXT)) {
      UpdateUpload.MappedRows mapped = upload.collect(upload.suggested());
      assertThat(mapped.problems())
          .singleElement()
          .satisfies(p -> isAt(p, ErrorCode.INVALID_NUMBER, 2, "B"));
    }
  }

  /** "1e300000000" (11 bytes) becomes a 300-million-character string before any check. */
  @Test
  void aNumberWithALargeExponentAllocatesLittle() {
    String file = "email,Career Level\nsam@example.com,1e300000000\n";
    assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () -> {
          com.sun.management.ThreadMXBean threads =
              (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
          long before = threads.getCurrentThreadAllocatedBytes();
          try (UpdateUpload upload = UpdateUpload.open(csv(file), MappingTest.CONTEXT)) {
            upload.collect(upload.suggested());
          } catch (UserMgmtException e) {
            // refusing it is fine
          }
          long allocated = threads.getCurrentThreadAllocatedBytes() - before;
          assertThat(allocated)
              .as("bytes allocated for an 11-character cell: %d MB", allocated >> 20)
              .isLessThan(64L << 20);
        });
  }

  /** The engine itself: stripTrailingZeros throws ArithmeticException ("Overflow"). */
  @Test
  void theEngineReadsAHugeExponentAsAnInvalidNumberOfItsRow() {
    UpdateRow row =
        new UpdateRow(
            2,
            Map.of("primaryEmail", "sam@example.com", "attributes.level", "100E2147483647"),
            Map.of("primaryEmail", "A", "attributes.level", "B"),
            List.of());
    UpdatePlan plan =
        engine.planUpdate(admin, List.of(row), UpdateOptions.defaults(), BulkListener.NONE);
    RowPreview p = plan.rows().get(0);
    assertThat(p.kind()).isEqualTo(RowPreview.Kind.ERROR);
    assertThat(p.problems())
        .singleElement()
        .satisfies(
            pr -> {
              assertThat(pr.field()).contains("attributes.level");
              assertThat(pr.column()).contains("B");
              assertThat(pr.row()).hasValue(2);
            });
  }

  // ------------------------------------------------------------ header regular expressions

  /**
   * Two 32,767-character headers of '[' (a 64 KB CSV): HeaderSynonyms.names runs BRACKET (find,
   * then replaceAll) in quadratic time, twice per unmapped header: ~9 s a column. An XLSX reaches
   * the 1,000-column limit with one shared string: hours.
   */
  @Test
  void theUploadAndTheEngineReadANumberCellAlike() {
    for (String cell :
        List.of("1,234.5", "1.234,5", "1 234", "1\u00a0234,5", "1,5", " +5 ", "-0")) {
      java.math.BigDecimal read =
          ValueParsers.number(
              "attributes.level",
              new dev.usermgmt.io.table.Cell(dev.usermgmt.io.table.Cell.Kind.TEXT, cell));
      UpdatePlan plan =
          engine.planUpdate(
              admin,
              List.of(
                  new UpdateRow(
                      2, Map.of("primaryEmail", "sam@example.com", "attributes.level", cell))),
              UpdateOptions.defaults(),
              BulkListener.NONE);
      assertThat(plan.rows().get(0).problems()).as(cell).isEmpty();
      assertThat(plan.rows().get(0).diffs())
          .as(cell)
          .singleElement()
          .satisfies(
              d ->
                  assertThat(d.after())
                      .contains(dev.usermgmt.attribute.AttributeValue.number(read).canonical()));
    }
  }

  @Test
  void headersAreMatchedInLinearTime() {
    String bracket = "[".repeat(32_767);
    String file = "email," + bracket + "," + bracket + "\nsam@example.com,a,b\n";
    assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () -> {
          try (UpdateUpload upload = UpdateUpload.open(csv(file), MappingTest.CONTEXT)) {
            assertThat(upload.suggested().unmapped()).hasSize(2);
          }
        });
  }

  // ------------------------------------------------------------ spreadsheet error cells

  /** A formula whose cached value is #REF! becomes the user's display name. */
  @Test
  void anErrorCellIsAProblemOfItsCellNotAValue() throws IOException {
    byte[] file =
        workbook(
            "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>email</t></is></c>"
                + "<c r=\"B1\" t=\"inlineStr\"><is><t>displayName</t></is></c></row>"
                + "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>sam@example.com</t></is></c>"
                + "<c r=\"B2\" t=\"e\"><f>#REF!+1</f><v>#REF!</v></c></row>");
    try (UpdateUpload upload = UpdateUpload.open(xlsx(file), MappingTest.CONTEXT)) {
      UpdateUpload.MappedRows mapped = upload.collect(upload.suggested());
      UpdatePlan plan =
          engine.planUpdate(admin, mapped.rows(), UpdateOptions.defaults(), BulkListener.NONE);
      RowPreview sam = plan.rows().get(0);
      assertThat(sam.kind()).as("diffs %s", sam.diffs()).isEqualTo(RowPreview.Kind.ERROR);
      assertThat(sam.problems()).extracting(Problem::column).containsExactly(Optional.of("B"));
    }
  }

  // ------------------------------------------------------------ repeated row numbers

  /**
   * Two rows numbered 2 (an XLSX may say so): the planner keys rows by number, so the first row's
   * cells are previewed against the user of the second row's key.
   */
  @Test
  void anErrorCellOfAnActionFileIsAProblemOfItsCell() throws IOException {
    byte[] file =
        workbook(
            "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>add-user</t></is></c>"
                + "<c r=\"B1\" t=\"e\"><f>A9/0</f><v>#DIV/0!</v></c></row>");
    List<dev.usermgmt.bulk.ActionRow> rows = ActionUpload.read(xlsx(file));
    assertThat(rows)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.problems())
                  .singleElement()
                  .satisfies(
                      p -> {
                        assertThat(p.code()).isEqualTo(ErrorCode.INVALID_VALUE);
                        assertThat(p.row()).hasValue(1);
                        assertThat(p.column()).contains("B");
                        assertThat(p.message()).contains("#DIV/0!");
                      });
            });
  }

  @Test
  void theEngineKeepsAHostsRowsOfOneNumberApart() {
    List<UpdateRow> rows =
        List.of(
            new UpdateRow(2, Map.of("primaryEmail", "sam@example.com", "displayName", "Samantha")),
            new UpdateRow(2, Map.of("primaryEmail", "nobody@example.com", "displayName", "X")),
            new UpdateRow(2, Map.of("primaryEmail", "kim@example.com", "displayName", "Kimberly")));
    UpdatePlan plan = engine.planUpdate(admin, rows, UpdateOptions.defaults(), BulkListener.NONE);
    assertThat(plan.rows())
        .extracting(RowPreview::key, RowPreview::kind)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("sam@example.com", RowPreview.Kind.CHANGED),
            org.assertj.core.groups.Tuple.tuple("nobody@example.com", RowPreview.Kind.NOT_FOUND),
            org.assertj.core.groups.Tuple.tuple("kim@example.com", RowPreview.Kind.CHANGED));
    assertThat(plan.rows().get(2).diffs())
        .singleElement()
        .satisfies(d -> assertThat(d.after()).contains("Kimberly"));
  }

  @Test
  void rowsWithTheSameNumberAreNeverMixedUp() throws IOException {
    byte[] file =
        workbook(
            "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>email</t></is></c>"
                + "<c r=\"B1\" t=\"inlineStr\"><is><t>displayName</t></is></c></row>"
                + "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>sam@example.com</t></is></c>"
                + "<c r=\"B2\" t=\"inlineStr\"><is><t>Samantha</t></is></c></row>"
                + "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>kim@example.com</t></is></c>"
                + "<c r=\"B2\" t=\"inlineStr\"><is><t>Kimberly</t></is></c></row>");
    List<RowPreview> previews;
    try (UpdateUpload upload = UpdateUpload.open(xlsx(file), MappingTest.CONTEXT)) {
      UpdateUpload.MappedRows mapped = upload.collect(upload.suggested());
      previews =
          engine
              .planUpdate(admin, mapped.rows(), UpdateOptions.defaults(), BulkListener.NONE)
              .rows();
    } catch (UserMgmtException e) {
      return; // refusing the file is a right answer
    }
    assertThat(previews)
        .extracting(RowPreview::key)
        .containsExactly("sam@example.com", "kim@example.com");
  }

  // ------------------------------------------------------------ helpers

  static byte[] workbook(String rows) throws IOException {
    return Workbooks.workbook(Workbooks.sheetOf(rows));
  }
}
