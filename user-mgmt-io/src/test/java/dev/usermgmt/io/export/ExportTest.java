package dev.usermgmt.io.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.bulk.BulkEngine;
import dev.usermgmt.bulk.BulkListener;
import dev.usermgmt.bulk.RowPreview;
import dev.usermgmt.bulk.UpdateOptions;
import dev.usermgmt.bulk.UpdatePlan;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.io.mapping.ColumnMapping;
import dev.usermgmt.io.mapping.MappingContext;
import dev.usermgmt.io.mapping.UpdateUpload;
import dev.usermgmt.io.table.Cell;
import dev.usermgmt.io.table.ReadOptions;
import dev.usermgmt.io.table.TableReader;
import dev.usermgmt.io.table.TableRow;
import dev.usermgmt.memory.InMemoryStores;
import dev.usermgmt.query.UserQuery;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.Fixtures;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.PhoneNumber;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ExportTest {
  static final RoleCatalog ROLES = RoleCatalog.defaultCatalog();
  final TenantId tenant = Fixtures.freshTenant();
  final Stores stores = InMemoryStores.create();
  final UserDirectory directory = UserDirectory.builder().stores(stores).build();
  final Actor admin =
      Actor.builder().tenant(tenant).userId(UserId.of("admin")).role(ROLES.adminRole()).build();
  static final List<String> DEPARTMENTS = List.of("Sales", "R&D", "=HYPERLINK(\"x\")", "Ops");

  @BeforeEach
  void people() {
    stores
        .attributes()
        .put(
            tenant,
            java.util.Optional.empty(),
            AttributeDefinition.builder()
                .key("level")
                .label("Level")
                .type(AttributeType.NUMBER)
                .build());
    List<User> users = new ArrayList<>();
    for (int n = 0; n < 250; n++) {
      User.Builder b =
          Fixtures.user(tenant, "u" + n).toBuilder()
              .firstName(List.of("Zoë", "Jörg", "Ann-Marie", "日本").get(n % 4))
              .lastName("Nº" + n)
              .displayName(List.of("Zoë", "Jörg", "Ann-Marie", "日本").get(n % 4) + " Nº" + n)
              .primaryEmail(EmailAddress.parse("user" + n + "@example.com"))
              .department(DEPARTMENTS.get(n % DEPARTMENTS.size()))
              .employeeId(String.format(Locale.ROOT, "%05d", n))
              .hireDate(LocalDate.of(2010, 1, 1).plusDays(n * 17L))
              .lastActivityAt(Instant.parse("2026-01-01T10:00:00Z").plusSeconds(n * 3600L))
              .skillsCount(n % 9)
              .attributes(Map.of("level", AttributeValue.number(n % 5)));
      if (n % 3 == 0) {
        b.jobTitle("-Lead, \"Ops\"; line\nbreak");
      }
      if (n % 5 == 0) {
        b.phoneNumber(PhoneNumber.parse("+442079460" + String.format(Locale.ROOT, "%03d", n)));
      }
      if (n > 0) {
        b.managerId(UserId.of("u" + (n - 1) / 4));
      }
      if (n % 11 == 0) {
        b.status(UserStatus.DEACTIVATED).deactivatedAt(Fixtures.T0);
      }
      users.add(b.build());
    }
    stores.users().insert(tenant, users);
  }

  byte[] export(ExportSpec spec, ExportFormat format, UserQuery view) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long n = UserExporter.of(directory).export(admin, view, spec, format, out, BulkListener.NONE);
    assertThat(n).isPositive();
    return out.toByteArray();
  }

  static List<TableRow> read(byte[] bytes) {
    try (TableReader r =
        TableReader.open(new ByteArrayInputStream(bytes), ReadOptions.defaults())) {
      return r.rows().toList();
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = ExportFormat.class,
      names = {"XLSX", "CSV"})
  void theUserColumnExpandsAndReimportsAsAnUpdateThatChangesNothing(ExportFormat format) {
    byte[] file = export(ExportSpec.of(ExportColumn.USER), format, UserQuery.builder().build());
    List<TableRow> rows = read(file);
    assertThat(rows.get(0).texts())
        .containsExactly(
            "displayName",
            "primaryEmail",
            "employeeId",
            "department",
            "jobTitle",
            "inactive",
            "location",
            "hireDate",
            "managerDisplayName",
            "managerPrimaryEmail",
            "managers");
    assertThat(rows).hasSize(251);
    TableRow u6 =
        rows.stream().filter(r -> r.text(1).equals("user6@example.com")).findFirst().orElseThrow();
    assertThat(u6.text(2)).isEqualTo("00006");
    assertThat(u6.text(3)).as("formula-looking text neutralised").isEqualTo("'=HYPERLINK(\"x\")");
    assertThat(u6.text(4)).isEqualTo("'-Lead, \"Ops\"; line\nbreak");
    assertThat(u6.text(9)).isEqualTo("user1@example.com");
    assertThat(u6.text(10)).isEqualTo("Jörg Nº1; Zoë Nº0");
    if (format == ExportFormat.XLSX) {
      assertThat(u6.cell(7).kind()).isEqualTo(Cell.Kind.DATE);
      assertThat(u6.cell(5)).isEqualTo(new Cell(Cell.Kind.BOOLEAN, "FALSE"));
    } else {
      assertThat(u6.text(5)).isEqualTo("No");
    }

    BulkEngine engine = BulkEngine.of(directory);
    try (TableReader reader =
            TableReader.open(new ByteArrayInputStream(file), ReadOptions.defaults());
        UpdateUpload upload = UpdateUpload.open(reader, MappingContext.of(directory, admin))) {
      ColumnMapping mapping = upload.suggested();
      assertThat(mapping.unmapped())
          .extracting(ColumnMapping.Column::header)
          .containsExactly("inactive", "managerDisplayName", "managers");
      UpdateUpload.MappedRows mapped = upload.collect(mapping);
      assertThat(mapped.problems()).isEmpty();
      UpdatePlan plan =
          engine.planUpdate(admin, mapped.rows(), UpdateOptions.defaults(), BulkListener.NONE);
      assertThat(plan.rows()).hasSize(250);
      assertThat(plan.rows())
          .allSatisfy(
              r -> assertThat(r.kind()).as(r.toString()).isEqualTo(RowPreview.Kind.UNCHANGED));
    }
  }

  @Test
  void onlyVisibleColumnsAndTheViewsUsersInItsOrder() {
    UserQuery view =
        UserQuery.builder()
            .filter(dev.usermgmt.query.FilterParser.parseSyntax("department eq \"Sales\""))
            .sort(List.of(dev.usermgmt.query.SortKey.desc("skills")))
            .build();
    ExportSpec spec = ExportSpec.defaults().withAttributes(List.of("level"));
    List<TableRow> rows = read(export(spec, ExportFormat.CSV, view));
    List<String> expected = new ArrayList<>(ExportColumn.USER.headers());
    expected.addAll(List.of("role", "lastActivityAt", "skillsCount", "status", "attributes.level"));
    assertThat(rows.get(0).texts()).isEqualTo(expected);
    assertThat(rows.get(0).texts().subList(11, 16))
        .containsExactly("role", "lastActivityAt", "skillsCount", "status", "attributes.level");
    List<TableRow> data = rows.subList(1, rows.size());
    assertThat(data).hasSize(63).allSatisfy(r -> assertThat(r.text(3)).isEqualTo("Sales"));
    List<Integer> skills = data.stream().map(r -> Integer.parseInt(r.text(13))).toList();
    assertThat(skills).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    assertThat(rows.get(0).texts()).doesNotContain("company", "groups", "phoneNumber");
  }

  @Test
  void jsonKeepsTypes() throws IOException {
    byte[] json =
        export(
            ExportSpec.of(ExportColumn.USER, ExportColumn.SKILLS, ExportColumn.PHONE_NUMBER),
            ExportFormat.JSON,
            UserQuery.builder()
                .filter(dev.usermgmt.query.FilterParser.parseSyntax("employeeId eq \"00010\""))
                .build());
    JsonNode node = new ObjectMapper().readTree(json);
    assertThat(node.isArray()).isTrue();
    assertThat(node).hasSize(1);
    JsonNode u = node.get(0);
    assertThat(u.get("primaryEmail").asText()).isEqualTo("user10@example.com");
    assertThat(u.get("skillsCount").isInt()).isTrue();
    assertThat(u.get("inactive").isBoolean()).isTrue();
    assertThat(u.get("hireDate").asText()).isEqualTo("2010-06-20");
    assertThat(u.get("phoneNumber").asText()).as("no quote in JSON").isEqualTo("+442079460010");
    assertThat(u.get("location").isNull()).isTrue();
  }

  @Test
  void theUpdateTemplateHasEveryFieldAndDropDowns() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    UpdateTemplate.write(MappingContext.of(directory, admin), out);
    try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(out.toByteArray()))) {
      XSSFSheet sheet = wb.getSheet("Users");
      List<String> headers = new ArrayList<>();
      sheet.getRow(0).forEach(c -> headers.add(c.getStringCellValue()));
      assertThat(headers)
          .startsWith(
              "displayName",
              "primaryEmail",
              "phoneNumber",
              "role",
              "department",
              "location",
              "jobTitle",
              "modules",
              "employeeId",
              "managerId",
              "userType",
              "hireDate")
          .contains("firstName", "groups", "takingABreak", "attributes.level")
          .doesNotContain("status", "domainRoles", "createdAt");
      assertThat(sheet.getDataValidations())
          .extracting(v -> v.getValidationConstraint().getFormula1())
          .containsExactlyInAnyOrder("Roles", "Modules", "YesNo");
      assertThat(wb.isSheetHidden(wb.getSheetIndex("Lists"))).isTrue();
    }
    // the template itself re-imports: every header maps to its field
    try (TableReader reader =
            TableReader.open(new ByteArrayInputStream(out.toByteArray()), ReadOptions.defaults());
        UpdateUpload upload = UpdateUpload.open(reader, MappingContext.of(directory, admin))) {
      assertThat(upload.suggested().unmapped()).isEmpty();
    }
  }

  @Test
  void csvStartsWithAByteOrderMarkAndQuotesEveryField() {
    byte[] csv =
        export(
            ExportSpec.of(ExportColumn.PERMISSION), ExportFormat.CSV, UserQuery.builder().build());
    assertThat(csv[0] & 0xFF).isEqualTo(0xEF);
    String text = new String(csv, 3, csv.length - 3, StandardCharsets.UTF_8);
    assertThat(text).startsWith("\"role\"\r\n\"Learner\"\r\n");
  }
}
