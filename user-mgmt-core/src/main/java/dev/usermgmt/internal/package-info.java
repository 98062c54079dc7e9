/**
 * Helpers shared across the feature packages: the Immutables style, text normalisation, checks.
 * Public for technical reasons only; not API, may change in any release.
 */
@NullMarked
package dev.usermgmt.internal;

import org.jspecify.annotations.NullMarked;
