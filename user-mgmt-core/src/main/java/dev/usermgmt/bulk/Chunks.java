package dev.usermgmt.bulk;

import dev.usermgmt.Decision;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.Problem;
import dev.usermgmt.StoreException;
import dev.usermgmt.UserId;
import dev.usermgmt.UserMgmtException;
import dev.usermgmt.access.Actor;
import dev.usermgmt.access.EditChannel;
import dev.usermgmt.audit.ChangeSet;
import dev.usermgmt.audit.FieldDiff;
import dev.usermgmt.audit.internal.Diffs;
import dev.usermgmt.internal.service.Services;
import dev.usermgmt.internal.service.UnitOfWork;
import dev.usermgmt.user.User;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Applies planned changes in chunks: each chunk one transaction with its own change set correlated
 * to the plan. Each planned user is read again, must still be at the planned version, and is
 * changed only by a write the access policy allows the actor at that moment; a user who fails is
 * reported and the others go on. A chunk the store refuses rolls back whole; when the refusal is
 * about one row, {@link RowIsolation} finds that row and writes the others; otherwise the chunk is
 * reported user by user. Then the next chunk goes on.
 */
final class Chunks {
  /**
   * What to do to one user at apply time. A change whose user differs in no field from the stored
   * one is no change: {@link #applyChunk} tells it by the diffs it works out once for the write.
   */
  record Step(Kind kind, Optional<User> after, Optional<Problem> problem) {
    static Step change(User after) {
      return new Step(Kind.CHANGE, Optional.of(after), Optional.empty());
    }

    static Step delete() {
      return new Step(Kind.DELETE, Optional.empty(), Optional.empty());
    }

    static Step noOp() {
      return new Step(Kind.NO_OP, Optional.empty(), Optional.empty());
    }

    static Step refuse(ErrorCode code, String message) {
      return new Step(Kind.REFUSE, Optional.empty(), Optional.of(Problem.of(code, message)));
    }
  }

  /** The kinds of steps. */
  enum Kind {
    CHANGE,
    DELETE,
    NO_OP,
    REFUSE
  }

  /** What one chunk did, known for sure only after its commit. */
  record ChunkResult(
      List<UserId> changed,
      List<UserId> done,
      Map<UserId, Problem> failed,
      Optional<String> changeSet) {}

  /** The planned users a chunk at a time, and the chunk to come. */
  interface Parts extends Iterator<List<PlannedUser>> {
    /**
     * The chunk {@link #next} will give, not given yet: empty when none is left.
     *
     * @return the users of the next chunk
     */
    List<PlannedUser> upcoming();
  }

  private final Services services;
  private final int chunk;

  Chunks(Services services, int chunk) {
    this.services = services;
    this.chunk = chunk;
  }

  int size() {
    return chunk;
  }

  /**
   * Applies a step to each planned user.
   *
   * @param transform the step for a user as stored now, given the unit (its actor and time)
   * @param maxFailures stop starting chunks once more users than this failed
   */
  ApplyResult apply(
      Actor actor,
      String planId,
      String operation,
      List<PlannedUser> targets,
      BiFunction<UnitOfWork, User, Step> transform,
      BulkListener listener,
      int maxFailures) {
    return apply(actor, planId, operation, targets, transform, listener, maxFailures, true);
  }

  /**
   * Applies a step to each planned user.
   *
   * @param transform the step for a user as stored now, given the unit (its actor and time)
   * @param maxFailures stop starting chunks once more users than this failed
   * @param isolate whether a chunk the store refuses for one row's sake is halved until that row is
   *     found ({@link RowIsolation}); false inside an enclosing transaction
   */
  ApplyResult apply(
      Actor actor,
      String planId,
      String operation,
      List<PlannedUser> targets,
      BiFunction<UnitOfWork, User, Step> transform,
      BulkListener listener,
      int maxFailures,
      boolean isolate) {
    Parts parts =
        new Parts() {
          private int i;

          @Override
          public List<PlannedUser> upcoming() {
            return hasNext() ? targets.subList(i, Math.min(targets.size(), i + chunk)) : List.of();
          }

          @Override
          public boolean hasNext() {
            return i < targets.size();
          }

          @Override
          public List<PlannedUser> next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            List<PlannedUser> part = targets.subList(i, Math.min(targets.size(), i + chunk));
            i += chunk;
            return part;
          }
        };
    return apply(
        actor,
        planId,
        operation,
        parts,
        targets.size(),
        transform,
        listener,
        maxFailures,
        isolate,
        p -> false);
  }

  /**
   * Applies a step to each planned user, the users given a chunk at a time (read from a plan on
   * disk as they are applied, so that no more than two chunks of them, the one written and the
   * next, are held in memory).
   *
   * @param parts the planned users, in chunks of at most {@link #size()}; the users of the next
   *     chunk are read ({@link ReadAhead}) while the one before is written
   * @param total how many planned users the chunks hold in all, for the progress
   * @param transform the step for a user as stored now, given the unit (its actor and time)
   * @param maxFailures stop starting chunks once more users than this failed
   * @param isolate whether a chunk the store refuses for one row's sake is halved until that row is
   *     found ({@link RowIsolation}); false inside an enclosing transaction
   * @param provisional the failures that do not count towards {@code maxFailures}: those the caller
   *     tries again once every chunk is written
   */
  ApplyResult apply(
      Actor actor,
      String planId,
      String operation,
      Parts parts,
      long total,
      BiFunction<UnitOfWork, User, Step> transform,
      BulkListener listener,
      int maxFailures,
      boolean isolate,
      java.util.function.Predicate<Problem> provisional) {
    List<UserId> changed = new ArrayList<>();
    List<UserId> done = new ArrayList<>();
    Map<UserId, Problem> failed = new LinkedHashMap<>();
    List<String> changeSets = new ArrayList<>();
    long applied = 0;
    int counted = 0;
    try (ReadAhead ahead = ReadAhead.open(services.stores(), actor.tenant())) {
      while (counted <= maxFailures && parts.hasNext()) {
        List<PlannedUser> part = parts.next();
        // this chunk's users as read while the chunk before was written; the next chunk's read
        // meanwhile
        Optional<Map<UserId, User>> early = ahead.take(part);
        ahead.start(parts.upcoming());
        Optional<ChunkResult> written =
            early.flatMap(
                users -> writeAsReadAhead(actor, planId, operation, part, users, transform));
        List<ChunkResult> results =
            written.isPresent()
                ? List.of(written.get())
                : RowIsolation.write(
                    services.stores().transactions(),
                    isolate,
                    part,
                    PlannedUser::id,
                    some -> applyChunk(actor, planId, operation, some, transform),
                    failed);
        for (ChunkResult r : results) {
          changed.addAll(r.changed());
          done.addAll(r.done());
          failed.putAll(r.failed());
          counted += (int) r.failed().values().stream().filter(provisional.negate()).count();
          r.changeSet().ifPresent(changeSets::add);
        }
        applied += part.size();
        listener.progress("apply", applied, total);
      }
    }
    return new ApplyResult(planId, changed, done, failed, changeSets);
  }

  /**
   * The chunk written from its users as read ahead, in a transaction of its own, when every one of
   * them is to be written; empty, with nothing written, when one is not (gone, already done,
   * refused, changed since the plan, denied: outcomes that no write checks, so they are told again
   * from the users read inside the transaction) or when the store refuses the write (a user changed
   * since the read fails its version check, or a rule refuses what the read made of a user). The
   * chunk is then applied as if nothing had been read ahead. A database unavailable (a lost
   * connection, a lock waited out) fails the chunk as it does then.
   */
  private Optional<ChunkResult> writeAsReadAhead(
      Actor actor,
      String planId,
      String operation,
      List<PlannedUser> part,
      Map<UserId, User> users,
      BiFunction<UnitOfWork, User, Step> transform) {
    try {
      return services
          .stores()
          .transactions()
          .inTransaction(
              () -> {
                UnitOfWork w =
                    services.unit(actor, operation, EditChannel.FILE, Optional.of(planId));
                Outcomes o = decide(w, part, users, transform);
                return o.done.isEmpty() && o.failed.isEmpty()
                    ? Optional.of(o.write(w))
                    : Optional.<ChunkResult>empty();
              });
    } catch (StoreException e) {
      if (e.code() != ErrorCode.STORE_UNAVAILABLE) {
        return Optional.empty();
      }
      // the database, not what was read: the chunk fails whole, as row isolation fails it when
      // nothing was read ahead, and is not tried again (its commit may have been lost)
      Map<UserId, Problem> all = new LinkedHashMap<>();
      part.forEach(p -> all.put(p.id(), e.problems().get(0)));
      return Optional.of(new ChunkResult(List.of(), List.of(), all, Optional.empty()));
    } catch (UserMgmtException e) {
      return Optional.empty();
    }
  }

  /** A chunk applied to its users as read in its transaction. */
  private ChunkResult applyChunk(
      Actor actor,
      String planId,
      String operation,
      List<PlannedUser> part,
      BiFunction<UnitOfWork, User, Step> transform) {
    UnitOfWork w = services.unit(actor, operation, EditChannel.FILE, Optional.of(planId));
    Map<UserId, User> current =
        services
            .stores()
            .users()
            .getAll(w.actor().tenant(), part.stream().map(PlannedUser::id).toList());
    return decide(w, part, current, transform).write(w);
  }

  /** What a chunk does to each of its users, before anything is written. */
  private final class Outcomes {
    final List<User> before = new ArrayList<>();
    final List<User> after = new ArrayList<>();
    final List<List<FieldDiff>> diffs = new ArrayList<>();
    final List<User> deletes = new ArrayList<>();
    final List<UserId> changed = new ArrayList<>();
    final List<UserId> done = new ArrayList<>();
    final Map<UserId, Problem> failed = new LinkedHashMap<>();
    int seats;

    /** Writes the changes and deletions, within the seat limit, and commits the unit. */
    ChunkResult write(UnitOfWork w) {
      if (seats > 0) {
        services.requireSeats(w.actor().tenant(), seats);
      }
      w.update(before, after, diffs);
      w.delete(deletes);
      return new ChunkResult(changed, done, failed, w.commit().map(ChangeSet::id));
    }
  }

  /** The outcome for each planned user of a chunk, given the users as stored ({@code current}). */
  private Outcomes decide(
      UnitOfWork w,
      List<PlannedUser> part,
      Map<UserId, User> current,
      BiFunction<UnitOfWork, User, Step> transform) {
    Outcomes o = new Outcomes();
    for (PlannedUser p : part) {
      User u = current.get(p.id());
      if (u == null) {
        o.failed.put(p.id(), gone(p.id()));
        continue;
      }
      Step s = transform.apply(w, u);
      // the diffs the change set records, worked out once; none is no change
      List<FieldDiff> d =
          s.kind() == Kind.CHANGE ? Diffs.between(u, s.after().orElseThrow()) : List.of();
      if (s.kind() == Kind.NO_OP || (s.kind() == Kind.CHANGE && d.isEmpty())) {
        o.done.add(p.id());
      } else if (s.kind() == Kind.REFUSE) {
        o.failed.put(p.id(), s.problem().orElseThrow());
      } else if (u.version() != p.version()) {
        o.failed.put(p.id(), stale(p, u));
      } else {
        Optional<User> a = s.after();
        Decision may = w.check(Optional.of(u), a);
        if (!may.allowed()) {
          o.failed.put(p.id(), denied(may));
        } else if (a.isEmpty()) {
          o.deletes.add(u);
          o.changed.add(p.id());
        } else {
          if (!u.status().occupiesSeat() && a.get().status().occupiesSeat()) {
            o.seats++;
          }
          o.before.add(u);
          o.after.add(a.get());
          o.diffs.add(d);
          o.changed.add(p.id());
        }
      }
    }
    return o;
  }

  static Problem denied(Decision d) {
    return Problem.of(
        ErrorCode.ACCESS_DENIED, d.reason().map(r -> r.id() + ": ").orElse("") + d.message());
  }

  static Problem gone(UserId id) {
    return Problem.ofField(ErrorCode.USER_NOT_FOUND, "id", "user " + id + " no longer exists");
  }

  static Problem stale(PlannedUser p, User u) {
    return Problem.ofField(
        ErrorCode.STALE_PLAN,
        "version",
        "user "
            + p.id()
            + " changed since the plan (version "
            + p.version()
            + " → "
            + u.version()
            + "); not overwritten");
  }
}
