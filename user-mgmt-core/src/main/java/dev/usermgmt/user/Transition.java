package dev.usermgmt.user;

/**
 * A move in the user lifecycle; {@link UserLifecycle} says from which statuses each is legal and
 * where it leads.
 */
public enum Transition {
  /** Send (or resend) the invitation now. */
  INVITE,
  /** Plan the invitation for a later time. */
  SCHEDULE_INVITE,
  /** The user accepts the invitation (first sign-in, password set). */
  ACCEPT,
  /** An admin activates now ("Activate Now", "Activate Users"). */
  ACTIVATE,
  /** An admin plans the activation for a later time; the status does not change until then. */
  SCHEDULE_ACTIVATION,
  /** Revoke access temporarily. */
  SUSPEND,
  /** Give a suspended user access again. */
  UNSUSPEND,
  /** Block sign-in, keep data, effective role Blocked. */
  DEACTIVATE,
  /** Give a deactivated user access again, history intact. */
  REACTIVATE,
  /** Remove personal data irreversibly (GDPR); only from deactivated. */
  ANONYMISE,
  /** Remove the record permanently; only from deactivated (or anonymised). */
  DELETE
}
