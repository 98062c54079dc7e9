package dev.usermgmt.user;

import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.role.DomainRole;
import dev.usermgmt.role.Role;
import dev.usermgmt.role.RoleCatalog;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import org.immutables.value.Value;

/**
 * One person's record in a tenant: everything the reference "Employees" page, its legacy table, the
 * people platform and the open directory show or edit about a user. Immutable; a change makes a new
 * value with a higher {@link #version()}.
 *
 * <p>Invariants: an e-mail address or a phone number is present (except once anonymised); optional
 * text fields, when present, are trimmed and not blank; counts and versions are not negative.
 */
@Value.Immutable
public abstract class User {
  /** The display name of anonymised users. */
  public static final String ANONYMISED_NAME = "Anonymised user";

  User() {}

  // ---------------------------------------------------------------- identity

  /**
   * The stable id.
   *
   * @return the id
   */
  public abstract UserId id();

  /**
   * The tenant the user belongs to.
   *
   * @return the tenant
   */
  public abstract TenantId tenant();

  // ---------------------------------------------------------------- names and contact

  /**
   * Given name.
   *
   * @return the first name
   */
  public abstract Optional<String> firstName();

  /**
   * Family name.
   *
   * @return the last name
   */
  public abstract Optional<String> lastName();

  /**
   * The name shown everywhere ("Full name"). Defaults to first and last name, else the e-mail
   * address, else the phone number, else {@link #ANONYMISED_NAME} for anonymised users.
   *
   * @return the display name
   */
  @Value.Default
  public String displayName() {
    String joined = (firstName().orElse("") + " " + lastName().orElse("")).strip();
    if (!joined.isEmpty()) {
      return joined;
    }
    if (primaryEmail().isPresent()) {
      return primaryEmail().get().value();
    }
    if (phoneNumber().isPresent()) {
      return phoneNumber().get().e164();
    }
    return status() == UserStatus.ANONYMISED ? ANONYMISED_NAME : "User " + id().value();
  }

  /**
   * Initials, where a host uses them.
   *
   * @return the initials
   */
  public abstract Optional<String> initials();

  /**
   * A username distinct from the e-mail address, where a host uses one.
   *
   * @return the username
   */
  public abstract Optional<String> username();

  /**
   * The primary e-mail address; unique per tenant, case-insensitively.
   *
   * @return the address
   */
  public abstract Optional<EmailAddress> primaryEmail();

  /**
   * The phone number, E.164.
   *
   * @return the phone number
   */
  public abstract Optional<PhoneNumber> phoneNumber();

  // ---------------------------------------------------------------- access

  /**
   * The platform role ("Permission" column).
   *
   * @return the role
   */
  public abstract Role role();

  /**
   * Roles held within one domain only (People, Content, Budget…).
   *
   * @return the domain roles
   */
  public abstract Set<DomainRole> domainRoles();

  /**
   * The lifecycle status.
   *
   * @return the status
   */
  public abstract UserStatus status();

  /**
   * Product modules the user may use (LMS, LXP, DEVELOPMENT, 360 FEEDBACK by default).
   *
   * @return module keys, sorted
   */
  @Value.NaturalOrder
  public abstract SortedSet<String> modules();

  /**
   * Ids of the groups the user belongs to.
   *
   * @return group ids, sorted
   */
  @Value.NaturalOrder
  public abstract SortedSet<String> groups();

  /**
   * Permissions granted to this user on top of the role (products that toggle permissions per
   * user). Keys are {@code Action} names.
   *
   * @return granted action keys
   */
  @Value.NaturalOrder
  public abstract SortedSet<String> permissionGrants();

  /**
   * Permissions revoked from this user although the role would allow them.
   *
   * @return revoked action keys
   */
  @Value.NaturalOrder
  public abstract SortedSet<String> permissionRevocations();

  // ---------------------------------------------------------------- organisation

  /**
   * Job title.
   *
   * @return the title
   */
  public abstract Optional<String> jobTitle();

  /**
   * Position (legacy table).
   *
   * @return the position
   */
  public abstract Optional<String> position();

  /**
   * Department (org unit).
   *
   * @return the department
   */
  public abstract Optional<String> department();

  /**
   * Company or sub-organisation.
   *
   * @return the company
   */
  public abstract Optional<String> company();

  /**
   * Location.
   *
   * @return the location
   */
  public abstract Optional<String> location();

  /**
   * Office the user is assigned to.
   *
   * @return the office
   */
  public abstract Optional<String> office();

  /**
   * Employee type / user type ("Employee Type", "User Type").
   *
   * @return the type
   */
  public abstract Optional<String> userType();

  /**
   * External employee ID; text, leading zeros kept.
   *
   * @return the employee ID
   */
  public abstract Optional<String> employeeId();

  /**
   * The direct manager ("Direct Manager", reporting line).
   *
   * @return the manager's id
   */
  public abstract Optional<UserId> managerId();

  /**
   * Hire date.
   *
   * @return the date
   */
  public abstract Optional<LocalDate> hireDate();

  // ---------------------------------------------------------------- lifecycle times

  /**
   * When the user was deactivated ("Deactivation Date").
   *
   * @return the time
   */
  public abstract Optional<Instant> deactivatedAt();

  /**
   * Most recent login or action ("Last Activity").
   *
   * @return the time
   */
  public abstract Optional<Instant> lastActivityAt();

  /**
   * Most recent sign-in; empty means never logged in.
   *
   * @return the time
   */
  public abstract Optional<Instant> lastLoginAt();

  /**
   * When the (latest) invitation was sent.
   *
   * @return the time
   */
  public abstract Optional<Instant> invitedAt();

  /**
   * When a scheduled invitation will be sent.
   *
   * @return the time
   */
  public abstract Optional<Instant> inviteScheduledAt();

  /**
   * When a scheduled activation will happen.
   *
   * @return the time
   */
  public abstract Optional<Instant> activationScheduledAt();

  /**
   * "Taking a break": the user receives no notifications; not a status.
   *
   * @return the flag
   */
  @Value.Default
  public boolean takingABreak() {
    return false;
  }

  // ---------------------------------------------------------------- preferences and counts

  /**
   * Time zone.
   *
   * @return the zone
   */
  public abstract Optional<ZoneId> timeZone();

  /**
   * Preferred language, a BCP 47 tag such as {@code en-GB}.
   *
   * @return the tag
   */
  public abstract Optional<String> language();

  /**
   * Count of skills on the user ("Skills" column).
   *
   * @return the count
   */
  @Value.Default
  public int skillsCount() {
    return 0;
  }

  // ---------------------------------------------------------------- account flags

  /**
   * Locked after repeated failed sign-ins.
   *
   * @return the flag
   */
  @Value.Default
  public boolean lockedOut() {
    return false;
  }

  /**
   * Multi-factor authentication is required.
   *
   * @return the flag
   */
  @Value.Default
  public boolean mfaRequired() {
    return false;
  }

  /**
   * Password state.
   *
   * @return the state
   */
  @Value.Default
  public PasswordState passwordState() {
    return PasswordState.NONE;
  }

  // ---------------------------------------------------------------- custom attributes, bookkeeping

  /**
   * Custom attribute values by attribute key.
   *
   * @return the values
   */
  public abstract Map<String, AttributeValue> attributes();

  /**
   * Optimistic-locking version; every stored change increments it.
   *
   * @return the version, 0 before the first store
   */
  @Value.Default
  public long version() {
    return 0;
  }

  /**
   * When the user was created.
   *
   * @return the time
   */
  public abstract Instant createdAt();

  /**
   * When the user was last changed.
   *
   * @return the time
   */
  public abstract Instant updatedAt();

  // ---------------------------------------------------------------- derived

  /**
   * Whether the user has never signed in (the target of "send invitation email").
   *
   * @return true when {@link #lastLoginAt()} is empty
   */
  public boolean neverLoggedIn() {
    return lastLoginAt().isEmpty();
  }

  /**
   * The role that counts for access: Blocked for deactivated and anonymised users, the platform
   * role otherwise.
   *
   * @param catalog the tenant's role catalog
   * @return the effective role
   */
  public Role effectiveRole(RoleCatalog catalog) {
    return status().isInactive() ? catalog.blockedRole() : role();
  }

  /**
   * The role that counts within a domain: the higher-ranked of the platform role and the domain
   * roles (an inactive role ranks lowest), Blocked when inactive.
   *
   * @param catalog the tenant's role catalog
   * @param domain a domain key, e.g. {@link DomainRole#PEOPLE}
   * @return the effective role in that domain
   */
  public Role effectiveRole(RoleCatalog catalog, String domain) {
    Role best = effectiveRole(catalog);
    if (status().isInactive()) {
      return best;
    }
    for (DomainRole d : domainRoles()) {
      if (d.domain().equals(domain) && catalog.rank(d.role()) > catalog.rank(best)) {
        best = d.role();
      }
    }
    return best;
  }

  @Value.Check
  void check() {
    List<Problem> problems = UserChecks.problems(this);
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
  }

  /**
   * A new builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder starting from this user, for making a changed copy.
   *
   * @return the builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.from(this);
    return b;
  }

  /** Builds a {@link User}. */
  public static final class Builder extends ImmutableUser.Builder {
    Builder() {}

    /**
     * Builds the value.
     *
     * @return the value
     * @throws dev.usermgmt.InvalidInputException when a value is invalid, or a key was put twice
     *     into {@code attributes}
     */
    @Override
    public User build() {
      return dev.usermgmt.internal.Builders.build("attributes", super::build);
    }
  }
}
