/**
 * The diff engine: diffs between user records, their application and inversion, and replay of a
 * change log. Public for the feature packages; not API.
 */
@NullMarked
package dev.usermgmt.audit.internal;

import org.jspecify.annotations.NullMarked;
