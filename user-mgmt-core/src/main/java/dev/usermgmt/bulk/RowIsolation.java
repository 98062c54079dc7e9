package dev.usermgmt.bulk;

import dev.usermgmt.ConflictException;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.Problem;
import dev.usermgmt.StoreException;
import dev.usermgmt.UserId;
import dev.usermgmt.UserMgmtException;
import dev.usermgmt.bulk.Chunks.ChunkResult;
import dev.usermgmt.internal.service.UnitOfWork;
import dev.usermgmt.spi.Transactions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Writes a chunk in one transaction and, when the store refuses it for the sake of one row (a
 * unique e-mail taken since the plan, a value a column refuses, a conflicting concurrent write),
 * finds that row by halving: each half is tried again in a fresh transaction, down to the single
 * row, which fails alone while the rest are written. A chunk with one bad row of 500 costs about 20
 * transactions instead of failing 500 users. Refusals that are not about a row (the database
 * unavailable, a seat limit, an access decision) fail the chunk whole, as does a chunk whose
 * halving has already failed {@value #MAX_FAILED_ATTEMPTS} transactions.
 */
final class RowIsolation {
  /** The most failed transactions one chunk may spend on finding its bad rows. */
  static final int MAX_FAILED_ATTEMPTS = 64;

  private final Transactions transactions;
  private final boolean isolate;
  private int attemptsLeft = MAX_FAILED_ATTEMPTS;

  private RowIsolation(Transactions transactions, boolean isolate) {
    this.transactions = transactions;
    this.isolate = isolate;
  }

  /**
   * Writes a chunk.
   *
   * @param transactions the store's transactions
   * @param isolate whether to look for the bad row (not inside an enclosing transaction, which a
   *     failed statement may have aborted)
   * @param part the chunk's items
   * @param id the user of an item
   * @param work one transaction's work over some of the items
   * @param failed receives the users of the items that failed and why
   * @return the results of the transactions that committed
   */
  static <T> List<ChunkResult> write(
      Transactions transactions,
      boolean isolate,
      List<T> part,
      Function<T, UserId> id,
      Function<List<T>, ChunkResult> work,
      Map<UserId, Problem> failed) {
    List<ChunkResult> done = new ArrayList<>();
    new RowIsolation(transactions, isolate).write(part, id, work, failed, done);
    return done;
  }

  private <T> void write(
      List<T> part,
      Function<T, UserId> id,
      Function<List<T>, ChunkResult> work,
      Map<UserId, Problem> failed,
      List<ChunkResult> done) {
    try {
      done.add(transactions.inTransaction(() -> work.apply(part)));
    } catch (UserMgmtException e) {
      if (!isolate || part.size() == 1 || !aboutARow(e) || --attemptsLeft < 0) {
        part.forEach(p -> failed.put(id.apply(p), e.problems().get(0)));
        return;
      }
      int half = part.size() / 2;
      write(part.subList(0, half), id, work, failed, done);
      write(part.subList(half, part.size()), id, work, failed, done);
    }
  }

  /** Whether the store refused a write for the sake of some row rather than as a whole. */
  private static boolean aboutARow(UserMgmtException e) {
    if (e instanceof ConflictException c) {
      // not a seat limit: that is about the chunk
      return ROW_CONFLICTS.contains(c.code()) || UnitOfWork.REFERENCE_CODES.contains(c.code());
    }
    return UnitOfWork.REFERENCE_CODES.contains(e.code())
        || (e instanceof StoreException s && s.code() == ErrorCode.STORE_FAILURE);
  }

  /** The conflicts a store reports about one row. */
  private static final Set<ErrorCode> ROW_CONFLICTS =
      EnumSet.of(ErrorCode.EMAIL_TAKEN, ErrorCode.ALREADY_EXISTS, ErrorCode.VERSION_CONFLICT);
}
