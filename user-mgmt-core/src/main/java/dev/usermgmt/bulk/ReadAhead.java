package dev.usermgmt.bulk;

import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.spi.UserStore;
import dev.usermgmt.user.User;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * The chunks of an apply, each with its users as stored, the next chunk's users read on a thread of
 * its own while the chunk before is written. On a database the read-back of a chunk and the
 * decoding of its users then run beside the previous chunk's update on the server, instead of after
 * it.
 *
 * <p>A user read ahead is only what the chunk's write judges: the store's update is a
 * compare-and-set on the version read, so a user changed between the read and the write fails the
 * chunk's write with a version conflict, and {@link RowIsolation} tries the chunk's halves again,
 * each reading its users afresh in its own transaction. A read ahead that fails is not an error:
 * the chunk then reads its users in its transaction, as without it.
 *
 * <p>Only a store that {@linkplain dev.usermgmt.spi.Transactions#readsBesideWrites allows it} reads
 * ahead: one whose reads take their own connection, called from a thread inside no transaction (a
 * read elsewhere then never waits for a connection this thread holds).
 */
final class ReadAhead implements AutoCloseable {
  private final Iterator<List<PlannedUser>> parts;
  private final UserStore users;
  private final TenantId tenant;
  private final @Nullable ExecutorService reader;
  private @Nullable List<PlannedUser> next;
  private @Nullable Future<Map<UserId, User>> nextUsers;

  private ReadAhead(
      Iterator<List<PlannedUser>> parts, UserStore users, TenantId tenant, boolean ahead) {
    this.parts = parts;
    this.users = users;
    this.tenant = tenant;
    this.reader = ahead ? Executors.newSingleThreadExecutor(ReadAhead::daemon) : null;
  }

  /**
   * The chunks of {@code parts}, read ahead when {@code ahead}.
   *
   * @param ahead whether to read each next chunk's users beside the current one's write
   */
  static ReadAhead of(
      Iterator<List<PlannedUser>> parts, UserStore users, TenantId tenant, boolean ahead) {
    return new ReadAhead(parts, users, tenant, ahead);
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "user-mgmt-read-ahead");
    t.setDaemon(true);
    return t;
  }

  boolean hasNext() {
    return next != null || parts.hasNext();
  }

  /**
   * The next chunk and its users as read ahead (empty when not read ahead, or when that read
   * failed); the chunk after it starts being read now.
   */
  Chunk next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    List<PlannedUser> part;
    Future<Map<UserId, User>> read;
    if (next != null) {
      part = next;
      read = nextUsers;
    } else {
      part = parts.next();
      read = start(part);
    }
    next = null;
    nextUsers = null;
    Optional<Map<UserId, User>> current = waitFor(read);
    if (reader != null && parts.hasNext()) {
      next = parts.next();
      nextUsers = start(next);
    }
    return new Chunk(part, current);
  }

  private @Nullable Future<Map<UserId, User>> start(List<PlannedUser> part) {
    if (reader == null) {
      return null;
    }
    List<UserId> ids = part.stream().map(PlannedUser::id).toList();
    return CompletableFuture.supplyAsync(() -> users.getAll(tenant, ids), reader);
  }

  private static Optional<Map<UserId, User>> waitFor(@Nullable Future<Map<UserId, User>> read) {
    if (read == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(read.get());
    } catch (ExecutionException e) {
      // the chunk reads its users in its own transaction, which reports what failed
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    if (reader != null) {
      reader.shutdownNow();
    }
  }

  /** A chunk and, when read ahead, its users as stored then. */
  record Chunk(List<PlannedUser> part, Optional<Map<UserId, User>> users) {}
}
