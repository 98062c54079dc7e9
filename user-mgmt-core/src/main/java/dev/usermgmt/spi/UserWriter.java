package dev.usermgmt.spi;

import dev.usermgmt.ConflictException;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.user.User;
import java.util.List;
import java.util.Map;

/**
 * Writing users. Every method is all-or-nothing for its batch when called inside {@link
 * Transactions#inTransaction}; a conflict is always reported, never hidden.
 *
 * <p>Versions: an inserted user carries version 1; an updated user carries the stored version plus
 * one, and the write succeeds only if the stored version is exactly one less (optimistic locking).
 */
public interface UserWriter {
  /**
   * Inserts new users.
   *
   * @param tenant the tenant; every user must belong to it
   * @param users users with version 1
   * @throws ConflictException with {@link ErrorCode#ALREADY_EXISTS} for a taken id, or {@link
   *     ErrorCode#EMAIL_TAKEN} for an e-mail address another user of the tenant has
   *     (case-insensitively)
   */
  void insert(TenantId tenant, List<User> users);

  /**
   * Replaces users whose stored version is one less than the given one.
   *
   * @param tenant the tenant; every user must belong to it
   * @param users the new values, each with version = stored version + 1
   * @throws ConflictException with {@link ErrorCode#VERSION_CONFLICT} naming the user when a stored
   *     version differs (or the user is gone), or {@link ErrorCode#EMAIL_TAKEN}
   */
  void update(TenantId tenant, List<User> users);

  /**
   * Replaces users, knowing what each one replaces: {@code before.get(i)} is the stored user (as
   * read in this transaction) that {@code after.get(i)} replaces. A store may then write only what
   * differs, and skip reading what it needs to compare; the version check still guards the whole
   * row, so a stale {@code before} is a conflict, never a partial write. The default writes {@code
   * after} whole.
   *
   * @param tenant the tenant; every user must belong to it
   * @param before the stored users, in the order of {@code after}
   * @param after the new values, each with the same id and version = its {@code before}'s + 1
   * @throws ConflictException as {@link #update(TenantId, List)}
   * @throws dev.usermgmt.InvalidInputException with {@link ErrorCode#INVALID_REQUEST} when the
   *     lists do not pair up
   */
  default void update(TenantId tenant, List<User> before, List<User> after) {
    dev.usermgmt.internal.store.Checks.pairs(before, after);
    update(tenant, after);
  }

  /**
   * Deletes users at the given versions.
   *
   * @param tenant the tenant
   * @param expectedVersions the version each user must have
   * @throws ConflictException with {@link ErrorCode#VERSION_CONFLICT} when one differs or is gone
   */
  void delete(TenantId tenant, Map<UserId, Long> expectedVersions);
}
