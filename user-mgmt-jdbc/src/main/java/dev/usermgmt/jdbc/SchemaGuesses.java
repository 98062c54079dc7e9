package dev.usermgmt.jdbc;

import dev.usermgmt.TenantId;
import dev.usermgmt.attribute.AttributeDefinition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The attribute definitions each tenant's last page was read with: a guess of the schema the next
 * page's query is prepared from, never an answer — the request that reads the page reads the
 * definitions too, and a page read with a wrong guess is read again. Kept for the tenants used
 * last, at most {@value #TENANTS}.
 */
final class SchemaGuesses {
  static final int TENANTS = 1024;

  private final Map<TenantId, List<AttributeDefinition>> last =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<TenantId, List<AttributeDefinition>> e) {
          return size() > TENANTS;
        }
      };

  synchronized Optional<List<AttributeDefinition>> guess(TenantId tenant) {
    return Optional.ofNullable(last.get(tenant));
  }

  synchronized void remember(TenantId tenant, List<AttributeDefinition> definitions) {
    last.put(tenant, List.copyOf(definitions));
  }
}
