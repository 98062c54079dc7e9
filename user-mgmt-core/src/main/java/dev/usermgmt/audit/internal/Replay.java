package dev.usermgmt.audit.internal;

import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.audit.ChangeSet;
import dev.usermgmt.audit.FieldDiff;
import dev.usermgmt.audit.UserChange;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.user.User;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rebuilds a tenant's users from its change log alone: creations start a user, updates apply their
 * diffs, deletions remove it. Because every mutation writes exactly one change set, the result
 * equals the store. Values redacted by anonymisation come back empty, which is what the anonymised
 * user holds anyway. Useful for read models, audits and the library's own tests.
 */
public final class Replay {
  private Replay() {}

  private static final class State {
    final Map<String, FieldDiff> values = new LinkedHashMap<>();
    long version;
    Instant updatedAt;

    State(long version, Instant updatedAt) {
      this.version = version;
      this.updatedAt = updatedAt;
    }

    void apply(List<FieldDiff> diffs) {
      for (FieldDiff d : diffs) {
        if (d.redacted() || d.after().isEmpty()) {
          values.remove(d.field());
        } else {
          values.put(d.field(), d);
        }
      }
    }
  }

  /**
   * Replays change sets in order.
   *
   * @param tenant the tenant
   * @param changeSets the log, in append order
   * @param roles the catalog role keys refer to
   * @return the users, by id
   */
  public static Map<UserId, User> replay(
      TenantId tenant, Iterable<ChangeSet> changeSets, RoleCatalog roles) {
    TreeMap<UserId, State> states = new TreeMap<>();
    for (ChangeSet cs : changeSets) {
      for (UserChange c : cs.changes()) {
        switch (c.kind()) {
          case CREATED -> {
            State s = new State(c.versionAfter().orElse(1L), cs.at());
            s.apply(c.diffs());
            states.put(c.userId(), s);
          }
          case UPDATED -> {
            State s = states.get(c.userId());
            if (s != null) {
              s.apply(c.diffs());
              s.version = c.versionAfter().orElse(s.version + 1);
              s.updatedAt = cs.at();
            }
          }
          case DELETED -> states.remove(c.userId());
        }
      }
    }
    Map<UserId, User> users = new TreeMap<>();
    states.forEach(
        (id, s) ->
            users.put(
                id,
                Diffs.rebuild(
                    tenant,
                    id,
                    new ArrayList<>(s.values.values()),
                    false,
                    s.version,
                    s.updatedAt,
                    roles)));
    return users;
  }
}
