package dev.usermgmt;

import java.util.List;

/**
 * The input is wrong: a file, a cell, a value, a query string, a draft or patch, or the host's
 * mapping or schema. Every problem found is listed, with row, column and field where known.
 */
public class InvalidInputException extends UserMgmtException {
  private static final long serialVersionUID = 1L;

  /**
   * One problem.
   *
   * @param code what is wrong
   * @param message the human message
   */
  public InvalidInputException(ErrorCode code, String message) {
    super(code, message);
  }

  /**
   * One problem.
   *
   * @param problem what is wrong
   */
  public InvalidInputException(Problem problem) {
    super(problem);
  }

  /**
   * Several problems; the first gives the code.
   *
   * @param problems at least one problem
   */
  public InvalidInputException(List<Problem> problems) {
    super(problems, null);
  }

  /**
   * One problem caused by a lower-level failure (a parser's, a driver's), kept for diagnosis.
   *
   * @param problem what is wrong
   * @param cause the underlying failure
   */
  public InvalidInputException(Problem problem, Throwable cause) {
    super(List.of(problem), cause);
  }
}
