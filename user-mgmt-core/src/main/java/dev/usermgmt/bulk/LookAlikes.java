package dev.usermgmt.bulk;

import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.internal.service.Confusables;
import dev.usermgmt.spi.UserLookup;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Look-alike e-mail addresses while an update file is planned (UTS #39 skeletons): the users in the
 * store whose addresses look like the ones the current chunk of rows names (looked up once a
 * chunk), and the addresses earlier rows of the file give users, by skeleton (kept for the whole
 * file, one entry per skeleton, like the addresses the rows claim). Checks nothing when the options
 * allow confusable addresses.
 */
final class LookAlikes {
  private final boolean enabled;
  private final Map<String, EmailAddress> planned = new HashMap<>();
  private Confusables stored = Confusables.none();

  LookAlikes(boolean allowed) {
    this.enabled = !allowed;
  }

  /** Whether addresses are checked (confusable addresses are not allowed). */
  boolean enabled() {
    return enabled;
  }

  /** Looks up the users whose addresses share a skeleton with the current chunk's addresses. */
  void lookup(UserLookup users, TenantId tenant, Collection<EmailAddress> emails) {
    if (enabled) {
      stored = Confusables.lookup(users, tenant, emails);
    }
  }

  /**
   * Why an address a row gives a user (or, for a row that matched nobody, names) looks like an
   * existing user's or, when {@code given}, one an earlier row gives; an address given is recorded
   * for later rows.
   *
   * @param email the address
   * @param self the user who gets it, or empty for a new user or an unknown key
   * @param given whether the row gives the address to a user (rather than only naming it)
   * @param visible the users the actor may see: only those are named
   * @return the message naming the look-alike, or empty
   */
  Optional<String> of(
      EmailAddress email,
      Optional<UserId> self,
      boolean given,
      java.util.function.Predicate<User> visible) {
    if (!enabled) {
      return Optional.empty();
    }
    List<User> like = stored.with(email, self);
    if (!like.isEmpty()) {
      return Optional.of(Confusables.message(email, like.get(0), visible));
    }
    if (given) {
      EmailAddress earlier = planned.putIfAbsent(email.skeleton(), email);
      if (earlier != null && !earlier.key().equals(email.key())) {
        return Optional.of(
            "the e-mail address " + email + " looks like " + earlier + " of an earlier row");
      }
    }
    return Optional.empty();
  }
}
