package dev.usermgmt.bulk;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import java.util.List;
import java.util.stream.LongStream;

/**
 * The reference request of "Deactivate Users from Excel/CSV": {@code {"emails": […],
 * "allowJunoInternalEmails": false}} (the vendor's name is the tenant's internal-domain setting
 * here), with the file row of each address when it came from a file.
 *
 * @param emails the addresses as read from the file, valid or not
 * @param allowInternalEmails whether addresses of the vendor's internal domains may be deactivated
 * @param rows the 1-based file row of each address (its position in {@link #emails} for a request
 *     without a file)
 */
public record DeactivationRequest(
    List<String> emails, boolean allowInternalEmails, List<Long> rows) {
  /** Copies the lists; there is one row a address. */
  public DeactivationRequest {
    emails = List.copyOf(emails);
    rows = List.copyOf(rows);
    if (rows.size() != emails.size()) {
      throw new InvalidInputException(
          Problem.ofField(
              ErrorCode.INVALID_REQUEST,
              "rows",
              emails.size() + " addresses but " + rows.size() + " row numbers"));
    }
  }

  /**
   * A request without a file: each address's row is its 1-based position in the list.
   *
   * @param emails the addresses, valid or not
   * @param allowInternalEmails whether internal addresses may be deactivated
   */
  public DeactivationRequest(List<String> emails, boolean allowInternalEmails) {
    this(emails, allowInternalEmails, LongStream.rangeClosed(1, emails.size()).boxed().toList());
  }

  /**
   * A request that leaves addresses of the vendor's internal domains out (the reference's default).
   *
   * @param emails the addresses as read from the file
   * @return the request
   */
  public static DeactivationRequest of(List<String> emails) {
    return new DeactivationRequest(emails, false);
  }

  /**
   * The same request with addresses of the vendor's internal domains included ("Allow internal
   * e-mails" checked).
   *
   * @return the request
   */
  public DeactivationRequest allowingInternalEmails() {
    return new DeactivationRequest(emails, true);
  }
}
