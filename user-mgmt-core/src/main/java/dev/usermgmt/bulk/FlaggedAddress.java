package dev.usermgmt.bulk;

import java.util.OptionalLong;

/**
 * An address of a deactivation request that the plan sets aside, with the file row it came from:
 * malformed, a repeat of an earlier row, of an internal staff domain, or not found but looking like
 * an existing user's address.
 *
 * @param row the 1-based file row (the position in the list for a request without a file)
 * @param address the address as given
 * @param reason why it is set aside
 * @param firstRow for {@link Reason#DUPLICATE}: the row that has the address first
 */
public record FlaggedAddress(long row, String address, Reason reason, OptionalLong firstRow) {
  /** Why an address is set aside. */
  public enum Reason {
    /** Not a valid e-mail address. */
    INVALID,
    /** The same address (compared as identities) as an earlier row. */
    DUPLICATE,
    /** Of an internal staff domain, and the request does not allow those. */
    INTERNAL,
    /**
     * No user has it, but it looks like an existing user's address (the same UTS #39 skeleton, as
     * {@code аdmin@} with a Cyrillic {@code а} looks like {@code admin@}): most likely a typed or
     * pasted look-alike of the address meant. It is also in the plan's not-found list.
     */
    LOOK_ALIKE
  }
}
