package dev.usermgmt;

import java.util.List;

/**
 * The current state forbids the change: a duplicate e-mail, a stale version or plan, an illegal
 * lifecycle transition, a full seat limit, an undo over later changes.
 */
public class ConflictException extends UserMgmtException {
  private static final long serialVersionUID = 1L;

  /**
   * One problem.
   *
   * @param code what is wrong
   * @param message the human message
   */
  public ConflictException(ErrorCode code, String message) {
    super(code, message);
  }

  /**
   * One problem.
   *
   * @param problem what is wrong
   */
  public ConflictException(Problem problem) {
    super(problem);
  }

  /**
   * Several problems; the first gives the code.
   *
   * @param problems at least one problem
   */
  public ConflictException(List<Problem> problems) {
    super(problems, null);
  }
}
