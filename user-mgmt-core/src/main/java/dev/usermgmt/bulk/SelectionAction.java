package dev.usermgmt.bulk;

import dev.usermgmt.Action;

/** The actions menu over checked rows or a whole view, and the permission each needs. */
public enum SelectionAction {
  /** "Activate Users". */
  ACTIVATE(Action.ACTIVATE),
  /** "Schedule Activation" at a time. */
  SCHEDULE_ACTIVATION(Action.SCHEDULE_ACTIVATION),
  /** "Suspend Users". */
  SUSPEND(Action.SUSPEND),
  /** Give suspended users access again. */
  UNSUSPEND(Action.SUSPEND),
  /** Deactivate. */
  DEACTIVATE(Action.DEACTIVATE_USER),
  /** Reactivate. */
  REACTIVATE(Action.REACTIVATE_USER),
  /** Delete (deactivated users only). */
  DELETE(Action.DELETE_USER),
  /** "Add To User Group". */
  ADD_TO_GROUP(Action.MANAGE_GROUPS),
  /** Remove from a group. */
  REMOVE_FROM_GROUP(Action.MANAGE_GROUPS),
  /** Set modules. */
  SET_MODULES(Action.SET_MODULES),
  /** "Unlock User Accounts". */
  UNLOCK(Action.UNLOCK),
  /** "Force Password Change". */
  FORCE_PASSWORD_CHANGE(Action.FORCE_PASSWORD_CHANGE),
  /** Require MFA. */
  REQUIRE_MFA(Action.MANAGE_MFA),
  /** Remove the MFA requirement. */
  REMOVE_MFA(Action.MANAGE_MFA);

  private final Action permission;

  SelectionAction(Action permission) {
    this.permission = permission;
  }

  /**
   * The permission the action needs.
   *
   * @return the gated action
   */
  public Action permission() {
    return permission;
  }
}
