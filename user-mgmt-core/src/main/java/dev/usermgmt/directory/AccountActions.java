package dev.usermgmt.directory;

import dev.usermgmt.Action;
import dev.usermgmt.Decision;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.access.EditChannel;
import dev.usermgmt.audit.UserChange;
import dev.usermgmt.internal.service.Services;
import dev.usermgmt.user.User;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Actions on an account: unlock, forced password change, MFA, lockouts the host reports, reset,
 * ownership transfer, impersonation checks, demo passwords.
 */
final class AccountActions {
  private static final String PASSWORD_ALPHABET =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!@#$%^&*-_=+?";
  private static final String[] PASSWORD_CLASSES = {
    "ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz", "23456789", "!@#$%^&*-_=+?"
  };

  private final Services services;

  AccountActions(Services services) {
    this.services = services;
  }

  /** One change of an account's state, gated by its action and judged as a write. */
  User account(
      Actor actor, UserId id, Action action, String operation, UnaryOperator<User.Builder> change) {
    TenantId tenant = actor.tenant();
    return services.write(
        actor,
        operation,
        EditChannel.SYSTEM,
        w -> {
          User before = services.load(tenant, id);
          services.require(w.actor(), action, before);
          User stored = w.update(before, change.apply(before.toBuilder()).build());
          return services.shown(w.actor(), stored);
        });
  }

  void reset(Actor actor, UserId id) {
    Actor now = services.current(actor);
    TenantId tenant = now.tenant();
    User u = services.load(tenant, id);
    services.require(now, Action.RESET_USER, u);
    services.resetter().reset(tenant, id);
    services.run(
        actor,
        "user.reset",
        EditChannel.SYSTEM,
        w -> {
          w.record(
              UserChange.builder()
                  .userId(id)
                  .kind(UserChange.Kind.UPDATED)
                  .versionBefore(u.version())
                  .versionAfter(u.version())
                  .build());
          w.detail("user " + id + " was reset");
        });
  }

  long transferOwnership(Actor actor, UserId from, UserId to) {
    Actor now = services.current(actor);
    TenantId tenant = now.tenant();
    User source = services.load(tenant, from);
    User target = services.load(tenant, to);
    services.require(now, Action.TRANSFER_OWNERSHIP, source);
    services.require(now, Action.TRANSFER_OWNERSHIP, target);
    if (target.status().isInactive() || from.equals(to)) {
      throw new InvalidInputException(
          Problem.ofField(ErrorCode.INVALID_VALUE, "to", "ownership goes to another, active user"));
    }
    long moved = services.ownership().transfer(tenant, from, to);
    services.run(
        actor,
        "user.transfer_ownership",
        EditChannel.SYSTEM,
        w -> {
          w.detail(moved + " objects moved from " + from + " to " + to);
        });
    return moved;
  }

  Decision mayImpersonate(Actor actor, UserId id) {
    Actor now = services.current(actor);
    return services.decide(now, Action.IMPERSONATE, services.load(now.tenant(), id));
  }

  Map<UserId, String> generateDemoPasswords(Actor actor, List<UserId> ids) {
    Actor now = services.current(actor);
    services.require(now, Action.GENERATE_DEMO_PASSWORDS);
    TenantId tenant = now.tenant();
    int length = services.settings(tenant).demoPasswordLength();
    Map<UserId, String> out = new LinkedHashMap<>();
    for (UserId id : new LinkedHashSet<>(ids)) {
      services.require(now, Action.GENERATE_DEMO_PASSWORDS, services.load(tenant, id));
      out.put(id, password(length));
    }
    services.run(
        actor,
        "user.demo_passwords",
        EditChannel.SYSTEM,
        w -> {
          w.detail("demo passwords generated for " + out.size() + " users");
        });
    return out;
  }

  private String password(int length) {
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      String alphabet = i < PASSWORD_CLASSES.length ? PASSWORD_CLASSES[i] : PASSWORD_ALPHABET;
      out[i] = alphabet.charAt(services.random().nextInt(alphabet.length()));
    }
    for (int i = length - 1; i > 0; i--) {
      int j = services.random().nextInt(i + 1);
      char c = out[i];
      out[i] = out[j];
      out[j] = c;
    }
    return new String(out);
  }
}
