package dev.usermgmt.spi;

import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserStatus;
import dev.usermgmt.user.UserSummary;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reading users by key: the read-only capability every store has. Batch methods take a whole chunk
 * of keys and must answer it with one round trip (one query per chunk, never one per key); callers
 * never pass more than {@link #maxBatchSize()} keys at once.
 */
public interface UserLookup {
  /**
   * The largest number of keys a batch method accepts in one call.
   *
   * @return the chunk size, at least 1
   */
  default int maxBatchSize() {
    return 1000;
  }

  /**
   * One user.
   *
   * @param tenant the tenant
   * @param id the id
   * @return the user, or empty when the tenant has no such user
   */
  Optional<User> get(TenantId tenant, UserId id);

  /**
   * Users by id.
   *
   * @param tenant the tenant
   * @param ids at most {@link #maxBatchSize()} ids
   * @return the users found, by id; missing ids are absent
   */
  Map<UserId, User> getAll(TenantId tenant, Collection<UserId> ids);

  /**
   * Users by primary e-mail, matched case-insensitively.
   *
   * @param tenant the tenant
   * @param emails at most {@link #maxBatchSize()} addresses
   * @return the users found, by the address's {@link EmailAddress#key()}
   */
  Map<String, User> findByEmails(TenantId tenant, Collection<EmailAddress> emails);

  /**
   * The summaries of users by primary e-mail, matched as {@link #findByEmails} matches: what a dry
   * run lists of each user it finds (a deactivation preview), without the whole record. A store
   * that keeps users whole in some encoded form overrides it to read only these fields; the default
   * summarises {@link #findByEmails}.
   *
   * @param tenant the tenant
   * @param emails at most {@link #maxBatchSize()} addresses
   * @return the summaries of the users found, by the address's {@link EmailAddress#key()}
   */
  default Map<String, UserSummary> findSummariesByEmails(
      TenantId tenant, Collection<EmailAddress> emails) {
    Map<String, User> users = findByEmails(tenant, emails);
    Map<String, UserSummary> out = new HashMap<>(users.size() * 2);
    users.forEach((key, u) -> out.put(key, UserSummary.of(u)));
    return out;
  }

  /**
   * Users by the UTS #39 skeleton of their primary e-mail ({@link EmailAddress#skeleton()}): the
   * users whose address looks like one being created or imported. Several users may share a
   * skeleton (a host may allow a confusable address explicitly), so a key maps to a list.
   *
   * @param tenant the tenant
   * @param skeletons at most {@link #maxBatchSize()} skeletons
   * @return the users found, by skeleton, each list in id order; skeletons nobody has are absent
   */
  Map<String, List<User>> findByEmailSkeletons(TenantId tenant, Collection<String> skeletons);

  /**
   * {@link #findByEmailSkeletons(TenantId, Collection)} without some users: what a unit of work
   * asks once its writes are made, holding its own users as it leaves them, so that the store does
   * not read back every user the unit just gave an address. A store whose query can leave them out
   * overrides it; the default drops them from the whole answer.
   *
   * @param tenant the tenant
   * @param skeletons at most {@link #maxBatchSize()} skeletons
   * @param except the users to leave out, any number
   * @return the other users found, by skeleton, each list in id order; skeletons no other user has
   *     are absent
   */
  default Map<String, List<User>> findByEmailSkeletons(
      TenantId tenant, Collection<String> skeletons, Set<UserId> except) {
    Map<String, List<User>> all = findByEmailSkeletons(tenant, skeletons);
    if (except.isEmpty()) {
      return all;
    }
    Map<String, List<User>> out = new HashMap<>(all.size() * 2);
    all.forEach(
        (skeleton, users) -> {
          List<User> others = users.stream().filter(u -> !except.contains(u.id())).toList();
          if (!others.isEmpty()) {
            out.put(skeleton, others);
          }
        });
    return out;
  }

  /**
   * Users by employee ID, matched exactly. Employee IDs are not unique: a key may match several
   * users, which callers report as ambiguous.
   *
   * @param tenant the tenant
   * @param employeeIds at most {@link #maxBatchSize()} IDs
   * @return the users found, by employee ID
   */
  Map<String, List<User>> findByEmployeeIds(TenantId tenant, Collection<String> employeeIds);

  /**
   * The direct reports of some managers.
   *
   * @param tenant the tenant
   * @param managers at most {@link #maxBatchSize()} manager ids
   * @return the users whose manager is one of them, in id order
   */
  List<User> findByManagers(TenantId tenant, Collection<UserId> managers);

  /** The schedules a user may hold: an activation and an invitation, each at a time. */
  enum Schedule {
    /** {@link User#activationScheduledAt()}. */
    ACTIVATION,
    /** {@link User#inviteScheduledAt()}. */
    INVITATION;

    /**
     * The time a user holds for this schedule.
     *
     * @param u a user
     * @return the time, or empty when the user holds none
     */
    public Optional<Instant> of(User u) {
      return this == ACTIVATION ? u.activationScheduledAt() : u.inviteScheduledAt();
    }
  }

  /**
   * A position in a walk of due schedules: a scheduled time, then a user id. Positions order by
   * time, then by id, as {@link #findDue} returns its users.
   *
   * @param at the scheduled time
   * @param id the user
   */
  record DuePosition(Instant at, UserId id) implements Comparable<DuePosition> {
    /** Refuses nulls. */
    public DuePosition {
      java.util.Objects.requireNonNull(at, "at");
      java.util.Objects.requireNonNull(id, "id");
    }

    /**
     * The position of a user in the walk of a schedule they hold.
     *
     * @param schedule the schedule
     * @param u a user holding it
     * @return the position
     * @throws java.util.NoSuchElementException when the user holds no such schedule
     */
    public static DuePosition of(Schedule schedule, User u) {
      return new DuePosition(schedule.of(u).orElseThrow(), u.id());
    }

    @Override
    public int compareTo(DuePosition o) {
      int c = at.compareTo(o.at);
      return c != 0 ? c : id.compareTo(o.id);
    }
  }

  /**
   * A page of the users whose {@code schedule} is due at or before a time, in order of that
   * scheduled time and then of id (a keyset walk: each page starts after the position of the last
   * user of the page before, so that a run over a million due users reads each once, and a page
   * costs the same wherever it starts). The caller may move users of a page, and clear or change
   * their schedules, before it asks for the next page: a page is found from the position alone,
   * never by looking up the user it names. A page holds fewer than {@code limit} users only when no
   * more are due after it.
   *
   * @param tenant the tenant
   * @param schedule which schedule
   * @param dueBy the time
   * @param after where the page starts: after this position, or at the first due user when empty
   * @param limit the most to return, at least 1
   * @return such users, in order of their {@link DuePosition}
   * @throws dev.usermgmt.InvalidInputException with {@code invalid_request} when {@code limit} is
   *     below 1
   */
  List<User> findDue(
      TenantId tenant, Schedule schedule, Instant dueBy, Optional<DuePosition> after, int limit);

  /**
   * A page of all users in id order, for walking a whole tenant (keyset: pass the last id seen).
   *
   * @param tenant the tenant
   * @param after the last id of the previous page, or empty for the first page
   * @param limit the page size
   * @return up to {@code limit} users with ids greater than {@code after}
   */
  List<User> scan(TenantId tenant, Optional<UserId> after, int limit);

  /**
   * How many users have one of some statuses.
   *
   * @param tenant the tenant
   * @param statuses the statuses to count
   * @return the count
   */
  long countByStatus(TenantId tenant, Set<UserStatus> statuses);
}
