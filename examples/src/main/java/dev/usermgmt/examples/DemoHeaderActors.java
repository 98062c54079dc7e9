package dev.usermgmt.examples;

import com.sun.net.httpserver.HttpExchange;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.UserStore;
import java.util.Optional;

/**
 * <b>Demo only, unsafe for production:</b> takes the actor from request headers that any client can
 * set — {@code X-Tenant}, and either {@code X-User-Id} (a user of the store, acting with their
 * role) or {@code X-Role} with an optional {@code X-Support-Level}. Anyone who can reach a server
 * using it can act as anyone, support level included. A real host implements {@link ActorResolver}
 * over its authenticated session.
 */
public final class DemoHeaderActors implements ActorResolver {
  private final UserStore users;
  private final RoleCatalog roles;

  /**
   * The resolver.
   *
   * @param users where {@code X-User-Id} is looked up
   * @param roles the catalog {@code X-Role} is parsed with
   */
  public DemoHeaderActors(UserStore users, RoleCatalog roles) {
    this.users = users;
    this.roles = roles;
  }

  @Override
  public Optional<Actor> resolve(HttpExchange ex) {
    Optional<String> tenant = header(ex, "X-Tenant");
    if (tenant.isEmpty()) {
      return Optional.empty();
    }
    TenantId t = TenantId.of(tenant.get());
    Optional<String> userId = header(ex, "X-User-Id");
    if (userId.isPresent()) {
      return users.get(t, UserId.of(userId.get())).map(u -> Actor.forUser(u, roles).build());
    }
    Optional<String> role = header(ex, "X-Role");
    if (role.isEmpty()) {
      return Optional.empty();
    }
    Actor.Builder b = Actor.builder().tenant(t).role(roles.parse(role.get()));
    Optional<String> level = header(ex, "X-Support-Level");
    if (level.isPresent()) {
      try {
        b.supportLevel(Integer.parseInt(level.get()));
      } catch (NumberFormatException e) {
        throw new InvalidInputException(
            Problem.ofField(
                ErrorCode.INVALID_REQUEST, "X-Support-Level", "the support level is a number"));
      }
    }
    return Optional.of(b.build());
  }

  private static Optional<String> header(HttpExchange ex, String name) {
    return Optional.ofNullable(ex.getRequestHeaders().getFirst(name))
        .map(String::trim)
        .filter(s -> !s.isEmpty());
  }
}
