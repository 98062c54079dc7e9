package dev.usermgmt;

import java.io.Serializable;
import java.util.Random;

/**
 * The stable, opaque identity of a user within a tenant. Never changes, survives anonymisation, and
 * is what the change log and manager references point at. Hosts may bring their own ids (1 to 64
 * printable ASCII characters without spaces); {@link #random(Random)} makes new ones.
 */
public final class UserId implements Comparable<UserId>, Serializable {
  private static final long serialVersionUID = 1L;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final String value;

  private UserId(String value) {
    this.value = value;
  }

  /**
   * A user id from its text.
   *
   * @param value 1 to 64 printable ASCII characters, no spaces
   * @return the id
   * @throws InvalidInputException with {@link ErrorCode#INVALID_ID} for any other text
   */
  public static UserId of(String value) {
    boolean ok = !value.isEmpty() && value.length() <= 64;
    for (int i = 0; i < value.length() && ok; i++) {
      char c = value.charAt(i);
      ok = c > 0x20 && c < 0x7f;
    }
    if (!ok) {
      throw new InvalidInputException(
          Problem.ofField(ErrorCode.INVALID_ID, "id", "not a valid user id: '" + value + "'"));
    }
    return new UserId(value);
  }

  /**
   * A new random id: 128 bits from the given source as 32 lower-case hex digits.
   *
   * @param random the source; pass the injected {@code SecureRandom}
   * @return a new id
   */
  public static UserId random(Random random) {
    char[] out = new char[32];
    for (int i = 0; i < 32; i += 8) {
      int bits = random.nextInt();
      for (int j = 0; j < 8; j++) {
        out[i + j] = HEX[(bits >>> (28 - 4 * j)) & 0xf];
      }
    }
    return new UserId(new String(out));
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
  public int compareTo(UserId o) {
    return value.compareTo(o.value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UserId u && u.value.equals(value);
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
