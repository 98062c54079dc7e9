package dev.usermgmt.bulk;

import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.user.User;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * Reads the users of a bulk apply's next chunk on a thread of its own while the chunk before is
 * written, so that a store across a network spends the read's round trip and its decoding while it
 * waits for the write, not after it.
 *
 * <p>Users read ahead are only a guess at what the chunk's transaction would read. A chunk is
 * written from them only when every one of its users is to be written, each version-checked by the
 * store ({@link dev.usermgmt.spi.UserWriter#update}); any other outcome (gone, done, refused,
 * stale, denied), and any write the store refuses (a user changed since the read), sends the chunk
 * down the path it takes without reading ahead: its users read in its own transaction, and halved
 * by {@link RowIsolation} when one row is at fault ({@link Chunks}).
 *
 * <p>On only when the store says another thread may read it for the caller now ({@link
 * dev.usermgmt.spi.Transactions#canReadOnAnotherThread}): never inside one of its transactions,
 * whose writes the read would not see and whose connection it could wait for. The thread is a
 * daemon, started at the first chunk that has one after it and ended with the apply; once the
 * caller is interrupted no more is read ahead.
 */
final class ReadAhead implements AutoCloseable {
  /** The name of the thread that reads ahead. */
  static final String THREAD_NAME = "user-mgmt-read-ahead";

  private final Stores stores;
  private final TenantId tenant;
  private boolean on;
  private @Nullable ExecutorService thread;
  private @Nullable Future<Map<UserId, User>> pending;
  private List<PlannedUser> pendingPart = List.of();

  private ReadAhead(Stores stores, TenantId tenant, boolean on) {
    this.stores = stores;
    this.tenant = tenant;
    this.on = on;
  }

  /** A read-ahead for an apply in {@code tenant}, on when the store and the caller allow it. */
  static ReadAhead open(Stores stores, TenantId tenant) {
    return new ReadAhead(stores, tenant, stores.transactions().canReadOnAnotherThread());
  }

  /** Starts reading the users of {@code part} (nothing when off or empty). */
  void start(List<PlannedUser> part) {
    if (!on || part.isEmpty()) {
      return;
    }
    if (thread == null) {
      thread =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, THREAD_NAME);
                t.setDaemon(true);
                return t;
              });
    }
    List<UserId> ids = part.stream().map(PlannedUser::id).toList();
    pendingPart = part;
    pending = thread.submit(() -> stores.users().getAll(tenant, ids));
  }

  /**
   * The users of {@code part} as read ahead, or empty: none was started for it, the read failed
   * (the chunk then reads them itself, and meets the failure there, in its own transaction), or the
   * caller was interrupted while waiting (its interrupt is kept, and nothing more is read ahead).
   */
  Optional<Map<UserId, User>> take(List<PlannedUser> part) {
    Future<Map<UserId, User>> f = pending;
    pending = null;
    if (f == null || !pendingPart.equals(part)) {
      return Optional.empty();
    }
    try {
      return Optional.of(f.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      on = false;
      return Optional.empty();
    } catch (ExecutionException e) {
      return Optional.empty();
    }
  }

  /** Ends the thread; a read still running is abandoned. */
  @Override
  public void close() {
    if (thread != null) {
      thread.shutdownNow();
    }
  }
}
