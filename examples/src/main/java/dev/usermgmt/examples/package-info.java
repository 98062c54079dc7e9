/** Runnable demos of embedding user-mgmt: {@link dev.usermgmt.examples.QuickStart}. */
@NullMarked
package dev.usermgmt.examples;

import org.jspecify.annotations.NullMarked;
