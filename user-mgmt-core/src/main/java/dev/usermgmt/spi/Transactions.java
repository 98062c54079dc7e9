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
