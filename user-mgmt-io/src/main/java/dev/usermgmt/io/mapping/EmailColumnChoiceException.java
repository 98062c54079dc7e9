package dev.usermgmt.io.mapping;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;

/**
 * Several columns of a deactivation file hold e-mail addresses, and the caller did not pick one:
 * {@link ErrorCode#CHOOSE_EMAIL_COLUMN} with the candidates as data (index, header, share of valid
 * cells), for the host to show the reference's "Pick the email column" step.
 */
public final class EmailColumnChoiceException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  /** The candidates; records of strings and numbers. */
  @SuppressWarnings("serial")
  private final EmailColumns candidates;

  EmailColumnChoiceException(EmailColumns candidates) {
    super(
        Problem.ofField(
            ErrorCode.CHOOSE_EMAIL_COLUMN,
            "email",
            "several columns hold e-mail addresses; pick one of "
                + candidates.candidates().stream()
                    .map(c -> c.index() + " ('" + c.header() + "')")
                    .toList()));
    this.candidates = candidates;
  }

  /**
   * The columns to pick from, best first.
   *
   * @return the candidates
   */
  public EmailColumns candidates() {
    return candidates;
  }
}
