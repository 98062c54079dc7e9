/**
 * The in-memory store ({@link dev.usermgmt.memory.InMemoryStores}): reference semantics for every
 * SPI, used by tests and by hosts that want no database.
 */
@NullMarked
package dev.usermgmt.memory;

import org.jspecify.annotations.NullMarked;
