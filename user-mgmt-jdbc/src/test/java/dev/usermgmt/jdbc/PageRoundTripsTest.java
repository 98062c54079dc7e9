package dev.usermgmt.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usermgmt.InvalidInputException;
import dev.usermgmt.StoreException;
import dev.usermgmt.TenantId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.jdbc.dialect.Dialect;
import dev.usermgmt.query.Page;
import dev.usermgmt.query.PreparedQuery;
import dev.usermgmt.query.UserQuery;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.spi.UserQueries;
import dev.usermgmt.testkit.Fixtures;
import dev.usermgmt.user.User;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a page of {@link UserDirectory#search} costs the database, counted where it is paid: on the
 * wire, a proxy between the driver and the server counts the requests the driver sends after the
 * server last answered (round trips); on the connection, a recording data source sees every call. A
 * page outside a transaction runs in autocommit (no {@code BEGIN}, {@code COMMIT} or autocommit
 * switching); on PostgreSQL the attribute schema and the page go in one request, on MariaDB in two.
 * The schema the page was read with is the database's, never only the one an earlier page saw.
 */
final class PageRoundTripsTest {
  private static final byte[] KEY =
      "page-round-trips-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  private static final UserQuery PAGE =
      UserQuery.parse("filter=department+eq+%22Sales%22&pageSize=5", AttributeSchema.empty());

  private static Actor support(TenantId t) {
    return Actor.builder().tenant(t).role(RoleCatalog.defaultCatalog().parse("support")).build();
  }

  /** A tenant of twenty users, half of them in Sales, with one custom attribute. */
  private static TenantId tenant(Stores stores) {
    TenantId t = Fixtures.freshTenant();
    stores.attributes().put(t, Optional.empty(), badge());
    List<User> users = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      User u = Fixtures.user(t, "r" + (100 + i));
      users.add(
          u.toBuilder()
              .department(i % 2 == 0 ? "Sales" : "Legal")
              .attributes(Map.of("badge", AttributeValue.text("b" + i)))
              .build());
    }
    stores.users().insert(t, users);
    return t;
  }

  private static AttributeDefinition badge() {
    return AttributeDefinition.builder()
        .key("badge")
        .label("Badge")
        .type(AttributeType.TEXT)
        .build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"POSTGRESQL", "MARIADB"})
  void aPageCostsOneRoundTripOnPostgresqlAndTwoOnMariadb(String store) throws Exception {
    Dialect d = Dialect.valueOf(store);
    TenantId t = tenant(Databases.stores(d));
    try (WireCounter wire = WireCounter.to(Databases.url(d));
        OneConnection one =
            new OneConnection(DriverManager.getConnection(wire.url(), Databases.user(d), ""))) {
      Stores stores = JdbcStores.create(one, JdbcOptions.builder().dialect(d).build());
      UserDirectory directory = UserDirectory.builder().stores(stores).signingKey(KEY).build();
      // past the drivers' switch to server-side prepared statements (pgjdbc: the fifth use)
      for (int i = 0; i < 8; i++) {
        directory.search(support(t), PAGE);
      }
      for (int i = 0; i < 3; i++) {
        int before = wire.roundTrips();
        Page<User> page = directory.search(support(t), PAGE);
        assertThat(page.items()).hasSize(5);
        assertThat(wire.roundTrips() - before)
            .as("round trips of a page")
            .isEqualTo(d == Dialect.POSTGRESQL ? 1 : 2);
      }
    }
  }

  @Test
  void aWalkOnPostgresqlSetsItsSnapshotWithItsTransactionAndLeavesNothingToPutBack()
      throws Exception {
    Dialect d = Dialect.POSTGRESQL;
    TenantId t = tenant(Databases.stores(d));
    try (WireCounter wire = WireCounter.to(Databases.url(d));
        OneConnection one =
            new OneConnection(DriverManager.getConnection(wire.url(), Databases.user(d), ""))) {
      Stores stores = JdbcStores.create(one, JdbcOptions.builder().dialect(d).build());
      UserDirectory directory = UserDirectory.builder().stores(stores).signingKey(KEY).build();
      UserQuery all = UserQuery.builder().pageSize(50).build();
      List<String> walked = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        walked.clear();
        directory.walk(support(t), all, page -> page.forEach(u -> walked.add(u.id().value())));
      }
      // pgjdbc sends its BEGIN ahead of the first statement without waiting for the answer; when
      // that answer reaches the proxy before the rest of the request, the proxy counts two, so a
      // walk counts 4 or 5 — before the snapshot set its level with its transaction it counted at
      // least 6 (the session's level read, set, and put back)
      List<Integer> counts = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        walked.clear();
        int before = wire.roundTrips();
        directory.walk(support(t), all, page -> page.forEach(u -> walked.add(u.id().value())));
        counts.add(wire.roundTrips() - before);
        assertThat(walked).hasSize(20);
      }
      // the snapshot's level with BEGIN, the schema, the one page, COMMIT: 4, counted 5 whenever
      // the early answer splits a request (under load every time), never the old code's 6
      assertThat(counts).as("round trips of walks of one page").allMatch(n -> n <= 5);
      Connection pooled = one.getConnection();
      pooled.setAutoCommit(true); // as a pool gives it out again
      try (Connection c = pooled;
          java.sql.Statement s = c.createStatement();
          java.sql.ResultSet rs = s.executeQuery("SHOW transaction_isolation")) {
        rs.next();
        assertThat(rs.getString(1))
            .as("the session's level after the walk")
            .isEqualTo("read committed");
        assertThat(c.isReadOnly()).isFalse();
      }
      assertThatThrownBy(
              () ->
                  directory.walk(
                      support(t),
                      all,
                      page ->
                          stores
                              .attributes()
                              .put(t, Optional.empty(), badge().toBuilder().key("desk").build())))
          .as("a write inside the walk's read-only transaction")
          .isInstanceOf(StoreException.class);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"H2", "POSTGRESQL", "MARIADB"})
  void aPageOutsideATransactionRunsInAutocommit(String store) {
    Dialect d = Dialect.valueOf(store);
    Recording recording = new Recording(Databases.dataSource(d));
    Stores stores = JdbcStores.create(recording, JdbcOptions.builder().dialect(d).build());
    TenantId t = tenant(stores);
    UserDirectory directory = UserDirectory.builder().stores(stores).signingKey(KEY).build();
    directory.search(support(t), PAGE);
    recording.calls.clear();
    assertThat(directory.search(support(t), PAGE).items()).hasSize(5);
    assertThat(recording.calls)
        .as("calls on the connections of a page")
        .doesNotContain("setAutoCommit", "commit", "rollback", "setTransactionIsolation")
        .filteredOn(c -> c.equals("execute") || c.equals("executeQuery"))
        .hasSize(d == Dialect.POSTGRESQL ? 1 : 2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"H2", "POSTGRESQL", "MARIADB"})
  void aPageIsReadWithTheSchemaTheDatabaseHoldsNotTheOneTheLastPageSaw(String store) {
    Dialect d = Dialect.valueOf(store);
    Stores mine = JdbcStores.create(Databases.dataSource(d));
    // another instance of the library over the same database
    Stores other = JdbcStores.create(Databases.dataSource(d));
    TenantId t = tenant(mine);
    UserDirectory directory = UserDirectory.builder().stores(mine).signingKey(KEY).build();
    AttributeSchema withBadge = AttributeSchema.of(List.of(badge()));
    UserQuery byBadge = UserQuery.parse("filter=attributes.badge+eq+%22b4%22", withBadge);
    assertThat(directory.search(support(t), byBadge).items()).hasSize(1);

    other.attributes().delete(t, badge(), Instant.parse("2026-01-01T00:00:00Z"));
    assertThatThrownBy(() -> directory.search(support(t), byBadge))
        .isInstanceOf(InvalidInputException.class);
    assertThat(directory.search(support(t), PAGE).items())
        .allSatisfy(u -> assertThat(u.attributes()).doesNotContainKey("badge"));

    other.attributes().put(t, Optional.empty(), badge());
    assertThat(directory.search(support(t), byBadge).items()).isEmpty();
  }

  /**
   * On PostgreSQL the definitions come with the page in one request: a definition another instance
   * changed in a way the page's rows do not show (a flag) still comes back with the next page, as
   * does one changed before a page that finds nobody.
   */
  @Test
  void aPageComesWithTheDefinitionsTheDatabaseHoldsEvenWhenItsRowsLookTheSame() {
    Dialect d = Dialect.POSTGRESQL;
    Stores mine = JdbcStores.create(Databases.dataSource(d));
    Stores other = JdbcStores.create(Databases.dataSource(d));
    TenantId t = tenant(mine);
    UserQuery nobody =
        UserQuery.parse("filter=department+eq+%22Nobody%22", AttributeSchema.empty());
    Function<UserQuery, Function<AttributeSchema, PreparedQuery>> prepare =
        q ->
            schema ->
                PreparedQuery.prepare(q, schema, RoleCatalog.defaultCatalog(), Optional.empty(), 6);
    assertThat(mine.users().query(t, mine.attributes(), prepare.apply(PAGE)).schema().definitions())
        .containsExactly(badge());

    AttributeDefinition sensitive = badge().toBuilder().sensitive(true).build();
    other.attributes().put(t, Optional.of(badge()), sensitive);
    UserQueries.SchemaPage page = mine.users().query(t, mine.attributes(), prepare.apply(PAGE));
    assertThat(page.users()).hasSize(6);
    assertThat(page.schema().definitions()).as("after a flag changed").containsExactly(sensitive);

    other.attributes().put(t, Optional.of(sensitive), badge());
    UserQueries.SchemaPage none = mine.users().query(t, mine.attributes(), prepare.apply(nobody));
    assertThat(none.users()).isEmpty();
    assertThat(none.schema().definitions()).as("an empty page").containsExactly(badge());
  }

  @Test
  void aPageInsideATransactionJoinsIt() {
    Recording recording = new Recording(Databases.dataSource(Dialect.POSTGRESQL));
    Stores stores =
        JdbcStores.create(recording, JdbcOptions.builder().dialect(Dialect.POSTGRESQL).build());
    TenantId t = tenant(stores);
    UserDirectory directory = UserDirectory.builder().stores(stores).signingKey(KEY).build();
    directory.search(support(t), PAGE);
    recording.calls.clear();
    List<String> seen =
        stores
            .transactions()
            .inTransaction(
                () -> {
                  stores.attributes().delete(t, badge(), Instant.parse("2026-01-01T00:00:00Z"));
                  return directory.search(support(t), PAGE).items().stream()
                      .flatMap(u -> u.attributes().keySet().stream())
                      .toList();
                });
    assertThat(seen).as("attributes the page shows after the delete it joins").isEmpty();
    assertThat(recording.calls).containsOnlyOnce("getConnection", "commit");
  }

  /** A data source that hands out one connection again and again, closing it at the end. */
  private static final class OneConnection extends Delegating implements AutoCloseable {
    private final Connection connection;

    OneConnection(Connection connection) {
      this.connection = connection;
    }

    @Override
    public Connection getConnection() {
      return (Connection)
          Proxy.newProxyInstance(
              Connection.class.getClassLoader(),
              new Class<?>[] {Connection.class},
              (proxy, m, args) -> {
                if (m.getName().equals("close")) {
                  return null;
                }
                return invoke(connection, m, args);
              });
    }

    @Override
    public void close() throws SQLException {
      connection.close();
    }
  }

  /** A data source that records the names of the calls made on its connections. */
  private static final class Recording extends Delegating {
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final DataSource target;

    Recording(DataSource target) {
      this.target = target;
    }

    @Override
    public Connection getConnection() throws SQLException {
      calls.add("getConnection");
      Connection c = target.getConnection();
      return (Connection)
          Proxy.newProxyInstance(
              Connection.class.getClassLoader(),
              new Class<?>[] {Connection.class},
              (proxy, m, args) -> {
                calls.add(m.getName());
                Object r = invoke(c, m, args);
                if (r instanceof java.sql.Statement s) {
                  Class<?> type =
                      r instanceof java.sql.PreparedStatement
                          ? java.sql.PreparedStatement.class
                          : java.sql.Statement.class;
                  return Proxy.newProxyInstance(
                      type.getClassLoader(),
                      new Class<?>[] {type},
                      (p2, m2, a2) -> {
                        if (m2.getName().startsWith("execute")) {
                          calls.add(m2.getName());
                        }
                        return invoke(s, m2, a2);
                      });
                }
                return r;
              });
    }
  }

  private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args)
      throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** The parts of a data source these tests do not use. */
  private abstract static class Delegating implements DataSource {
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
      throw new SQLException("not used");
    }

    @Override
    public PrintWriter getLogWriter() {
      return new PrintWriter(OutputStream.nullOutputStream());
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() {
      return Logger.getGlobal();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return false;
    }
  }

  /**
   * A TCP proxy in front of a database server that counts round trips: a request the client sends
   * after the server last spoke begins a new one.
   */
  private static final class WireCounter implements AutoCloseable {
    private static final Pattern HOST = Pattern.compile("//([^/:?]+)(?::(\\d+))?/");

    private final ServerSocket server;
    private final String url;
    private final AtomicInteger roundTrips = new AtomicInteger();
    private final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());

    private WireCounter(ServerSocket server, String url) {
      this.server = server;
      this.url = url;
    }

    static WireCounter to(String url) throws IOException {
      Matcher m = HOST.matcher(url);
      if (!m.find()) {
        throw new IllegalArgumentException("no host in " + url);
      }
      String host = m.group(1);
      int port =
          Optional.ofNullable(m.group(2))
              .map(Integer::parseInt)
              .orElse(url.startsWith("jdbc:postgresql:") ? 5432 : 3306);
      ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      String proxied =
          url.substring(0, m.start())
              + "//127.0.0.1:"
              + server.getLocalPort()
              + "/"
              + url.substring(m.end());
      WireCounter w = new WireCounter(server, proxied);
      Thread accept = new Thread(() -> w.accept(host, port), "wire-counter");
      accept.setDaemon(true);
      accept.start();
      return w;
    }

    String url() {
      return url;
    }

    int roundTrips() {
      return roundTrips.get();
    }

    private void accept(String host, int port) {
      while (!server.isClosed()) {
        try {
          Socket client = server.accept();
          Socket db = new Socket(host, port);
          client.setTcpNoDelay(true);
          db.setTcpNoDelay(true);
          sockets.add(client);
          sockets.add(db);
          AtomicBoolean serverSpokeLast = new AtomicBoolean(true);
          pump(
              client,
              db,
              () -> {
                if (serverSpokeLast.getAndSet(false)) {
                  roundTrips.incrementAndGet();
                }
              });
          pump(db, client, () -> serverSpokeLast.set(true));
        } catch (IOException e) {
          return;
        }
      }
    }

    private static void pump(Socket from, Socket to, Runnable beforeEachChunk) {
      Thread t =
          new Thread(
              () -> {
                byte[] buffer = new byte[1 << 16];
                try (InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream()) {
                  for (int n; (n = in.read(buffer)) > 0; ) {
                    beforeEachChunk.run();
                    out.write(buffer, 0, n);
                    out.flush();
                  }
                } catch (IOException e) {
                  // a side closed; the other follows
                }
              },
              "wire-counter-pump");
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void close() {
      try {
        server.close();
        synchronized (sockets) {
          for (Socket s : sockets) {
            s.close();
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
