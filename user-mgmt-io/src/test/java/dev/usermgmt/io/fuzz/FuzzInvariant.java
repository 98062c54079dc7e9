package dev.usermgmt.io.fuzz;

import dev.usermgmt.UserMgmtException;

/**
 * The invariant every fuzz target holds: any input ends in a result or a {@link UserMgmtException}.
 * Anything else thrown is a finding and fails the target.
 */
final class FuzzInvariant {
  private FuzzInvariant() {}

  /** Runs one input; a {@link UserMgmtException} is an answer, not a failure. */
  static void holds(Runnable run) {
    try {
      run.run();
    } catch (UserMgmtException expected) {
      if (expected.problems().isEmpty() || expected.code() == null) {
        throw new AssertionError("an error without a problem", expected);
      }
    }
  }
}
