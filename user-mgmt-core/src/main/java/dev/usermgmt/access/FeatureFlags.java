package dev.usermgmt.access;

import dev.usermgmt.TenantId;
import java.util.EnumMap;
import java.util.Map;

/** Answers feature flags per tenant; the host's flag service plugs in here. */
@FunctionalInterface
public interface FeatureFlags {
  /**
   * Whether a flag is on for a tenant.
   *
   * @param tenant the tenant
   * @param flag the flag
   * @return true when on
   */
  boolean isEnabled(TenantId tenant, FeatureFlag flag);

  /**
   * Every flag at its documented default, for every tenant.
   *
   * @return the flags
   */
  static FeatureFlags defaults() {
    return (tenant, flag) -> flag.enabledByDefault();
  }

  /**
   * The defaults with some flags overridden, for every tenant.
   *
   * @param overrides flag values that differ from the defaults
   * @return the flags
   */
  static FeatureFlags of(Map<FeatureFlag, Boolean> overrides) {
    Map<FeatureFlag, Boolean> copy = new EnumMap<>(FeatureFlag.class);
    copy.putAll(overrides);
    return (tenant, flag) -> copy.getOrDefault(flag, flag.enabledByDefault());
  }
}
