package dev.usermgmt.memory;

import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.internal.store.Checks;
import dev.usermgmt.spi.AttributeDefinitionStore;
import dev.usermgmt.user.User;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The in-memory {@link AttributeDefinitionStore}. */
final class InMemoryAttributeStore implements AttributeDefinitionStore {
  private final MemoryBackend backend;

  InMemoryAttributeStore(MemoryBackend backend) {
    this.backend = backend;
  }

  @Override
  public List<AttributeDefinition> list(TenantId tenant) {
    return backend.read(() -> List.copyOf(backend.tenant(tenant).attributes.values()));
  }

  @Override
  public Optional<AttributeDefinition> get(TenantId tenant, String key) {
    return backend.read(() -> Optional.ofNullable(backend.tenant(tenant).attributes.get(key)));
  }

  @Override
  public void put(
      TenantId tenant, Optional<AttributeDefinition> expected, AttributeDefinition definition) {
    Checks.sameKey(expected, definition);
    backend.inTransaction(
        () -> {
          Map<String, AttributeDefinition> defs = backend.tenant(tenant).attributes;
          Checks.requireStored(
              definition.key(), Optional.ofNullable(defs.get(definition.key())), expected);
          AttributeDefinition previous = defs.put(definition.key(), definition);
          backend.onRollback(
              () -> {
                if (previous == null) {
                  defs.remove(definition.key());
                } else {
                  defs.put(definition.key(), previous);
                }
              });
          return definition;
        });
  }

  @Override
  public Map<UserId, AttributeValue> delete(
      TenantId tenant, AttributeDefinition expected, Instant at) {
    String key = expected.key();
    return backend.inTransaction(
        () -> {
          MemoryBackend.TenantData t = backend.tenant(tenant);
          Checks.requireStored(
              key, Optional.ofNullable(t.attributes.get(key)), Optional.of(expected));
          // a rollback puts the definition back in its place, not last
          Map<String, AttributeDefinition> order = new LinkedHashMap<>(t.attributes);
          t.attributes.remove(key);
          backend.onRollback(
              () -> {
                t.attributes.clear();
                t.attributes.putAll(order);
              });
          Map<UserId, AttributeValue> dropped = new LinkedHashMap<>();
          for (User u : new ArrayList<>(t.users.values())) {
            AttributeValue v = u.attributes().get(key);
            if (v != null) {
              Map<String, AttributeValue> rest = new LinkedHashMap<>(u.attributes());
              rest.remove(key);
              backend.putUser(
                  t, u.toBuilder().attributes(rest).version(u.version() + 1).updatedAt(at).build());
              dropped.put(u.id(), v);
            }
          }
          return dropped;
        });
  }
}
