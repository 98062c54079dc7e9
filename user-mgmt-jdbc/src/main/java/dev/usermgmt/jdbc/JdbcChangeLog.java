package dev.usermgmt.jdbc;

import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.audit.ChangeSet;
import dev.usermgmt.audit.FieldDiff;
import dev.usermgmt.audit.UserChange;
import dev.usermgmt.jdbc.dialect.Dialect;
import dev.usermgmt.spi.ChangeLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@link ChangeLog} over JDBC. Sequence numbers come from a per-tenant counter row, so that
 * concurrent appends of one tenant queue on its row lock instead of colliding.
 */
final class JdbcChangeLog implements ChangeLog {
  private final JdbcBackend db;

  JdbcChangeLog(JdbcBackend db) {
    this.db = db;
  }

  /**
   * Locks the tenant's counter row, which every append of the tenant then locks too, creating it on
   * first use. MariaDB upserts it, leaving an existing row as it is ({@code INSERT … ON DUPLICATE
   * KEY UPDATE} takes the row's exclusive lock either way; a {@code SELECT … FOR UPDATE} of a
   * missing row would lock the gap, and callers inserting it then deadlocked). PostgreSQL locks it
   * by {@code SELECT … FOR UPDATE}, upserting only when it is missing; H2 likewise, inserting it
   * with a duplicate ignored.
   */
  @Override
  public void hold(TenantId tenant) {
    db.tx(
        c -> {
          switch (db.dialect) {
            case MARIADB ->
                update(
                    c,
                    "INSERT INTO um_tenants (tenant_id, log_seq) VALUES (?, 0)"
                        + " ON DUPLICATE KEY UPDATE log_seq = log_seq",
                    tenant);
            case POSTGRESQL -> {
              if (!lockCounter(c, tenant)) {
                update(
                    c,
                    "INSERT INTO um_tenants AS t (tenant_id, log_seq) VALUES (?, 0)"
                        + " ON CONFLICT (tenant_id) DO UPDATE SET log_seq = t.log_seq",
                    tenant);
              }
            }
            case H2 -> {
              if (!lockCounter(c, tenant)) {
                createCounter(c, tenant);
                lockCounter(c, tenant);
              }
            }
          }
          return tenant;
        });
  }

  /** Locks the tenant's counter row; whether it has one. */
  private static boolean lockCounter(Connection c, TenantId tenant) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT log_seq FROM um_tenants WHERE tenant_id = ? FOR UPDATE")) {
      ps.setString(1, tenant.value());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  @Override
  public ChangeSet append(ChangeSet cs) {
    return db.tx(
        c -> {
          long seq = nextSequence(c, cs.tenant());
          ChangeSet stored = cs.withSequence(seq);
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO um_change_log (tenant_id, seq, id, doc, doc_deflated)"
                      + " VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, cs.tenant().value());
            ps.setLong(2, seq);
            ps.setString(3, cs.id());
            bindDoc(ps, 4, stored);
            ps.executeUpdate();
          }
          Set<String> users = new TreeSet<>();
          cs.changes().forEach(ch -> users.add(ch.userId().value()));
          List<String> all = new ArrayList<>(users);
          if (db.dialect == Dialect.POSTGRESQL) {
            insertChangeUsersArray(c, cs.tenant(), seq, all);
          } else {
            for (int i = 0; i < all.size(); i += ROWS_PER_INSERT) {
              insertChangeUsers(
                  c, cs.tenant(), seq, all.subList(i, Math.min(all.size(), i + ROWS_PER_INSERT)));
            }
          }
          return stored;
        });
  }

  /** Rows one multi-row INSERT of the user index takes (3 parameters a row). */
  private static final int ROWS_PER_INSERT = 500;

  /**
   * Indexes a change set by user: one multi-row {@code INSERT … VALUES (…), (…)} a slice rather
   * than a statement a row, which on MariaDB took seconds for a 100,000-user update.
   */
  private static void insertChangeUsers(Connection c, TenantId tenant, long seq, List<String> users)
      throws SQLException {
    StringBuilder sql =
        new StringBuilder("INSERT INTO um_change_users (tenant_id, user_id, seq) VALUES ");
    for (int i = 0; i < users.size(); i++) {
      sql.append(i == 0 ? "(?, ?, ?)" : ", (?, ?, ?)");
    }
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      int p = 1;
      for (String u : users) {
        ps.setString(p++, tenant.value());
        ps.setString(p++, u);
        ps.setLong(p++, seq);
      }
      ps.executeUpdate();
    }
  }

  /**
   * PostgreSQL: the change set's users as one text array, unnested, in one statement of three
   * parameters whatever their number. Multi-row {@code VALUES} of 1,500 parameters a slice cost two
   * statements a 1,000-user chunk, each parsed and planned anew; this one is prepared once.
   */
  private static void insertChangeUsersArray(
      Connection c, TenantId tenant, long seq, List<String> users) throws SQLException {
    if (users.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO um_change_users (tenant_id, user_id, seq)"
                + " SELECT ?, u.id, ? FROM unnest(CAST(? AS text[])) AS u(id)")) {
      ps.setString(1, tenant.value());
      ps.setLong(2, seq);
      ps.setArray(3, c.createArrayOf("text", users.toArray()));
      ps.executeUpdate();
    }
  }

  /** Binds a change set's stored form to two parameters: its text and its deflated text. */
  private static void bindDoc(PreparedStatement ps, int index, ChangeSet cs) throws SQLException {
    String text = ChangeSetCodec.encode(cs);
    if (ChangeSetCodec.storedDeflated(text)) {
      ps.setNull(index, Types.VARCHAR);
      ps.setBytes(index + 1, ChangeSetCodec.deflate(text));
    } else {
      ps.setString(index, text);
      ps.setNull(index + 1, Types.VARBINARY);
    }
  }

  /**
   * The tenant's next change-log sequence number, its counter row created on first use. The first
   * statement takes the row's exclusive lock, so that appends of one tenant queue on it: on MariaDB
   * an {@code INSERT IGNORE} took a shared lock on the existing row, and two appends that both held
   * it and then asked for the exclusive one deadlocked (the database aborted one, which the caller
   * saw as a conflict). PostgreSQL increments and reads in one statement; MariaDB increments, then
   * reads its own row; H2 inserts the row when it is missing, then increments and reads.
   */
  private long nextSequence(Connection c, TenantId tenant) throws SQLException {
    switch (db.dialect) {
      case POSTGRESQL -> {
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO um_tenants AS t (tenant_id, log_seq) VALUES (?, 1)"
                    + " ON CONFLICT (tenant_id) DO UPDATE SET log_seq = t.log_seq + 1"
                    + " RETURNING t.log_seq")) {
          ps.setString(1, tenant.value());
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
          }
        }
      }
      case MARIADB ->
          update(
              c,
              "INSERT INTO um_tenants (tenant_id, log_seq) VALUES (?, 1)"
                  + " ON DUPLICATE KEY UPDATE log_seq = log_seq + 1",
              tenant);
      case H2 -> {
        createCounter(c, tenant);
        update(c, "UPDATE um_tenants SET log_seq = log_seq + 1 WHERE tenant_id = ?", tenant);
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement("SELECT log_seq FROM um_tenants WHERE tenant_id = ?")) {
      ps.setString(1, tenant.value());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Creates the tenant's counter row on H2 unless it exists. */
  private void createCounter(Connection c, TenantId tenant) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(db.dialect.insertIgnore("um_tenants", "tenant_id, log_seq", "?, 0"))) {
      ps.setString(1, tenant.value());
      ps.setString(2, tenant.value());
      ps.executeUpdate();
    } catch (SQLException e) {
      if (!JdbcBackend.constraintViolated(e)) {
        throw e;
      }
      // another transaction created the row first
    }
  }

  /** Runs a statement whose one parameter is the tenant. */
  private static void update(Connection c, String sql, TenantId tenant) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, tenant.value());
      ps.executeUpdate();
    }
  }

  private List<ChangeSet> read(TenantId tenant, PreparedStatement ps) throws SQLException {
    List<ChangeSet> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(ChangeSetCodec.load(tenant, rs.getLong(1), rs.getString(2), rs.getBytes(3)));
      }
    }
    return out;
  }

  @Override
  public Optional<ChangeSet> get(TenantId tenant, String id) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT seq, doc, doc_deflated FROM um_change_log WHERE tenant_id = ? AND id = ?")) {
            ps.setString(1, tenant.value());
            ps.setString(2, id);
            List<ChangeSet> l = read(tenant, ps);
            return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
          }
        });
  }

  @Override
  public List<ChangeSet> page(TenantId tenant, long afterSequence, int limit) {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT seq, doc, doc_deflated FROM um_change_log WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT ?")) {
            ps.setString(1, tenant.value());
            ps.setLong(2, afterSequence);
            ps.setInt(3, limit);
            return read(tenant, ps);
          }
        });
  }

  @Override
  public List<ChangeSet> touching(TenantId tenant, long afterSequence, Collection<UserId> users) {
    if (users.isEmpty()) {
      return List.of();
    }
    // the sequences and then their change sets: two statements that must see one state
    return db.tx(
        c -> {
          List<String> ids =
              new ArrayList<>(new LinkedHashSet<>(users.stream().map(UserId::value).toList()));
          Set<Long> seqs = new TreeSet<>();
          for (int i = 0; i < ids.size(); i += db.batchSize) {
            List<String> part = ids.subList(i, Math.min(ids.size(), i + db.batchSize));
            // one probe of the user index a user, whatever the table's statistics: as
            // "user_id = ANY(?)" a never-analyzed PostgreSQL table was read from the tenant's
            // first entry with the sequence bound alone (0.45 s a chunk of an undo at 100,000
            // users)
            try (PreparedStatement ps =
                c.prepareStatement(
                    "SELECT DISTINCT seq FROM ("
                        + db.dialect.selectByKeys(
                            "u.seq", "um_change_users", "user_id", " AND u.seq > ?", part.size())
                        + ") s")) {
              ps.setLong(db.dialect.bindKeyLookup(ps, part, tenant.value()), afterSequence);
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  seqs.add(rs.getLong(1));
                }
              }
            }
          }
          List<ChangeSet> out = new ArrayList<>();
          List<Long> all = new ArrayList<>(seqs);
          for (int i = 0; i < all.size(); i += db.batchSize) {
            List<Long> part = all.subList(i, Math.min(all.size(), i + db.batchSize));
            out.addAll(bySequences(c, tenant, part));
          }
          return out;
        });
  }

  /**
   * The change sets of some sequences, in order, one probe of the primary key a sequence. H2 takes
   * a join of a table of the sequences: with {@code seq IN (…)} it probed the primary key with the
   * tenant alone and read every change set of the tenant, so an undo's cost grew with the log.
   */
  private List<ChangeSet> bySequences(Connection c, TenantId tenant, List<Long> seqs)
      throws SQLException {
    if (db.dialect == Dialect.H2) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT l.seq, l.doc, l.doc_deflated FROM um_change_log l"
                  + " JOIN TABLE(k BIGINT = ?) keys ON l.seq = keys.k"
                  + " WHERE l.tenant_id = ? ORDER BY l.seq")) {
        ps.setObject(1, seqs.toArray(new Long[0]));
        ps.setString(2, tenant.value());
        return read(tenant, ps);
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT seq, doc, doc_deflated FROM um_change_log WHERE tenant_id = ? AND seq IN ("
                + "?,".repeat(seqs.size() - 1)
                + "?) ORDER BY seq")) {
      ps.setString(1, tenant.value());
      for (int k = 0; k < seqs.size(); k++) {
        ps.setLong(k + 2, seqs.get(k));
      }
      return read(tenant, ps);
    }
  }

  @Override
  public int scrub(TenantId tenant, UserId user, Set<String> fields) {
    return db.tx(
        c -> {
          List<ChangeSet> sets = touching(tenant, 0, List.of(user));
          int redacted = 0;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE um_change_log SET doc = ?, doc_deflated = ?"
                      + " WHERE tenant_id = ? AND seq = ?")) {
            for (ChangeSet cs : sets) {
              List<UserChange> changes = new ArrayList<>();
              int before = redacted;
              for (UserChange ch : cs.changes()) {
                if (!ch.userId().equals(user)) {
                  changes.add(ch);
                  continue;
                }
                List<FieldDiff> diffs = new ArrayList<>();
                for (FieldDiff d : ch.diffs()) {
                  if (fields.contains(d.field()) && !d.redacted()) {
                    diffs.add(d.redact());
                    redacted++;
                  } else {
                    diffs.add(d);
                  }
                }
                changes.add(UserChange.builder().from(ch).diffs(diffs).build());
              }
              if (redacted > before) {
                bindDoc(ps, 1, ChangeSet.builder().from(cs).changes(changes).build());
                ps.setString(3, tenant.value());
                ps.setLong(4, cs.sequence());
                ps.addBatch();
              }
            }
            ps.executeBatch();
          }
          return redacted;
        });
  }
}
