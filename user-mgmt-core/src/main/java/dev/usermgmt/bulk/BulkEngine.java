package dev.usermgmt.bulk;

import dev.usermgmt.Action;
import dev.usermgmt.ConflictException;
import dev.usermgmt.Decision;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.UserMgmtException;
import dev.usermgmt.access.Actor;
import dev.usermgmt.audit.ChangeSet;
import dev.usermgmt.directory.InvitationResult;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.internal.Batches;
import dev.usermgmt.internal.service.UnitOfWork;
import dev.usermgmt.query.UserQuery;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.tenant.TenantSettings;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.PasswordState;
import dev.usermgmt.user.Transition;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserLifecycle;
import dev.usermgmt.user.UserStatus;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Bulk work in two steps: {@code plan…} reads only and returns an immutable plan that records the
 * version of every user it looked at; {@code apply…} re-checks the actor's rights, refuses users
 * changed since the plan (reported, never overwritten), writes in chunks — each chunk one
 * transaction with its own change set correlated to the plan —, and returns what it did. Applying a
 * plan twice changes nothing the second time; {@link #undo} reverses an apply.
 *
 * <p>Lookups are batched: one store call per chunk of keys.
 */
public final class BulkEngine {
  private final UserDirectory directory;
  private final Stores stores;
  private final BulkLimits limits;
  private final SecureRandom random;

  private BulkEngine(UserDirectory directory, BulkLimits limits, SecureRandom random) {
    this.directory = directory;
    this.stores = directory.stores();
    this.limits = limits;
    this.random = random;
  }

  /**
   * An engine over a directory with the reference limits.
   *
   * @param directory the directory (its stores, policy, clock and settings)
   * @return the engine
   */
  public static BulkEngine of(UserDirectory directory) {
    return new BulkEngine(directory, BulkLimits.DEFAULT, new SecureRandom());
  }

  /**
   * An engine with other limits.
   *
   * @param directory the directory
   * @param limits the limits
   * @return the engine
   */
  public static BulkEngine of(UserDirectory directory, BulkLimits limits) {
    return new BulkEngine(directory, limits, new SecureRandom());
  }

  private int chunk() {
    return Math.max(1, Math.min(limits.chunkSize(), stores.users().maxBatchSize()));
  }

  private String newId() {
    return UserId.random(random).value();
  }

  private void require(Actor actor, Action action) {
    directory.decide(actor, action).orThrow();
  }

  // ============================================================================ deactivation

  /**
   * Plans "Deactivate Users from Excel/CSV": matches the addresses case-insensitively on primary
   * e-mail and groups them as the reference dry run does.
   *
   * @param actor who acts; needs {@link Action#DEACTIVATE_FROM_FILE}
   * @param request the addresses and whether internal addresses are allowed
   * @param listener progress
   * @return the plan
   * @throws InvalidInputException with {@link ErrorCode#TOO_FEW_ITEMS} or {@link
   *     ErrorCode#LIMIT_EXCEEDED} outside the limits
   */
  public DeactivationPlan planDeactivation(
      Actor actor, DeactivationRequest request, BulkListener listener) {
    require(actor, Action.DEACTIVATE_FROM_FILE);
    List<String> given = request.emails().stream().filter(e -> !e.isBlank()).toList();
    if (given.size() < limits.minEmails()) {
      throw new InvalidInputException(
          Problem.ofField(
              ErrorCode.TOO_FEW_ITEMS,
              "emails",
              "the file has no e-mail address; at least " + limits.minEmails() + " is needed"));
    }
    if (given.size() > limits.maxEmails()) {
      throw new InvalidInputException(
          Problem.ofField(
              ErrorCode.LIMIT_EXCEEDED,
              "emails",
              "the file has "
                  + given.size()
                  + " e-mail addresses; at most "
                  + limits.maxEmails()
                  + " are allowed"));
    }
    TenantSettings settings = directory.settings(actor.tenant());
    List<String> invalid = new ArrayList<>();
    List<String> excluded = new ArrayList<>();
    Map<String, EmailAddress> distinct = new LinkedHashMap<>();
    for (String text : given) {
      Optional<EmailAddress> e = EmailAddress.tryParse(text);
      if (e.isEmpty()) {
        invalid.add(text);
      } else if (!distinct.containsKey(e.get().key()) && !excluded.contains(e.get().value())) {
        if (!request.allowInternalEmails() && internal(e.get(), settings)) {
          excluded.add(e.get().value());
        } else {
          distinct.put(e.get().key(), e.get());
        }
      }
    }
    List<EmailAddress> emails = List.copyOf(distinct.values());
    Map<String, User> found =
        Batches.lookup(
            emails,
            chunk(),
            part -> stores.users().findByEmails(actor.tenant(), part),
            (done, total) -> listener.progress("lookup", done, total));
    Partition p = partition(emails, e -> found.get(e.key()), EmailAddress::value);
    return new DeactivationPlan(
        newId(),
        actor.tenant(),
        directory.clock().instant(),
        p.active(),
        p.inactive(),
        p.notFound(),
        invalid,
        excluded);
  }

  private static boolean internal(EmailAddress e, TenantSettings settings) {
    String domain = e.domain();
    for (String d : settings.internalEmailDomains()) {
      String internal = d.toLowerCase(Locale.ROOT);
      if (domain.equals(internal) || domain.endsWith("." + internal)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Applies a deactivation plan: each planned user still at the planned version is deactivated
   * exactly as the single-user action does (sign-in blocked, data kept, effective role Blocked). No
   * deletes, no ownership transfer, no role change.
   *
   * @param actor who acts; needs {@link Action#DEACTIVATE_FROM_FILE}
   * @param plan the plan
   * @param listener progress
   * @return the reference result: deactivated count and failed e-mails
   */
  public DeactivationResult applyDeactivation(
      Actor actor, DeactivationPlan plan, BulkListener listener) {
    require(actor, Action.DEACTIVATE_FROM_FILE);
    requireTenant(actor, plan.tenant());
    ApplyResult r =
        applyChanges(
            actor,
            plan.id(),
            "bulk.deactivate",
            plan.toDeactivate(),
            current ->
                lifecycle(
                    actor, current, Transition.DEACTIVATE, Optional.empty(), Optional.empty()),
            listener);
    List<String> failedEmails = new ArrayList<>();
    for (PlannedUser p : plan.toDeactivate()) {
      if (r.failed().containsKey(p.id())) {
        failedEmails.add(p.primaryEmail().orElse(p.id().value()));
      }
    }
    return new DeactivationResult(plan, r.changed().size(), failedEmails, r.changeSetIds());
  }

  /** Keys sorted into users that are inactive, users that are not, and keys no user has. */
  private record Partition(
      List<PlannedUser> inactive, List<PlannedUser> active, List<String> notFound) {}

  private static <K> Partition partition(
      List<K> keys,
      Function<K, @org.jspecify.annotations.Nullable User> find,
      Function<K, String> label) {
    List<PlannedUser> inactive = new ArrayList<>();
    List<PlannedUser> active = new ArrayList<>();
    List<String> notFound = new ArrayList<>();
    for (K k : keys) {
      User u = find.apply(k);
      if (u == null) {
        notFound.add(label.apply(k));
      } else if (u.status().isInactive()) {
        inactive.add(PlannedUser.of(u));
      } else {
        active.add(PlannedUser.of(u));
      }
    }
    return new Partition(inactive, active, notFound);
  }

  // ============================================================================ deletion

  /**
   * Plans "Bulk Delete Users" from a list of ids.
   *
   * @param actor who acts; needs {@link Action#BULK_DELETE}
   * @param ids the ids
   * @param deactivateFirst whether active users are deactivated and deleted too
   * @return the plan
   */
  public DeletionPlan planDeletion(Actor actor, List<UserId> ids, boolean deactivateFirst) {
    require(actor, Action.BULK_DELETE);
    List<UserId> distinct = List.copyOf(new LinkedHashSet<>(ids));
    Map<UserId, User> found = lookup(actor.tenant(), distinct, BulkListener.NONE);
    Partition p = partition(distinct, found::get, UserId::value);
    return new DeletionPlan(
        newId(),
        actor.tenant(),
        directory.clock().instant(),
        p.inactive(),
        p.active(),
        p.notFound(),
        deactivateFirst);
  }

  /**
   * Applies a deletion plan.
   *
   * @param actor who acts; needs {@link Action#BULK_DELETE}
   * @param plan the plan
   * @param listener progress
   * @return what was done
   */
  public ApplyResult applyDeletion(Actor actor, DeletionPlan plan, BulkListener listener) {
    require(actor, Action.BULK_DELETE);
    requireTenant(actor, plan.tenant());
    List<PlannedUser> targets = new ArrayList<>(plan.toDelete());
    if (plan.deactivateFirst()) {
      targets.addAll(plan.stillActive());
    }
    return applyChanges(
        actor,
        plan.id(),
        "bulk.delete",
        targets,
        current -> {
          if (current.status().isInactive() || plan.deactivateFirst()) {
            return Step.delete();
          }
          return Step.refuse(ErrorCode.ILLEGAL_TRANSITION, "only deactivated users are deleted");
        },
        listener);
  }

  // ============================================================================ selection

  /**
   * Plans an action over checked rows.
   *
   * @param actor who acts; needs the action's permission
   * @param ids the selected users
   * @param spec the action
   * @param listener progress
   * @return the plan, with an outcome per user
   */
  public SelectionPlan planSelection(
      Actor actor, List<UserId> ids, ActionSpec spec, BulkListener listener) {
    require(actor, spec.action().permission());
    checkParameters(actor.tenant(), spec);
    List<UserId> distinct = List.copyOf(new LinkedHashSet<>(ids));
    Map<UserId, User> found = lookup(actor.tenant(), distinct, listener);
    List<SelectionPlan.Outcome> outcomes = new ArrayList<>();
    List<String> notFound = new ArrayList<>();
    for (UserId id : distinct) {
      User u = found.get(id);
      if (u == null) {
        notFound.add(id.value());
        continue;
      }
      Step s = step(actor, u, spec);
      SelectionPlan.Kind kind =
          switch (s.kind()) {
            case NO_OP -> SelectionPlan.Kind.NO_OP;
            case REFUSE -> SelectionPlan.Kind.REFUSED;
            default -> SelectionPlan.Kind.WILL_CHANGE;
          };
      outcomes.add(
          new SelectionPlan.Outcome(PlannedUser.of(u), kind, s.problem().map(Problem::message)));
    }
    return new SelectionPlan(
        newId(), actor.tenant(), directory.clock().instant(), spec, outcomes, notFound);
  }

  /**
   * Plans an action over a whole filtered view.
   *
   * @param actor who acts
   * @param view the view
   * @param spec the action
   * @param listener progress
   * @return the plan
   */
  public SelectionPlan planSelection(
      Actor actor, UserQuery view, ActionSpec spec, BulkListener listener) {
    List<UserId> ids = new ArrayList<>();
    directory.walk(actor, view, page -> page.forEach(u -> ids.add(u.id())));
    return planSelection(actor, ids, spec, listener);
  }

  /**
   * Applies a selection plan to the users it said will change.
   *
   * @param actor who acts
   * @param plan the plan
   * @param listener progress
   * @return what was done
   */
  public ApplyResult applySelection(Actor actor, SelectionPlan plan, BulkListener listener) {
    require(actor, plan.action().action().permission());
    requireTenant(actor, plan.tenant());
    return applyChanges(
        actor,
        plan.id(),
        "bulk." + plan.action().action().name().toLowerCase(Locale.ROOT),
        plan.changing(),
        current -> step(actor, current, plan.action()),
        listener);
  }

  private void checkParameters(TenantId tenant, ActionSpec spec) {
    if (spec.group().isPresent() && stores.groups().get(tenant, spec.group().get()).isEmpty()) {
      throw new InvalidInputException(
          Problem.ofField(
              ErrorCode.UNKNOWN_GROUP, "group", "no group '" + spec.group().get() + "'"));
    }
    Set<String> unknown = new TreeSet<>(spec.modules());
    unknown.removeAll(directory.settings(tenant).modules());
    if (!unknown.isEmpty()) {
      throw new InvalidInputException(
          Problem.ofField(ErrorCode.UNKNOWN_MODULE, "modules", "unknown modules " + unknown));
    }
  }

  private Step step(Actor actor, User u, ActionSpec spec) {
    Optional<Instant> at = spec.at();
    return switch (spec.action()) {
      case ACTIVATE -> lifecycle(actor, u, Transition.ACTIVATE, at, Optional.of(UserStatus.ACTIVE));
      case SCHEDULE_ACTIVATION ->
          u.activationScheduledAt().equals(at)
              ? Step.noOp()
              : lifecycle(actor, u, Transition.SCHEDULE_ACTIVATION, at, Optional.empty());
      case SUSPEND ->
          lifecycle(actor, u, Transition.SUSPEND, at, Optional.of(UserStatus.SUSPENDED));
      case UNSUSPEND ->
          lifecycle(actor, u, Transition.UNSUSPEND, at, Optional.of(UserStatus.ACTIVE));
      case DEACTIVATE -> lifecycle(actor, u, Transition.DEACTIVATE, at, Optional.empty());
      case REACTIVATE ->
          lifecycle(actor, u, Transition.REACTIVATE, at, Optional.of(UserStatus.ACTIVE));
      case DELETE -> lifecycle(actor, u, Transition.DELETE, at, Optional.empty());
      default -> field(actor, u, spec);
    };
  }

  /** A lifecycle move; a no-op when the user is already where the move leads. */
  private Step lifecycle(
      Actor actor, User u, Transition t, Optional<Instant> at, Optional<UserStatus> target) {
    if (target.isPresent() && u.status() == target.get()) {
      return Step.noOp();
    }
    if (t == Transition.DEACTIVATE && u.status().isInactive()) {
      return Step.noOp();
    }
    Action permission =
        switch (t) {
          case DEACTIVATE -> Action.DEACTIVATE_USER;
          case REACTIVATE -> Action.REACTIVATE_USER;
          case DELETE -> Action.DELETE_USER;
          case SUSPEND, UNSUSPEND -> Action.SUSPEND;
          case SCHEDULE_ACTIVATION -> Action.SCHEDULE_ACTIVATION;
          default -> Action.ACTIVATE;
        };
    Optional<Step> refused = refused(actor, u, permission);
    if (refused.isPresent()) {
      return refused.get();
    }
    if (actor.userId().equals(Optional.of(u.id()))
        && (t == Transition.DEACTIVATE || t == Transition.SUSPEND || t == Transition.DELETE)) {
      return Step.refuse(
          ErrorCode.ILLEGAL_TRANSITION,
          "you cannot " + t.name().toLowerCase(Locale.ROOT) + " yourself");
    }
    if (!UserLifecycle.isAllowed(u.status(), t)) {
      return Step.refuse(
          ErrorCode.ILLEGAL_TRANSITION,
          "cannot " + t.name().toLowerCase(Locale.ROOT) + " a user whose status is " + u.status());
    }
    Optional<User> after = UserLifecycle.apply(u, t, directory.clock().instant(), at);
    return after.map(Step::change).orElseGet(Step::delete);
  }

  private Optional<Step> refused(Actor actor, User u, Action permission) {
    if (actor.supportLevel() >= 2 && !actor.userId().equals(Optional.of(u.id()))) {
      // vendor support acts on any user of the tenant (its gate was checked for the whole plan)
      return Optional.empty();
    }
    Decision d = directory.decideOnLoaded(actor, permission, u);
    return d.allowed()
        ? Optional.empty()
        : Optional.of(Step.refuse(ErrorCode.ACCESS_DENIED, d.message()));
  }

  private Step field(Actor actor, User u, ActionSpec spec) {
    Optional<Step> refused = refused(actor, u, spec.action().permission());
    if (refused.isPresent()) {
      return refused.get();
    }
    User after =
        switch (spec.action()) {
          case ADD_TO_GROUP -> u.toBuilder().addGroups(spec.group().orElseThrow()).build();
          case REMOVE_FROM_GROUP -> {
            Set<String> groups = new TreeSet<>(u.groups());
            groups.remove(spec.group().orElseThrow());
            yield u.toBuilder().groups(groups).build();
          }
          case SET_MODULES -> u.toBuilder().modules(spec.modules()).build();
          case UNLOCK -> u.toBuilder().lockedOut(false).build();
          case FORCE_PASSWORD_CHANGE -> u.toBuilder().passwordState(PasswordState.EXPIRED).build();
          case REQUIRE_MFA -> u.toBuilder().mfaRequired(true).build();
          case REMOVE_MFA -> u.toBuilder().mfaRequired(false).build();
          default -> u;
        };
    return after.equals(u) ? Step.noOp() : Step.change(after);
  }

  // ============================================================================ update from rows

  /**
   * Plans "Update Users from CSV" from mapped rows: every row matched (by e-mail, employee ID or
   * id; one lookup per chunk), validated (types, roles not above the actor's, managers that exist
   * and close no cycle, unique e-mail addresses, the actor's field rules) and previewed as changed
   * (field, old → new), unchanged, error, not found, ambiguous, duplicate key or to create.
   *
   * @param actor who acts; needs {@link Action#UPDATE_FROM_FILE}
   * @param rows the rows, cells by field key
   * @param options match key, policies, blanks, creation, apply mode
   * @param listener progress
   * @return the plan
   * @throws InvalidInputException with {@link ErrorCode#UNKNOWN_COLUMN} or {@link
   *     ErrorCode#UNKNOWN_ATTRIBUTE} naming every column the file cannot set (never silently
   *     dropped)
   */
  public UpdatePlan planUpdate(
      Actor actor, List<UpdateRow> rows, UpdateOptions options, BulkListener listener) {
    require(actor, Action.UPDATE_FROM_FILE);
    List<RowPreview> previews =
        new UpdatePlanner(directory, chunk()).plan(actor, rows, options, listener);
    return new UpdatePlan(newId(), actor.tenant(), directory.clock().instant(), options, previews);
  }

  /**
   * Applies an update plan: changed rows whose user is still at the planned version, and rows to
   * create. {@link UpdateOptions.ApplyMode#ALL_OR_NOTHING} writes nothing when any row has an error
   * or any user changed since the plan; {@link UpdateOptions.ApplyMode#STOP_AFTER_ERRORS} stops
   * once the failures pass the threshold.
   *
   * @param actor who acts; needs {@link Action#UPDATE_FROM_FILE} (and {@link Action#ADD_USERS} to
   *     create)
   * @param plan the plan
   * @param listener progress
   * @return what was done; created users are among the changed
   */
  public ApplyResult applyUpdate(Actor actor, UpdatePlan plan, BulkListener listener) {
    require(actor, Action.UPDATE_FROM_FILE);
    requireTenant(actor, plan.tenant());
    List<RowPreview> creates =
        plan.rows().stream().filter(r -> r.kind() == RowPreview.Kind.TO_CREATE).toList();
    if (!creates.isEmpty()) {
      require(actor, Action.ADD_USERS);
    }
    List<Problem> rowErrors = new ArrayList<>();
    for (RowPreview r : plan.rows()) {
      if (r.kind() == RowPreview.Kind.ERROR
          || r.kind() == RowPreview.Kind.AMBIGUOUS
          || r.kind() == RowPreview.Kind.DUPLICATE_KEY) {
        rowErrors.addAll(r.problems());
      }
    }
    UpdateOptions.ApplyMode mode = plan.options().mode();
    if (mode == UpdateOptions.ApplyMode.ALL_OR_NOTHING && !rowErrors.isEmpty()) {
      throw new InvalidInputException(rowErrors);
    }
    Map<UserId, List<dev.usermgmt.audit.FieldDiff>> diffs = new LinkedHashMap<>();
    List<PlannedUser> targets = new ArrayList<>();
    for (RowPreview r : plan.rows()) {
      if (r.kind() == RowPreview.Kind.CHANGED && r.user().isPresent()) {
        targets.add(r.user().get());
        diffs.put(r.user().get().id(), r.diffs());
      }
    }
    int maxFailures =
        mode == UpdateOptions.ApplyMode.STOP_AFTER_ERRORS
            ? Math.max(-1, plan.options().errorThreshold() - rowErrors.size())
            : Integer.MAX_VALUE;
    java.util.function.Supplier<ApplyResult> work =
        () -> {
          ApplyResult updated =
              applyChanges(
                  actor,
                  plan.id(),
                  "bulk.update",
                  targets,
                  current -> {
                    User after =
                        dev.usermgmt.audit.internal.Diffs.apply(
                            current,
                            diffs.getOrDefault(current.id(), List.of()),
                            false,
                            directory.roles());
                    return dev.usermgmt.audit.internal.Diffs.between(current, after).isEmpty()
                        ? Step.noOp()
                        : Step.change(after);
                  },
                  listener,
                  maxFailures);
          ApplyResult all = create(actor, plan, creates, updated);
          if (mode == UpdateOptions.ApplyMode.ALL_OR_NOTHING && !all.failed().isEmpty()) {
            throw UserMgmtException.of(List.copyOf(all.failed().values()));
          }
          return all;
        };
    return mode == UpdateOptions.ApplyMode.ALL_OR_NOTHING
        ? stores.transactions().inTransaction(work)
        : work.get();
  }

  private ApplyResult create(
      Actor actor, UpdatePlan plan, List<RowPreview> creates, ApplyResult updated) {
    List<UserId> changed = new ArrayList<>(updated.changed());
    List<UserId> done = new ArrayList<>(updated.alreadyDone());
    Map<UserId, Problem> failed = new LinkedHashMap<>(updated.failed());
    List<String> changeSets = new ArrayList<>(updated.changeSetIds());
    for (int i = 0; i < creates.size(); i += chunk()) {
      List<RowPreview> part = creates.subList(i, Math.min(creates.size(), i + chunk()));
      List<User> users = new ArrayList<>();
      for (RowPreview r : part) {
        PlannedUser p = r.user().orElseThrow();
        users.add(
            dev.usermgmt.audit.internal.Diffs.rebuild(
                actor.tenant(),
                p.id(),
                r.diffs(),
                false,
                1,
                directory.clock().instant(),
                directory.roles()));
      }
      try {
        ChunkResult r =
            stores
                .transactions()
                .inTransaction(
                    () -> {
                      Map<UserId, User> existing =
                          stores
                              .users()
                              .getAll(actor.tenant(), users.stream().map(User::id).toList());
                      List<User> fresh =
                          users.stream().filter(u -> !existing.containsKey(u.id())).toList();
                      int seats =
                          (int) fresh.stream().filter(u -> u.status().occupiesSeat()).count();
                      if (seats > 0) {
                        directory.requireSeats(actor.tenant(), seats);
                      }
                      UnitOfWork w =
                          new UnitOfWork(
                              stores,
                              actor,
                              "bulk.create",
                              plan.id(),
                              newId(),
                              directory.clock().instant());
                      w.insert(fresh);
                      return new ChunkResult(
                          fresh.stream().map(User::id).toList(),
                          List.copyOf(existing.keySet()),
                          Map.of(),
                          w.commit().map(ChangeSet::id));
                    });
        // merged only once the chunk's transaction has committed
        changed.addAll(r.changed());
        done.addAll(r.done());
        r.changeSet().ifPresent(changeSets::add);
      } catch (UserMgmtException e) {
        users.forEach(u -> failed.put(u.id(), e.problems().get(0)));
      }
    }
    return new ApplyResult(plan.id(), changed, done, failed, changeSets);
  }

  // ============================================================================ action import

  /**
   * Plans an admin-console action file: rows of action ({@code add-user}, {@code remove-user},
   * {@code update}), username (e-mail), first name and last name, in file order. With {@code
   * headerRow} the first row is skipped; without it an unparsable first row fails with the
   * reference's message. Adding an existing user is a row error, not a silent update.
   *
   * @param actor who acts; needs {@link Action#IMPORT_ACTIONS} (and the rights of each action)
   * @param rows the file's rows, cells as text
   * @param headerRow whether the first row is a header
   * @return the plan
   * @throws InvalidInputException with {@link ErrorCode#INVALID_HEADER_ROW} for an unparsable first
   *     row without the header flag
   */
  public ActionImportPlan planActionImport(
      Actor actor, List<List<String>> rows, boolean headerRow) {
    require(actor, Action.IMPORT_ACTIONS);
    List<ActionImportPlan.Row> planned =
        new ActionImporter(directory, chunk(), random).plan(actor, rows, headerRow);
    return new ActionImportPlan(newId(), actor.tenant(), directory.clock().instant(), planned);
  }

  /**
   * Applies an action file plan in file order: adds create, removes deactivate then delete, updates
   * change the names. Users that existed before the file must still be at the planned version; a
   * second apply changes nothing.
   *
   * @param actor who acts; needs {@link Action#IMPORT_ACTIONS}
   * @param plan the plan
   * @param listener progress
   * @return what was done
   */
  public ApplyResult applyActionImport(Actor actor, ActionImportPlan plan, BulkListener listener) {
    require(actor, Action.IMPORT_ACTIONS);
    requireTenant(actor, plan.tenant());
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
    for (int i = 0; i < work.size(); i += chunk()) {
      List<ActionImportPlan.Row> part = work.subList(i, Math.min(work.size(), i + chunk()));
      try {
        ChunkResult r =
            stores.transactions().inTransaction(() -> applyActions(actor, plan.id(), part));
        changed.addAll(r.changed());
        done.addAll(r.done());
        failed.putAll(r.failed());
        r.changeSet().ifPresent(changeSets::add);
      } catch (UserMgmtException e) {
        part.forEach(
            row ->
                row.userId().ifPresent(id -> failed.put(id, e.problems().get(0).atRow(row.row()))));
      }
      listener.progress("apply", Math.min(work.size(), i + chunk()), work.size());
    }
    return new ApplyResult(plan.id(), changed, done, failed, changeSets);
  }

  private ChunkResult applyActions(Actor actor, String planId, List<ActionImportPlan.Row> rows) {
    Map<UserId, User> current =
        new LinkedHashMap<>(
            stores
                .users()
                .getAll(
                    actor.tenant(),
                    rows.stream().flatMap(r -> r.userId().stream()).distinct().toList()));
    UnitOfWork w =
        new UnitOfWork(stores, actor, "bulk.import", planId, newId(), directory.clock().instant());
    List<UserId> changed = new ArrayList<>();
    List<UserId> done = new ArrayList<>();
    Map<UserId, Problem> failed = new LinkedHashMap<>();
    for (ActionImportPlan.Row row : rows) {
      UserId id = row.userId().orElseThrow();
      User u = current.get(id);
      boolean stale = u != null && row.version().isPresent() && u.version() != row.version().get();
      switch (row.kind()) {
        case ADD -> {
          if (u != null) {
            done.add(id);
          } else {
            User created =
                dev.usermgmt.audit.internal.Diffs.rebuild(
                    actor.tenant(), id, row.diffs(), false, 1, w.now(), directory.roles());
            w.insert(List.of(created));
            current.put(id, created);
            changed.add(id);
          }
        }
        case UPDATE -> {
          if (u == null) {
            failed.put(
                id,
                Problem.builder()
                    .code(ErrorCode.USER_NOT_FOUND)
                    .row(row.row())
                    .message("user " + row.username() + " no longer exists")
                    .build());
            continue;
          }
          User after =
              dev.usermgmt.audit.internal.Diffs.apply(u, row.diffs(), false, directory.roles());
          if (dev.usermgmt.audit.internal.Diffs.between(u, after).isEmpty()) {
            done.add(id);
          } else if (stale) {
            failed.put(id, stalePlan(row, "not overwritten"));
          } else {
            current.put(id, w.update(u, after));
            changed.add(id);
          }
        }
        default -> {
          if (u == null) {
            done.add(id);
          } else if (stale) {
            failed.put(id, stalePlan(row, "not removed"));
          } else {
            User last = u;
            if (!u.status().isInactive()) {
              last =
                  w.update(
                      u,
                      UserLifecycle.apply(u, Transition.DEACTIVATE, w.now(), Optional.empty())
                          .orElseThrow());
            }
            w.delete(List.of(last));
            current.remove(id);
            changed.add(id);
          }
        }
      }
    }
    return new ChunkResult(changed, done, failed, w.commit().map(ChangeSet::id));
  }

  private static Problem stalePlan(ActionImportPlan.Row row, String outcome) {
    return Problem.builder()
        .code(ErrorCode.STALE_PLAN)
        .row(row.row())
        .message("user " + row.username() + " changed since the plan; " + outcome)
        .build();
  }

  // ============================================================================ invitations

  /**
   * "Send Invitation Email" to the filtered view: active users who never signed in get an
   * invitation, pending invitations are re-sent; through the host's sender, with invite state
   * recorded.
   *
   * @param actor who acts; needs {@link Action#SEND_INVITATIONS}
   * @param view the view
   * @return sent, failed and skipped users
   */
  public InvitationResult sendInvitations(Actor actor, UserQuery view) {
    return directory.inviteView(actor, view);
  }

  // ============================================================================ undo

  /**
   * Undoes an apply: its change sets, newest first.
   *
   * @param actor who acts; needs {@link Action#UNDO}
   * @param changeSetIds the apply's change sets
   * @return the undo change sets
   */
  public List<ChangeSet> undo(Actor actor, List<String> changeSetIds) {
    List<ChangeSet> out = new ArrayList<>();
    for (int i = changeSetIds.size() - 1; i >= 0; i--) {
      out.add(directory.undo(actor, changeSetIds.get(i)));
    }
    return out;
  }

  // ============================================================================ engine

  /** What to do to one user at apply time. */
  private record Step(StepKind kind, Optional<User> after, Optional<Problem> problem) {
    static Step change(User after) {
      return new Step(StepKind.CHANGE, Optional.of(after), Optional.empty());
    }

    static Step delete() {
      return new Step(StepKind.DELETE, Optional.empty(), Optional.empty());
    }

    static Step noOp() {
      return new Step(StepKind.NO_OP, Optional.empty(), Optional.empty());
    }

    static Step refuse(ErrorCode code, String message) {
      return new Step(StepKind.REFUSE, Optional.empty(), Optional.of(Problem.of(code, message)));
    }
  }

  private enum StepKind {
    CHANGE,
    DELETE,
    NO_OP,
    REFUSE
  }

  private ApplyResult applyChanges(
      Actor actor,
      String planId,
      String operation,
      List<PlannedUser> targets,
      Function<User, Step> transform,
      BulkListener listener) {
    return applyChanges(actor, planId, operation, targets, transform, listener, Integer.MAX_VALUE);
  }

  private ApplyResult applyChanges(
      Actor actor,
      String planId,
      String operation,
      List<PlannedUser> targets,
      Function<User, Step> transform,
      BulkListener listener,
      int maxFailures) {
    List<UserId> changed = new ArrayList<>();
    List<UserId> done = new ArrayList<>();
    Map<UserId, Problem> failed = new LinkedHashMap<>();
    List<String> changeSets = new ArrayList<>();
    for (int i = 0; i < targets.size() && failed.size() <= maxFailures; i += chunk()) {
      List<PlannedUser> part = targets.subList(i, Math.min(targets.size(), i + chunk()));
      try {
        ChunkResult r =
            stores
                .transactions()
                .inTransaction(() -> applyChunk(actor, planId, operation, part, transform));
        // merged only once the chunk's transaction has committed
        changed.addAll(r.changed());
        done.addAll(r.done());
        failed.putAll(r.failed());
        r.changeSet().ifPresent(changeSets::add);
      } catch (UserMgmtException e) {
        // the chunk rolled back whole: its users are reported, the next chunk goes on
        part.forEach(p -> failed.put(p.id(), e.problems().get(0)));
      }
      listener.progress("apply", Math.min(targets.size(), i + chunk()), targets.size());
    }
    return new ApplyResult(planId, changed, done, failed, changeSets);
  }

  /** What one chunk did, known for sure only after its commit. */
  private record ChunkResult(
      List<UserId> changed,
      List<UserId> done,
      Map<UserId, Problem> failed,
      Optional<String> changeSet) {}

  private ChunkResult applyChunk(
      Actor actor,
      String planId,
      String operation,
      List<PlannedUser> part,
      Function<User, Step> transform) {
    TenantId tenant = actor.tenant();
    Map<UserId, User> current =
        stores.users().getAll(tenant, part.stream().map(PlannedUser::id).toList());
    List<User> before = new ArrayList<>();
    List<User> after = new ArrayList<>();
    List<User> deletes = new ArrayList<>();
    List<UserId> changed = new ArrayList<>();
    List<UserId> done = new ArrayList<>();
    Map<UserId, Problem> failed = new LinkedHashMap<>();
    int seats = 0;
    for (PlannedUser p : part) {
      User u = current.get(p.id());
      if (u == null) {
        failed.put(
            p.id(),
            Problem.ofField(
                ErrorCode.USER_NOT_FOUND, "id", "user " + p.id() + " no longer exists"));
        continue;
      }
      Step s = transform.apply(u);
      switch (s.kind()) {
        case NO_OP -> done.add(p.id());
        case REFUSE -> failed.put(p.id(), s.problem().orElseThrow());
        default -> {
          if (u.version() != p.version()) {
            failed.put(
                p.id(),
                Problem.ofField(
                    ErrorCode.STALE_PLAN,
                    "version",
                    "user "
                        + p.id()
                        + " changed since the plan (version "
                        + p.version()
                        + " → "
                        + u.version()
                        + "); not overwritten"));
          } else if (s.kind() == StepKind.DELETE) {
            deletes.add(u);
            changed.add(p.id());
          } else {
            User a = s.after().orElseThrow();
            if (!u.status().occupiesSeat() && a.status().occupiesSeat()) {
              seats++;
            }
            before.add(u);
            after.add(a);
            changed.add(p.id());
          }
        }
      }
    }
    if (seats > 0) {
      directory.requireSeats(tenant, seats);
    }
    UnitOfWork w =
        new UnitOfWork(stores, actor, operation, planId, newId(), directory.clock().instant());
    w.update(before, after);
    w.delete(deletes);
    Optional<String> cs = w.commit().map(ChangeSet::id);
    return new ChunkResult(changed, done, failed, cs);
  }

  private Map<UserId, User> lookup(TenantId tenant, List<UserId> ids, BulkListener listener) {
    return Batches.lookup(
        ids,
        chunk(),
        part -> stores.users().getAll(tenant, part),
        (done, total) -> listener.progress("lookup", done, total));
  }

  private static void requireTenant(Actor actor, TenantId planTenant) {
    if (!actor.tenant().equals(planTenant)) {
      throw new ConflictException(
          Problem.of(
              ErrorCode.STALE_PLAN,
              "the plan was made for tenant " + planTenant + ", not " + actor.tenant()));
    }
  }
}
