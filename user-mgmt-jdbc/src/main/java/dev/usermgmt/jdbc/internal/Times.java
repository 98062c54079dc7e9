package dev.usermgmt.jdbc.internal;

import java.time.Instant;

/** Instants as the store keeps them: nanoseconds since the epoch in a BIGINT, exact. */
public final class Times {
  private Times() {}

  /**
   * The stored form of an instant.
   *
   * @param t an instant between 1677 and 2262
   * @return nanoseconds since the epoch
   */
  public static long nanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }

  /**
   * The instant of a stored value.
   *
   * @param nanos nanoseconds since the epoch
   * @return the instant
   */
  public static Instant instant(long nanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }
}
