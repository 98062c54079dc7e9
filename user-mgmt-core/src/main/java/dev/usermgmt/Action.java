package dev.usermgmt;

import java.util.Optional;

/**
 * Everything an actor may be allowed or denied, one constant per row of the reference documents'
 * gating tables (Employees tab top bar and user menu, the people platform's role table, the open
 * directory's actions menu) plus the library's own (reading the change log, undo).
 */
public enum Action {
  /**
   * Open the users table ("Access to this tab requires either the Admin role or a People domain
   * admin role").
   */
  VIEW_USERS,
  /** Read one user's record (admins; the user themself; their managers, restricted). */
  VIEW_USER,
  /** "Add Users". */
  ADD_USERS,
  /** "Edit User" / "Edit another user's details". */
  EDIT_USER,
  /** "Edit your own profile". */
  EDIT_OWN_PROFILE,
  /** "Reset User". */
  RESET_USER,
  /** "Deactivate User". */
  DEACTIVATE_USER,
  /** "Deactivate/Reactivate users" (reactivation half). */
  REACTIVATE_USER,
  /** "Delete User" (only once inactive). */
  DELETE_USER,
  /** "Set user modules". */
  SET_MODULES,
  /** "Transfer ownership". */
  TRANSFER_OWNERSHIP,
  /** "Impersonate" (separate header button; LMS-only tenants). */
  IMPERSONATE,
  /** "Login as another user" (people platform). */
  LOGIN_AS_USER,
  /** "Anonymise users" (GDPR). */
  ANONYMISE,
  /** "Update Users from CSV" / "Bulk update users via CSV". */
  UPDATE_FROM_FILE,
  /** "Deactivate Users from Excel/CSV". */
  DEACTIVATE_FROM_FILE,
  /** "Bulk Delete Users". */
  BULK_DELETE,
  /** Import a file of add-user / remove-user / update rows (admin console CSV import). */
  IMPORT_ACTIONS,
  /** "Manage Custom Attributes". */
  MANAGE_CUSTOM_ATTRIBUTES,
  /** See user-reference custom attributes. */
  SEE_USER_REF_ATTRIBUTES,
  /** "Sync Users". */
  SYNC_USERS,
  /** "Send Invitation Email" (and scheduling invitations). */
  SEND_INVITATIONS,
  /** "Generate POC Passwords". */
  GENERATE_DEMO_PASSWORDS,
  /** "Export". */
  EXPORT,
  /** "Activate Users" / "Activate Now". */
  ACTIVATE,
  /** "Schedule Activation". */
  SCHEDULE_ACTIVATION,
  /** "Suspend Users" (and unsuspending). */
  SUSPEND,
  /** "Unlock User Accounts". */
  UNLOCK,
  /** "Force Password Change". */
  FORCE_PASSWORD_CHANGE,
  /** "Change User MFA Requirement" and "Send TOTP MFA Reset Email". */
  MANAGE_MFA,
  /** "Manage Groups" / "Add To User Group". */
  MANAGE_GROUPS,
  /** Read the change log. */
  READ_CHANGE_LOG,
  /** Undo a change set. */
  UNDO,
  /**
   * Record what the host's own sign-in reports about a user: a sign-in, an accepted invitation, a
   * lockout after failed attempts. The system actor holds it; no role grants it.
   */
  RECORD_SIGN_IN;

  /**
   * An action by its name, case-insensitively.
   *
   * @param name e.g. {@code "edit_user"}
   * @return the action, or empty
   */
  public static Optional<Action> byName(String name) {
    for (Action a : values()) {
      if (a.name().equalsIgnoreCase(name.strip())) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
