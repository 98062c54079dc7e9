package dev.usermgmt.memory;

import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.audit.ChangeSet;
import dev.usermgmt.audit.FieldDiff;
import dev.usermgmt.audit.UserChange;
import dev.usermgmt.spi.ChangeLog;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The in-memory {@link ChangeLog}. */
final class InMemoryChangeLog implements ChangeLog {
  private final MemoryBackend backend;

  InMemoryChangeLog(MemoryBackend backend) {
    this.backend = backend;
  }

  /** Nothing: a transaction of this store holds the write lock of every tenant until it ends. */
  @Override
  public void hold(TenantId tenant) {
    // the store's write lock already excludes every other transaction
  }

  @Override
  public ChangeSet append(ChangeSet changeSet) {
    return backend.inTransaction(
        () -> {
          MemoryBackend.TenantData t = backend.tenant(changeSet.tenant());
          ChangeSet stored = changeSet.withSequence(t.log.size() + 1L);
          t.log.add(stored);
          t.logIndex.put(stored.id(), t.log.size() - 1);
          backend.onRollback(
              () -> {
                t.log.remove(t.log.size() - 1);
                t.logIndex.remove(stored.id());
              });
          return stored;
        });
  }

  @Override
  public Optional<ChangeSet> get(TenantId tenant, String id) {
    return backend.read(
        () -> {
          MemoryBackend.TenantData t = backend.tenant(tenant);
          Integer i = t.logIndex.get(id);
          return i == null ? Optional.empty() : Optional.of(t.log.get(i));
        });
  }

  @Override
  public List<ChangeSet> page(TenantId tenant, long afterSequence, int limit) {
    return backend.read(
        () -> {
          List<ChangeSet> log = backend.tenant(tenant).log;
          int from = (int) Math.min(Math.max(afterSequence, 0), log.size());
          return List.copyOf(log.subList(from, Math.min(log.size(), from + limit)));
        });
  }

  @Override
  public List<ChangeSet> touching(TenantId tenant, long afterSequence, Collection<UserId> users) {
    Set<UserId> wanted = new HashSet<>(users);
    return backend.read(
        () -> {
          List<ChangeSet> log = backend.tenant(tenant).log;
          List<ChangeSet> out = new ArrayList<>();
          for (int i = (int) Math.min(Math.max(afterSequence, 0), log.size());
              i < log.size();
              i++) {
            ChangeSet cs = log.get(i);
            if (cs.changes().stream().anyMatch(c -> wanted.contains(c.userId()))) {
              out.add(cs);
            }
          }
          return out;
        });
  }

  @Override
  public int scrub(TenantId tenant, UserId user, Set<String> fields) {
    return backend.inTransaction(
        () -> {
          List<ChangeSet> log = backend.tenant(tenant).log;
          int redacted = 0;
          for (int i = 0; i < log.size(); i++) {
            ChangeSet cs = log.get(i);
            List<UserChange> changes = new ArrayList<>();
            boolean changed = false;
            for (UserChange c : cs.changes()) {
              if (!c.userId().equals(user)) {
                changes.add(c);
                continue;
              }
              List<FieldDiff> diffs = new ArrayList<>();
              for (FieldDiff d : c.diffs()) {
                if (fields.contains(d.field()) && !d.redacted()) {
                  diffs.add(d.redact());
                  redacted++;
                  changed = true;
                } else {
                  diffs.add(d);
                }
              }
              changes.add(UserChange.builder().from(c).diffs(diffs).build());
            }
            if (changed) {
              ChangeSet before = cs;
              int index = i;
              log.set(i, ChangeSet.builder().from(cs).changes(changes).build());
              backend.onRollback(() -> log.set(index, before));
            }
          }
          return redacted;
        });
  }
}
