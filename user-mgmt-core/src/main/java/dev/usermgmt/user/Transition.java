package dev.usermgmt.user;

import dev.usermgmt.Action;
import java.util.Locale;

/**
 * A move in the user lifecycle, with the action it needs; {@link UserLifecycle} says from which
 * statuses each is legal and where it leads.
 */
public enum Transition {
  /** Send (or resend) the invitation now. */
  INVITE(Action.SEND_INVITATIONS, "user.invite"),
  /** Plan the invitation for a later time. */
  SCHEDULE_INVITE(Action.SEND_INVITATIONS, "user.schedule_invitation"),
  /** The user accepts the invitation (first sign-in, password set); the host reports it. */
  ACCEPT(Action.RECORD_SIGN_IN, "user.accept_invitation"),
  /** An admin activates now ("Activate Now", "Activate Users"). */
  ACTIVATE(Action.ACTIVATE, "user.activate"),
  /** An admin plans the activation for a later time; the status does not change until then. */
  SCHEDULE_ACTIVATION(Action.SCHEDULE_ACTIVATION, "user.schedule_activation"),
  /** Revoke access temporarily. */
  SUSPEND(Action.SUSPEND, "user.suspend"),
  /** Give a suspended user access again. */
  UNSUSPEND(Action.SUSPEND, "user.unsuspend"),
  /** Block sign-in, keep data, effective role Blocked. */
  DEACTIVATE(Action.DEACTIVATE_USER, "user.deactivate"),
  /** Give a deactivated user access again, history intact. */
  REACTIVATE(Action.REACTIVATE_USER, "user.reactivate"),
  /** Remove personal data irreversibly (GDPR); only from deactivated. */
  ANONYMISE(Action.ANONYMISE, "user.anonymise"),
  /** Remove the record permanently; only from deactivated (or anonymised). */
  DELETE(Action.DELETE_USER, "user.delete");

  private final Action action;
  private final String operation;

  Transition(Action action, String operation) {
    this.action = action;
    this.operation = operation;
  }

  /**
   * The action an actor needs to make this move.
   *
   * @return the action
   */
  public Action action() {
    return action;
  }

  /**
   * The operation name of the change set a single-user move records, e.g. {@code user.deactivate}.
   *
   * @return the operation name
   */
  public String operation() {
    return operation;
  }

  /**
   * The move's name in messages, e.g. {@code schedule_invite}.
   *
   * @return the lower-case name
   */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
