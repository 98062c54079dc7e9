package dev.usermgmt.access;

import dev.usermgmt.Action;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.role.DomainRole;
import dev.usermgmt.role.Role;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.user.User;
import java.util.Optional;
import java.util.Set;
import org.immutables.value.Value;

/**
 * Who acts: the signed-in user of the host (or the system, for scheduled work), in one tenant, with
 * their role, domain roles, vendor support level, per-user grants and revocations, and the tenant's
 * purpose (e.g. {@code demo}). Every mutation takes an actor and is checked by the {@link
 * AccessPolicy} before anything is written.
 */
@Value.Immutable
public abstract class Actor {
  /** The tenant purpose of demo / POC tenants. */
  public static final String DEMO = "demo";

  Actor() {}

  /**
   * The tenant the actor acts in; the only tenant they can read or write.
   *
   * @return the tenant
   */
  public abstract TenantId tenant();

  /**
   * The acting user; empty for the system.
   *
   * @return the user id
   */
  public abstract Optional<UserId> userId();

  /**
   * The platform role.
   *
   * @return the role
   */
  public abstract Role role();

  /**
   * Domain-scoped roles.
   *
   * @return the domain roles
   */
  public abstract Set<DomainRole> domainRoles();

  /**
   * The vendor support level (0 for customers; 2 and above for the vendor's staff).
   *
   * @return the level
   */
  @Value.Default
  public int supportLevel() {
    return 0;
  }

  /**
   * The purpose of the tenant, e.g. {@link #DEMO}.
   *
   * @return the purpose
   */
  public abstract Optional<String> tenantPurpose();

  /**
   * Actions granted to this actor beyond the role.
   *
   * @return the grants
   */
  public abstract Set<Action> grants();

  /**
   * Actions revoked from this actor although the role allows them.
   *
   * @return the revocations
   */
  public abstract Set<Action> revocations();

  /**
   * Whether the acting user is active (an inactive user can do nothing).
   *
   * @return the flag
   */
  @Value.Default
  public boolean active() {
    return true;
  }

  /**
   * Whether the actor is a user of the tenant's store, as {@link #forUser} makes them, and not a
   * host's own service account: the directory gives such an actor no more than their record gives
   * now, and nothing once the record is gone (a deleted user's session counts for nothing, as a
   * deactivated user's counts as Blocked).
   *
   * @return the flag
   */
  @Value.Default
  public boolean storedUser() {
    return false;
  }

  /**
   * Whether this is the system acting on earlier decisions (scheduled invitations and activations).
   *
   * @return the flag
   */
  @Value.Default
  public boolean system() {
    return false;
  }

  /**
   * The role that counts within a domain: the higher of the platform role and the domain role.
   *
   * @param domain a domain key
   * @return the effective role
   */
  public Role effectiveRole(String domain) {
    Role best = role();
    for (DomainRole d : domainRoles()) {
      if (d.domain().equals(domain) && d.role().level() > best.level()) {
        best = d.role();
      }
    }
    return best;
  }

  /**
   * The effective People-domain role, which the Employees page gates by.
   *
   * @return the effective role
   */
  public Role peopleRole() {
    return effectiveRole(DomainRole.PEOPLE);
  }

  /**
   * A builder for the actor a user is, with grants and revocations read from the user record. The
   * host adds the support level and tenant purpose it knows.
   *
   * @param user the signed-in user
   * @param catalog the tenant's role catalog
   * @return the builder
   */
  public static Builder forUser(User user, RoleCatalog catalog) {
    Builder b =
        builder()
            .tenant(user.tenant())
            .userId(user.id())
            .role(user.effectiveRole(catalog))
            .domainRoles(user.status().isInactive() ? Set.of() : user.domainRoles())
            .active(user.status().canSignIn())
            .storedUser(true);
    user.permissionGrants().forEach(g -> Action.byName(g).ifPresent(b::addGrants));
    user.permissionRevocations().forEach(g -> Action.byName(g).ifPresent(b::addRevocations));
    return b;
  }

  /**
   * The system actor of a tenant, for work scheduled earlier by an authorised actor.
   *
   * @param tenant the tenant
   * @param catalog the role catalog
   * @return the actor
   */
  public static Actor system(TenantId tenant, RoleCatalog catalog) {
    return builder().tenant(tenant).role(catalog.adminRole()).system(true).build();
  }

  /**
   * A new builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link Actor}. */
  public static final class Builder extends ImmutableActor.Builder {
    Builder() {}
  }

  @Override
  public String toString() {
    return userId().map(UserId::value).orElse(system() ? "system" : "anonymous")
        + "@"
        + tenant()
        + " ("
        + role().key()
        + (supportLevel() > 0 ? ", support level " + supportLevel() : "")
        + ")";
  }
}
