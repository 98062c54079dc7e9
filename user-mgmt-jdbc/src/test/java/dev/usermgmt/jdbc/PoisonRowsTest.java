package dev.usermgmt.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.bulk.ApplyResult;
import dev.usermgmt.bulk.BulkEngine;
import dev.usermgmt.bulk.BulkListener;
import dev.usermgmt.bulk.RowPreview;
import dev.usermgmt.bulk.UpdateOptions;
import dev.usermgmt.bulk.UpdatePlan;
import dev.usermgmt.bulk.UpdateRow;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.jdbc.dialect.Dialect;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.Fixtures;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserField;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Poison values on each database: every documented bound of the value model, with a value at it and
 * one just past it, in an update file. Past the bound, the row is refused in the preview with its
 * row, column and field, alone and as row 702 of a 1,000-row file, and the apply writes every other
 * row; at the bound, the value is written and read back unchanged. Never a {@code store_failure}.
 */
final class PoisonRowsTest {
  private static final int USERS = 1000;
  private static final int POISON_ROW = 702;

  /** A column of an update file, a value at its bound and one just past it. */
  private record Bound(String column, String at, String past) {}

  private static final List<Bound> BOUNDS =
      List.of(
          new Bound("department", "d".repeat(500), "d".repeat(501)),
          // the fi ligature folds to two characters: 250 fold to 500, 251 to 502
          new Bound("lastName", "\uFB01".repeat(250), "\uFB01".repeat(251)),
          new Bound("jobTitle", "x".repeat(498) + "\uD83D\uDE00", "x".repeat(499) + "\uD83D\uDE00"),
          new Bound("department", "tab\there", "nul\u0000here"),
          new Bound("department", "line\nfeed", "lone\uD800surrogate"),
          new Bound("department", "\uFFFD", "\uFFFF"),
          new Bound("groups", "g".repeat(200), "g".repeat(201)),
          new Bound("attributes.note", "n".repeat(2000), "n".repeat(2001)),
          new Bound(
              "attributes.note", "\uD835\uDC9C".repeat(1000), "\uD835\uDC9C".repeat(1000) + "n"),
          new Bound("attributes.amount", "9".repeat(35), "1" + "0".repeat(35)),
          new Bound("attributes.amount", "0." + "0".repeat(29) + "1", "0." + "0".repeat(30) + "1"),
          new Bound("attributes.amount", "0.30000000000000004", "-" + "9".repeat(36)),
          new Bound("attributes.since", "9999-12-31", "+10000-01-01"),
          new Bound("attributes.since", "0001-01-01", "0000-12-31"),
          new Bound("hireDate", "9999-12-31", "+10000-01-01"));

  private static final UpdateOptions BY_ID =
      new UpdateOptions(
          UpdateOptions.MatchKey.ID,
          Map.of(),
          Optional.empty(),
          false,
          UpdateOptions.ApplyMode.VALID_ROWS,
          0);

  private record Setup(Stores stores, TenantId t, BulkEngine engine, Actor support) {
    static Setup of(Dialect dialect) {
      Stores stores = Databases.stores(dialect);
      TenantId t = Fixtures.freshTenant();
      // a row may add only a group the tenant has: the longest id there is
      stores.groups().put(t, dev.usermgmt.group.Group.of("g".repeat(200), "Longest"));
      stores
          .attributes()
          .put(
              t,
              java.util.Optional.empty(),
              AttributeDefinition.builder()
                  .key("note")
                  .label("Note")
                  .type(AttributeType.TEXT)
                  .build());
      stores
          .attributes()
          .put(
              t,
              java.util.Optional.empty(),
              AttributeDefinition.builder()
                  .key("amount")
                  .label("Amount")
                  .type(AttributeType.NUMBER)
                  .build());
      stores
          .attributes()
          .put(
              t,
              java.util.Optional.empty(),
              AttributeDefinition.builder()
                  .key("since")
                  .label("Since")
                  .type(AttributeType.DATE)
                  .build());
      List<User> users = new ArrayList<>();
      for (int i = 0; i < USERS; i++) {
        users.add(Fixtures.user(t, "k" + i));
        if (users.size() == stores.users().maxBatchSize()) {
          stores.users().insert(t, users);
          users.clear();
        }
      }
      if (!users.isEmpty()) {
        stores.users().insert(t, users);
      }
      UserDirectory directory =
          UserDirectory.builder().stores(stores).signingKey(Databases.SIGNING_KEY).build();
      Actor support =
          Actor.builder()
              .tenant(t)
              .role(RoleCatalog.defaultCatalog().parse("support"))
              .supportLevel(2)
              .build();
      return new Setup(stores, t, BulkEngine.of(directory), support);
    }

    UpdatePlan plan(List<UpdateRow> rows) {
      return engine.planUpdate(support, rows, BY_ID, BulkListener.NONE);
    }
  }

  /** Row {@code row} of a file (first data row 2) for user k(row-2), with its cells. */
  private static UpdateRow row(int row, Map<String, String> cells) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("id", "k" + (row - 2));
    all.putAll(cells);
    return new UpdateRow(row, all);
  }

  /** A 1,000-row file changing every user's office, with extra cells in some rows. */
  private static List<UpdateRow> file(Map<Integer, Map<String, String>> extra) {
    List<UpdateRow> rows = new ArrayList<>();
    for (int r = 2; r < USERS + 2; r++) {
      Map<String, String> cells = new LinkedHashMap<>();
      cells.put("office", "Office " + r);
      cells.putAll(extra.getOrDefault(r, Map.of()));
      rows.add(row(r, cells));
    }
    return rows;
  }

  private static void assertRefused(RowPreview p, Bound b) {
    assertThat(p.kind()).as("%s past its bound", b.column()).isEqualTo(RowPreview.Kind.ERROR);
    assertThat(p.problems())
        .as("%s past its bound", b.column())
        .isNotEmpty()
        .allSatisfy(x -> assertThat(x.code()).isNotEqualTo(ErrorCode.STORE_FAILURE))
        .anySatisfy(
            x -> {
              assertThat(x.row()).hasValue(p.row());
              assertThat(x.field().orElse("") + x.column().orElse("")).contains(b.column());
            });
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void valuesPastEachBoundAreRefusedInThePreviewAloneAndAsRow702(Dialect dialect) {
    Setup s = Setup.of(dialect);
    for (Bound b : BOUNDS) {
      UpdatePlan alone = s.plan(List.of(row(2, Map.of(b.column(), b.past()))));
      assertRefused(alone.rows().get(0), b);

      UpdatePlan inFile =
          s.plan(
              file(
                  Map.of(
                      POISON_ROW - 1,
                      Map.of(b.column(), b.at()),
                      POISON_ROW,
                      Map.of(b.column(), b.past()))));
      assertThat(inFile.count(RowPreview.Kind.CHANGED)).as(b.column()).isEqualTo(USERS - 1);
      RowPreview poison =
          inFile.rows().stream().filter(r -> r.row() == POISON_ROW).findFirst().orElseThrow();
      assertRefused(poison, b);
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void anApplyWritesEveryValueAtItsBoundAndNeverMeetsThePoisonedRow(Dialect dialect) {
    Setup s = Setup.of(dialect);
    Map<Integer, Map<String, String>> extra = new LinkedHashMap<>();
    for (int i = 0; i < BOUNDS.size(); i++) {
      extra.put(POISON_ROW + 1 + i, Map.of(BOUNDS.get(i).column(), BOUNDS.get(i).at()));
    }
    extra.put(POISON_ROW, Map.of("attributes.amount", "0." + "0".repeat(30) + "1"));
    UpdatePlan plan = s.plan(file(extra));
    assertThat(plan.count(RowPreview.Kind.ERROR)).isEqualTo(1);

    ApplyResult result = s.engine().applyUpdate(s.support(), plan, BulkListener.NONE);

    assertThat(result.failed()).isEmpty();
    assertThat(result.changed())
        .hasSize(USERS - 1)
        .doesNotContain(UserId.of("k" + (POISON_ROW - 2)));
    User poisoned = s.stores().users().get(s.t(), UserId.of("k" + (POISON_ROW - 2))).orElseThrow();
    assertThat(poisoned.version()).isEqualTo(1);
    for (int i = 0; i < BOUNDS.size(); i++) {
      Bound b = BOUNDS.get(i);
      User u = s.stores().users().get(s.t(), UserId.of("k" + (POISON_ROW - 1 + i))).orElseThrow();
      Object stored;
      if (b.column().startsWith("attributes.")) {
        stored =
            java.util.Objects.requireNonNull(
                    u.attributes().get(b.column().substring("attributes.".length())))
                .canonical();
      } else if (b.column().equals("groups")) {
        stored = String.join(",", u.groups());
      } else {
        stored = UserField.byKey(b.column()).orElseThrow().get(u).orElseThrow().toString();
      }
      assertThat(stored).as("%s at its bound", b.column()).isEqualTo(b.at());
    }
  }
}
