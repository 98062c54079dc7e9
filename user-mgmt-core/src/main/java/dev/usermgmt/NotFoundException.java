package dev.usermgmt;

import java.util.List;

/** A user, attribute, group or change set named by the call does not exist in the tenant. */
public class NotFoundException extends UserMgmtException {
  private static final long serialVersionUID = 1L;

  /**
   * One problem.
   *
   * @param code what is wrong
   * @param message the human message
   */
  public NotFoundException(ErrorCode code, String message) {
    super(code, message);
  }

  /**
   * One problem.
   *
   * @param problem what is wrong
   */
  public NotFoundException(Problem problem) {
    super(problem);
  }

  /**
   * Several problems; the first gives the code.
   *
   * @param problems at least one problem
   */
  public NotFoundException(List<Problem> problems) {
    super(problems, null);
  }
}
