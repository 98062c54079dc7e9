package dev.usermgmt.bulk;

import dev.usermgmt.Action;
import dev.usermgmt.Decision;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.Problem;
import dev.usermgmt.UserId;
import dev.usermgmt.UserMgmtException;
import dev.usermgmt.access.Actor;
import dev.usermgmt.access.EditChannel;
import dev.usermgmt.audit.ChangeSet;
import dev.usermgmt.audit.FieldDiff;
import dev.usermgmt.audit.internal.Diffs;
import dev.usermgmt.bulk.Chunks.ChunkResult;
import dev.usermgmt.internal.service.Services;
import dev.usermgmt.internal.service.UnitOfWork;
import dev.usermgmt.user.Transition;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserLifecycle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies an action file plan in file order: adds create, removes deactivate then delete, updates
 * change the names; each write judged by the access policy with the actor's rights at that moment.
 */
final class ActionApplier {
  private final Services services;
  private final Chunks chunks;

  ActionApplier(Services services, Chunks chunks) {
    this.services = services;
    this.chunks = chunks;
  }

  ApplyResult apply(Actor actor, ActionImportPlan plan, BulkListener listener) {
    services.seals().verify(plan, plan.seal());
    Engine.requireTenant(actor, plan.tenant());
    services.require(services.current(actor), Action.IMPORT_ACTIONS);
    List<ActionImportPlan.Row> work =
        plan.rows().stream()
            .filter(
                r ->
                    r.kind() == ActionImportPlan.Kind.ADD
                        || r.kind() == ActionImportPlan.Kind.REMOVE
                        || r.kind() == ActionImportPlan.Kind.UPDATE)
            .toList();
    List<UserId> changed = new ArrayList<>();
    List<UserId> done = new ArrayList<>();
    Map<UserId, Problem> failed = new LinkedHashMap<>();
    List<String> changeSets = new ArrayList<>();
    int size = chunks.size();
    for (int i = 0; i < work.size(); i += size) {
      List<ActionImportPlan.Row> part = work.subList(i, Math.min(work.size(), i + size));
      try {
        ChunkResult r =
            services
                .stores()
                .transactions()
                .inTransaction(() -> applyChunk(actor, plan.id(), part));
        changed.addAll(r.changed());
        done.addAll(r.done());
        failed.putAll(r.failed());
        r.changeSet().ifPresent(changeSets::add);
      } catch (UserMgmtException e) {
        part.forEach(
            row ->
                row.userId().ifPresent(id -> failed.put(id, e.problems().get(0).atRow(row.row()))));
      }
      listener.progress("apply", Math.min(work.size(), i + size), work.size());
    }
    return new ApplyResult(plan.id(), changed, done, failed, changeSets);
  }

  /** The rows of one chunk, over the users as they are now. */
  private ChunkResult applyChunk(Actor actor, String planId, List<ActionImportPlan.Row> rows) {
    UnitOfWork w = services.unit(actor, "bulk.import", EditChannel.FILE, Optional.of(planId));
    Map<UserId, User> current =
        new LinkedHashMap<>(
            services
                .stores()
                .users()
                .getAll(
                    w.actor().tenant(),
                    rows.stream().flatMap(r -> r.userId().stream()).distinct().toList()));
    List<UserId> changed = new ArrayList<>();
    List<UserId> done = new ArrayList<>();
    Map<UserId, Problem> failed = new LinkedHashMap<>();
    for (ActionImportPlan.Row row : rows) {
      UserId id = row.userId().orElseThrow();
      User u = current.get(id);
      boolean stale = u != null && row.version().isPresent() && u.version() != row.version().get();
      Optional<Problem> problem =
          switch (row.kind()) {
            case ADD -> add(w, row, u, current, changed, done);
            case UPDATE -> update(w, row, u, stale, current, changed, done);
            default -> remove(w, row, u, stale, current, changed, done);
          };
      problem.ifPresent(p -> failed.put(id, p));
    }
    return new ChunkResult(changed, done, failed, w.commit().map(ChangeSet::id));
  }

  private Optional<Problem> add(
      UnitOfWork w,
      ActionImportPlan.Row row,
      @org.jspecify.annotations.Nullable User u,
      Map<UserId, User> current,
      List<UserId> changed,
      List<UserId> done) {
    UserId id = row.userId().orElseThrow();
    if (u != null) {
      done.add(id);
      return Optional.empty();
    }
    User created =
        Diffs.rebuild(w.actor().tenant(), id, row.diffs(), false, 1, w.now(), services.roles());
    Decision may = w.check(Optional.empty(), Optional.of(created));
    if (!may.allowed()) {
      return Optional.of(denied(row, may));
    }
    w.insert(List.of(created));
    current.put(id, created);
    changed.add(id);
    return Optional.empty();
  }

  private Optional<Problem> update(
      UnitOfWork w,
      ActionImportPlan.Row row,
      @org.jspecify.annotations.Nullable User u,
      boolean stale,
      Map<UserId, User> current,
      List<UserId> changed,
      List<UserId> done) {
    UserId id = row.userId().orElseThrow();
    if (u == null) {
      return Optional.of(
          Problem.builder()
              .code(ErrorCode.USER_NOT_FOUND)
              .row(row.row())
              .message("user " + row.username() + " no longer exists")
              .build());
    }
    User after = Diffs.apply(u, row.diffs(), false, services.roles(), w.now());
    List<FieldDiff> diffs = Diffs.between(u, after);
    if (diffs.isEmpty()) {
      done.add(id);
      return Optional.empty();
    }
    if (stale) {
      return Optional.of(stalePlan(row, "not overwritten"));
    }
    Decision may = w.check(Optional.of(u), Optional.of(after));
    if (!may.allowed()) {
      return Optional.of(denied(row, may));
    }
    current.put(id, w.update(u, after, diffs));
    changed.add(id);
    return Optional.empty();
  }

  private Optional<Problem> remove(
      UnitOfWork w,
      ActionImportPlan.Row row,
      @org.jspecify.annotations.Nullable User u,
      boolean stale,
      Map<UserId, User> current,
      List<UserId> changed,
      List<UserId> done) {
    UserId id = row.userId().orElseThrow();
    if (u == null) {
      done.add(id);
      return Optional.empty();
    }
    if (stale) {
      return Optional.of(stalePlan(row, "not removed"));
    }
    Decision may = w.check(Optional.of(u), Optional.empty());
    if (!may.allowed()) {
      return Optional.of(denied(row, may));
    }
    User last = u;
    if (!u.status().isInactive()) {
      User deactivated =
          UserLifecycle.apply(u, Transition.DEACTIVATE, w.now(), Optional.empty()).orElseThrow();
      Decision deactivate = w.check(Optional.of(u), Optional.of(deactivated));
      if (!deactivate.allowed()) {
        return Optional.of(denied(row, deactivate));
      }
      last = w.update(u, deactivated);
    }
    w.delete(List.of(last));
    current.remove(id);
    changed.add(id);
    return Optional.empty();
  }

  private static Problem denied(ActionImportPlan.Row row, Decision d) {
    return Problem.builder().from(Chunks.denied(d)).row(row.row()).build();
  }

  private static Problem stalePlan(ActionImportPlan.Row row, String outcome) {
    return Problem.builder()
        .code(ErrorCode.STALE_PLAN)
        .row(row.row())
        .message("user " + row.username() + " changed since the plan; " + outcome)
        .build();
  }
}
