package dev.usermgmt.memory;

import dev.usermgmt.spi.Stores;
import dev.usermgmt.spi.Transactions;
import java.util.function.Supplier;

/**
 * The in-memory store: every SPI with the reference semantics, thread-safe, for tests and for hosts
 * that want no database. Transactions are serialisable (one writer at a time) and roll back
 * completely when the work throws.
 */
public final class InMemoryStores {
  private InMemoryStores() {}

  /**
   * A new, empty in-memory store.
   *
   * @return the stores sharing one backend
   */
  public static Stores create() {
    MemoryBackend backend = new MemoryBackend();
    Transactions tx =
        new Transactions() {
          @Override
          public <T> T inTransaction(Supplier<T> work) {
            return backend.inTransaction(work);
          }

          @Override
          public boolean sharedBetweenProcesses() {
            return false;
          }

          @Override
          public <T> T inSnapshot(Supplier<T> work) {
            return backend.inSnapshot(work);
          }
        };
    return new Stores(
        new InMemoryUserStore(backend),
        new InMemoryAttributeStore(backend),
        new InMemoryGroupStore(backend),
        new InMemoryChangeLog(backend),
        tx);
  }
}
