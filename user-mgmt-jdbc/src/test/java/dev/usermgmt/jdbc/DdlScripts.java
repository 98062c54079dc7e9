package dev.usermgmt.jdbc;

import dev.usermgmt.jdbc.dialect.Dialect;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The plain DDL scripts ({@link Dialect#ddlScript()}): how they are generated from the migrations,
 * and how a tool without Flyway runs one.
 */
final class DdlScripts {
  /** The command that writes every dialect's script anew from its migrations. */
  static final String REGENERATE =
      "./mvnw -q -pl user-mgmt-jdbc -am test -Dtest=DdlScriptsTest#scriptsAreTheMigrationsInVersionOrder"
          + " -Dsurefire.failIfNoSpecifiedTests=false -Dusermgmt.writeDdl=true";

  private DdlScripts() {}

  /** The script of a dialect: a header, then each migration in version order, whole. */
  static String generate(Dialect d) {
    List<Migrations.Migration> migrations = Migrations.of(d);
    String versions =
        migrations.stream().map(m -> "V" + m.version()).collect(Collectors.joining(", "));
    String folder = d.migrationLocation().substring("classpath:".length());
    StringBuilder sb = new StringBuilder();
    sb.append("-- The user-mgmt schema (")
        .append(folder)
        .append(") at version ")
        .append(migrations.get(migrations.size() - 1).version())
        .append(" as plain DDL, for hosts that create it\n")
        .append("-- with Liquibase or their own tooling: the migrations ")
        .append(versions)
        .append(", one after the other.\n")
        .append("-- Generated from them; never edit. After adding a migration, regenerate with\n")
        .append("-- ")
        .append(REGENERATE)
        .append('\n');
    for (Migrations.Migration m : migrations) {
      sb.append("\n-- ").append(m.file()).append('\n').append(m.sql());
      if (!m.sql().endsWith("\n")) {
        sb.append('\n');
      }
    }
    return sb.toString();
  }

  /** The shipped script of a dialect, read from the class path. */
  static String shipped(Dialect d) {
    try (InputStream in =
        Objects.requireNonNull(
            DdlScripts.class.getClassLoader().getResourceAsStream(d.ddlScript()),
            "no resource " + d.ddlScript())) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs a script statement by statement over plain JDBC, as a tool without Flyway would. */
  static void run(DataSource ds, String script) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      for (String sql : statements(script)) {
        st.execute(sql);
      }
    }
  }

  /**
   * The statements of a script: split at semicolons outside quoted text and comments, comments
   * dropped.
   */
  static List<String> statements(String script) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int i = 0;
    while (i < script.length()) {
      char ch = script.charAt(i);
      if (ch == '-' && script.startsWith("--", i)) {
        int end = script.indexOf('\n', i);
        i = end < 0 ? script.length() : end;
      } else if (ch == '\'') {
        int end = i + 1;
        while (end < script.length()
            && (script.charAt(end) != '\''
                || (end + 1 < script.length() && script.charAt(end + 1) == '\''))) {
          end += script.charAt(end) == '\'' ? 2 : 1;
        }
        current.append(script, i, Math.min(end + 1, script.length()));
        i = end + 1;
      } else if (ch == ';') {
        addStatement(statements, current);
        i++;
      } else {
        current.append(ch);
        i++;
      }
    }
    addStatement(statements, current);
    return statements;
  }

  private static void addStatement(List<String> statements, StringBuilder current) {
    String sql = current.toString().strip();
    if (!sql.isEmpty()) {
      statements.add(sql);
    }
    current.setLength(0);
  }
}
