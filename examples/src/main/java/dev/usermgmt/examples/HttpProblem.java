package dev.usermgmt.examples;

import java.util.Map;

/**
 * A refusal of the HTTP layer itself (no such endpoint, wrong method, too large, too slow, not
 * authenticated), answered as a JSON problem with a stable code like the library's errors.
 */
final class HttpProblem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The HTTP status. */
  final int status;

  /** The stable code. */
  final String code;

  /** Headers the response carries (such as {@code Allow}). */
  final transient Map<String, String> headers;

  HttpProblem(int status, String code, String message) {
    this(status, code, message, Map.of());
  }

  HttpProblem(int status, String code, String message, Map<String, String> headers) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}
