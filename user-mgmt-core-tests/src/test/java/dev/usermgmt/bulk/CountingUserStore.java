package dev.usermgmt.bulk;

import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.query.PreparedQuery;
import dev.usermgmt.query.QueryAttribute;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.spi.UserStore;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserStatus;
import dev.usermgmt.user.UserSummary;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** A user store that counts the calls made to it, to prove lookups are batched. */
final class CountingUserStore implements UserStore {
  final UserStore delegate;
  final AtomicInteger gets = new AtomicInteger();
  final AtomicInteger batchLookups = new AtomicInteger();

  /** The users the due-schedule reads returned, in all. */
  final AtomicInteger dueUsersRead = new AtomicInteger();

  final AtomicInteger wholeUsersByEmail = new AtomicInteger();

  CountingUserStore(UserStore delegate) {
    this.delegate = delegate;
  }

  /** Stores whose users go through this store, everything else through {@code stores}. */
  Stores over(Stores stores) {
    return new Stores(
        this, stores.attributes(), stores.groups(), stores.changeLog(), stores.transactions());
  }

  @Override
  public int maxBatchSize() {
    return delegate.maxBatchSize();
  }

  @Override
  public Optional<User> get(TenantId tenant, UserId id) {
    gets.incrementAndGet();
    return delegate.get(tenant, id);
  }

  @Override
  public Map<UserId, User> getAll(TenantId tenant, Collection<UserId> ids) {
    batchLookups.incrementAndGet();
    return delegate.getAll(tenant, ids);
  }

  @Override
  public Map<String, User> findByEmails(TenantId tenant, Collection<EmailAddress> emails) {
    batchLookups.incrementAndGet();
    wholeUsersByEmail.incrementAndGet();
    return delegate.findByEmails(tenant, emails);
  }

  @Override
  public Map<String, UserSummary> findSummariesByEmails(
      TenantId tenant, Collection<EmailAddress> emails) {
    batchLookups.incrementAndGet();
    return delegate.findSummariesByEmails(tenant, emails);
  }

  @Override
  public Map<String, List<User>> findByEmailSkeletons(
      TenantId tenant, Collection<String> skeletons) {
    batchLookups.incrementAndGet();
    return delegate.findByEmailSkeletons(tenant, skeletons);
  }

  @Override
  public Map<String, List<User>> findByEmployeeIds(
      TenantId tenant, Collection<String> employeeIds) {
    batchLookups.incrementAndGet();
    return delegate.findByEmployeeIds(tenant, employeeIds);
  }

  @Override
  public List<User> findByManagers(TenantId tenant, Collection<UserId> managers) {
    batchLookups.incrementAndGet();
    return delegate.findByManagers(tenant, managers);
  }

  @Override
  public List<User> findDue(
      TenantId tenant, Schedule schedule, Instant dueBy, Optional<DuePosition> after, int limit) {
    List<User> page = delegate.findDue(tenant, schedule, dueBy, after, limit);
    dueUsersRead.addAndGet(page.size());
    return page;
  }

  @Override
  public List<User> scan(TenantId tenant, Optional<UserId> after, int limit) {
    return delegate.scan(tenant, after, limit);
  }

  @Override
  public long countByStatus(TenantId tenant, Set<UserStatus> statuses) {
    return delegate.countByStatus(tenant, statuses);
  }

  @Override
  public List<User> query(TenantId tenant, PreparedQuery query) {
    return delegate.query(tenant, query);
  }

  @Override
  public long count(TenantId tenant, PreparedQuery query) {
    return delegate.count(tenant, query);
  }

  @Override
  public List<String> distinctValues(
      TenantId tenant, QueryAttribute attribute, String prefix, int limit) {
    return delegate.distinctValues(tenant, attribute, prefix, limit);
  }

  @Override
  public List<User> suggestUsers(TenantId tenant, String prefix, int limit) {
    return delegate.suggestUsers(tenant, prefix, limit);
  }

  @Override
  public void insert(TenantId tenant, List<User> users) {
    delegate.insert(tenant, users);
  }

  @Override
  public void update(TenantId tenant, List<User> users) {
    delegate.update(tenant, users);
  }

  @Override
  public void delete(TenantId tenant, Map<UserId, Long> expectedVersions) {
    delegate.delete(tenant, expectedVersions);
  }
}
