package dev.usermgmt.io.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.UserMgmtException;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.bulk.BulkLimits;
import dev.usermgmt.bulk.DeactivationRequest;
import dev.usermgmt.io.table.Cell;
import dev.usermgmt.io.table.ReadOptions;
import dev.usermgmt.io.table.TableReader;
import dev.usermgmt.role.RoleCatalog;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

class MappingTest {
  static final AttributeSchema SCHEMA =
      AttributeSchema.of(
          List.of(
              AttributeDefinition.builder()
                  .key("level")
                  .label("Career Level")
                  .type(AttributeType.NUMBER)
                  .build(),
              AttributeDefinition.builder()
                  .key("remote")
                  .label("Remote worker")
                  .type(AttributeType.BOOLEAN)
                  .build()));
  static final MappingContext CONTEXT =
      new MappingContext(
          SCHEMA, RoleCatalog.defaultCatalog(), "GB", Set.of("LMS", "LXP", "360 FEEDBACK"));

  static TableReader csv(String text) {
    return TableReader.open(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), ReadOptions.defaults());
  }

  static byte[] fixture(String name) {
    try (InputStream in = MappingTest.class.getResourceAsStream("/fixtures/" + name)) {
      return Objects.requireNonNull(in, name).readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // -------------------------------------------------------------------------- templates

  @Test
  void entraBulkTemplateSkipsTheVersionAndExampleRowsAndReadsBracketedNames() {
    String file =
        "version:v1.0\n"
            + "Name [displayName] Required,User name [userPrincipalName] Required,"
            + "Initial password [passwordProfile] Required,Block sign in (Yes/No) [accountEnabled] Required,"
            + "First name [givenName],Last name [surname],Job title [jobTitle],Department [department],"
            + "Office phone [telephoneNumber]\n"
            + "Example: Chris Green,chris@contoso.com,Secret1!,No,Chris,Green,Analyst,Sales,+1 425 555 0100\n"
            + "Alex Doe,alex@example.com,pw,No,Alex,Doe,Engineer,R&D,020 7946 0018\n";
    try (UpdateUpload upload = UpdateUpload.open(csv(file), CONTEXT)) {
      assertThat(upload.layout().skipped()).hasSize(2);
      assertThat(upload.layout().header().row()).isEqualTo(2);
      ColumnMapping m = upload.suggested();
      assertThat(m.fields())
          .containsExactly(
              Map.entry(0, "displayName"),
              Map.entry(1, "primaryEmail"),
              Map.entry(4, "firstName"),
              Map.entry(5, "lastName"),
              Map.entry(6, "jobTitle"),
              Map.entry(7, "department"),
              Map.entry(8, "phoneNumber"));
      assertThat(m.unmapped()).extracting(ColumnMapping.Column::letter).containsExactly("C", "D");
      UpdateUpload.MappedRows rows = upload.collect(m);
      assertThat(rows.rows()).hasSize(1);
      assertThat(rows.rows().get(0).row()).isEqualTo(4);
      assertThat(rows.rows().get(0).cells())
          .containsEntry("primaryEmail", "alex@example.com")
          .containsEntry("phoneNumber", "020 7946 0018")
          .containsEntry("department", "R&D");
      assertThat(rows.problems()).isEmpty();
    }
  }

  @Test
  void theTemplateSavedBySpreadsheetSoftwareReadsTheSame() {
    try (TableReader reader =
            TableReader.open(
                new ByteArrayInputStream(fixture("bulk-template.xlsx")), ReadOptions.defaults());
        UpdateUpload upload = UpdateUpload.open(reader, CONTEXT)) {
      assertThat(upload.layout().skipped())
          .containsExactly(
              "row 1: template version 'version:v1.0'", "row 3: the template's example row");
      assertThat(upload.suggested().fields())
          .containsExactly(
              Map.entry(0, "displayName"),
              Map.entry(1, "primaryEmail"),
              Map.entry(4, "firstName"),
              Map.entry(5, "lastName"),
              Map.entry(6, "jobTitle"),
              Map.entry(7, "department"));
      UpdateUpload.MappedRows rows = upload.collect(upload.suggested());
      assertThat(rows.rows()).singleElement().satisfies(r -> assertThat(r.row()).isEqualTo(4));
      assertThat(rows.rows().get(0).cells()).containsEntry("department", "R&D");
      assertThat(rows.unmapped())
          .extracting(ColumnMapping.Column::letter)
          .containsExactly("C", "D", "I");
    }
  }

  @Test
  void googleWorkspaceHeadersAndCommonSynonyms() {
    String file =
        "First Name [Required],Last Name [Required],Email Address [Required],Password [Required],"
            + "Recovery Phone [MUST BE IN THE E.164 FORMAT],Employee ID,Manager Email,Employee Title,"
            + "Career level,E-mail,Work Email\n"
            + "Kim,Lee,kim@example.com,x,,00042,boss@example.com,CTO,3,,\n";
    try (UpdateUpload upload = UpdateUpload.open(csv(file), CONTEXT)) {
      ColumnMapping m = upload.suggested();
      assertThat(m.fields())
          .containsExactly(
              Map.entry(0, "firstName"),
              Map.entry(1, "lastName"),
              Map.entry(2, "primaryEmail"),
              Map.entry(5, "employeeId"),
              Map.entry(6, "managerId"),
              Map.entry(7, "jobTitle"),
              Map.entry(8, "attributes.level"));
      assertThat(m.columns().get(9).note())
          .hasValueSatisfying(n -> assertThat(n).contains("column C already sets primaryEmail"));
      assertThat(m.unmapped())
          .extracting(ColumnMapping.Column::header)
          .containsExactly(
              "Password [Required]",
              "Recovery Phone [MUST BE IN THE E.164 FORMAT]",
              "E-mail",
              "Work Email");
      UpdateUpload.MappedRows rows = upload.collect(m);
      assertThat(rows.rows().get(0).cells())
          .containsEntry("employeeId", "00042")
          .containsEntry("attributes.level", "3");
    }
  }

  @Test
  void theCallerEditsTheMappingAndBadMappingsAreRefusedWithTheirColumns() {
    try (UpdateUpload upload =
        UpdateUpload.open(csv("Mail,Team,Team2\na@x.io,Red,Blue\n"), CONTEXT)) {
      ColumnMapping m = upload.suggested();
      assertThat(m.fields()).containsExactly(Map.entry(0, "primaryEmail"));
      ColumnMapping edited = m.map(1, "department").map(2, "department");
      assertThatThrownBy(() -> edited.validate(SCHEMA))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("columns B and C both set department");
      ColumnMapping unknown = m.map(1, "status").map(2, "attributes.nope");
      assertThatThrownBy(() -> unknown.validate(SCHEMA))
          .isInstanceOf(InvalidInputException.class)
          .satisfies(
              e -> {
                UserMgmtException u = (UserMgmtException) e;
                assertThat(u.problems())
                    .extracting(p -> p.code())
                    .containsExactly(ErrorCode.UNKNOWN_FIELD, ErrorCode.UNKNOWN_ATTRIBUTE);
                assertThat(u.problems())
                    .extracting(p -> p.column().orElseThrow())
                    .containsExactly("B", "C");
              });
      ColumnMapping ok = m.map(1, "department").unmap(2);
      assertThat(upload.collect(ok).rows().get(0).cells())
          .containsExactly(Map.entry("primaryEmail", "a@x.io"), Map.entry("department", "Red"));
    }
  }

  @Test
  void cellsNoParserAcceptsAreProblemsWithRowAndColumnAndKeepTheirText() {
    try (UpdateUpload upload =
        UpdateUpload.open(
            csv("email,hireDate,role\na@x.io,03/04/24,Wizard\nb@x.io,31/12/2023,admin\n"),
            CONTEXT)) {
      UpdateUpload.MappedRows rows = upload.collect(upload.suggested());
      assertThat(rows.problems())
          .extracting(p -> p.code(), p -> p.row().orElseThrow(), p -> p.column().orElseThrow())
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(ErrorCode.AMBIGUOUS_DATE, 2L, "B"),
              org.assertj.core.groups.Tuple.tuple(ErrorCode.INVALID_ROLE, 2L, "C"));
      assertThat(rows.rows().get(0).cells()).containsEntry("hireDate", "03/04/24");
      assertThat(rows.rows().get(1).cells())
          .containsEntry("hireDate", "2023-12-31")
          .containsEntry("role", "admin");
    }
  }

  @Test
  void aCellProblemTravelsWithItsRowSoThePlanReportsItOnceWithFieldAndColumn() {
    try (UpdateUpload upload =
        UpdateUpload.open(
            csv("name,email,hireDate\nA,a@x.io,03/04/24\nB,b@x.io,31/12/2023\n"), CONTEXT)) {
      UpdateUpload.MappedRows rows = upload.collect(upload.suggested());
      assertThat(rows.rows().get(0).problems())
          .extracting(
              p -> p.code(),
              p -> p.field().orElseThrow(),
              p -> p.row().orElseThrow(),
              p -> p.column().orElseThrow())
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(ErrorCode.AMBIGUOUS_DATE, "hireDate", 2L, "C"));
      assertThat(rows.rows().get(0).column("primaryEmail")).isEqualTo("B");
      assertThat(rows.rows().get(1).problems()).isEmpty();
    }
  }

  // -------------------------------------------------------------------------- e-mail column

  @ParameterizedTest
  @ValueSource(strings = {"people.xlsx", "people-comma-utf8.csv", "people.xls"})
  void oneEmailColumnIsChosenWithoutAsking(String name) {
    try (TableReader r =
        TableReader.open(new ByteArrayInputStream(fixture(name)), ReadOptions.defaults())) {
      DeactivationUpload upload = DeactivationUpload.read(r, BulkLimits.DEFAULT);
      assertThat(upload.emailColumns().chosen())
          .hasValueSatisfying(c -> assertThat(c.header()).isEqualTo("email"));
      DeactivationRequest request = upload.request(false);
      assertThat(request.emails())
          .containsExactly(
              "alex@example.com", "Sam@Example.com", "hidden@example.com", "jordan@example.com");
      assertThat(request.allowInternalEmails()).isFalse();
    }
  }

  @Test
  void severalEmailColumnsAskTheCallerToPick() {
    String file =
        "name,work,private\nA,a@x.io,a@home.io\nB,b@x.io,not-an-email\nC,c@x.io,c@home.io\n";
    try (TableReader r = csv(file)) {
      DeactivationUpload upload = DeactivationUpload.read(r, BulkLimits.DEFAULT);
      assertThat(upload.emailColumns().candidates())
          .extracting(EmailColumns.Candidate::header)
          .containsExactly("work", "private");
      assertThat(upload.emailColumns().chosen()).isEmpty();
      // the choice is data a host shows: index, header and share of valid cells
      assertThatThrownBy(() -> upload.request(true))
          .isInstanceOfSatisfying(
              EmailColumnChoiceException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.CHOOSE_EMAIL_COLUMN);
                assertThat(e.candidates().candidates())
                    .extracting(
                        EmailColumns.Candidate::index,
                        EmailColumns.Candidate::header,
                        EmailColumns.Candidate::share)
                    .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, "work", 1.0),
                        org.assertj.core.groups.Tuple.tuple(2, "private", 2.0 / 3));
              })
          .hasMessageContaining("'work'");
      DeactivationRequest chosen = upload.request(2, true);
      assertThat(chosen.emails()).containsExactly("a@home.io", "not-an-email", "c@home.io");
      assertThat(chosen.rows()).containsExactly(2L, 3L, 4L);
    }
  }

  @Test
  void aFileWithNoEmailsOrTooManyRowsIsRefused() {
    try (TableReader r = csv("name\nA\nB\n")) {
      DeactivationUpload upload = DeactivationUpload.read(r, BulkLimits.DEFAULT);
      assertThatThrownBy(() -> upload.request(false))
          .satisfies(
              e -> assertThat(((UserMgmtException) e).code()).isEqualTo(ErrorCode.MISSING_FIELD));
    }
    try (TableReader r = csv("email\na@x.io\nb@x.io\nc@x.io\n")) {
      assertThatThrownBy(() -> DeactivationUpload.read(r, new BulkLimits(1, 2, 500)))
          .satisfies(
              e -> {
                assertThat(((UserMgmtException) e).code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
                assertThat(((UserMgmtException) e).row()).hasValue(4);
              });
    }
  }

  @Test
  void actionFilesKeepEveryRowInOrder() {
    try (TableReader r =
        csv("action,username,first,last\nadd-user,a@x.io,A,B\nremove-user,c@x.io,,\n")) {
      assertThat(ActionUpload.rows(r))
          .containsExactly(
              List.of("action", "username", "first", "last"),
              List.of("add-user", "a@x.io", "A", "B"),
              List.of("remove-user", "c@x.io"));
    }
  }

  // -------------------------------------------------------------------------- value parsers

  @ParameterizedTest
  @CsvSource({
    "TEXT, 01/03/2024, 2024-03-01",
    "TEXT, 1/3/2024, 2024-03-01",
    "TEXT, 1.3.2024, 2024-03-01",
    "TEXT, 01-03-2024, 2024-03-01",
    "TEXT, 2024-03-01, 2024-03-01",
    "TEXT, 2024-03-01T10:00:00Z, 2024-03-01",
    "TEXT, 2024/3/1, 2024-03-01",
    "TEXT, 1 Mar 2024, 2024-03-01",
    "TEXT, 'March 1, 2024', 2024-03-01",
    "DATE, 2024-03-01, 2024-03-01",
    "DATE, 2024-03-01T09:30, 2024-03-01",
    "NUMBER, 45352, 2024-03-01",
    "NUMBER, 1, 1900-01-01",
    "NUMBER, 61, 1900-03-01",
  })
  void datesInEveryFormTheFilesUse(Cell.Kind kind, String text, LocalDate expected) {
    assertThat(ValueParsers.date("hireDate", new Cell(kind, text))).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "03/04/24, ambiguous_date",
    "12/31/2024, ambiguous_date",
    "31/02/2024, invalid_date",
    "45352, invalid_date",
    "soon, invalid_date",
    "2024-13-01, invalid_date",
  })
  void ambiguousOrWrongDatesAreErrorsNotGuesses(String text, String code) {
    assertThatThrownBy(() -> ValueParsers.date("hireDate", Cell.text(text)))
        .isInstanceOf(InvalidInputException.class)
        .satisfies(
            e -> {
              UserMgmtException u = (UserMgmtException) e;
              assertThat(u.code().id()).isEqualTo(code);
              assertThat(u.field()).contains("hireDate");
            });
  }

  /**
   * A date column's conversion (which writes {@code dd/mm/yyyy} as ISO text without parsing it
   * through {@link LocalDate}) says what {@link ValueParsers#date} says, or fails with its code.
   */
  @Test
  void aDateColumnConvertsAsTheDateParserReads() {
    qt().withExamples(3000)
        .forAll(
            SourceDSL.integers().between(0, 79), // a day, zero-padded from 40 on
            SourceDSL.integers().between(0, 19),
            SourceDSL.integers().between(0, 10_500),
            Generate.pick(List.of("/", ".", "-", "/.", " ")))
        .checkAssert(
            (dayAndPadding, month, year, sep) -> {
              int day = dayAndPadding % 40;
              boolean padded = dayAndPadding >= 40;
              String d = padded ? String.format(java.util.Locale.ROOT, "%02d", day) : "" + day;
              String m = padded ? String.format(java.util.Locale.ROOT, "%02d", month) : "" + month;
              String text = d + sep.charAt(0) + m + sep.charAt(sep.length() - 1) + year;
              String expected;
              try {
                expected = ValueParsers.date("hireDate", Cell.text(text)).toString();
              } catch (UserMgmtException e) {
                assertThatThrownBy(
                        () -> ValueParsers.canonical("hireDate", Cell.text(text), CONTEXT))
                    .as(text)
                    .isInstanceOf(InvalidInputException.class)
                    .satisfies(f -> assertThat(((UserMgmtException) f).code()).isEqualTo(e.code()));
                return;
              }
              assertThat(ValueParsers.canonical("hireDate", Cell.text(text), CONTEXT))
                  .as(text)
                  .isEqualTo(expected);
            });
  }

  @Test
  void phonesBooleansNumbersListsRolesAndModules() {
    assertThat(ValueParsers.phone("phoneNumber", Cell.text("020 7946 0018"), "GB").e164())
        .isEqualTo("+442079460018");
    assertThat(
            ValueParsers.phone("phoneNumber", new Cell(Cell.Kind.NUMBER, "442079460018"), "US")
                .e164())
        .isEqualTo("+442079460018");
    assertThatThrownBy(() -> ValueParsers.phone("phoneNumber", Cell.text("12"), "GB"))
        .satisfies(
            e -> assertThat(((UserMgmtException) e).code()).isEqualTo(ErrorCode.INVALID_PHONE));
    for (String yes : List.of("Yes", "y", "TRUE", "1", "on")) {
      assertThat(ValueParsers.bool("remote", Cell.text(yes))).isTrue();
    }
    for (String no : List.of("No", "N", "false", "0", "off")) {
      assertThat(ValueParsers.bool("remote", Cell.text(no))).isFalse();
    }
    assertThatThrownBy(() -> ValueParsers.bool("remote", Cell.text("maybe")))
        .satisfies(
            e -> assertThat(((UserMgmtException) e).code()).isEqualTo(ErrorCode.INVALID_BOOLEAN));
    assertThat(ValueParsers.number("level", Cell.text("1,234.50"))).isEqualByComparingTo("1234.5");
    assertThat(ValueParsers.number("level", Cell.text("1.234,50"))).isEqualByComparingTo("1234.5");
    assertThat(ValueParsers.number("level", Cell.text("2,5"))).isEqualByComparingTo("2.5");
    assertThatThrownBy(() -> ValueParsers.number("level", Cell.text("two")))
        .satisfies(
            e -> assertThat(((UserMgmtException) e).code()).isEqualTo(ErrorCode.INVALID_NUMBER));
    assertThat(ValueParsers.canonical("modules", Cell.text("lms; 360 feedback\nLXP"), CONTEXT))
        .isEqualTo("LMS, 360 FEEDBACK, LXP");
    assertThatThrownBy(() -> ValueParsers.canonical("modules", Cell.text("LMS, Chess"), CONTEXT))
        .satisfies(
            e -> assertThat(((UserMgmtException) e).code()).isEqualTo(ErrorCode.UNKNOWN_MODULE))
        .hasMessageContaining("Chess");
    assertThat(ValueParsers.canonical("groups", Cell.text("a;b"), CONTEXT)).isEqualTo("a, b");
    assertThat(ValueParsers.canonical("role", Cell.text("Admin"), CONTEXT)).isEqualTo("admin");
    assertThat(ValueParsers.canonical("role", new Cell(Cell.Kind.NUMBER, "1"), CONTEXT))
        .isEqualTo(RoleCatalog.defaultCatalog().byLevel(1).orElseThrow().key());
    assertThat(
            ValueParsers.canonical(
                "attributes.remote", new Cell(Cell.Kind.BOOLEAN, "TRUE"), CONTEXT))
        .isEqualTo("true");
    assertThat(ValueParsers.canonical("takingABreak", Cell.text("Yes"), CONTEXT)).isEqualTo("true");
    assertThat(ValueParsers.canonical("department", Cell.text("  Sales "), CONTEXT))
        .isEqualTo("Sales");
    assertThat(ValueParsers.canonical("department", Cell.BLANK, CONTEXT)).isEmpty();
    assertThat(Optional.of(ValueParsers.canonical("attributes.level", Cell.text("7"), CONTEXT)))
        .contains("7");
  }
}
