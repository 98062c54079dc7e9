package dev.usermgmt.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usermgmt.TenantId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/** A tenant's stored rows as text, read with plain SQL, for comparing what two writes stored. */
final class StoredRows {
  private StoredRows() {}

  /**
   * Every column of a tenant's users but those named, by user id.
   *
   * @param ds the data source
   * @param tenant the tenant
   * @param notCompared lower-case column names left out
   * @return the rows, at least one
   */
  static Map<String, Map<String, Optional<String>>> users(
      DataSource ds, TenantId tenant, Set<String> notCompared) {
    Map<String, Map<String, Optional<String>>> out = new LinkedHashMap<>();
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT * FROM um_users WHERE tenant_id = ? ORDER BY id")) {
      ps.setString(1, tenant.value());
      try (ResultSet rs = ps.executeQuery()) {
        ResultSetMetaData md = rs.getMetaData();
        while (rs.next()) {
          Map<String, Optional<String>> row = new LinkedHashMap<>();
          for (int k = 1; k <= md.getColumnCount(); k++) {
            String name = md.getColumnLabel(k).toLowerCase(Locale.ROOT);
            if (!notCompared.contains(name)) {
              row.put(name, Optional.ofNullable(rs.getString(k)));
            }
          }
          out.put(rs.getString("id"), row);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    assertThat(out).isNotEmpty();
    return out;
  }

  /**
   * A tenant's rows of modules, groups and custom attributes, each as its columns' text, sorted.
   *
   * @param ds the data source
   * @param tenant the tenant
   * @return the rows
   */
  static List<String> details(DataSource ds, TenantId tenant) {
    List<String> out = new ArrayList<>();
    for (String table : List.of("um_user_values", "um_user_attributes")) {
      try (Connection c = ds.getConnection();
          PreparedStatement ps =
              c.prepareStatement("SELECT * FROM " + table + " WHERE tenant_id = ?")) {
        ps.setString(1, tenant.value());
        try (ResultSet rs = ps.executeQuery()) {
          int n = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            StringBuilder row = new StringBuilder(table);
            for (int k = 1; k <= n; k++) {
              row.append('|').append(rs.getString(k));
            }
            out.add(row.toString());
          }
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
    out.sort(null);
    return out;
  }
}
