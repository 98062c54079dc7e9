package dev.usermgmt.spi;

import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeValue;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The custom attribute definitions of each tenant. */
public interface AttributeDefinitionStore {
  /**
   * Every definition, in creation order.
   *
   * @param tenant the tenant
   * @return the definitions
   */
  List<AttributeDefinition> list(TenantId tenant);

  /**
   * One definition.
   *
   * @param tenant the tenant
   * @param key the attribute key
   * @return the definition, or empty
   */
  Optional<AttributeDefinition> get(TenantId tenant, String key);

  /**
   * Creates or replaces a definition (by key).
   *
   * @param tenant the tenant
   * @param definition the definition
   */
  void put(TenantId tenant, AttributeDefinition definition);

  /**
   * Deletes a definition and every value of it on the tenant's users, bumping those users' versions
   * and update times.
   *
   * @param tenant the tenant
   * @param key the attribute key
   * @param at the update time to set on the changed users
   * @return the values dropped, by user
   */
  Map<UserId, AttributeValue> delete(TenantId tenant, String key, java.time.Instant at);
}
