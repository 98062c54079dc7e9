package dev.usermgmt.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usermgmt.ConflictException;
import dev.usermgmt.TenantId;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.jdbc.dialect.Dialect;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.Fixtures;
import dev.usermgmt.user.User;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link JdbcStores#rederive} puts back every value the store derives from a user's document, as an
 * older library, Java or ICU4J may have worked them out (here: overwritten with SQL), and leaves
 * the documents, versions and write tokens as they were; the users read, found and sorted as
 * before.
 */
final class RederiveTest {
  private static final Set<String> NOT_COMPARED = Set.of();

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void everyDerivedValueIsWorkedOutAgainFromTheDocument(Dialect d) throws SQLException {
    Stores stores = Databases.stores(d);
    DataSource ds = Databases.dataSource(d);
    TenantId t = Fixtures.freshTenant();
    List<User> users = new ArrayList<>();
    for (int i = 0; i < 2_600; i++) {
      User.Builder b =
          Fixtures.user(t, "r" + i).toBuilder()
              .department(i % 2 == 0 ? "Ventes Équipe" : "Straße " + i)
              .jobTitle("Ingénieur " + (i % 7))
              .addModules("crm")
              .addGroups("g" + (i % 3));
      if (i % 5 == 0) {
        b.putAttributes("note", AttributeValue.text("Überprüft " + i))
            .putAttributes("level", AttributeValue.number(new BigDecimal(i)));
      }
      users.add(b.build());
    }
    stores.users().insert(t, users);
    Map<String, Map<String, Optional<String>>> written = StoredRows.users(ds, t, NOT_COMPARED);
    List<String> details = StoredRows.details(ds, t);

    try (Connection c = ds.getConnection()) {
      for (String sql :
          List.of(
              "UPDATE um_users SET display_key = 'stale', first_key = NULL, department_key ="
                  + " 'stale', job_title_key = NULL, email_fold = 'stale', search_text = 'stale',"
                  + " email_skeleton_sha256 = NULL, details_hash = 'stale' WHERE tenant_id = ?",
              "UPDATE um_user_values SET val_key = 'stale' WHERE tenant_id = ?",
              "DELETE FROM um_user_attributes WHERE tenant_id = ?")) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          ps.setString(1, t.value());
          ps.executeUpdate();
        }
      }
    }
    assertThat(StoredRows.users(ds, t, NOT_COMPARED)).isNotEqualTo(written);

    long rewritten = JdbcStores.rederive(ds);

    assertThat(rewritten).isGreaterThanOrEqualTo(users.size());
    assertThat(StoredRows.users(ds, t, NOT_COMPARED)).isEqualTo(written);
    assertThat(StoredRows.details(ds, t)).isEqualTo(details);
    assertThat(stores.users().getAll(t, users.stream().map(User::id).toList()).values())
        .containsExactlyInAnyOrderElementsOf(users);
  }

  /**
   * An update that waits for a user a re-derivation holds is written once it is let go: the row
   * moved under it (on PostgreSQL, where the update finds each row by its physical address, it came
   * out as a version conflict though the version was the one expected).
   */
  @ParameterizedTest
  @EnumSource(Dialect.class)
  void anUpdateWaitingForAUserBeingRederivedIsWritten(Dialect d) throws Exception {
    Stores stores = Databases.stores(d);
    TenantId t = Fixtures.freshTenant();
    User u = Fixtures.user(t, "held");
    stores.users().insert(t, List.of(u));
    User moved = Fixtures.bumped(u, "Moved");
    // what a chunk of rederive does to a row: rewritten, its version kept
    CompletableFuture<Void> update =
        whileHeld(
            d,
            "UPDATE um_users SET search_text = search_text WHERE tenant_id = ? AND id = ?",
            u,
            () -> stores.users().update(t, List.of(u), List.of(moved)));
    update.get(30, TimeUnit.SECONDS);
    assertThat(stores.users().get(t, u.id())).contains(moved);
  }

  /**
   * An update that waits for a user another writer holds, and that writer raises the version: once
   * let go, the update is a version conflict and writes nothing, the other writer's user stays.
   */
  @ParameterizedTest
  @EnumSource(Dialect.class)
  void anUpdateWaitingForAUserWhoseVersionRisesIsAConflict(Dialect d) throws Exception {
    Stores stores = Databases.stores(d);
    TenantId t = Fixtures.freshTenant();
    User u = Fixtures.user(t, "raced");
    User other = Fixtures.user(t, "bystander");
    stores.users().insert(t, List.of(u, other));
    User theirs = Fixtures.bumped(u, "Theirs");
    CompletableFuture<Void> update =
        whileHeld(
            d,
            "UPDATE um_users SET version = version + 1 WHERE tenant_id = ? AND id = ?",
            u,
            () ->
                stores
                    .users()
                    .update(
                        t,
                        List.of(other, u),
                        List.of(Fixtures.bumped(other, "Mine"), Fixtures.bumped(u, "Mine"))));
    assertThatThrownBy(() -> update.get(30, TimeUnit.SECONDS))
        .hasCauseInstanceOf(ConflictException.class);
    assertThat(stores.users().get(t, u.id()).orElseThrow().version()).isEqualTo(theirs.version());
    assertThat(stores.users().get(t, other.id())).contains(other);
  }

  /**
   * Starts {@code update} while another transaction holds a user, written by {@code sql} (its
   * parameters the tenant and the id), and lets the user go once the update waits for it.
   */
  private static CompletableFuture<Void> whileHeld(Dialect d, String sql, User u, Runnable update)
      throws Exception {
    try (Connection hold = Databases.dataSource(d).getConnection()) {
      hold.setAutoCommit(false);
      try (PreparedStatement ps = hold.prepareStatement(sql)) {
        ps.setString(1, u.tenant().value());
        ps.setString(2, u.id().value());
        assertThat(ps.executeUpdate()).isEqualTo(1);
      }
      CompletableFuture<Void> running = CompletableFuture.runAsync(update);
      waitUntilBlocked(d, hold, running);
      hold.commit();
      return running;
    }
  }

  /**
   * Until the update waits for the user {@code hold} holds (PostgreSQL names the sessions each one
   * waits for; elsewhere a moment).
   */
  private static void waitUntilBlocked(Dialect d, Connection hold, CompletableFuture<Void> update)
      throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < until && !update.isDone()) {
      if (d == Dialect.POSTGRESQL) {
        try (PreparedStatement ps =
                hold.prepareStatement(
                    "SELECT count(*) FROM pg_stat_activity"
                        + " WHERE pg_backend_pid() = ANY(pg_blocking_pids(pid))");
            java.sql.ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (rs.getInt(1) > 0) {
            return;
          }
        }
        Thread.sleep(10);
      } else {
        Thread.sleep(500);
        return;
      }
    }
    assertThat(update).as("the update waits for the held user").isNotDone();
  }
}
