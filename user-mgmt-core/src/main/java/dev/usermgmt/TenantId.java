package dev.usermgmt;

import java.io.Serializable;
import java.util.regex.Pattern;

/**
 * Identifies one tenant (an organisation using the host). Every store call and every service call
 * is scoped to exactly one tenant; no call path reads or writes another's rows.
 *
 * <p>1 to 64 characters of letters, digits, {@code . _ -}; compared exactly.
 */
public final class TenantId implements Comparable<TenantId>, Serializable {
  private static final long serialVersionUID = 1L;
  private static final Pattern SYNTAX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private final String value;

  private TenantId(String value) {
    this.value = value;
  }

  /**
   * A tenant id from its text.
   *
   * @param value 1 to 64 characters of letters, digits, {@code . _ -}, not starting with a mark
   * @return the id
   * @throws InvalidInputException with {@link ErrorCode#INVALID_ID} for any other text
   */
  public static TenantId of(String value) {
    if (!SYNTAX.matcher(value).matches()) {
      throw new InvalidInputException(
          Problem.ofField(
              ErrorCode.INVALID_ID, "tenant", "not a valid tenant id: '" + value + "'"));
    }
    return new TenantId(value);
  }

  /**
   * The text form.
   *
   * @return the id as given
   */
  public String value() {
    return value;
  }

  @Override
  public int compareTo(TenantId o) {
    return value.compareTo(o.value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TenantId t && t.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return value;
  }
}
