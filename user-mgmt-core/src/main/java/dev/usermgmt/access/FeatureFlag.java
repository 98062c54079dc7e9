package dev.usermgmt.access;

/**
 * The feature flags the reference gates actions by, with their default values. A host answers them
 * per tenant through {@link dev.usermgmt.access.FeatureFlags}.
 */
public enum FeatureFlag {
  /** "Update Users from CSV". */
  UPDATE_USERS_EXCEL(true),
  /** "Deactivate Users from Excel/CSV" — blocked by default, as the reference says. */
  DEACTIVATE_USERS_EXCEL(false),
  /** "Manage Custom Attributes". */
  CAN_ADD_USERS_CUSTOM_ATTRIBUTES(true),
  /** User-reference custom attributes are visible. */
  CAN_SEE_USER_TYPE_CUSTOM_ATTRIBUTES(true),
  /** "Edit User". */
  CAN_EDIT_USERS(true),
  /** "Reset User". */
  CAN_RESET_USER(true),
  /** "Deactivate User" and "Delete User". */
  CAN_DEACTIVATE_USER(true),
  /** "Set user modules". */
  CAN_EDIT_MODULES(true),
  /** "Transfer ownership". */
  CAN_TRANSFER_OWNERSHIP(true),
  /** The tenant is LMS-only, which is what allows "Impersonate". Off by default. */
  LMS_ONLY_TENANT(false),
  /** A directory integration (SCIM/SSO) mapping is configured, which "Sync Users" needs. */
  USERS_INTEGRATION_CONFIGURED(false);

  private final boolean enabledByDefault;

  FeatureFlag(boolean enabledByDefault) {
    this.enabledByDefault = enabledByDefault;
  }

  /**
   * The value when the host says nothing.
   *
   * @return the default
   */
  public boolean enabledByDefault() {
    return enabledByDefault;
  }
}
