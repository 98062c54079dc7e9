package dev.usermgmt.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usermgmt.access.Actor;
import dev.usermgmt.access.FeatureFlag;
import dev.usermgmt.audit.ChangeSet;
import dev.usermgmt.audit.UserChange;
import dev.usermgmt.bulk.BulkEngine;
import dev.usermgmt.bulk.BulkLimits;
import dev.usermgmt.bulk.BulkListener;
import dev.usermgmt.bulk.DeactivationPlan;
import dev.usermgmt.bulk.DeactivationRequest;
import dev.usermgmt.bulk.DeactivationResult;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.jdbc.dialect.Dialect;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.FeatureFlags;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.Fixtures;
import dev.usermgmt.user.TenantId;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserId;
import dev.usermgmt.user.UserStatus;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
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

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aKilledConnectionLosesOneWholeChunkAndARerunCompletesIt(Dialect dialect) {
    KillingDataSource ds = new KillingDataSource(Databases.dataSource(dialect));
    Stores stores = JdbcStores.create(ds, JdbcOptions.builder().dialect(dialect).build());
    TenantId t = Fixtures.freshTenant();
    List<User> users = new ArrayList<>();
    List<String> emails = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      users.add(Fixtures.user(t, "k" + i));
      emails.add("k" + i + "@example.com");
    }
    stores.users().insert(t, users);
    UserDirectory directory =
        UserDirectory.builder()
            .stores(stores)
            .featureFlags(FeatureFlags.of(Map.of(FeatureFlag.DEACTIVATE_USERS_EXCEL, true)))
            .build();
    BulkEngine engine = BulkEngine.of(directory, new BulkLimits(1, 5000, 10));
    Actor support =
        Actor.builder()
            .tenant(t)
            .role(RoleCatalog.defaultCatalog().parse("support"))
            .supportLevel(2)
            .build();
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
}
