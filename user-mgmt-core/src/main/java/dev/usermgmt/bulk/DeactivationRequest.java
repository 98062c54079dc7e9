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
}
