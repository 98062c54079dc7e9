package dev.usermgmt.internal;

/** A value that may carry an e-mail address or a phone number. Not API. */
public interface HasContact {
  /**
   * Whether an e-mail address or a phone number is present.
   *
   * @return true when at least one is present
   */
  boolean hasContact();
}
