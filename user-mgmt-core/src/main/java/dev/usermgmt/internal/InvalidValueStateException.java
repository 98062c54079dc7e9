package dev.usermgmt.internal;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;

/**
 * Thrown by generated builders when a required attribute was not set. Turns the Immutables "cannot
 * build, some of required attributes are not set" state into an {@link InvalidInputException} with
 * {@link ErrorCode#MISSING_FIELD}. Not API.
 */
public final class InvalidValueStateException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  /**
   * Called by generated code.
   *
   * @param message what is missing
   */
  public InvalidValueStateException(String message) {
    super(ErrorCode.MISSING_FIELD, message);
  }
}
