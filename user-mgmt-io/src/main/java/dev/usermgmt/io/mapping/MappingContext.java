package dev.usermgmt.io.mapping;

import dev.usermgmt.access.Actor;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.tenant.TenantSettings;
import java.util.Set;

/**
 * What value parsing needs to know about a tenant: its custom attributes, its role catalog, the
 * region of phone numbers written without a country code, and its modules.
 *
 * @param schema the custom attributes
 * @param roles the role catalog
 * @param phoneRegion the default phone region (ISO 3166 code)
 * @param modules the tenant's module names
 */
public record MappingContext(
    AttributeSchema schema, RoleCatalog roles, String phoneRegion, Set<String> modules) {
  /** Copies the set. */
  public MappingContext {
    modules = Set.copyOf(modules);
  }

  /**
   * The context of the actor's tenant.
   *
   * @param directory the directory
   * @param actor who uploads
   * @return the context
   */
  public static MappingContext of(UserDirectory directory, Actor actor) {
    TenantSettings s = directory.settings(actor.tenant());
    return new MappingContext(
        directory.schema(actor.tenant()), directory.roles(), s.phoneRegion(), s.modules());
  }
}
