package dev.usermgmt.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.usermgmt.ConflictException;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.jdbc.dialect.Dialect;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.Fixtures;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Driver settings that lose per-row update counts must never hide a conflict: MariaDB's bulk
 * statements answer "success, count unknown" (-2) even for a stale version-checked UPDATE, and
 * pgjdbc's batch rewriting does the same for inserts. The store proves each row by its write token.
 * Also checks, with EXPLAIN, that the batched e-mail lookup uses the e-mail index and that a page
 * in id order (exports walk every page) is read from the primary key in order, not sorted, on each
 * database.
 */
final class DriverSettingsTest {

  private static Stores storesWith(Dialect d, String urlOptions) {
    Databases.dataSource(d); // migrated, or skipped / failed as configured
    HikariConfig config = new HikariConfig();
    String url = Databases.url(d);
    config.setJdbcUrl(url + (url.contains("?") ? "&" : "?") + urlOptions);
    config.setUsername(Databases.user(d));
    config.setPassword("");
    config.setMaximumPoolSize(2);
    return JdbcStores.create(new HikariDataSource(config));
  }

  private static void staleRowInABatchIsAConflict(Stores stores) {
    TenantId t = Fixtures.freshTenant();
    User a = Fixtures.user(t, "a");
    User b = Fixtures.user(t, "b");
    stores.users().insert(t, List.of(a, b));
    stores.users().update(t, List.of(Fixtures.bumped(b, "moved on")));
    assertThatThrownBy(
            () ->
                stores.users().update(t, List.of(Fixtures.bumped(a, "X"), Fixtures.bumped(b, "Y"))))
        .isInstanceOf(ConflictException.class)
        .extracting(e -> ((ConflictException) e).code())
        .isEqualTo(ErrorCode.VERSION_CONFLICT);
    assertThat(stores.users().get(t, a.id())).contains(a);
    assertThatThrownBy(() -> stores.users().delete(t, Map.of(b.id(), 1L)))
        .isInstanceOf(ConflictException.class);
    // a user already gone is a conflict too, in a batch whose counts the driver does not know;
    // the user beside it is not deleted
    User gone = Fixtures.user(t, "e");
    User kept = Fixtures.user(t, "f");
    stores.users().insert(t, List.of(gone, kept));
    stores.users().delete(t, Map.of(gone.id(), 1L));
    for (Map<UserId, Long> both :
        List.of(
            new java.util.LinkedHashMap<>(Map.of(kept.id(), 1L)),
            new java.util.LinkedHashMap<>(Map.of(gone.id(), 1L)))) {
      both.putAll(Map.of(kept.id(), 1L, gone.id(), 1L));
      assertThatThrownBy(() -> stores.users().delete(t, both))
          .isInstanceOf(ConflictException.class)
          .extracting(e -> ((ConflictException) e).code())
          .isEqualTo(ErrorCode.VERSION_CONFLICT);
      assertThat(stores.users().get(t, kept.id())).contains(kept);
    }
    User dup =
        Fixtures.user(t, "c").toBuilder().primaryEmail(EmailAddress.parse("A@example.com")).build();
    assertThatThrownBy(() -> stores.users().insert(t, List.of(Fixtures.user(t, "d"), dup)))
        .isInstanceOf(ConflictException.class)
        .extracting(e -> ((ConflictException) e).code())
        .isEqualTo(ErrorCode.EMAIL_TAKEN);
    assertThat(stores.users().get(t, Fixtures.user(t, "d").id())).isEmpty();
  }

  @Test
  void mariaDbBulkStatementsNeverHideAStaleRow() {
    staleRowInABatchIsAConflict(
        storesWith(Dialect.MARIADB, "useBulkStmts=true&useBulkStmtsForInserts=true"));
  }

  @Test
  void pgjdbcBatchRewritingNeverHidesAConflict() {
    staleRowInABatchIsAConflict(storesWith(Dialect.POSTGRESQL, "reWriteBatchedInserts=true"));
  }

  /**
   * PostgreSQL writes a chunk of updates as arrays: text that array literals quote or treat
   * specially, absent values beside present ones, and dates, numbers and booleans must come back
   * exactly as written, on every database.
   */
  @ParameterizedTest
  @EnumSource(Dialect.class)
  void updatesKeepAwkwardValuesExactly(Dialect d) {
    Stores stores = Databases.stores(d);
    TenantId t = Fixtures.freshTenant();
    List<String> texts =
        List.of(
            "NULL",
            "{a,b}",
            "say \"hi\"",
            "back\\slash",
            "a, b",
            "line\nbreak",
            "ünïcødé 😀",
            "'quoted'",
            "x".repeat(500));
    List<User> users = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      users.add(Fixtures.user(t, "w" + i));
    }
    stores.users().insert(t, users);
    List<User> changed = new ArrayList<>();
    for (int i = 0; i < users.size(); i++) {
      User.Builder b = Fixtures.bumped(users.get(i), texts.get(i)).toBuilder();
      if (i % 2 == 0) {
        b.jobTitle(texts.get(texts.size() - 1 - i))
            .hireDate(java.time.LocalDate.of(1999 + i, 12, 31))
            .takingABreak(true);
      } else {
        b.lastName(Optional.empty()).lockedOut(true);
      }
      changed.add(b.build());
    }
    stores.users().update(t, changed);
    for (User u : changed) {
      assertThat(stores.users().get(t, u.id())).contains(u);
    }
  }

  @Test
  void aUserTwiceInOneUpdateIsAConflict() {
    for (Dialect d : Dialect.values()) {
      Stores stores = Databases.stores(d);
      TenantId t = Fixtures.freshTenant();
      User a = Fixtures.user(t, "a");
      stores.users().insert(t, List.of(a));
      assertThatThrownBy(
              () ->
                  stores
                      .users()
                      .update(t, List.of(Fixtures.bumped(a, "X"), Fixtures.bumped(a, "Y"))))
          .as(d.name())
          .isInstanceOf(ConflictException.class);
      assertThat(stores.users().get(t, a.id())).as(d.name()).contains(a);
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void theBatchedEmailLookupUsesTheEmailIndex(Dialect d) throws Exception {
    Stores stores = Databases.stores(d);
    TenantId t = Fixtures.freshTenant();
    insertUsers(stores, t, 200);
    List<String> keys = List.of("p1@example.com", "p2@example.com", "p3@example.com");
    String plan =
        explain(
            d,
            d.selectByKeys("u.id", "email_key", keys.size()),
            ps -> d.bindKeyLookup(ps, keys, t.value()));
    assertThat(plan.toLowerCase(Locale.ROOT)).as(plan).contains("ux_um_users_email");
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void pagesInIdOrderComeFromThePrimaryKeyWithoutASort(Dialect d) throws Exception {
    Stores stores = Databases.stores(d);
    TenantId t = Fixtures.freshTenant();
    insertUsers(stores, t, 5000);
    dev.usermgmt.query.PreparedQuery q =
        dev.usermgmt.query.PreparedQuery.prepare(
            dev.usermgmt.query.UserQuery.builder().build(),
            dev.usermgmt.attribute.AttributeSchema.empty(),
            dev.usermgmt.role.RoleCatalog.defaultCatalog(),
            java.util.Optional.of(
                new dev.usermgmt.query.Keyset(List.of(), dev.usermgmt.UserId.of("p1000"))),
            50);
    String plan = explainPage(d, q, t);
    String p = plan.toLowerCase(Locale.ROOT);
    switch (d) {
      case H2 -> assertThat(p).as(plan).contains("index sorted");
      case POSTGRESQL -> assertThat(p).as(plan).contains("index scan").doesNotContain("sort  (");
      default -> assertThat(p).as(plan).doesNotContain("filesort");
    }
  }

  /**
   * A page sorted by a column some users have no value in, read from the column's index in order
   * rather than sorting every matching user, in either direction, past a user with a value and past
   * one without, on fresh statistics (the planner chose a sort of every user after the position
   * once it had statistics): the order ties on id in the sort's direction; H2 and MariaDB, which
   * sort NULL as the smallest value, and PostgreSQL where the users after the position are two
   * ranges of the index, read the users without a value and those with one as two index-ordered
   * parts.
   */
  @ParameterizedTest
  @EnumSource(Dialect.class)
  void pagesSortedByANullableColumnReadItsIndexInOrder(Dialect d) throws Exception {
    Stores stores = Databases.stores(d);
    TenantId t = Fixtures.freshTenant();
    List<User> users = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      User u = Fixtures.user(t, "s" + i);
      users.add(
          i % 3 == 0
              ? u
              : u.toBuilder()
                  .lastActivityAt(java.time.Instant.ofEpochSecond(1_700_000_000L + i))
                  .build());
    }
    stores.users().insert(t, users);
    for (String sort : List.of("-lastActivity", "lastActivity")) {
      for (Optional<Object> at :
          List.<Optional<Object>>of(
              Optional.of(java.time.Instant.ofEpochSecond(1_700_002_000L)), Optional.empty())) {
        dev.usermgmt.query.PreparedQuery q =
            dev.usermgmt.query.PreparedQuery.prepare(
                dev.usermgmt.query.UserQuery.parse(
                    "sortBy=" + sort + "&pageSize=50",
                    dev.usermgmt.attribute.AttributeSchema.empty()),
                dev.usermgmt.attribute.AttributeSchema.empty(),
                dev.usermgmt.role.RoleCatalog.defaultCatalog(),
                Optional.of(
                    new dev.usermgmt.query.Keyset(
                        List.of(at), dev.usermgmt.UserId.of(at.isPresent() ? "s2000" : "s2001"))),
                50);
        String plan = sort + " past " + at + ":\n" + explainPage(d, q, t);
        String p = plan.toLowerCase(Locale.ROOT);
        switch (d) {
          case H2 -> {
            assertThat(p).as(plan).contains("ix_um_users_activity");
            // descending past no value, the users with a value are all after the position: that
            // part has no bound, and H2 2.3 reads it as it reads a first page, by whichever index
            // leads with the tenant, and sorts it (left as it was)
            if (at.isPresent() || !sort.startsWith("-")) {
              assertThat(p).as(plan).contains("index sorted").doesNotContain("index sorted: ");
            }
          }
          case POSTGRESQL ->
              assertThat(p).as(plan).contains("ix_um_users_activity").doesNotContain("sort  (");
          default -> {
            // each part reads the index in order
            for (String line : p.split("\n", -1)) {
              if (line.contains(" u ")) {
                assertThat(line)
                    .as(plan)
                    .contains("ix_um_users_activity")
                    .doesNotContain("filesort");
              }
            }
          }
        }
      }
    }
  }

  /** The plan of a page query. */
  private static String explainPage(Dialect d, dev.usermgmt.query.PreparedQuery q, TenantId t)
      throws Exception {
    StringBuilder plans = new StringBuilder();
    for (dev.usermgmt.jdbc.internal.Sql sql :
        dev.usermgmt.jdbc.internal.SqlTranslator.select(q, t, d)) {
      plans.append(
          explain(
              d,
              // EXPLAIN takes the SELECT without MariaDB's statement-scoped max_sort_length
              sql.text().replaceFirst("^SET STATEMENT max_sort_length = \\d+ FOR ", ""),
              ps -> {
                for (int i = 0; i < sql.params().size(); i++) {
                  ps.setObject(i + 1, sql.params().get(i));
                }
              }));
    }
    return plans.toString();
  }

  /** Fills a statement's parameters. */
  private interface Binder {
    void bind(PreparedStatement ps) throws java.sql.SQLException;
  }

  /**
   * The plan of a statement on fresh statistics. At test sizes a sequential scan is cheapest on
   * PostgreSQL, so it is asked whether an index can serve.
   */
  private static String explain(Dialect d, String sql, Binder binder) throws Exception {
    StringBuilder plan = new StringBuilder();
    try (Connection c = Databases.dataSource(d).getConnection()) {
      try (Statement st = c.createStatement()) {
        switch (d) {
          case POSTGRESQL -> {
            st.execute("ANALYZE um_users");
            st.execute("SET enable_seqscan = off");
          }
          case MARIADB -> st.execute("ANALYZE TABLE um_users");
          default -> {}
        }
      }
      try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + sql)) {
        binder.bind(ps);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
              plan.append(rs.getString(i)).append(' ');
            }
            plan.append('\n');
          }
        }
      }
      if (d == Dialect.POSTGRESQL) {
        try (Statement st = c.createStatement()) {
          st.execute("RESET enable_seqscan");
        }
      }
    }
    return plan.toString();
  }

  private static void insertUsers(Stores stores, TenantId t, int n) {
    List<User> users = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      users.add(Fixtures.user(t, "p" + i));
    }
    stores.users().insert(t, users);
  }
}
