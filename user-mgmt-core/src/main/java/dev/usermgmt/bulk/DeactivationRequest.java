package dev.usermgmt.bulk;

import java.util.List;

/**
 * The reference request of "Deactivate Users from Excel/CSV": {@code {"emails": […],
 * "allowJunoInternalEmails": false}} (the vendor's name is the tenant's internal-domain setting
 * here).
 *
 * @param emails the addresses as read from the file, valid or not
 * @param allowInternalEmails whether addresses of the vendor's internal domains may be deactivated
 */
public record DeactivationRequest(List<String> emails, boolean allowInternalEmails) {
  /** Copies the list. */
  public DeactivationRequest {
    emails = List.copyOf(emails);
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
