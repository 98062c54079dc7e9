package dev.usermgmt.bulk;

import dev.usermgmt.Action;
import dev.usermgmt.Decision;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.UserId;
import dev.usermgmt.UserMgmtException;
import dev.usermgmt.access.Actor;
import dev.usermgmt.access.EditChannel;
import dev.usermgmt.audit.ChangeSet;
import dev.usermgmt.audit.FieldDiff;
import dev.usermgmt.audit.internal.Diffs;
import dev.usermgmt.bulk.Chunks.ChunkResult;
import dev.usermgmt.bulk.Chunks.Step;
import dev.usermgmt.internal.service.Services;
import dev.usermgmt.internal.service.UnitOfWork;
import dev.usermgmt.user.User;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Supplier;

/** Applies an update plan: the changed rows, then the rows to create, in chunks. */
final class UpdateApplier {
  private final Services services;
  private final Chunks chunks;

  UpdateApplier(Services services, Chunks chunks) {
    this.services = services;
    this.chunks = chunks;
  }

  ApplyResult apply(Actor actor, UpdatePlan plan, BulkListener listener) {
    services.seals().verify(plan, plan.seal());
    Engine.requireTenant(actor, plan.tenant());
    Actor now = services.current(actor);
    services.require(now, Action.UPDATE_FROM_FILE);
    // the changed rows are read from the previews (on disk for a big plan) a chunk at a time as
    // they are written, so that a plan of a million rows never has more than two chunks of its
    // users and their diffs in memory (the chunk written and the next, read ahead); a first pass
    // collects the rows to create and the row errors, when the plan has rows to create or the mode
    // needs its errors before it writes
    List<RowPreview> creates = new ArrayList<>();
    List<Problem> rowErrors = new ArrayList<>();
    long errorRows = 0;
    UpdateOptions.ApplyMode mode = plan.options().mode();
    UpdatePlan.Summary summary = plan.summary();
    // the progress's total: the plan's summary counts its changed rows
    long total = summary.count(RowPreview.Kind.CHANGED);
    boolean firstPass =
        mode != UpdateOptions.ApplyMode.VALID_ROWS || summary.count(RowPreview.Kind.TO_CREATE) > 0;
    for (RowPreview r : firstPass ? plan.rows() : List.<RowPreview>of()) {
      switch (r.kind()) {
        case TO_CREATE -> creates.add(r);
        case ERROR, AMBIGUOUS, DUPLICATE_KEY -> {
          errorRows += r.problems().size();
          if (mode == UpdateOptions.ApplyMode.ALL_OR_NOTHING) {
            rowErrors.addAll(r.problems());
          }
        }
        default -> {
          // unchanged and not found rows write nothing
        }
      }
    }
    if (!creates.isEmpty()) {
      services.require(now, Action.ADD_USERS);
    }
    if (mode == UpdateOptions.ApplyMode.ALL_OR_NOTHING && !rowErrors.isEmpty()) {
      throw new InvalidInputException(rowErrors);
    }
    int maxFailures =
        mode == UpdateOptions.ApplyMode.STOP_AFTER_ERRORS
            ? (int) Math.max(-1, plan.options().errorThreshold() - errorRows)
            : Integer.MAX_VALUE;
    boolean isolate = mode != UpdateOptions.ApplyMode.ALL_OR_NOTHING;
    Supplier<ApplyResult> work =
        () -> {
          // a refused manager is tried again after the file (not all or nothing), so it counts
          // as an error only then
          ApplyResult updated =
              update(
                  actor,
                  plan,
                  plan.rows().iterator(),
                  total,
                  listener,
                  maxFailures,
                  isolate,
                  p -> isolate && MANAGER_CODES.contains(p.code()));
          ApplyResult all =
              atRows(
                  plan,
                  retryManagers(
                      actor,
                      plan,
                      creates,
                      create(actor, plan, creates, updated),
                      listener,
                      maxFailures,
                      isolate));
          if (mode == UpdateOptions.ApplyMode.ALL_OR_NOTHING && !all.failed().isEmpty()) {
            throw UserMgmtException.of(List.copyOf(all.failed().values()));
          }
          return all;
        };
    return mode == UpdateOptions.ApplyMode.ALL_OR_NOTHING
        ? services.stores().transactions().inTransaction(work)
        : work.get();
  }

  /** The changed rows among {@code rows}, written a chunk at a time. */
  private ApplyResult update(
      Actor actor,
      UpdatePlan plan,
      Iterator<RowPreview> rows,
      long total,
      BulkListener listener,
      int maxFailures,
      boolean isolate,
      java.util.function.Predicate<Problem> provisional) {
    ChangedChunks parts = new ChangedChunks(rows, chunks.size());
    return chunks.apply(
        actor,
        plan.id(),
        "bulk.update",
        parts,
        total,
        (w, current) -> {
          if (plan.options().allowConfusableEmails()) {
            w.allowConfusableEmails();
          }
          // stamped as the unit writes it, so that it is built and checked once
          return Step.change(
              Diffs.apply(current, parts.diffs(current.id()), false, services.roles(), w.now()));
        },
        listener,
        maxFailures,
        isolate,
        provisional);
  }

  /** The refusals of a manager a row sets that a later row of the same file may resolve. */
  private static final java.util.Set<ErrorCode> MANAGER_CODES =
      java.util.EnumSet.of(ErrorCode.MANAGER_CYCLE, ErrorCode.UNKNOWN_MANAGER);

  /**
   * The rows refused because the manager they set closed a cycle or did not exist, tried once more
   * after the rest of the file. Every chunk is checked as it commits, over the users as they are
   * then, so no committed state holds a cycle or a missing manager; but a file reorganising
   * managers across chunks passes through such a state on the way (u0 put under u1 while u1 is
   * under u0 until a later chunk moves u1), and a new user's manager may be created by a later row.
   * After the file, such a row is judged against what the file has made.
   */
  private ApplyResult retryManagers(
      Actor actor,
      UpdatePlan plan,
      List<RowPreview> creates,
      ApplyResult first,
      BulkListener listener,
      int maxFailures,
      boolean isolate) {
    java.util.Set<UserId> retry = new java.util.HashSet<>();
    first
        .failed()
        .forEach(
            (id, p) -> {
              if (MANAGER_CODES.contains(p.code())) {
                retry.add(id);
              }
            });
    if (retry.isEmpty() || !isolate) {
      // all or nothing: the file is one transaction, which a refused row refuses whole (a retry
      // there would find the refused chunk's writes in it, with no change set)
      return first;
    }
    Map<UserId, Problem> failed = new LinkedHashMap<>(first.failed());
    failed.keySet().removeAll(retry);
    Iterator<RowPreview> rows =
        java.util.stream.StreamSupport.stream(plan.rows().spliterator(), false)
            .filter(r -> r.user().map(u -> retry.contains(u.id())).orElse(false))
            .iterator();
    // what is left of the errors allowed, after those that are errors already
    int left = maxFailures == Integer.MAX_VALUE ? maxFailures : maxFailures - failed.size();
    if (left < 0) {
      // the file was stopped: its refusals stand
      return first;
    }
    ApplyResult again =
        update(actor, plan, rows, retry.size(), listener, left, isolate, p -> false);
    List<UserId> changed = new ArrayList<>(first.changed());
    changed.addAll(again.changed());
    List<UserId> done = new ArrayList<>(first.alreadyDone());
    done.addAll(again.alreadyDone());
    failed.putAll(again.failed());
    List<String> changeSets = new ArrayList<>(first.changeSetIds());
    changeSets.addAll(again.changeSetIds());
    return create(
        actor,
        plan,
        creates.stream().filter(r -> retry.contains(r.user().orElseThrow().id())).toList(),
        new ApplyResult(plan.id(), changed, done, failed, changeSets));
  }

  private ApplyResult create(
      Actor actor, UpdatePlan plan, List<RowPreview> creates, ApplyResult updated) {
    List<UserId> changed = new ArrayList<>(updated.changed());
    List<UserId> done = new ArrayList<>(updated.alreadyDone());
    Map<UserId, Problem> failed = new LinkedHashMap<>(updated.failed());
    List<String> changeSets = new ArrayList<>(updated.changeSetIds());
    for (int i = 0; i < creates.size(); i += chunks.size()) {
      List<RowPreview> part = creates.subList(i, Math.min(creates.size(), i + chunks.size()));
      List<User> users = new ArrayList<>();
      for (RowPreview r : part) {
        PlannedUser p = r.user().orElseThrow();
        users.add(
            Diffs.rebuild(
                actor.tenant(),
                p.id(),
                r.diffs(),
                false,
                1,
                services.clock().instant(),
                services.roles()));
      }
      for (ChunkResult r :
          RowIsolation.write(
              services.stores().transactions(),
              plan.options().mode() != UpdateOptions.ApplyMode.ALL_OR_NOTHING,
              users,
              User::id,
              some -> createChunk(actor, plan, some),
              failed)) {
        changed.addAll(r.changed());
        done.addAll(r.done());
        failed.putAll(r.failed());
        r.changeSet().ifPresent(changeSets::add);
      }
    }
    return new ApplyResult(plan.id(), changed, done, failed, changeSets);
  }

  /**
   * The changed rows of a plan a chunk at a time, in file order, and the diffs of the chunk last
   * read.
   */
  private static final class ChangedChunks implements Chunks.Parts {
    private final Iterator<RowPreview> rows;
    private final int size;
    private List<PlannedUser> next = List.of();
    private Map<UserId, List<FieldDiff>> diffs = Map.of();
    private Map<UserId, List<FieldDiff>> nextDiffs = Map.of();

    ChangedChunks(Iterator<RowPreview> rows, int size) {
      this.rows = rows;
      this.size = size;
    }

    @Override
    public boolean hasNext() {
      if (next.isEmpty()) {
        List<PlannedUser> part = new ArrayList<>(size);
        Map<UserId, List<FieldDiff>> partDiffs = new HashMap<>();
        while (part.size() < size && rows.hasNext()) {
          RowPreview r = rows.next();
          if (r.kind() == RowPreview.Kind.CHANGED && r.user().isPresent()) {
            part.add(r.user().get());
            partDiffs.put(r.user().get().id(), r.diffs());
          }
        }
        next = part;
        nextDiffs = partDiffs;
      }
      return !next.isEmpty();
    }

    @Override
    public List<PlannedUser> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      List<PlannedUser> part = next;
      diffs = nextDiffs;
      next = List.of();
      nextDiffs = Map.of();
      return part;
    }

    @Override
    public List<PlannedUser> upcoming() {
      return hasNext() ? next : List.of();
    }

    /** The planned diffs of a user of the chunk last read. */
    List<FieldDiff> diffs(UserId id) {
      return diffs.getOrDefault(id, List.of());
    }
  }

  /**
   * The failures placed at the rows of the file that planned them (the plan read again for the
   * failed users only).
   */
  private static ApplyResult atRows(UpdatePlan plan, ApplyResult result) {
    if (result.failed().isEmpty()) {
      return result;
    }
    Map<UserId, Long> rows = new HashMap<>();
    for (RowPreview r : plan.rows()) {
      r.user()
          .filter(u -> result.failed().containsKey(u.id()))
          .ifPresent(u -> rows.putIfAbsent(u.id(), r.row()));
    }
    Map<UserId, Problem> failed = new LinkedHashMap<>();
    result
        .failed()
        .forEach(
            (id, p) -> {
              Long row = rows.get(id);
              failed.put(id, row == null || p.row().isPresent() ? p : p.atRow(row));
            });
    return new ApplyResult(
        result.planId(), result.changed(), result.alreadyDone(), failed, result.changeSetIds());
  }

  private ChunkResult createChunk(Actor actor, UpdatePlan plan, List<User> users) {
    UnitOfWork w = services.unit(actor, "bulk.create", EditChannel.FILE, Optional.of(plan.id()));
    if (plan.options().allowConfusableEmails()) {
      w.allowConfusableEmails();
    }
    Map<UserId, User> existing =
        services.stores().users().getAll(w.actor().tenant(), users.stream().map(User::id).toList());
    List<User> fresh = new ArrayList<>();
    Map<UserId, Problem> failed = new LinkedHashMap<>();
    for (User u : users) {
      if (existing.containsKey(u.id())) {
        continue;
      }
      Decision may = w.check(Optional.empty(), Optional.of(u));
      if (may.allowed()) {
        fresh.add(u);
      } else {
        failed.put(u.id(), Chunks.denied(may));
      }
    }
    int seats = (int) fresh.stream().filter(u -> u.status().occupiesSeat()).count();
    if (seats > 0) {
      services.requireSeats(w.actor().tenant(), seats);
    }
    w.insert(fresh);
    return new ChunkResult(
        fresh.stream().map(User::id).toList(),
        List.copyOf(existing.keySet()),
        failed,
        w.commit().map(ChangeSet::id));
  }
}
