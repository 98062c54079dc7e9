/**
 * Test support for hosts and store authors: QuickTheories generators of domain values ({@link
 * dev.usermgmt.testkit.DomainGenerators}) and, with the directory, the store conformance suite.
 */
@NullMarked
package dev.usermgmt.testkit;

import org.jspecify.annotations.NullMarked;
