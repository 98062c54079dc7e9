package dev.usermgmt.bulk;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;

/**
 * Limits of bulk work: the reference's 1 to 5,000 e-mails per deactivation file, and the chunk size
 * of lookups and writes (each chunk is one store call and one transaction).
 *
 * @param minEmails the fewest addresses a deactivation takes
 * @param maxEmails the most addresses a deactivation takes
 * @param chunkSize users per lookup and per write transaction
 */
public record BulkLimits(int minEmails, int maxEmails, int chunkSize) {
  /** The reference limits: 1 to 5,000 e-mails; chunks of 500. */
  public static final BulkLimits DEFAULT = new BulkLimits(1, 5000, 500);

  /** Checks the limits. */
  public BulkLimits {
    if (minEmails < 1 || maxEmails < minEmails || chunkSize < 1) {
      throw new InvalidInputException(
          Problem.of(
              ErrorCode.INVALID_CONFIGURATION, "bulk limits must be 1 ≤ min ≤ max and chunk ≥ 1"));
    }
  }
}
