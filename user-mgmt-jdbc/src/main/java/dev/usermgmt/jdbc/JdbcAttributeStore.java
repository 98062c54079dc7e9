package dev.usermgmt.jdbc;

import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.spi.AttributeDefinitionStore;
import dev.usermgmt.user.User;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link AttributeDefinitionStore} over JDBC. */
final class JdbcAttributeStore implements AttributeDefinitionStore {
  private static final String COLUMNS =
      "attr_key, label, attr_type, visible_to_managers, editable_by_managers, is_required, is_personal, is_sensitive";

  private final JdbcBackend db;
  private final JdbcUserStore users;

  JdbcAttributeStore(JdbcBackend db, JdbcUserStore users) {
    this.db = db;
    this.users = users;
  }

  /** A tenant's definitions in creation order; its one parameter is the tenant. */
  static final String LIST =
      "SELECT " + COLUMNS + " FROM um_attribute_defs WHERE tenant_id = ? ORDER BY sort_position";

  /** Whether this store reads the definitions of the same database as a backend. */
  boolean over(JdbcBackend backend) {
    return db == backend;
  }

  @Override
  public List<AttributeDefinition> list(TenantId tenant) {
    return db.read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(LIST)) {
            ps.setString(1, tenant.value());
            try (ResultSet rs = ps.executeQuery()) {
              return list(rs);
            }
          }
        });
  }

  /** The definitions of a result of {@link #LIST}. */
  static List<AttributeDefinition> list(ResultSet rs) throws java.sql.SQLException {
    List<AttributeDefinition> out = new ArrayList<>();
    while (rs.next()) {
      out.add(read(rs));
    }
    return out;
  }

  private static AttributeDefinition read(ResultSet rs) throws java.sql.SQLException {
    return AttributeDefinition.builder()
        .key(rs.getString(1))
        .label(rs.getString(2))
        .type(AttributeType.valueOf(rs.getString(3)))
        .visibleToManagers(rs.getBoolean(4))
        .editableByManagers(rs.getBoolean(5))
        .required(rs.getBoolean(6))
        .personal(rs.getBoolean(7))
        .sensitive(rs.getBoolean(8))
        .build();
  }

  @Override
  public Optional<AttributeDefinition> get(TenantId tenant, String key) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM um_attribute_defs WHERE tenant_id = ? AND attr_key = ?")) {
            ps.setString(1, tenant.value());
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
          }
        });
  }

  @Override
  public void put(TenantId tenant, AttributeDefinition d) {
    db.tx(
        c -> {
          int updated;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE um_attribute_defs SET label = ?, attr_type = ?, visible_to_managers = ?,"
                      + " editable_by_managers = ?, is_required = ?, is_personal = ?, is_sensitive = ?"
                      + " WHERE tenant_id = ? AND attr_key = ?")) {
            ps.setString(1, d.label());
            ps.setString(2, d.type().name());
            ps.setBoolean(3, d.visibleToManagers());
            ps.setBoolean(4, d.editableByManagers());
            ps.setBoolean(5, d.required());
            ps.setBoolean(6, d.personal());
            ps.setBoolean(7, d.sensitive());
            ps.setString(8, tenant.value());
            ps.setString(9, d.key());
            updated = ps.executeUpdate();
          }
          if (updated == 0) {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO um_attribute_defs (tenant_id, sort_position, "
                        + COLUMNS
                        + ") SELECT ?,"
                        + " COALESCE(MAX(sort_position), 0) + 1, ?, ?, ?, ?, ?, ?, ?, ? FROM um_attribute_defs WHERE tenant_id = ?")) {
              ps.setString(1, tenant.value());
              ps.setString(2, d.key());
              ps.setString(3, d.label());
              ps.setString(4, d.type().name());
              ps.setBoolean(5, d.visibleToManagers());
              ps.setBoolean(6, d.editableByManagers());
              ps.setBoolean(7, d.required());
              ps.setBoolean(8, d.personal());
              ps.setBoolean(9, d.sensitive());
              ps.setString(10, tenant.value());
              ps.executeUpdate();
            }
          }
          return d;
        });
  }

  @Override
  public Map<UserId, AttributeValue> delete(TenantId tenant, String key, Instant at) {
    return db.tx(
        c -> {
          int deleted;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "DELETE FROM um_attribute_defs WHERE tenant_id = ? AND attr_key = ?")) {
            ps.setString(1, tenant.value());
            ps.setString(2, key);
            deleted = ps.executeUpdate();
          }
          if (deleted == 0) {
            return Map.of();
          }
          List<UserId> holders = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT user_id FROM um_user_attributes WHERE tenant_id = ? AND attr_key = ? ORDER BY user_id")) {
            ps.setString(1, tenant.value());
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                holders.add(UserId.of(rs.getString(1)));
              }
            }
          }
          Map<UserId, AttributeValue> dropped = new LinkedHashMap<>();
          for (int i = 0; i < holders.size(); i += users.maxBatchSize()) {
            List<User> changed = new ArrayList<>();
            for (User u :
                users
                    .getAll(
                        tenant,
                        holders.subList(i, Math.min(holders.size(), i + users.maxBatchSize())))
                    .values()) {
              AttributeValue v = u.attributes().get(key);
              if (v != null) {
                Map<String, AttributeValue> rest = new LinkedHashMap<>(u.attributes());
                rest.remove(key);
                changed.add(
                    u.toBuilder().attributes(rest).version(u.version() + 1).updatedAt(at).build());
                dropped.put(u.id(), v);
              }
            }
            users.update(tenant, changed);
          }
          return dropped;
        });
  }
}
