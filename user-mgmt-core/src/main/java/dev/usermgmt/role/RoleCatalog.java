package dev.usermgmt.role;

import com.google.common.collect.ImmutableList;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.internal.Texts;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The roles a host uses, ordered by level, with the few the rules need to know by name: the default
 * role of new users, the admin role (the threshold of admin-only actions), and the Blocked role
 * that deactivated users effectively have.
 *
 * <p>{@link #defaultCatalog()} is the reference product's numeric table; hosts define their own
 * with {@link #builder()} (for example Learner, Curator, Reporter, HR, Admin, Owner).
 */
public final class RoleCatalog {
  /** Key of the default catalog's Learner role (level 1). */
  public static final String LEARNER = "learner";

  /** Key of the default catalog's Instructor role (level 2). */
  public static final String INSTRUCTOR = "instructor";

  /** Key of the default catalog's Manager role (level 3). */
  public static final String MANAGER = "manager";

  /** Key of the default catalog's Manager-Instructor role (level 4). */
  public static final String MANAGER_INSTRUCTOR = "manager_instructor";

  /** Key of the default catalog's Admin role (level 5). */
  public static final String ADMIN = "admin";

  /** Key of the default catalog's Owner role (level 6). */
  public static final String OWNER = "owner";

  /** Key of the default catalog's Owner-Impersonate role (level 7). */
  public static final String OWNER_IMPERSONATE = "owner_impersonate";

  /** Key of the default catalog's vendor Staff role (level 8). */
  public static final String STAFF = "staff";

  /** Key of the default catalog's vendor Support role (level 10). */
  public static final String SUPPORT = "support";

  /** Key of the default catalog's Blocked role (level 99): deactivated, no access. */
  public static final String BLOCKED = "blocked";

  private static final RoleCatalog DEFAULT =
      builder()
          .role(LEARNER, "Learner", 1)
          .role(INSTRUCTOR, "Instructor", 2)
          .role(MANAGER, "Manager", 3)
          .role(MANAGER_INSTRUCTOR, "Manager-Instructor", 4)
          .role(ADMIN, "Admin", 5)
          .role(OWNER, "Owner", 6)
          .role(OWNER_IMPERSONATE, "Owner-Impersonate", 7)
          .role(STAFF, "Staff", 8)
          .role(SUPPORT, "Support", 10)
          .role(BLOCKED, "Blocked", 99)
          .defaultRole(LEARNER)
          .adminRole(ADMIN)
          .managerRole(MANAGER)
          .blockedRole(BLOCKED)
          .build();

  private final ImmutableList<Role> roles;
  private final Map<String, Role> byKey;
  private final Map<String, Role> byLabel;
  private final Map<Integer, Role> byLevel;
  private final Role defaultRole;
  private final Role adminRole;
  private final Role managerRole;
  private final Role blockedRole;
  private final Set<String> inactive;

  private RoleCatalog(Builder b) {
    List<Role> sorted = new ArrayList<>(b.roles);
    sorted.sort(Comparator.naturalOrder());
    this.roles = ImmutableList.copyOf(sorted);
    this.byKey = new HashMap<>();
    this.byLabel = new HashMap<>();
    this.byLevel = new HashMap<>();
    for (Role r : roles) {
      if (byKey.put(r.key(), r) != null || byLevel.put(r.level(), r) != null) {
        throw config("role keys and levels must be unique; repeated: " + r);
      }
      byLabel.put(Texts.compactKey(r.label()), r);
    }
    this.defaultRole = required(b.defaultRole, "default");
    this.adminRole = required(b.adminRole, "admin");
    this.managerRole = required(b.managerRole == null ? b.adminRole : b.managerRole, "manager");
    this.blockedRole = required(b.blockedRole, "blocked");
    if (!blockedRole.equals(roles.get(roles.size() - 1))) {
      throw config("the blocked role must have the highest level, so that nobody can assign it");
    }
    Set<String> off = new HashSet<>(b.inactive);
    off.add(blockedRole.key());
    for (String key : off) {
      required(key, "inactive");
    }
    if (off.contains(defaultRole.key()) || off.contains(adminRole.key())) {
      throw config("the default and admin roles must be active roles");
    }
    this.inactive = Set.copyOf(off);
  }

  private Role required(@org.jspecify.annotations.Nullable String key, String what) {
    if (key == null || !byKey.containsKey(key)) {
      throw config("the " + what + " role '" + key + "' is not in the catalog");
    }
    return byKey.get(key);
  }

  private static InvalidInputException config(String message) {
    return new InvalidInputException(Problem.of(ErrorCode.INVALID_CONFIGURATION, message));
  }

  /**
   * The reference product's numeric roles: Learner 1, Instructor 2, Manager 3, Manager-Instructor
   * 4, Admin 5, Owner 6, Owner-Impersonate 7, Staff 8, Support 10, Blocked 99.
   *
   * @return the default catalog
   */
  public static RoleCatalog defaultCatalog() {
    return DEFAULT;
  }

  /**
   * A builder for a host's own catalog.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Every role, lowest level first.
   *
   * @return the roles
   */
  public List<Role> roles() {
    return roles;
  }

  /**
   * The roles someone with {@code ceiling} may assign: those at or below it, never Blocked.
   *
   * @param ceiling the assigner's role
   * @return the assignable roles, lowest first
   */
  public List<Role> assignableBy(Role ceiling) {
    return roles.stream()
        .filter(r -> r.level() <= ceiling.level() && !r.equals(blockedRole))
        .collect(ImmutableList.toImmutableList());
  }

  /**
   * A role by key.
   *
   * @param key the key
   * @return the role, or empty
   */
  public Optional<Role> byKey(String key) {
    return Optional.ofNullable(byKey.get(key));
  }

  /**
   * A role by level.
   *
   * @param level the level
   * @return the role, or empty
   */
  public Optional<Role> byLevel(int level) {
    return Optional.ofNullable(byLevel.get(level));
  }

  /**
   * Reads a role as files and forms write it: its key, its label (case, spacing and punctuation
   * ignored: "Manager Instructor", "manager-instructor") or its level ("5").
   *
   * @param text the role text
   * @return the role
   * @throws InvalidInputException with {@link ErrorCode#INVALID_ROLE} when nothing matches
   */
  public Role parse(String text) {
    String t = Texts.trim(text);
    Role r = byKey.get(t.toLowerCase(java.util.Locale.ROOT));
    if (r == null) {
      r = byLabel.get(Texts.compactKey(t));
    }
    if (r == null && !t.isEmpty() && t.chars().allMatch(Character::isDigit) && t.length() < 10) {
      r = byLevel.get(Integer.parseInt(t));
    }
    if (r == null) {
      throw new InvalidInputException(
          Problem.ofField(ErrorCode.INVALID_ROLE, "role", "unknown role: '" + text + "'"));
    }
    return r;
  }

  /**
   * The role of new users when none is given (Learner in the default catalog).
   *
   * @return the default role
   */
  public Role defaultRole() {
    return defaultRole;
  }

  /**
   * The role that admin-only actions require (Admin, level 5, in the default catalog).
   *
   * @return the admin role
   */
  public Role adminRole() {
    return adminRole;
  }

  /**
   * The lowest role that manages reports (Manager, level 3, in the default catalog).
   *
   * @return the manager role
   */
  public Role managerRole() {
    return managerRole;
  }

  /**
   * The effective role of deactivated users (Blocked, 99): no access at all.
   *
   * @return the blocked role
   */
  public Role blockedRole() {
    return blockedRole;
  }

  /**
   * Whether a role grants access at all: every role of the catalog but Blocked and the roles named
   * inactive. A role that is not in the catalog is not active.
   *
   * @param role a role
   * @return true for an active role of this catalog
   */
  public boolean isActive(Role role) {
    return contains(role) && !inactive.contains(role.key());
  }

  /**
   * The rank of a role for every comparison of authority ("nobody assigns, or acts on someone
   * holding, a role above their own"): its level when it is active, and below every active role
   * otherwise, whatever its number — Blocked (99) ranks lowest, not highest.
   *
   * @param role a role
   * @return the rank
   */
  public int rank(Role role) {
    return isActive(role) ? role.level() : Integer.MIN_VALUE;
  }

  /**
   * Whether a role is part of this catalog.
   *
   * @param role a role
   * @return true when the catalog has the same role
   */
  public boolean contains(Role role) {
    Role r = byKey.get(role.key());
    return r != null && r.equals(role);
  }

  /** Builds a {@link RoleCatalog}. */
  public static final class Builder {
    private final List<Role> roles = new ArrayList<>();
    private final Set<String> keys = new HashSet<>();
    private @org.jspecify.annotations.Nullable String defaultRole;
    private @org.jspecify.annotations.Nullable String adminRole;
    private @org.jspecify.annotations.Nullable String managerRole;
    private @org.jspecify.annotations.Nullable String blockedRole;
    private final Set<String> inactive = new HashSet<>();

    private Builder() {}

    /**
     * Adds a role.
     *
     * @param key lower-case identifier
     * @param label what people read
     * @param level numeric level, unique in the catalog
     * @return this builder
     */
    public Builder role(String key, String label, int level) {
      if (!keys.add(key)) {
        throw config("role key '" + key + "' appears twice");
      }
      roles.add(Role.of(key, label, level));
      return this;
    }

    /**
     * Names the role of new users.
     *
     * @param key a key added with {@link #role}
     * @return this builder
     */
    public Builder defaultRole(String key) {
      this.defaultRole = key;
      return this;
    }

    /**
     * Names the admin threshold role.
     *
     * @param key a key added with {@link #role}
     * @return this builder
     */
    public Builder adminRole(String key) {
      this.adminRole = key;
      return this;
    }

    /**
     * Names the lowest role that manages reports; defaults to the admin role.
     *
     * @param key a key added with {@link #role}
     * @return this builder
     */
    public Builder managerRole(String key) {
      this.managerRole = key;
      return this;
    }

    /**
     * Names the Blocked role, which must have the highest level.
     *
     * @param key a key added with {@link #role}
     * @return this builder
     */
    public Builder blockedRole(String key) {
      this.blockedRole = key;
      return this;
    }

    /**
     * Names a role that grants no access, like Blocked (for example a host's "Suspended" role): it
     * ranks below every active role, and an actor holding it may do nothing.
     *
     * @param key a key added with {@link #role}
     * @return this builder
     */
    public Builder inactiveRole(String key) {
      inactive.add(key);
      return this;
    }

    /**
     * The catalog.
     *
     * @return the catalog
     * @throws InvalidInputException with {@link ErrorCode#INVALID_CONFIGURATION} for repeated keys
     *     or levels, or named roles that are missing
     */
    public RoleCatalog build() {
      return new RoleCatalog(this);
    }
  }
}
