package dev.usermgmt.role;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import java.io.Serializable;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A permission level: a stable key ({@code admin}), a label people read ({@code Admin}) and a
 * numeric level that orders roles (higher may do more). Roles belong to a {@link RoleCatalog}; the
 * ordering is by level alone, and levels are unique within a catalog, so it is total.
 */
public final class Role implements Comparable<Role>, Serializable {
  private static final long serialVersionUID = 1L;
  private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]{0,39}");

  private final String key;
  private final String label;
  private final int level;

  /**
   * What {@link #toString} returns, made once: access decisions name the role in their messages,
   * and a bulk write asks for thousands of them.
   */
  private transient @Nullable String text;

  private Role(String key, String label, int level) {
    this.key = key;
    this.label = label;
    this.level = level;
  }

  /**
   * A role.
   *
   * @param key lower-case identifier, e.g. {@code manager_instructor}
   * @param label what people read, e.g. {@code Manager-Instructor}
   * @param level the numeric level; higher may do more
   * @return the role
   * @throws InvalidInputException with {@link ErrorCode#INVALID_ROLE} for a malformed key or blank
   *     label
   */
  public static Role of(String key, String label, int level) {
    if (!KEY.matcher(key).matches() || label.isBlank()) {
      throw new InvalidInputException(
          Problem.ofField(ErrorCode.INVALID_ROLE, "role", "not a valid role: key '" + key + "'"));
    }
    return new Role(key, label.strip(), level);
  }

  /**
   * The stable key.
   *
   * @return the key
   */
  public String key() {
    return key;
  }

  /**
   * The label people read.
   *
   * @return the label
   */
  public String label() {
    return label;
  }

  /**
   * The numeric level.
   *
   * @return the level
   */
  public int level() {
    return level;
  }

  /**
   * Whether this role is at least as high as another.
   *
   * @param other a role
   * @return true when this level ≥ the other's
   */
  public boolean atLeast(Role other) {
    return level >= other.level;
  }

  @Override
  public int compareTo(Role o) {
    return Integer.compare(level, o.level);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Role r && r.level == level && r.key.equals(key) && r.label.equals(label);
  }

  @Override
  public int hashCode() {
    return key.hashCode() * 31 + level;
  }

  @Override
  public String toString() {
    String t = text;
    if (t == null) {
      t = label + " (" + level + ")";
      text = t;
    }
    return t;
  }
}
