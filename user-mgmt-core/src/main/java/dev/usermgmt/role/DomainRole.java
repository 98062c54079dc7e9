package dev.usermgmt.role;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import java.io.Serializable;
import java.util.regex.Pattern;

/**
 * A role held within one domain only: "domain admins (People, Content, Budget, etc.) get
 * admin-level access scoped to one domain". A user with the People domain role Admin may manage
 * users even though their platform role is Learner; the access policy uses the <em>effective</em>
 * role of a domain, the higher of the platform role and the domain role.
 */
public final class DomainRole implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Pattern DOMAIN = Pattern.compile("[a-z][a-z0-9_]{0,39}");

  /** The People domain: users, roles, attributes. */
  public static final String PEOPLE = "people";

  /** The Content domain. */
  public static final String CONTENT = "content";

  /** The Budget domain. */
  public static final String BUDGET = "budget";

  private final String domain;
  private final Role role;

  private DomainRole(String domain, Role role) {
    this.domain = domain;
    this.role = role;
  }

  /**
   * A domain role.
   *
   * @param domain lower-case domain key, e.g. {@link #PEOPLE}
   * @param role the role held within it
   * @return the domain role
   */
  public static DomainRole of(String domain, Role role) {
    if (!DOMAIN.matcher(domain).matches()) {
      throw new InvalidInputException(
          Problem.ofField(ErrorCode.INVALID_ROLE, "domainRoles", "bad domain '" + domain + "'"));
    }
    return new DomainRole(domain, role);
  }

  /**
   * The domain key.
   *
   * @return the domain
   */
  public String domain() {
    return domain;
  }

  /**
   * The role held within the domain.
   *
   * @return the role
   */
  public Role role() {
    return role;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DomainRole d && d.domain.equals(domain) && d.role.equals(role);
  }

  @Override
  public int hashCode() {
    return domain.hashCode() * 31 + role.hashCode();
  }

  @Override
  public String toString() {
    return domain + ":" + role.key();
  }
}
