package dev.usermgmt.jdbc;

import dev.usermgmt.TenantId;
import dev.usermgmt.group.Group;
import dev.usermgmt.spi.GroupStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link GroupStore} over JDBC. */
final class JdbcGroupStore implements GroupStore {
  private final JdbcBackend db;

  /** The group's row, or its name when the tenant has a group of that id. */
  private final String put;

  JdbcGroupStore(JdbcBackend db) {
    this.db = db;
    this.put =
        Upserts.sql(
            db.dialect,
            "um_groups",
            List.of("tenant_id", "id", "name"),
            "VALUES (?, ?, ?)",
            List.of("tenant_id", "id"),
            List.of("name"));
  }

  @Override
  public List<Group> list(TenantId tenant) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT id, name FROM um_groups WHERE tenant_id = ? ORDER BY name, id")) {
            ps.setString(1, tenant.value());
            List<Group> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(Group.of(rs.getString(1), rs.getString(2)));
              }
            }
            return out;
          }
        });
  }

  @Override
  public Optional<Group> get(TenantId tenant, String id) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT id, name FROM um_groups WHERE tenant_id = ? AND id = ?")) {
            ps.setString(1, tenant.value());
            ps.setString(2, id);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next()
                  ? Optional.of(Group.of(rs.getString(1), rs.getString(2)))
                  : Optional.empty();
            }
          }
        });
  }

  @Override
  public void put(TenantId tenant, Group group) {
    db.tx(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(put)) {
            ps.setString(1, tenant.value());
            ps.setString(2, group.id());
            ps.setString(3, group.name());
            Upserts.execute(db.dialect, ps);
          }
          return group;
        });
  }

  @Override
  public boolean delete(TenantId tenant, String id) {
    return db.tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM um_groups WHERE tenant_id = ? AND id = ?")) {
            ps.setString(1, tenant.value());
            ps.setString(2, id);
            return ps.executeUpdate() > 0;
          }
        });
  }
}
