package dev.usermgmt.jdbc;

import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.internal.store.Checks;
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

  /** The columns a definition replaced takes: all but its key and its place. */
  private static final List<String> UPDATED =
      List.of(
          "label",
          "attr_type",
          "visible_to_managers",
          "editable_by_managers",
          "is_required",
          "is_personal",
          "is_sensitive");

  /** A definition's columns, in the order {@link #read} reads them. */
  private static final String COLUMNS = "attr_key, " + String.join(", ", UPDATED);

  private final JdbcBackend db;
  private final JdbcUserStore users;

  JdbcAttributeStore(JdbcBackend db, JdbcUserStore users) {
    this.db = db;
    this.users = users;
  }

  /**
   * A tenant's definitions in creation order (keys put at once, which may share a place, by key);
   * its one parameter is the tenant.
   */
  static final String LIST =
      "SELECT "
          + COLUMNS
          + " FROM um_attribute_defs WHERE tenant_id = ? ORDER BY sort_position, attr_key";

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

  /**
   * Creates a definition, last in the tenant's order, or replaces the one read in its place. The
   * position is read first by a plain read that takes no lock: on MariaDB an {@code INSERT … SELECT
   * MAX(…)} locked the tenant's rows it read, and two callers creating different keys deadlocked.
   * Two keys created at once may so share a position; {@link #LIST} orders them by key. The same
   * read finds a defined key; one created meanwhile fails on the primary key. A replace matches the
   * whole definition read.
   */
  @Override
  public void put(TenantId tenant, Optional<AttributeDefinition> expected, AttributeDefinition d) {
    Checks.sameKey(expected, d);
    db.tx(
        c -> {
          if (expected.isPresent()) {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "UPDATE um_attribute_defs SET "
                        + String.join(" = ?, ", UPDATED)
                        + " = ? WHERE "
                        + MATCHES)) {
              bind(ps, 1, d);
              bindMatch(ps, UPDATED.size() + 1, tenant, expected.get());
              if (ps.executeUpdate() == 0) {
                throw Checks.definitionConflict(d.key(), false);
              }
            }
            return d;
          }
          long position;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT COALESCE(MAX(sort_position), 0) + 1,"
                      + " COUNT(CASE WHEN attr_key = ? THEN 1 END)"
                      + " FROM um_attribute_defs WHERE tenant_id = ?")) {
            ps.setString(1, d.key());
            ps.setString(2, tenant.value());
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              position = rs.getLong(1);
              if (rs.getLong(2) > 0) {
                // the usual case of a defined key, without a failed statement the driver logs
                throw Checks.definitionConflict(d.key(), true);
              }
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO um_attribute_defs (tenant_id, sort_position, "
                      + COLUMNS
                      + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, tenant.value());
            ps.setLong(2, position);
            ps.setString(3, d.key());
            bind(ps, 4, d);
            ps.executeUpdate();
          } catch (java.sql.SQLException e) {
            if (JdbcBackend.constraintViolated(e)) {
              throw Checks.definitionConflict(d.key(), true);
            }
            throw e;
          }
          return d;
        });
  }

  /** The row of a definition as read: its tenant and key, then every column {@link #bindMatch}s. */
  private static final String MATCHES =
      "tenant_id = ? AND attr_key = ? AND " + String.join(" = ? AND ", UPDATED) + " = ?";

  /** Binds a definition's {@link #UPDATED} columns from {@code index} on. */
  private static void bind(PreparedStatement ps, int index, AttributeDefinition d)
      throws java.sql.SQLException {
    ps.setString(index, d.label());
    ps.setString(index + 1, d.type().name());
    ps.setBoolean(index + 2, d.visibleToManagers());
    ps.setBoolean(index + 3, d.editableByManagers());
    ps.setBoolean(index + 4, d.required());
    ps.setBoolean(index + 5, d.personal());
    ps.setBoolean(index + 6, d.sensitive());
  }

  /** Binds the parameters of {@link #MATCHES} from {@code index} on. */
  private static void bindMatch(
      PreparedStatement ps, int index, TenantId tenant, AttributeDefinition d)
      throws java.sql.SQLException {
    ps.setString(index, tenant.value());
    ps.setString(index + 1, d.key());
    bind(ps, index + 2, d);
  }

  @Override
  public Map<UserId, AttributeValue> delete(
      TenantId tenant, AttributeDefinition expected, Instant at) {
    String key = expected.key();
    return db.tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM um_attribute_defs WHERE " + MATCHES)) {
            bindMatch(ps, 1, tenant, expected);
            if (ps.executeUpdate() == 0) {
              throw Checks.definitionConflict(key, false);
            }
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
