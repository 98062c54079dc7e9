package dev.usermgmt.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.memory.InMemoryStores;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.Fixtures;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class UpdateFromRowsTest {
  static final RoleCatalog ROLES = RoleCatalog.defaultCatalog();
  final TenantId tenant = TenantId.of("acme");
  final Stores stores = InMemoryStores.create();
  final UserDirectory directory = UserDirectory.builder().stores(stores).build();
  final BulkEngine engine = BulkEngine.of(directory);
  final Actor admin =
      Actor.builder().tenant(tenant).userId(UserId.of("admin")).role(ROLES.adminRole()).build();

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
    stores
        .users()
        .insert(
            tenant,
            List.of(
                user("alex", "E1").toBuilder().addModules("LMS").build(),
                user("sam", "E2"),
                user("kim", "E3"),
                user("jo", "E3"),
                user("boss", "E9")));
  }

  User user(String id, String employeeId) {
    return Fixtures.user(tenant, id).toBuilder().employeeId(employeeId).build();
  }

  static UpdateRow row(long n, Map<String, String> cells) {
    return new UpdateRow(n, cells);
  }

  @Test
  void everyRowIsValidatedEvenWhenItsUserIsNotFoundOrItsKeyIsRepeatedOrBad() {
    Map<String, String> columns =
        Map.of("primaryEmail", "A", "hireDate", "B", "phoneNumber", "C", "department", "D");
    List<UpdateRow> rows =
        List.of(
            new UpdateRow(
                2,
                Map.of("primaryEmail", "nobody@example.com", "hireDate", "31/02/2024"),
                columns,
                List.of()),
            new UpdateRow(
                3,
                Map.of("primaryEmail", "ghost@example.com", "phoneNumber", "call me"),
                columns,
                List.of()),
            new UpdateRow(
                4,
                Map.of("primaryEmail", "alex@example.com", "department", "Sales"),
                columns,
                List.of()),
            new UpdateRow(
                5,
                Map.of("primaryEmail", "alex@example.com", "hireDate", "2024-13-01"),
                columns,
                List.of()),
            new UpdateRow(
                6,
                Map.of("primaryEmail", "not-an-address", "hireDate", "yesterday"),
                columns,
                List.of()));
    UpdatePlan plan = engine.planUpdate(admin, rows, UpdateOptions.defaults(), BulkListener.NONE);
    assertThat(plan.rows())
        .extracting(RowPreview::kind)
        .containsExactly(
            RowPreview.Kind.NOT_FOUND,
            RowPreview.Kind.NOT_FOUND,
            RowPreview.Kind.CHANGED,
            RowPreview.Kind.DUPLICATE_KEY,
            RowPreview.Kind.ERROR);
    assertThat(plan.rows().get(0).problems())
        .extracting(
            p ->
                p.code()
                    + "@"
                    + p.row().getAsLong()
                    + ":"
                    + p.field().orElseThrow()
                    + "/"
                    + p.column().orElseThrow())
        .containsExactly("INVALID_DATE@2:hireDate/B");
    assertThat(plan.rows().get(1).problems())
        .extracting(p -> p.code() + ":" + p.field().orElseThrow() + "/" + p.column().orElseThrow())
        .containsExactly("INVALID_PHONE:phoneNumber/C");
    assertThat(plan.rows().get(3).problems())
        .extracting(p -> p.code() + ":" + p.column().orElseThrow())
        .containsExactly("DUPLICATE_KEY_IN_FILE:A", "INVALID_DATE:B");
    assertThat(plan.rows().get(4).problems())
        .extracting(p -> p.code() + ":" + p.column().orElseThrow())
        .containsExactly("INVALID_EMAIL:A", "INVALID_DATE:B");
  }

  @Test
  void aProblemFoundWhileReadingTheFileIsReportedOnceWithFieldAndColumn() {
    Problem read =
        Problem.builder()
            .code(ErrorCode.AMBIGUOUS_DATE)
            .field("hireDate")
            .row(7)
            .column("F")
            .message("03/04/2024 could be either day")
            .build();
    UpdatePlan plan =
        engine.planUpdate(
            admin,
            List.of(
                new UpdateRow(
                    7,
                    Map.of("primaryEmail", "alex@example.com", "hireDate", "03/04/2024"),
                    Map.of("primaryEmail", "B", "hireDate", "F"),
                    List.of(read))),
            UpdateOptions.defaults(),
            BulkListener.NONE);
    assertThat(plan.rows().get(0).kind()).isEqualTo(RowPreview.Kind.ERROR);
    assertThat(plan.rows().get(0).problems()).containsExactly(read);
  }

  @Test
  void previewsEveryRowAndAppliesOnlyTheValidOnes() {
    List<UpdateRow> rows =
        List.of(
            row(
                2,
                Map.of(
                    "primaryEmail",
                    "ALEX@example.com",
                    "department",
                    "Sales",
                    "hireDate",
                    "29/02/2024",
                    "modules",
                    "lxp",
                    "managerId",
                    "boss@example.com",
                    "attributes.level",
                    "3")),
            row(3, Map.of("primaryEmail", "sam@example.com", "department", "")),
            row(4, Map.of("primaryEmail", "nobody@example.com", "department", "Sales")),
            row(
                5,
                Map.of(
                    "primaryEmail", "kim@example.com", "hireDate", "31/02/2024", "role", "owner")),
            row(6, Map.of("primaryEmail", "alex@example.com", "department", "Again")),
            row(7, Map.of("primaryEmail", "jo@example.com", "managerId", "ghost@example.com")));
    UpdatePlan plan =
        engine.planUpdate(
            admin,
            rows,
            new UpdateOptions(
                UpdateOptions.MatchKey.EMAIL,
                Map.of("modules", UpdateOptions.MergePolicy.APPEND),
                Optional.empty(),
                false,
                UpdateOptions.ApplyMode.VALID_ROWS,
                0),
            BulkListener.NONE);
    assertThat(plan.rows())
        .extracting(r -> r.row() + ":" + r.kind())
        .containsExactly(
            "2:CHANGED", "3:UNCHANGED", "4:NOT_FOUND", "5:ERROR", "6:DUPLICATE_KEY", "7:ERROR");
    RowPreview alex = plan.rows().get(0);
    assertThat(alex.diffs())
        .extracting(d -> d.field() + "=" + d.before().orElse("") + "→" + d.after().orElse(""))
        .containsExactlyInAnyOrder(
            "department=→Sales",
            "hireDate=→2024-02-29",
            "modules=LMS→LMS|LXP",
            "managerId=→boss",
            "attributes.level=→3");
    assertThat(plan.rows().get(3).problems())
        .extracting(p -> p.code() + "@" + p.column().orElse(""))
        .containsExactlyInAnyOrder("INVALID_DATE@hireDate");
    assertThat(plan.rows().get(5).problems())
        .extracting(Problem::code)
        .containsExactly(ErrorCode.UNKNOWN_MANAGER);
    assertThat(stores.users().get(tenant, UserId.of("alex")).orElseThrow().department()).isEmpty();

    ApplyResult r = engine.applyUpdate(admin, plan, BulkListener.NONE);
    assertThat(r.changed()).containsExactly(UserId.of("alex"));
    User after = stores.users().get(tenant, UserId.of("alex")).orElseThrow();
    assertThat(after.department()).contains("Sales");
    assertThat(after.hireDate()).contains(LocalDate.of(2024, 2, 29));
    assertThat(after.modules()).containsExactly("LMS", "LXP");
    assertThat(after.managerId()).contains(UserId.of("boss"));
    assertThat(after.attributes()).containsEntry("level", AttributeValue.number(3));

    ApplyResult again = engine.applyUpdate(admin, plan, BulkListener.NONE);
    assertThat(again.changed()).isEmpty();
    assertThat(again.alreadyDone()).containsExactly(UserId.of("alex"));
    engine.undo(admin, r.changeSetIds());
    assertThat(stores.users().get(tenant, UserId.of("alex")).orElseThrow().department()).isEmpty();
  }

  @Test
  void roleAboveTheActorsAndEmployeeIdAmbiguityAreRowErrors() {
    UpdatePlan plan =
        engine.planUpdate(
            admin,
            List.of(
                row(2, Map.of("employeeId", "E2", "role", "Owner")),
                row(3, Map.of("employeeId", "E3", "jobTitle", "Dev")),
                row(4, Map.of("employeeId", "E1", "role", "manager"))),
            new UpdateOptions(
                UpdateOptions.MatchKey.EMPLOYEE_ID,
                Map.of(),
                Optional.empty(),
                false,
                UpdateOptions.ApplyMode.VALID_ROWS,
                0),
            BulkListener.NONE);
    assertThat(plan.rows())
        .extracting(r -> r.row() + ":" + r.kind())
        .containsExactly("2:ERROR", "3:AMBIGUOUS", "4:CHANGED");
    assertThat(plan.rows().get(0).problems().get(0).message()).contains("role above their own");
  }

  @Test
  void unknownColumnsAreRejectedLoudly() {
    assertThatThrownBy(
            () ->
                engine.planUpdate(
                    admin,
                    List.of(
                        row(
                            2,
                            Map.of(
                                "primaryEmail",
                                "alex@example.com",
                                "favouriteColour",
                                "blue",
                                "attributes.salary",
                                "3",
                                "status",
                                "active"))),
                    UpdateOptions.defaults(),
                    BulkListener.NONE))
        .isInstanceOf(InvalidInputException.class)
        .satisfies(
            e ->
                assertThat(((InvalidInputException) e).problems())
                    .extracting(p -> p.column().orElse(""))
                    .containsExactlyInAnyOrder("attributes.salary", "favouriteColour", "status"));
  }

  @Test
  void allOrNothingWritesNothingWhenARowIsBad() {
    UpdatePlan plan =
        engine.planUpdate(
            admin,
            List.of(
                row(2, Map.of("primaryEmail", "alex@example.com", "department", "Sales")),
                row(3, Map.of("primaryEmail", "sam@example.com", "hireDate", "yesterday"))),
            new UpdateOptions(
                UpdateOptions.MatchKey.EMAIL,
                Map.of(),
                Optional.empty(),
                false,
                UpdateOptions.ApplyMode.ALL_OR_NOTHING,
                0),
            BulkListener.NONE);
    assertThatThrownBy(() -> engine.applyUpdate(admin, plan, BulkListener.NONE))
        .isInstanceOf(InvalidInputException.class);
    assertThat(stores.users().get(tenant, UserId.of("alex")).orElseThrow().department()).isEmpty();
  }

  @Test
  void clearMarkerSkipPolicyAndCreatingMissingUsers() {
    stores
        .users()
        .update(
            tenant,
            List.of(
                Fixtures.bumped(
                    stores.users().get(tenant, UserId.of("sam")).orElseThrow(), "Ops")));
    UpdatePlan plan =
        engine.planUpdate(
            admin,
            List.of(
                row(
                    2,
                    Map.of(
                        "primaryEmail",
                        "sam@example.com",
                        "department",
                        "Sales",
                        "jobTitle",
                        "#clear")),
                row(
                    3,
                    Map.of(
                        "primaryEmail",
                        "new@example.com",
                        "firstName",
                        "Nia",
                        "lastName",
                        "Cole",
                        "department",
                        "Sales"))),
            new UpdateOptions(
                UpdateOptions.MatchKey.EMAIL,
                Map.of("department", UpdateOptions.MergePolicy.SKIP),
                Optional.of("#clear"),
                true,
                UpdateOptions.ApplyMode.VALID_ROWS,
                0),
            BulkListener.NONE);
    assertThat(plan.rows())
        .extracting(r -> r.row() + ":" + r.kind())
        .containsExactly("2:UNCHANGED", "3:TO_CREATE");
    ApplyResult r = engine.applyUpdate(admin, plan, BulkListener.NONE);
    assertThat(r.changed()).hasSize(1);
    User created =
        Optional.ofNullable(
                stores
                    .users()
                    .findByEmails(tenant, List.of(EmailAddress.parse("new@example.com")))
                    .get("new@example.com"))
            .orElseThrow();
    assertThat(created.displayName()).isEqualTo("Nia Cole");
    assertThat(created.department()).contains("Sales");
    assertThat(engine.applyUpdate(admin, plan, BulkListener.NONE).alreadyDone())
        .contains(created.id());
  }

  @Test
  void aManagerCycleAcrossRowsIsAnError() {
    UpdatePlan plan =
        engine.planUpdate(
            admin,
            List.of(
                row(2, Map.of("primaryEmail", "alex@example.com", "managerId", "sam@example.com")),
                row(3, Map.of("primaryEmail", "sam@example.com", "managerId", "alex@example.com"))),
            UpdateOptions.defaults(),
            BulkListener.NONE);
    assertThat(plan.rows()).extracting(RowPreview::kind).containsOnly(RowPreview.Kind.ERROR);
    assertThat(plan.rows().get(0).problems().get(0).code()).isEqualTo(ErrorCode.MANAGER_CYCLE);
  }
}
