package dev.usermgmt.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source that records every statement the store prepares and executes, with the values it
 * bound, so that a test can ask the database how it plans exactly the store's own statements.
 */
final class StatementCapture implements DataSource {
  /** A statement as the store ran it: its text and its parameters by index. */
  record Captured(String sql, Map<Integer, Object[]> binds) {
    /** Prepares the same statement with a prefix (EXPLAIN) and binds the same values. */
    PreparedStatement prepare(Connection c, String prefix) throws SQLException {
      // MariaDB's statement-scoped max_sort_length goes before the EXPLAIN, not after it
      java.util.regex.Matcher set =
          java.util.regex.Pattern.compile("^(SET STATEMENT [^ ]+ = \\d+ FOR )").matcher(sql);
      PreparedStatement ps =
          c.prepareStatement(
              set.find() ? set.group(1) + prefix + sql.substring(set.end()) : prefix + sql);
      for (Map.Entry<Integer, Object[]> b : binds.entrySet()) {
        Object[] call = b.getValue();
        String setter = (String) call[0];
        Object value = call[1];
        if ("setNull".equals(setter)) {
          ps.setNull(b.getKey(), (Integer) value);
        } else if ("setArray".equals(setter)) {
          java.sql.Array a = (java.sql.Array) value;
          ps.setArray(b.getKey(), c.createArrayOf(a.getBaseTypeName(), (Object[]) a.getArray()));
        } else {
          ps.setObject(b.getKey(), value);
        }
      }
      return ps;
    }
  }

  private final DataSource target;
  private final List<Captured> executed = new ArrayList<>();

  StatementCapture(DataSource target) {
    this.target = target;
  }

  /** The statements executed since the last call, oldest first. */
  synchronized List<Captured> take() {
    List<Captured> out = List.copyOf(executed);
    executed.clear();
    return out;
  }

  private synchronized void executed(Captured c) {
    executed.add(c);
  }

  private Connection wrap(Connection c) {
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, m, args) -> {
              Object r = invoke(c, m, args);
              if ("prepareStatement".equals(m.getName())
                  && args != null
                  && args[0] instanceof String sql) {
                return statement((PreparedStatement) r, sql);
              }
              return r;
            });
  }

  private PreparedStatement statement(PreparedStatement ps, String sql) {
    Map<Integer, Object[]> binds = new TreeMap<>();
    InvocationHandler h =
        (proxy, m, args) -> {
          String name = m.getName();
          if (name.startsWith("set")
              && args != null
              && args.length >= 2
              && args[0] instanceof Integer i) {
            binds.put(i, new Object[] {name, args[1]});
          } else if (name.startsWith("execute") && (args == null || args.length == 0)) {
            executed(new Captured(sql, new TreeMap<>(binds)));
          } else if ("addBatch".equals(name)) {
            executed(new Captured(sql, new TreeMap<>(binds)));
          }
          return invoke(ps, m, args);
        };
    return (PreparedStatement)
        Proxy.newProxyInstance(
            PreparedStatement.class.getClassLoader(), new Class<?>[] {PreparedStatement.class}, h);
  }

  private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  public Connection getConnection() throws SQLException {
    return wrap(target.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return wrap(target.getConnection(username, password));
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return target.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    target.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    target.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return target.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() {
    return Logger.getGlobal();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return target.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return target.isWrapperFor(iface);
  }
}
