package dev.usermgmt.query;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;

/**
 * A filter string that does not parse, or names an unknown attribute, or compares an attribute with
 * a value of the wrong type. Says where (0-based character position, or -1 when the problem is not
 * at one place) and what was expected.
 */
public final class InvalidFilterException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  private final int position;
  private final String expected;
  private final String detail;

  InvalidFilterException(int position, String expected, String message) {
    super(
        Problem.builder()
            .code(ErrorCode.INVALID_FILTER)
            .field("filter")
            .message(
                (position >= 0 ? "at position " + position + ": " : "")
                    + message
                    + (message.contains(expected) ? "" : "; expected " + expected))
            .build());
    this.position = position;
    this.expected = expected;
    this.detail = message;
  }

  /** The same problem placed at a position of the filter's text, when it had none. */
  InvalidFilterException at(int where) {
    return position >= 0 ? this : new InvalidFilterException(where, expected, detail);
  }

  /**
   * Where the problem is, as a 0-based character offset into the filter string.
   *
   * @return the position, or -1
   */
  public int position() {
    return position;
  }

  /**
   * What the parser expected there (e.g. {@code "comparison operator"}).
   *
   * @return the expectation
   */
  public String expected() {
    return expected;
  }
}
