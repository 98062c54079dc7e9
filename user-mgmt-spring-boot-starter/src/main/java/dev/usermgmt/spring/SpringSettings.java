package dev.usermgmt.spring;

import dev.usermgmt.role.RoleCatalog;
import org.jspecify.annotations.Nullable;

/** The library's settings from the bound properties. */
final class SpringSettings {
  private SpringSettings() {}

  static RoleCatalog roles(UserMgmtProperties.Roles roles) {
    if (roles.getCatalog().isEmpty()) {
      return RoleCatalog.defaultCatalog();
    }
    RoleCatalog.Builder b = RoleCatalog.builder();
    for (UserMgmtProperties.RoleEntry r : roles.getCatalog()) {
      b.role(r.getKey(), r.getLabel().isEmpty() ? r.getKey() : r.getLabel(), r.getLevel());
    }
    set(roles.getDefaultRole(), b::defaultRole);
    set(roles.getAdminRole(), b::adminRole);
    set(roles.getManagerRole(), b::managerRole);
    set(roles.getBlockedRole(), b::blockedRole);
    return b.build();
  }

  private static void set(@Nullable String key, java.util.function.Consumer<String> setter) {
    if (key != null && !key.isBlank()) {
      setter.accept(key);
    }
  }
}
