package dev.usermgmt;

import java.io.Serializable;
import java.time.Instant;
import java.util.Random;

/**
 * The stable, opaque identity of a user within a tenant. Never changes, survives anonymisation, and
 * is what the change log and manager references point at. Hosts may bring their own ids (1 to 64
 * printable ASCII characters without spaces); {@link #generate(Instant, Random)} makes new ones.
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
   * A new id, ordered by the time it was made: the layout of a version 7 UUID (RFC 9562 §5.7), 48
   * bits of Unix milliseconds, then 74 random bits from the given source, as 32 lower-case hex
   * digits without dashes. Ids made later sort after ids made earlier (within one millisecond in
   * random order), so a batch of new users lands at the end of every index that ends in the id (the
   * primary key, and each {@code (tenant, field, id)} sort index where many users share the field's
   * value) instead of on pages spread over the whole index: inserting a thousand users then costs
   * the same at fifty thousand stored users as at none, where random ids made it grow with the
   * table. The random bits keep the id unguessable; like any version 7 UUID it tells who sees it
   * when the user was created (RFC 9562 §8), which the user's record holds too. Hosts that want
   * other ids bring their own.
   *
   * @param at when the id is made; pass the injected clock's instant
   * @param random the source of the random bits; pass the injected {@code SecureRandom}
   * @return a new id
   */
  public static UserId generate(Instant at, Random random) {
    long high = ((at.toEpochMilli() & 0xffff_ffff_ffffL) << 16) | 0x7000 | random.nextInt(0x1000);
    long low = (random.nextLong() & 0x3fff_ffff_ffff_ffffL) | Long.MIN_VALUE;
    char[] out = new char[32];
    for (int i = 0; i < 16; i++) {
      out[i] = HEX[(int) (high >>> (60 - 4 * i)) & 0xf];
      out[16 + i] = HEX[(int) (low >>> (60 - 4 * i)) & 0xf];
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
