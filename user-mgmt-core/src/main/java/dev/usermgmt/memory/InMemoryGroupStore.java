package dev.usermgmt.memory;

import dev.usermgmt.TenantId;
import dev.usermgmt.group.Group;
import dev.usermgmt.spi.GroupStore;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** The in-memory {@link GroupStore}. */
final class InMemoryGroupStore implements GroupStore {
  private final MemoryBackend backend;

  InMemoryGroupStore(MemoryBackend backend) {
    this.backend = backend;
  }

  @Override
  public List<Group> list(TenantId tenant) {
    return backend.read(
        () ->
            backend.tenant(tenant).groups.values().stream()
                .sorted(Comparator.comparing(Group::name).thenComparing(Group::id))
                .toList());
  }

  @Override
  public Optional<Group> get(TenantId tenant, String id) {
    return backend.read(() -> Optional.ofNullable(backend.tenant(tenant).groups.get(id)));
  }

  @Override
  public void put(TenantId tenant, Group group) {
    backend.inTransaction(
        () -> {
          TreeMap<String, Group> groups = backend.tenant(tenant).groups;
          Group previous = groups.put(group.id(), group);
          backend.onRollback(
              () -> {
                if (previous == null) {
                  groups.remove(group.id());
                } else {
                  groups.put(group.id(), previous);
                }
              });
          return group;
        });
  }

  @Override
  public boolean delete(TenantId tenant, String id) {
    return backend.inTransaction(
        () -> {
          TreeMap<String, Group> groups = backend.tenant(tenant).groups;
          Group previous = groups.remove(id);
          if (previous != null) {
            backend.onRollback(() -> groups.put(id, previous));
          }
          return previous != null;
        });
  }
}
