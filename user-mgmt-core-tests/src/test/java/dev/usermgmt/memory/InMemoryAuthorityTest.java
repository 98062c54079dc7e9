package dev.usermgmt.memory;

import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.AuthorityContract;

/** The authority holds on the in-memory store. */
final class InMemoryAuthorityTest extends AuthorityContract {
  private static final Stores STORES = InMemoryStores.create();

  @Override
  protected Stores stores() {
    return STORES;
  }
}
