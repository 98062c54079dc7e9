package dev.usermgmt.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.StoreException;
import dev.usermgmt.TenantId;
import dev.usermgmt.jdbc.dialect.Dialect;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.Fixtures;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A wait for a lock that outlasts the database's timeout is the database being busy, not a fault of
 * the rows written: {@code store_unavailable}, which a bulk apply does not split and retry row by
 * row (it did, waiting out the timeout again for every half).
 */
class LockWaitTest {
  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aLockWaitThatTimesOutIsUnavailable(Dialect dialect) throws Exception {
    Stores holder = Databases.stores(dialect);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(Databases.url(dialect));
    config.setUsername(Databases.user(dialect));
    config.setPassword("");
    config.setMaximumPoolSize(1);
    config.setConnectionInitSql(
        switch (dialect) {
          case POSTGRESQL -> "SET lock_timeout = '200ms'";
          case MARIADB -> "SET SESSION innodb_lock_wait_timeout = 1";
          case H2 -> "SET LOCK_TIMEOUT 200";
        });
    TenantId t = Fixtures.freshTenant();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (HikariDataSource impatient = new HikariDataSource(config)) {
      Stores waiting = JdbcStores.create(impatient);
      CountDownLatch held = new CountDownLatch(1);
      CountDownLatch done = new CountDownLatch(1);
      Future<?> holding =
          pool.submit(
              () ->
                  holder
                      .transactions()
                      .inTransaction(
                          () -> {
                            holder.changeLog().hold(t);
                            held.countDown();
                            try {
                              return done.await(30, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                              throw new IllegalStateException(e);
                            }
                          }));
      assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
      try {
        assertThatThrownBy(
                () ->
                    waiting
                        .transactions()
                        .inTransaction(
                            () -> {
                              waiting.changeLog().hold(t);
                              return t;
                            }))
            .isInstanceOfSatisfying(
                StoreException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE));
      } finally {
        done.countDown();
      }
      holding.get(30, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
  }
}
