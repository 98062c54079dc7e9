package dev.usermgmt;

import java.util.List;

/**
 * The actor may not do what was asked. Thrown before anything is written; the message and the
 * problem say which rule denied it.
 */
public class AccessDeniedException extends UserMgmtException {
  private static final long serialVersionUID = 1L;

  /**
   * A denial.
   *
   * @param message which rule denied the action
   */
  public AccessDeniedException(String message) {
    super(List.of(Problem.of(ErrorCode.ACCESS_DENIED, message)), null);
  }
}
