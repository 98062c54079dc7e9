package dev.usermgmt;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The one unchecked exception of the library. Carries a stable {@link ErrorCode}, a human message
 * and, for input errors, every {@link Problem} found (with its field, row and column). Thrown only
 * when a call as a whole cannot proceed, and then nothing has been written.
 *
 * <p>Hosts usually catch one of the category subclasses: {@link InvalidInputException}, {@link
 * AccessDeniedException}, {@link NotFoundException}, {@link ConflictException}, {@link
 * StoreException}.
 */
public class UserMgmtException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final ImmutableList<Problem> problems;

  /**
   * An error with one problem.
   *
   * @param problem what is wrong
   */
  public UserMgmtException(Problem problem) {
    this(List.of(problem), null);
  }

  /**
   * An error with a code and message and no location.
   *
   * @param code what is wrong
   * @param message the human message
   */
  public UserMgmtException(ErrorCode code, String message) {
    this(List.of(Problem.of(code, message)), null);
  }

  /**
   * An error reporting several problems at once; the first gives the code and message.
   *
   * @param problems at least one problem
   * @param cause the underlying failure, if any
   */
  public UserMgmtException(
      List<Problem> problems, @org.jspecify.annotations.Nullable Throwable cause) {
    super(summary(problems), cause);
    this.problems = ImmutableList.copyOf(problems);
    this.code = this.problems.get(0).code();
  }

  private static String summary(List<Problem> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("an error needs at least one problem");
    }
    String first = problems.get(0).toString();
    return problems.size() == 1 ? first : first + " (and " + (problems.size() - 1) + " more)";
  }

  /**
   * The stable code of the (first) problem.
   *
   * @return the code
   */
  public ErrorCode code() {
    return code;
  }

  /**
   * Every problem found, at least one.
   *
   * @return the problems, in the order found
   */
  public List<Problem> problems() {
    return problems;
  }

  /**
   * The field of the first problem.
   *
   * @return the field
   */
  public Optional<String> field() {
    return problems.get(0).field();
  }

  /**
   * The row of the first problem.
   *
   * @return the row
   */
  public OptionalLong row() {
    return problems.get(0).row();
  }

  /**
   * The column of the first problem.
   *
   * @return the column
   */
  public Optional<String> column() {
    return problems.get(0).column();
  }

  /**
   * The right category subclass for a problem.
   *
   * @param problem what is wrong
   * @return an exception of the problem's category
   */
  public static UserMgmtException of(Problem problem) {
    return of(List.of(problem));
  }

  /**
   * The right category subclass for a list of problems (the first decides).
   *
   * @param problems at least one problem
   * @return an exception of the first problem's category
   */
  public static UserMgmtException of(List<Problem> problems) {
    return switch (problems.get(0).code().category()) {
      case INVALID_INPUT, CONFIGURATION -> new InvalidInputException(problems);
      case NOT_FOUND -> new NotFoundException(problems);
      case CONFLICT -> new ConflictException(problems);
      case STORE -> new StoreException(problems, null);
      case ACCESS_DENIED ->
          new AccessDeniedException(
              dev.usermgmt.Decision.deny(
                  dev.usermgmt.Decision.Reason.ROLE_TOO_LOW, problems.get(0).message()));
    };
  }
}
