package dev.usermgmt.io.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.UserMgmtException;
import dev.usermgmt.access.Actor;
import dev.usermgmt.bulk.ActionImportPlan;
import dev.usermgmt.bulk.ActionRow;
import dev.usermgmt.bulk.BulkEngine;
import dev.usermgmt.bulk.BulkLimits;
import dev.usermgmt.bulk.BulkListener;
import dev.usermgmt.bulk.RowPreview;
import dev.usermgmt.bulk.UpdateOptions;
import dev.usermgmt.bulk.UpdatePlan;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.io.table.ReadOptions;
import dev.usermgmt.io.table.TableReader;
import dev.usermgmt.io.table.TableRow;
import dev.usermgmt.memory.InMemoryStores;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.Fixtures;
import dev.usermgmt.user.EmailAddress;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

/** Uploads with ragged, blank and over-long rows: nothing lost, shifted or misnumbered. */
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
                assertThat(p.code()).isEqualTo(ErrorCode.EXTRA_CELLS);
                assertThat(p.row()).hasValue(2);
                assertThat(p.column()).contains("D");
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
          .satisfies(
              p -> {
                assertThat(p.code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
                assertThat(p.row()).hasValue(3);
                assertThat(p.column()).contains("B");
              });
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
}
