package dev.usermgmt.spi;

import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.audit.ChangeSet;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The audit log of each tenant: change sets in append order. Appends happen inside the same
 * transaction as the change they record.
 */
public interface ChangeLog {
  /**
   * Holds the tenant's log until the current transaction ends: another transaction that holds it,
   * or appends to it, waits until this one ends. Every unit of work holds its tenant before it
   * reads anything, so that what it checks over the tenant's users (the seats in use, manager
   * chains, the actor's own rights) still holds when it commits: two units of one tenant run one
   * after the other, as they do in the in-memory store. A store whose transactions already exclude
   * each other does nothing. Called outside a transaction, it holds nothing past its own call.
   *
   * @param tenant the tenant
   */
  void hold(TenantId tenant);

  /**
   * Appends a change set, giving it the next sequence number of its tenant.
   *
   * @param changeSet the change set
   * @return the change set with its sequence number
   */
  ChangeSet append(ChangeSet changeSet);

  /**
   * One change set.
   *
   * @param tenant the tenant
   * @param id the change set id
   * @return the change set, or empty
   */
  Optional<ChangeSet> get(TenantId tenant, String id);

  /**
   * A page of the log in append order.
   *
   * @param tenant the tenant
   * @param afterSequence the last sequence number seen (0 for the start)
   * @param limit the page size
   * @return up to {@code limit} change sets with greater sequence numbers
   */
  List<ChangeSet> page(TenantId tenant, long afterSequence, int limit);

  /**
   * The change sets after a sequence number that touch any of some users.
   *
   * @param tenant the tenant
   * @param afterSequence the sequence number
   * @param users the users
   * @return those change sets, in order
   */
  List<ChangeSet> touching(TenantId tenant, long afterSequence, Collection<UserId> users);

  /**
   * Removes values from the history of one user: every diff of the given fields in every change set
   * about the user is {@linkplain dev.usermgmt.audit.FieldDiff#redact() redacted}. Used by
   * anonymisation so history keeps what happened but no personal data.
   *
   * @param tenant the tenant
   * @param user the user
   * @param fields the field names to scrub
   * @return how many diffs were redacted
   */
  int scrub(TenantId tenant, UserId user, Set<String> fields);
}
