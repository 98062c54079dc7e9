package dev.usermgmt.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that tests move by hand, for scheduled work and time stamps. Thread-safe. */
public final class MutableClock extends Clock {
  private volatile Instant now;

  /**
   * A clock at a time.
   *
   * @param start the time it shows until moved
   */
  public MutableClock(Instant start) {
    this.now = start;
  }

  /**
   * Moves the clock forward.
   *
   * @param d how far
   * @return the new time
   */
  public synchronized Instant advance(Duration d) {
    now = now.plus(d);
    return now;
  }

  /**
   * Sets the time.
   *
   * @param t the time
   */
  public synchronized void set(Instant t) {
    now = t;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return now;
  }
}
