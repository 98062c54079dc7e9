package dev.usermgmt.internal.service;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.internal.Batches;
import dev.usermgmt.spi.UserLookup;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The confusable-identity check (UTS #39 §4): which existing users an address looks like — the same
 * {@link EmailAddress#skeleton()}, another {@link EmailAddress#key()}. One batched lookup per chunk
 * of skeletons. Not API.
 */
public final class Confusables {
  private final Map<String, List<User>> bySkeleton;

  private Confusables(Map<String, List<User>> bySkeleton) {
    this.bySkeleton = bySkeleton;
  }

  /**
   * The answer that finds nobody: before any lookup.
   *
   * @return the empty answer
   */
  public static Confusables none() {
    return new Confusables(Map.of());
  }

  /**
   * Looks up the users whose addresses share a skeleton with some addresses.
   *
   * @param users the store
   * @param tenant the tenant
   * @param emails the addresses about to be given to users
   * @return the answer, to ask per address
   */
  public static Confusables lookup(
      UserLookup users, TenantId tenant, Collection<EmailAddress> emails) {
    Set<String> skeletons = new LinkedHashSet<>();
    emails.forEach(e -> skeletons.add(e.skeleton()));
    return new Confusables(found(users, tenant, skeletons, Set.of()));
  }

  /** The users of some skeletons but those of {@code except}, one store call per batch. */
  private static Map<String, List<User>> found(
      UserLookup users, TenantId tenant, Set<String> skeletons, Set<UserId> except) {
    if (skeletons.isEmpty()) {
      return Map.of();
    }
    return Batches.lookup(
        List.copyOf(skeletons),
        users.maxBatchSize(),
        part -> users.findByEmailSkeletons(tenant, part, except));
  }

  /**
   * The users whose addresses share a skeleton with the addresses some users have: those users as
   * given (a unit of work's own, as it leaves them) beside the others the store finds, which it is
   * asked for without the given ones (it would read back every one of them).
   *
   * @param users the store
   * @param tenant the tenant
   * @param own users with an address, as they are now
   * @return the answer, to ask per address
   */
  public static Confusables lookupBeside(UserLookup users, TenantId tenant, Collection<User> own) {
    Set<String> skeletons = new LinkedHashSet<>();
    Set<UserId> ids = new HashSet<>();
    for (User u : own) {
      skeletons.add(u.primaryEmail().orElseThrow().skeleton());
      ids.add(u.id());
    }
    Map<String, List<User>> all = new HashMap<>(found(users, tenant, skeletons, ids));
    for (User u : own) {
      all.merge(
          u.primaryEmail().orElseThrow().skeleton(),
          List.of(u),
          (a, b) -> {
            List<User> both = new ArrayList<>(a);
            both.addAll(b);
            both.sort(Comparator.comparing(User::id));
            return both;
          });
    }
    return new Confusables(all);
  }

  /**
   * The existing users an address given to a user is confusable with: same skeleton, another
   * identity, another user.
   *
   * @param email the address
   * @param self the user who gets it (never confusable with themself), or empty for a new user
   * @return those users, in id order
   */
  public List<User> with(EmailAddress email, Optional<UserId> self) {
    List<User> out = new ArrayList<>();
    for (User u : bySkeleton.getOrDefault(email.skeleton(), List.of())) {
      if (self.map(id -> !id.equals(u.id())).orElse(true)
          && u.primaryEmail().map(e -> !e.key().equals(email.key())).orElse(false)) {
        out.add(u);
      }
    }
    return out;
  }

  /**
   * The problem of an address confusable with another user's, naming that user to a reader who may
   * see them.
   *
   * @param email the address
   * @param existing the user it looks like
   * @param seen whether the reader of the problem may see a user
   * @return the problem, on field {@code primaryEmail}
   */
  public static Problem problem(
      EmailAddress email, User existing, java.util.function.Predicate<User> seen) {
    return Problem.ofField(
        ErrorCode.CONFUSABLE_IDENTITY, "primaryEmail", message(email, existing, seen));
  }

  /**
   * The sentence that says which user an address looks like: by address, name and id to a reader
   * who may see that user, and only that there is one to anyone else (a look-alike tried by someone
   * who may not see the user learns nothing of them).
   *
   * @param email the address
   * @param existing the user it looks like
   * @param seen whether the reader of the sentence may see a user
   * @return the sentence
   */
  public static String message(
      EmailAddress email, User existing, java.util.function.Predicate<User> seen) {
    if (!seen.test(existing)) {
      return "the e-mail address " + email + " looks like another user's";
    }
    return "the e-mail address "
        + email
        + " looks like "
        + existing.primaryEmail().map(EmailAddress::value).orElse("")
        + " of "
        + existing.displayName()
        + " (user "
        + existing.id()
        + ")";
  }

  /**
   * Addresses confusable with each other within one batch: for each address, the earlier address of
   * the batch it looks like, if any.
   *
   * @param emails the batch's addresses, in order
   * @return by position, the earlier confusable address
   */
  public static Map<Integer, EmailAddress> withinBatch(List<EmailAddress> emails) {
    Map<String, EmailAddress> first = new LinkedHashMap<>();
    Map<Integer, EmailAddress> out = new LinkedHashMap<>();
    for (int i = 0; i < emails.size(); i++) {
      EmailAddress e = emails.get(i);
      EmailAddress earlier = first.putIfAbsent(e.skeleton(), e);
      if (earlier != null && !earlier.key().equals(e.key())) {
        out.put(i, earlier);
      }
    }
    return out;
  }
}
