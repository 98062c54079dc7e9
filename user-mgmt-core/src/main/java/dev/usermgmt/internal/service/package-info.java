/**
 * The plumbing of the services behind the facades: the services object the builder makes, the unit
 * of work every write goes through, the manager hierarchy. Public for the feature packages; not
 * API.
 */
@NullMarked
package dev.usermgmt.internal.service;

import org.jspecify.annotations.NullMarked;
