package dev.usermgmt.bulk;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;

/**
 * Limits of bulk work: the reference's 1 to 5,000 e-mails per deactivation file, the chunk size of
 * bulk work (an apply's transaction, whose users are read, then written; the rows an update or
 * action file's plan reads and holds at a time; the deactivation, deletion and selection plans look
 * their keys up in the store's largest batches, {@code UserLookup#maxBatchSize}), and how many row
 * previews an update plan keeps in memory before it keeps them in a temporary file.
 *
 * @param minEmails the fewest addresses a deactivation takes
 * @param maxEmails the most addresses a deactivation takes
 * @param chunkSize users per transaction of an apply, rows per chunk of an update or action plan
 * @param previewsInMemory the most row previews an update plan holds in memory; a bigger plan keeps
 *     them on disk and pages through them
 */
public record BulkLimits(int minEmails, int maxEmails, int chunkSize, int previewsInMemory) {
  /** The reference limits: 1 to 5,000 e-mails; chunks of 500; 10,000 previews in memory. */
  public static final BulkLimits DEFAULT = new BulkLimits(1, 5000, 500, 10_000);

  /** Checks the limits. */
  public BulkLimits {
    if (minEmails < 1 || maxEmails < minEmails || chunkSize < 1 || previewsInMemory < 0) {
      throw new InvalidInputException(
          Problem.of(
              ErrorCode.INVALID_CONFIGURATION,
              "bulk limits must be 1 ≤ min ≤ max, chunk ≥ 1 and previews in memory ≥ 0"));
    }
  }

  /**
   * Limits with the default number of previews in memory (10,000).
   *
   * @param minEmails the fewest addresses a deactivation takes
   * @param maxEmails the most addresses a deactivation takes
   * @param chunkSize users per transaction of an apply, rows per chunk of an update or action plan
   */
  public BulkLimits(int minEmails, int maxEmails, int chunkSize) {
    this(minEmails, maxEmails, chunkSize, 10_000);
  }
}
