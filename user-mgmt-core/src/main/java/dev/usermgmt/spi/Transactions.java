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
   * Whether another thread may read these stores now, for the calling thread, while it waits: the
   * library asks before such work (a bulk apply reads its next chunk's users meanwhile). The answer
   * must be {@code false} when the calling thread is inside {@link #inTransaction} of these stores
   * (the other thread would not see the transaction's writes, and could wait for a connection the
   * transaction holds) and when the other thread's reads could share this thread's connection. The
   * default answers {@code false}: nothing is done on another thread. The JDBC stores answer {@code
   * true} outside their transactions unless their options turn reading ahead off.
   *
   * @return whether another thread may read the stores for the calling thread now
   */
  default boolean canReadOnAnotherThread() {
    return false;
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
