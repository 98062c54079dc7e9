package dev.usermgmt.user;

/**
 * The state of a user's password as directories track it: none set, pending (an activation link was
 * sent), active, or expired (a password change was forced).
 */
public enum PasswordState {
  /** No password: the user has never set one (or signs in through SSO only). */
  NONE,
  /** An activation e-mail went out; the user has not set a password yet. */
  PENDING,
  /** The user has a usable password. */
  ACTIVE,
  /** The password was expired ("force password change"); it must be changed at next sign-in. */
  EXPIRED
}
