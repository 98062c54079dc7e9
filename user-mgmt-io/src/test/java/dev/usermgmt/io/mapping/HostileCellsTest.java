package dev.usermgmt.io.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.UserMgmtException;
import dev.usermgmt.access.Actor;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.bulk.BulkEngine;
import dev.usermgmt.bulk.BulkListener;
import dev.usermgmt.bulk.RowPreview;
import dev.usermgmt.bulk.UpdateOptions;
import dev.usermgmt.bulk.UpdatePlan;
import dev.usermgmt.bulk.UpdateRow;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.io.table.ReadOptions;
import dev.usermgmt.io.table.TableReader;
import dev.usermgmt.memory.InMemoryStores;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.Fixtures;
import dev.usermgmt.user.EmailAddress;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile cells and rows between reader, mapping and plan: huge exponents, header text that made
 * the synonym patterns quadratic, error cells, repeated row numbers.
 */
final class HostileCellsTest {
  private static final String MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

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
                    .displayName("Sam")
                    .build(),
                Fixtures.user(tenant, "kim").toBuilder()
                    .primaryEmail(EmailAddress.parse("kim@example.com"))
                    .displayName("Kim")
                    .build()));
  }

  static TableReader csv(String text) {
    return TableReader.open(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), ReadOptions.defaults());
  }

  static TableReader xlsx(byte[] bytes) {
    return TableReader.open(new ByteArrayInputStream(bytes), ReadOptions.defaults());
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
          .satisfies(
              p -> {
                assertThat(p.code()).isEqualTo(ErrorCode.INVALID_NUMBER);
                assertThat(p.row()).hasValue(2);
                assertThat(p.column()).contains("B");
              });
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
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      put(
          zip,
          "[Content_Types].xml",
          "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
              + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
              + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
              + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
              + "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
              + "</Types>");
      put(
          zip,
          "_rels/.rels",
          "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
              + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
              + "</Relationships>");
      put(
          zip,
          "xl/workbook.xml",
          "<?xml version=\"1.0\"?><workbook xmlns=\""
              + MAIN
              + "\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
              + "<sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
      put(
          zip,
          "xl/_rels/workbook.xml.rels",
          "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
              + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
              + "</Relationships>");
      put(
          zip,
          "xl/worksheets/sheet1.xml",
          "<worksheet xmlns=\"" + MAIN + "\"><sheetData>" + rows + "</sheetData></worksheet>");
    }
    return out.toByteArray();
  }

  private static void put(ZipOutputStream zip, String name, String text) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(text.getBytes(StandardCharsets.UTF_8));
    zip.closeEntry();
  }
}
