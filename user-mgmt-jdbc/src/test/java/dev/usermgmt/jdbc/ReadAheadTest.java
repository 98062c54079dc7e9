package dev.usermgmt.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.StoreException;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.bulk.ApplyResult;
import dev.usermgmt.bulk.BulkEngine;
import dev.usermgmt.bulk.BulkLimits;
import dev.usermgmt.bulk.BulkListener;
import dev.usermgmt.bulk.UpdateOptions;
import dev.usermgmt.bulk.UpdatePlan;
import dev.usermgmt.bulk.UpdateRow;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.jdbc.dialect.Dialect;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.spi.UserStore;
import dev.usermgmt.testkit.Fixtures;
import dev.usermgmt.user.User;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A file applied over a database reads each next chunk's users on a thread of its own while the
 * chunk before is written: a user changed between that read and the write is not overwritten, a
 * read that fails leaves the chunk to read its own users, a pool of one connection never waits on
 * itself, and inside a transaction nothing is read beside it.
 */
final class ReadAheadTest {
  private static final String READ_AHEAD_THREAD = "user-mgmt-read-ahead";

  /**
   * The store's users, seen: each {@code getAll} made on the read-ahead thread is counted and
   * passed to {@code onReadAhead} before (it may throw) and signalled after it returns.
   */
  private static final class Watched {
    final AtomicInteger readsAhead = new AtomicInteger();
    final CountDownLatch firstReadAhead = new CountDownLatch(1);
    volatile Consumer<Integer> onReadAhead = n -> {};

    Stores around(Stores real) {
      UserStore users =
          (UserStore)
              Proxy.newProxyInstance(
                  UserStore.class.getClassLoader(),
                  new Class<?>[] {UserStore.class},
                  (proxy, method, args) -> {
                    boolean ahead =
                        method.getName().equals("getAll")
                            && Thread.currentThread().getName().equals(READ_AHEAD_THREAD);
                    if (ahead) {
                      onReadAhead.accept(readsAhead.incrementAndGet());
                    }
                    try {
                      return method.invoke(real.users(), args);
                    } catch (InvocationTargetException e) {
                      throw e.getCause();
                    } finally {
                      if (ahead) {
                        firstReadAhead.countDown();
                      }
                    }
                  });
      return new Stores(
          users, real.attributes(), real.groups(), real.changeLog(), real.transactions());
    }
  }

  /** 25 users r0…r24 of a fresh tenant, and an engine that applies in chunks of 10. */
  private record Setup(Stores stores, TenantId t, List<User> users, BulkEngine engine, Actor su) {
    static Setup of(Stores stores) {
      TenantId t = Fixtures.freshTenant();
      List<User> users = new ArrayList<>();
      for (int i = 0; i < 25; i++) {
        users.add(Fixtures.user(t, "r" + i));
      }
      stores.users().insert(t, users);
      UserDirectory directory =
          UserDirectory.builder().stores(stores).signingKey(Databases.SIGNING_KEY).build();
      Actor support =
          Actor.builder()
              .tenant(t)
              .role(RoleCatalog.defaultCatalog().parse("support"))
              .supportLevel(2)
              .build();
      return new Setup(
          stores, t, users, BulkEngine.of(directory, new BulkLimits(1, 5000, 10)), support);
    }

    /** A plan that moves every user to {@code department}. */
    UpdatePlan plan(String department) {
      List<UpdateRow> rows = new ArrayList<>();
      for (int i = 0; i < users.size(); i++) {
        rows.add(
            new UpdateRow(
                i + 2,
                Map.of(
                    "primaryEmail",
                    users.get(i).primaryEmail().orElseThrow().value(),
                    "department",
                    department)));
      }
      return engine.planUpdate(su, rows, UpdateOptions.defaults(), BulkListener.NONE);
    }

    Optional<String> department(User u) {
      return stores.users().get(t, u.id()).orElseThrow().department();
    }
  }

  private static Stores jdbc(DataSource ds, Dialect dialect) {
    return JdbcStores.create(ds, JdbcOptions.builder().dialect(dialect).build());
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aUserChangedAfterItsChunkWasReadAheadIsNotOverwritten(Dialect dialect) throws Exception {
    Watched watched = new Watched();
    Setup s = Setup.of(watched.around(jdbc(Databases.dataSource(dialect), dialect)));
    UpdatePlan plan = s.plan("Finance");
    User other = s.users().get(12); // the second chunk's third user
    AtomicBoolean changedBeside = new AtomicBoolean();
    BulkListener listener =
        new BulkListener() {
          @Override
          public void progress(String phase, long done, long total) {
            if (done == 10 && changedBeside.compareAndSet(false, true)) {
              // the second chunk was read ahead as the first was written; another writer changes
              // one of its users before the second chunk is written
              try {
                assertThat(watched.firstReadAhead.await(30, TimeUnit.SECONDS)).isTrue();
              } catch (InterruptedException e) {
                throw new AssertionError(e);
              }
              User stored = s.stores().users().get(s.t(), other.id()).orElseThrow();
              s.stores()
                  .users()
                  .update(
                      s.t(),
                      List.of(
                          stored.toBuilder()
                              .department("Legal")
                              .version(stored.version() + 1)
                              .build()));
            }
          }
        };

    ApplyResult result = s.engine().applyUpdate(s.su(), plan, listener);

    assertThat(watched.readsAhead.get()).isGreaterThanOrEqualTo(1);
    assertThat(result.failed()).containsOnlyKeys(other.id());
    assertThat(result.failed())
        .extractingByKey(other.id())
        .extracting(p -> p.code())
        .isEqualTo(ErrorCode.STALE_PLAN);
    assertThat(s.department(other)).contains("Legal");
    assertThat(result.changed()).hasSize(24).doesNotContain(other.id());
    for (User u : s.users()) {
      if (!u.id().equals(other.id())) {
        assertThat(s.department(u)).contains("Finance");
      }
    }
    // the change sets record the users written, once each: the refused attempt at the second chunk
    // left none
    List<UserId> recorded =
        s.stores().changeLog().page(s.t(), 0, 100).stream()
            .flatMap(cs -> cs.changes().stream())
            .map(c -> c.userId())
            .filter(id -> s.users().stream().anyMatch(u -> u.id().equals(id)))
            .toList();
    assertThat(recorded).hasSize(24).doesNotHaveDuplicates().doesNotContain(other.id());
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aReadAheadThatFailsLeavesTheChunkToReadItsOwnUsers(Dialect dialect) {
    Watched watched = new Watched();
    watched.onReadAhead =
        n -> {
          throw new StoreException(
              ErrorCode.STORE_UNAVAILABLE,
              "the read ahead failed",
              new java.io.IOException("gone"));
        };
    Setup s = Setup.of(watched.around(jdbc(Databases.dataSource(dialect), dialect)));

    ApplyResult result = s.engine().applyUpdate(s.su(), s.plan("Finance"), BulkListener.NONE);

    assertThat(watched.readsAhead.get()).isEqualTo(3); // every chunk's, each failed
    assertThat(result.failed()).isEmpty();
    assertThat(result.changed()).hasSize(25);
    for (User u : s.users()) {
      assertThat(s.department(u)).contains("Finance");
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aPoolOfOneConnectionAppliesEveryChunkAndInsideATransactionNothingIsReadBeside(
      Dialect dialect) {
    Databases.dataSource(dialect); // migrated, or skipped when the server is down
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(Databases.url(dialect));
    config.setUsername(Databases.user(dialect));
    config.setPassword("");
    config.setMaximumPoolSize(1);
    // a read that waited for the connection its own apply holds would fail after this
    config.setConnectionTimeout(5_000);
    try (HikariDataSource one = new HikariDataSource(config)) {
      Watched watched = new Watched();
      Setup s = Setup.of(watched.around(jdbc(one, dialect)));
      ApplyResult result = s.engine().applyUpdate(s.su(), s.plan("Finance"), BulkListener.NONE);
      assertThat(result.failed()).isEmpty();
      assertThat(result.changed()).hasSize(25);
      assertThat(watched.readsAhead.get()).isEqualTo(3);

      int before = watched.readsAhead.get();
      UpdatePlan again = s.plan("Sales");
      ApplyResult inside =
          s.stores()
              .transactions()
              .inTransaction(() -> s.engine().applyUpdate(s.su(), again, BulkListener.NONE));
      assertThat(inside.failed()).isEmpty();
      assertThat(inside.changed()).hasSize(25);
      assertThat(watched.readsAhead.get()).isEqualTo(before);
      for (User u : s.users()) {
        assertThat(s.department(u)).contains("Sales");
      }
    }
  }
}
