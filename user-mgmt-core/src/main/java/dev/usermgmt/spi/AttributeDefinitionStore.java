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
   * Creates or replaces a definition (by key) when the stored one is the one the caller read, in
   * one atomic step: none, to create it (a new key goes last in creation order); the stored one, to
   * replace it in its place. A caller who read a state that another changed meanwhile fails and
   * changes nothing, so no change is lost and none is recorded against a state it did not see.
   *
   * @param tenant the tenant
   * @param expected the definition the caller read, or empty when it read none
   * @param definition the new definition, of the same key
   * @throws dev.usermgmt.ConflictException {@code already_exists} when {@code expected} is empty
   *     and the key is defined; {@code version_conflict} when the stored definition is not {@code
   *     expected}
   */
  void put(TenantId tenant, Optional<AttributeDefinition> expected, AttributeDefinition definition);

  /**
   * Deletes a definition, when it is the one the caller read, and every value of it on the tenant's
   * users, bumping those users' versions and update times, in one atomic step.
   *
   * @param tenant the tenant
   * @param expected the definition the caller read
   * @param at the update time to set on the changed users
   * @return the values dropped, by user
   * @throws dev.usermgmt.ConflictException {@code version_conflict} when the stored definition of
   *     its key is not {@code expected} (changed or deleted meanwhile)
   */
  Map<UserId, AttributeValue> delete(
      TenantId tenant, AttributeDefinition expected, java.time.Instant at);
}
