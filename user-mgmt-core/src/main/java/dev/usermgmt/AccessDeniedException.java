package dev.usermgmt;

import java.util.List;

/**
 * The actor may not do what was asked. Thrown before anything is written; carries the {@link
 * Decision} whose reason says which rule denied it.
 */
public class AccessDeniedException extends UserMgmtException {
  private static final long serialVersionUID = 1L;

  private final transient Decision decision;

  /**
   * A denial.
   *
   * @param decision the denying decision
   */
  public AccessDeniedException(Decision decision) {
    super(
        List.of(
            Problem.of(
                ErrorCode.ACCESS_DENIED,
                decision.reason().map(r -> r.id() + ": ").orElse("") + decision.message())),
        null);
    this.decision = decision;
  }

  /**
   * The decision that denied the action.
   *
   * @return the decision
   */
  public Decision decision() {
    return decision;
  }
}
