package dev.usermgmt.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.access.FeatureFlag;
import dev.usermgmt.access.FeatureFlags;
import dev.usermgmt.audit.ChangeSet;
import dev.usermgmt.audit.UserChange;
import dev.usermgmt.bulk.ApplyResult;
import dev.usermgmt.bulk.BulkEngine;
import dev.usermgmt.bulk.BulkLimits;
import dev.usermgmt.bulk.BulkListener;
import dev.usermgmt.bulk.DeactivationPlan;
import dev.usermgmt.bulk.DeactivationRequest;
import dev.usermgmt.bulk.DeactivationResult;
import dev.usermgmt.bulk.RowPreview;
import dev.usermgmt.bulk.UpdateOptions;
import dev.usermgmt.bulk.UpdatePlan;
import dev.usermgmt.bulk.UpdateRow;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.jdbc.dialect.Dialect;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.Fixtures;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserStatus;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A connection killed mid-apply: the chunk whose commit dies is rolled back whole (users and its
 * change set), the chunks before and after are fully applied with their change sets, and a re-run
 * of the same plan completes the rest.
 */
final class ApplyFailureTest {

  /** A data source whose n-th commit kills its connection first (the driver's abort). */
  private static final class KillingDataSource implements DataSource {
    final DataSource delegate;
    final AtomicInteger commits = new AtomicInteger();
    volatile int killAt = -1;

    KillingDataSource(DataSource delegate) {
      this.delegate = delegate;
    }

    @Override
    public Connection getConnection() throws SQLException {
      Connection real = delegate.getConnection();
      InvocationHandler h =
          (proxy, method, args) -> {
            if (method.getName().equals("commit") && commits.incrementAndGet() == killAt) {
              // the connection dies before the commit reaches the database
              real.abort(Runnable::run);
              throw new SQLException("connection killed before commit", "08006");
            }
            try {
              return method.invoke(real, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          };
      return (Connection)
          Proxy.newProxyInstance(
              Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, h);
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
      return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
      delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
      delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
      return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
      return delegate.isWrapperFor(iface);
    }
  }

  /** 25 users k0…k24 of a fresh tenant, and an engine that applies in chunks of 10. */
  private record Setup(
      Stores stores, TenantId t, List<User> users, BulkEngine engine, Actor support) {
    static Setup of(DataSource ds, Dialect dialect) {
      return of(ds, dialect, true, java.util.function.UnaryOperator.identity());
    }

    static Setup of(
        DataSource ds,
        Dialect dialect,
        boolean readAhead,
        java.util.function.UnaryOperator<Stores> wrap) {
      Stores stores =
          wrap.apply(
              JdbcStores.create(
                  ds, JdbcOptions.builder().dialect(dialect).readAhead(readAhead).build()));
      TenantId t = Fixtures.freshTenant();
      List<User> users = new ArrayList<>();
      for (int i = 0; i < 25; i++) {
        users.add(Fixtures.user(t, "k" + i));
      }
      stores.users().insert(t, users);
      UserDirectory directory =
          UserDirectory.builder()
              .stores(stores)
              .signingKey("apply-failure-test-key".getBytes(StandardCharsets.UTF_8))
              .featureFlags(FeatureFlags.of(Map.of(FeatureFlag.DEACTIVATE_USERS_EXCEL, true)))
              .build();
      Actor support =
          Actor.builder()
              .tenant(t)
              .role(RoleCatalog.defaultCatalog().parse("support"))
              .supportLevel(2)
              .build();
      return new Setup(
          stores, t, users, BulkEngine.of(directory, new BulkLimits(1, 5000, 10)), support);
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aKilledConnectionLosesOneWholeChunkAndARerunCompletesIt(Dialect dialect) {
    KillingDataSource ds = new KillingDataSource(Databases.dataSource(dialect));
    Setup s = Setup.of(ds, dialect);
    Stores stores = s.stores();
    TenantId t = s.t();
    List<User> users = s.users();
    BulkEngine engine = s.engine();
    Actor support = s.support();
    List<String> emails = users.stream().map(u -> u.id().value() + "@example.com").toList();
    DeactivationPlan plan =
        engine.planDeactivation(support, new DeactivationRequest(emails, false), BulkListener.NONE);
    assertThat(plan.toDeactivate()).hasSize(25);

    ds.killAt = ds.commits.get() + 2; // the second chunk's commit dies
    DeactivationResult first = engine.applyDeactivation(support, plan, BulkListener.NONE);
    ds.killAt = -1;
    assertThat(first.deactivatedCount()).isEqualTo(15);
    assertThat(first.failedEmails()).hasSize(10);
    assertThat(first.changeSetIds()).hasSize(2);
    // every chunk fully applied with its change set, or not at all
    List<ChangeSet> log = stores.changeLog().page(t, 0, 100);
    assertThat(log).hasSize(2);
    for (ChangeSet cs : log) {
      assertThat(cs.correlationId()).isEqualTo(plan.id());
      for (UserChange c : cs.changes()) {
        assertThat(stores.users().get(t, c.userId()).orElseThrow().status())
            .isEqualTo(UserStatus.DEACTIVATED);
      }
    }
    long inactive =
        users.stream()
            .filter(u -> stores.users().get(t, u.id()).orElseThrow().status().isInactive())
            .count();
    assertThat(inactive).isEqualTo(15);

    DeactivationResult rerun = engine.applyDeactivation(support, plan, BulkListener.NONE);
    assertThat(rerun.deactivatedCount()).isEqualTo(10);
    assertThat(rerun.failedEmails()).isEmpty();
    for (User u : users) {
      assertThat(stores.users().get(t, u.id()).map(User::status))
          .isEqualTo(Optional.of(UserStatus.DEACTIVATED));
    }
    assertThat(stores.changeLog().page(t, 0, 100)).hasSize(3);
    assertThat(stores.users().get(t, UserId.of("k0")).orElseThrow().version()).isEqualTo(2);
  }

  /**
   * The e-mail a plan gives one user in the middle of the second chunk is taken after the plan: the
   * unique index refuses the chunk mid-apply, the chunk is halved until that row is found, and
   * exactly that row fails, with its row number; every other user is written, each written part
   * with its change set. Once the address is free a re-run of the same plan completes it.
   */
  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aConstraintViolatedMidApplyFailsOnlyItsRow(Dialect dialect) {
    Setup s = Setup.of(Databases.dataSource(dialect), dialect);
    TenantId t = s.t();
    List<UpdateRow> rows = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      rows.add(
          new UpdateRow(i + 2, Map.of("id", "k" + i, "primaryEmail", "n" + i + "@example.com")));
    }
    UpdatePlan plan = planById(s, rows, false);
    assertThat(plan.rows()).allMatch(r -> r.kind() == RowPreview.Kind.CHANGED);
    User outsider =
        Fixtures.user(t, "outsider").toBuilder()
            .primaryEmail(EmailAddress.parse("n12@example.com"))
            .build();
    s.stores().users().insert(t, List.of(outsider));

    ApplyResult first = s.engine().applyUpdate(s.support(), plan, BulkListener.NONE);
    assertThat(first.changed()).hasSize(24);
    assertThat(first.failed()).containsOnlyKeys(UserId.of("k12"));
    Problem problem = java.util.Objects.requireNonNull(first.failed().get(UserId.of("k12")));
    assertThat(problem.code()).isEqualTo(ErrorCode.EMAIL_TAKEN);
    assertThat(problem.row()).hasValue(14);
    for (int i = 0; i < 25; i++) {
      User u = s.stores().users().get(t, UserId.of("k" + i)).orElseThrow();
      boolean lost = i == 12;
      assertThat(u.primaryEmail().orElseThrow().value())
          .as("k%d", i)
          .isEqualTo((lost ? "k" : "n") + i + "@example.com");
      assertThat(u.version()).isEqualTo(lost ? 1 : 2);
    }
    List<ChangeSet> log = s.stores().changeLog().page(t, 0, 100);
    assertThat(log).hasSameSizeAs(first.changeSetIds());
    assertThat(log).allMatch(cs -> cs.correlationId().equals(plan.id()));
    assertThat(log.stream().flatMap(cs -> cs.changes().stream()).map(c -> c.userId().value()))
        .containsExactlyInAnyOrderElementsOf(first.changed().stream().map(UserId::value).toList());

    s.stores().users().delete(t, Map.of(outsider.id(), outsider.version()));
    ApplyResult rerun = s.engine().applyUpdate(s.support(), plan, BulkListener.NONE);
    assertThat(rerun.changed()).containsExactly(UserId.of("k12"));
    assertThat(rerun.alreadyDone()).hasSize(24);
    assertThat(rerun.failed()).isEmpty();
    for (int i = 0; i < 25; i++) {
      User u = s.stores().users().get(t, UserId.of("k" + i)).orElseThrow();
      assertThat(u.primaryEmail().orElseThrow().value()).isEqualTo("n" + i + "@example.com");
      assertThat(u.version()).isEqualTo(2);
    }
    assertThat(s.stores().changeLog().page(t, 0, 100)).hasSize(log.size() + 1);
  }

  /**
   * New users whose e-mail is taken after the plan: only their rows fail, the other new users of
   * the chunk are created.
   */
  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aTakenEmailAmongNewUsersFailsOnlyItsRow(Dialect dialect) {
    Setup s = Setup.of(Databases.dataSource(dialect), dialect);
    TenantId t = s.t();
    List<UpdateRow> rows = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      rows.add(
          new UpdateRow(
              i + 2,
              Map.of(
                  "id", "new" + i,
                  "primaryEmail", "new" + i + "@example.com",
                  "firstName", "New",
                  "lastName", "User " + i)));
    }
    UpdatePlan plan = planById(s, rows, true);
    assertThat(plan.rows()).allMatch(r -> r.kind() == RowPreview.Kind.TO_CREATE);
    s.stores()
        .users()
        .insert(
            t,
            List.of(
                Fixtures.user(t, "o1").toBuilder()
                    .primaryEmail(EmailAddress.parse("new3@example.com"))
                    .build(),
                Fixtures.user(t, "o2").toBuilder()
                    .primaryEmail(EmailAddress.parse("new17@example.com"))
                    .build()));

    ApplyResult r = s.engine().applyUpdate(s.support(), plan, BulkListener.NONE);
    assertThat(r.failed()).containsOnlyKeys(UserId.of("new3"), UserId.of("new17"));
    assertThat(r.failed().get(UserId.of("new3")))
        .extracting(Problem::row)
        .isEqualTo(java.util.OptionalLong.of(5));
    assertThat(r.failed().get(UserId.of("new17")))
        .extracting(Problem::row)
        .isEqualTo(java.util.OptionalLong.of(19));
    assertThat(r.changed()).hasSize(23);
    for (int i = 0; i < 25; i++) {
      boolean created = i != 3 && i != 17;
      assertThat(s.stores().users().get(t, UserId.of("new" + i)).isPresent())
          .as("new%d", i)
          .isEqualTo(created);
    }
  }

  /** The plan of update rows matched by id, creating users not found when asked to. */
  private static UpdatePlan planById(Setup s, List<UpdateRow> rows, boolean create) {
    UpdateOptions byId =
        new UpdateOptions(
            UpdateOptions.MatchKey.ID,
            Map.of(),
            Optional.empty(),
            create,
            UpdateOptions.ApplyMode.VALID_ROWS,
            0);
    return s.engine().planUpdate(s.support(), rows, byId, BulkListener.NONE);
  }

  /** An update plan setting the last name of k0…k24 (matched by id), valid rows applied. */
  private static UpdatePlan renameAll(Setup s) {
    List<UpdateRow> rows = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      rows.add(new UpdateRow(i + 2, Map.of("id", "k" + i, "lastName", "Planned " + i)));
    }
    UpdatePlan plan = planById(s, rows, false);
    assertThat(plan.rows()).allMatch(r -> r.kind() == RowPreview.Kind.CHANGED);
    return plan;
  }

  /**
   * The reads of the users of one id: those the apply made ahead on its own thread, a latch that
   * opens once such a read has returned, and those made on any other thread.
   */
  private static final class Reads {
    final UserId watched;
    final java.util.concurrent.CountDownLatch readAhead =
        new java.util.concurrent.CountDownLatch(1);
    final AtomicInteger elsewhere = new AtomicInteger();

    /** Watching k13, a user of the second chunk of ten. */
    Reads() {
      this.watched = UserId.of("k13");
    }

    /** A setup whose stores are watched, reading ahead or not. */
    Setup setup(Dialect dialect, boolean readAhead) {
      return Setup.of(Databases.dataSource(dialect), dialect, readAhead, this::watch);
    }

    /** The stores with their user store's {@code getAll} watched. */
    Stores watch(Stores stores) {
      dev.usermgmt.spi.UserStore real = stores.users();
      InvocationHandler h =
          (proxy, method, args) -> {
            Object out;
            try {
              out = method.invoke(real, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
            if (method.getName().equals("getAll")
                && ((java.util.Collection<?>) args[1]).contains(watched)) {
              if (Thread.currentThread().getName().equals("user-mgmt-read-ahead")) {
                readAhead.countDown();
              } else {
                elsewhere.incrementAndGet();
              }
            }
            return out;
          };
      dev.usermgmt.spi.UserStore users =
          (dev.usermgmt.spi.UserStore)
              Proxy.newProxyInstance(
                  dev.usermgmt.spi.UserStore.class.getClassLoader(),
                  new Class<?>[] {dev.usermgmt.spi.UserStore.class},
                  h);
      return new Stores(
          users, stores.attributes(), stores.groups(), stores.changeLog(), stores.transactions());
    }

    /**
     * A listener that, once the first chunk (ten users) is written, waits until the watched user of
     * the second has been read ahead, then runs {@code change}.
     */
    BulkListener onceReadAhead(Runnable change) {
      return (stage, done, total) -> {
        if (done == 10) {
          awaitReadAhead();
          change.run();
        }
      };
    }

    /** Waits until the watched user has been read ahead. */
    private void awaitReadAhead() {
      try {
        assertThat(readAhead.await(30, java.util.concurrent.TimeUnit.SECONDS))
            .as("the second chunk is read ahead")
            .isTrue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** A stored user changed by someone else: its version one up. */
  private static void changeMeanwhile(
      Stores stores, TenantId t, UserId id, java.util.function.UnaryOperator<User.Builder> change) {
    User u = stores.users().get(t, id).orElseThrow();
    stores.users().update(t, List.of(change.apply(u.toBuilder()).version(u.version() + 1).build()));
  }

  /**
   * A user of the second chunk is changed by someone else after the apply read that chunk ahead,
   * while the first chunk is written: the chunk's write from that read is refused (its version
   * check), the chunk is read again in its own transaction, the plan's row for that user fails as
   * stale, the other change is kept, and every other row is written. Retrying the read made ahead
   * instead would fail the row as a version conflict.
   */
  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aUserChangedAfterItsChunkWasReadAheadIsNotOverwritten(Dialect dialect) {
    Reads reads = new Reads();
    UserId victim = reads.watched;
    Setup s = reads.setup(dialect, true);
    TenantId t = s.t();
    UpdatePlan plan = renameAll(s);
    int planReads = reads.elsewhere.get();
    BulkListener meanwhile =
        reads.onceReadAhead(
            () -> changeMeanwhile(s.stores(), t, victim, b -> b.lastName("Changed meanwhile")));

    ApplyResult r = s.engine().applyUpdate(s.support(), plan, meanwhile);

    assertThat(r.failed()).containsOnlyKeys(victim);
    assertThat(r.failed().get(victim)).extracting(Problem::code).isEqualTo(ErrorCode.STALE_PLAN);
    assertThat(r.changed()).hasSize(24);
    // read ahead, then once more in the chunk's own transaction when the write was refused
    assertThat(reads.elsewhere.get() - planReads).isEqualTo(1);
    for (int i = 0; i < 25; i++) {
      User u = s.stores().users().get(t, UserId.of("k" + i)).orElseThrow();
      assertThat(u.lastName())
          .as("k%d", i)
          .hasValue(i == 13 ? "Changed meanwhile" : "Planned " + i);
    }
    assertThat(s.stores().changeLog().page(t, 0, 100).stream().flatMap(cs -> cs.changes().stream()))
        .extracting(c -> c.userId().value())
        .containsExactlyInAnyOrderElementsOf(r.changed().stream().map(UserId::value).toList());
  }

  /**
   * A user deactivated after the plan is read ahead so, then activated again while the chunk before
   * is written: the deactivation must not count that user as already done (it is active), but as
   * changed since the plan, read again in the chunk's own transaction; the user stays active.
   */
  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aUserDoneWhenReadAheadIsToldAgainFromTheChunksOwnRead(Dialect dialect) {
    Reads reads = new Reads();
    UserId victim = reads.watched;
    Setup s = reads.setup(dialect, true);
    TenantId t = s.t();
    List<String> emails = s.users().stream().map(u -> u.id().value() + "@example.com").toList();
    DeactivationPlan plan =
        s.engine()
            .planDeactivation(
                s.support(), new DeactivationRequest(emails, false), BulkListener.NONE);
    assertThat(plan.toDeactivate()).hasSize(25);
    changeMeanwhile(
        s.stores(),
        t,
        victim,
        b -> b.status(UserStatus.DEACTIVATED).deactivatedAt(java.time.Instant.now()));
    BulkListener meanwhile =
        reads.onceReadAhead(
            () ->
                changeMeanwhile(
                    s.stores(),
                    t,
                    victim,
                    b -> b.status(UserStatus.ACTIVE).deactivatedAt(Optional.empty())));

    DeactivationResult r = s.engine().applyDeactivation(s.support(), plan, meanwhile);

    assertThat(r.failedEmails()).containsExactly("k13@example.com");
    assertThat(r.deactivatedCount()).isEqualTo(24);
    assertThat(s.stores().users().get(t, victim).orElseThrow().status())
        .isEqualTo(UserStatus.ACTIVE);
  }

  /**
   * Outside a transaction an apply of several chunks reads the next chunk's users on a thread of
   * its own; inside one of the store's transactions (which that thread could not see, and whose
   * connection it could wait for), or with reading ahead turned off in the store's options, it
   * reads every chunk itself.
   */
  @ParameterizedTest
  @EnumSource(Dialect.class)
  void theNextChunkIsReadAheadOnlyOutsideATransactionAndWhenAllowed(Dialect dialect) {
    Reads outside = new Reads();
    Setup s = outside.setup(dialect, true);
    assertThat(s.engine().applyUpdate(s.support(), renameAll(s), BulkListener.NONE).changed())
        .hasSize(25);
    assertThat(outside.readAhead.getCount()).isZero();

    Reads inside = new Reads();
    Setup in = inside.setup(dialect, true);
    UpdatePlan plan = renameAll(in);
    ApplyResult r =
        in.stores()
            .transactions()
            .inTransaction(() -> in.engine().applyUpdate(in.support(), plan, BulkListener.NONE));
    assertThat(r.changed()).hasSize(25);
    assertThat(inside.readAhead.getCount()).isOne();

    Reads off = new Reads();
    Setup o = off.setup(dialect, false);
    assertThat(o.engine().applyUpdate(o.support(), renameAll(o), BulkListener.NONE).changed())
        .hasSize(25);
    assertThat(off.readAhead.getCount()).isOne();
  }
}
