package dev.usermgmt.spi;

import dev.usermgmt.TenantId;
import dev.usermgmt.group.Group;
import java.util.List;
import java.util.Optional;

/** The groups of each tenant. Membership is held on users. */
public interface GroupStore {
  /**
   * Every group, by name.
   *
   * @param tenant the tenant
   * @return the groups
   */
  List<Group> list(TenantId tenant);

  /**
   * One group.
   *
   * @param tenant the tenant
   * @param id the group id
   * @return the group, or empty
   */
  Optional<Group> get(TenantId tenant, String id);

  /**
   * Creates or renames a group.
   *
   * @param tenant the tenant
   * @param group the group
   */
  void put(TenantId tenant, Group group);

  /**
   * Deletes a group (memberships on users are the caller's business).
   *
   * @param tenant the tenant
   * @param id the group id
   * @return whether it existed
   */
  boolean delete(TenantId tenant, String id);
}
