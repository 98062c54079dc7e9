package dev.usermgmt.examples;

import com.sun.net.httpserver.HttpExchange;
import dev.usermgmt.access.Actor;
import java.util.Optional;

/**
 * Where {@link ApiServer} plugs authentication in: who sends a request. A real host answers from
 * its authenticated session (a verified token or cookie) and the user record it names; the demo's
 * {@link DemoHeaderActors} trusts request headers and is not safe for production.
 */
@FunctionalInterface
public interface ActorResolver {
  /**
   * The actor of a request.
   *
   * @param exchange the request (headers, cookies, the peer)
   * @return the actor, or empty when the request is not authenticated (the server answers 401
   *     {@code unauthenticated})
   * @throws dev.usermgmt.UserMgmtException when the credentials are malformed (a 400)
   */
  Optional<Actor> resolve(HttpExchange exchange);
}
