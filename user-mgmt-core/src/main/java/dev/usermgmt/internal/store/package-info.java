/**
 * Checks every store implementation shares (tenant of each written user, version pairs, conflicts).
 * Public for the store modules; not API.
 */
@NullMarked
package dev.usermgmt.internal.store;

import org.jspecify.annotations.NullMarked;
