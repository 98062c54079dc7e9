package dev.usermgmt.memory;

import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.StoreContract;

/** The in-memory store passes the conformance suite. */
final class InMemoryStoreTest implements StoreContract {
  private static final Stores STORES = InMemoryStores.create();

  @Override
  public Stores stores() {
    return STORES;
  }
}
