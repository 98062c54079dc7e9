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
