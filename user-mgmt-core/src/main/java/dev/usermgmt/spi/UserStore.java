package dev.usermgmt.spi;

/**
 * A full user store: key lookups and writes. A read-only source implements {@link UserLookup}
 * alone.
 */
public interface UserStore extends UserLookup, UserWriter {}
