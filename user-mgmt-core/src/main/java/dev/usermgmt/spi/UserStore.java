package dev.usermgmt.spi;

/**
 * A full user store: key lookups, queries and writes. A read-only source implements {@link
 * UserLookup} and {@link UserQueries} alone.
 */
public interface UserStore extends UserLookup, UserQueries, UserWriter {}
