package dev.usermgmt.spi;

import java.util.function.Supplier;

/**
 * Runs a unit of work atomically: every store write inside it is committed together, or — when the
 * work throws — none is. A unit started inside another joins it.
 */
public interface Transactions {
  /**
   * Runs work in a transaction.
   *
   * @param work the unit of work
   * @param <T> its result
   * @return the work's result, after commit
   */
  <T> T inTransaction(Supplier<T> work);

  /**
   * Whether other processes may work on the same data (a database, a shared service): then every
   * directory over it needs the host's signing key, so that a page cursor or a bulk plan made by
   * one instance is accepted by every other and after a restart. Only a store whose data lives and
   * dies with this one object (the in-memory store) answers {@code false}.
   *
   * @return {@code true} unless the data cannot be seen outside this process (the default)
   */
  default boolean sharedBetweenProcesses() {
    return true;
  }

  /**
   * Whether the calling thread is inside {@link #inTransaction} of these stores now, so that a call
   * it makes joins that transaction. The library asks before it does work on another thread while
   * this one waits (a bulk apply reads its next chunk meanwhile): that work would not see the
   * transaction's writes, and could wait for a connection the transaction holds. A store that
   * cannot tell answers {@code true}, the default: nothing is then done on another thread.
   *
   * @return whether a transaction of these stores is open on the calling thread
   */
  default boolean isInTransaction() {
    return true;
  }

  /**
   * Runs reads that must see one consistent state of the store — a walk over every page of a query,
   * an export — however others write meanwhile: on a database, one read-only transaction at
   * snapshot isolation ({@code REPEATABLE READ}, or H2's {@code SNAPSHOT}); in memory, a copy of
   * the data read. The work must not write. Inside a transaction it joins that transaction. The
   * default runs it in a transaction, which is enough for a store whose transactions are
   * serialisable.
   *
   * @param work the reads
   * @param <T> their result
   * @return the work's result
   */
  default <T> T inSnapshot(Supplier<T> work) {
    return inTransaction(work);
  }

  /**
   * Runs work in a transaction.
   *
   * @param work the unit of work
   */
  default void run(Runnable work) {
    inTransaction(
        () -> {
          work.run();
          return Boolean.TRUE;
        });
  }
}
