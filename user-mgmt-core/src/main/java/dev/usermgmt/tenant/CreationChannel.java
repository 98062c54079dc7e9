package dev.usermgmt.tenant;

/**
 * How a user came to be created; each channel has its own default initial status (the open
 * directory's "Default User State" setting).
 */
public enum CreationChannel {
  /** The Add Users form or the single-user API. */
  MANUAL,
  /** A CSV / spreadsheet import or a bulk API import. */
  FILE_IMPORT,
  /** An application or directory integration (SCIM, SSO). */
  DIRECTORY_INTEGRATION
}
