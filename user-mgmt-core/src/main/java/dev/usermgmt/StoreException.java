package dev.usermgmt;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The store failed or could not be reached: wraps the infrastructure exception (for instance a
 * {@code SQLException}) so that hosts never see driver types.
 */
public class StoreException extends UserMgmtException {
  private static final long serialVersionUID = 1L;

  /**
   * A store failure.
   *
   * @param code {@link ErrorCode#STORE_UNAVAILABLE} or {@link ErrorCode#STORE_FAILURE}
   * @param message the human message
   * @param cause the driver's exception
   */
  public StoreException(ErrorCode code, String message, Throwable cause) {
    super(List.of(Problem.of(code, message)), cause);
  }

  /**
   * Several problems; the first gives the code.
   *
   * @param problems at least one problem
   * @param cause the driver's exception, if any
   */
  public StoreException(List<Problem> problems, @Nullable Throwable cause) {
    super(problems, cause);
  }
}
