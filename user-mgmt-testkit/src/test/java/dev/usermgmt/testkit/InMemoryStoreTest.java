package dev.usermgmt.testkit;

import dev.usermgmt.memory.InMemoryStores;
import dev.usermgmt.spi.Stores;

/** The in-memory store passes the conformance suite. */
final class InMemoryStoreTest implements StoreContract {
  private static final Stores STORES = InMemoryStores.create();

  @Override
  public Stores stores() {
    return STORES;
  }
}
