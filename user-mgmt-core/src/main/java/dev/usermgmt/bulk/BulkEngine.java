package dev.usermgmt.bulk;

import dev.usermgmt.Action;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.directory.InvitationResult;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.internal.service.Services;
import dev.usermgmt.query.UserQuery;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Bulk work in two steps: {@code plan…} reads only and returns an immutable plan that records the
 * version of every user it looked at, sealed by the engine; {@code apply…} refuses a plan the
 * engine did not make (or one changed since), re-checks the actor's rights, refuses users changed
 * since the plan (reported, never overwritten), has every write judged by the access policy with
 * the actor's rights at that moment (a user the actor may not change is reported, the others go
 * on), writes in chunks — each chunk one transaction with its own change set correlated to the plan
 * —, and returns what it did. Applying a plan twice changes nothing the second time; {@link #undo}
 * reverses an apply.
 *
 * <p>Lookups are batched: one store call per chunk of keys.
 */
public final class BulkEngine {
  private final UserDirectory directory;
  private final Services services;
  private final Deactivations deactivations;
  private final Selections selections;
  private final UpdatePlanner updatePlanner;
  private final UpdateApplier updates;
  private final ActionImporter actionImporter;
  private final ActionApplier actions;

  private BulkEngine(UserDirectory directory, BulkLimits limits) {
    this.directory = directory;
    this.services = Services.of(directory);
    int chunk = Math.max(1, Math.min(limits.chunkSize(), services.stores().users().maxBatchSize()));
    Chunks chunks = new Chunks(services, chunk);
    this.deactivations = new Deactivations(services, chunks, limits);
    this.selections = new Selections(services, chunks);
    this.updatePlanner = new UpdatePlanner(services, chunk, limits.previewsInMemory());
    this.updates = new UpdateApplier(services, chunks);
    this.actionImporter = new ActionImporter(services, chunk);
    this.actions = new ActionApplier(services, chunks);
  }

  /**
   * An engine over a directory (its stores, policy, clock, settings and signing key) with the
   * reference limits.
   *
   * @param directory the directory
   * @return the engine
   */
  public static BulkEngine of(UserDirectory directory) {
    return new BulkEngine(directory, BulkLimits.DEFAULT);
  }

  /**
   * An engine with other limits.
   *
   * @param directory the directory
   * @param limits the limits
   * @return the engine
   */
  public static BulkEngine of(UserDirectory directory, BulkLimits limits) {
    return new BulkEngine(directory, limits);
  }

  // ------------------------------------------------------------------ deactivation and deletion

  /**
   * Plans "Deactivate Users from Excel/CSV": matches the addresses case-insensitively on primary
   * e-mail and groups them as the reference dry run does; needs DEACTIVATE_FROM_FILE.
   *
   * @throws InvalidInputException with {@link ErrorCode#TOO_FEW_ITEMS} or {@link
   *     ErrorCode#LIMIT_EXCEEDED} outside the limits
   */
  public DeactivationPlan planDeactivation(
      Actor actor, DeactivationRequest request, BulkListener listener) {
    return deactivations.plan(actor, request, listener);
  }

  /**
   * Applies a deactivation plan: each planned user still at the planned version, and whom the actor
   * may deactivate now, is deactivated exactly as the single-user action does. No deletes, no
   * ownership transfer, no role change.
   */
  public DeactivationResult applyDeactivation(
      Actor actor, DeactivationPlan plan, BulkListener listener) {
    return deactivations.apply(actor, plan, listener);
  }

  /** Plans "Bulk Delete Users" from a list of ids; needs BULK_DELETE. */
  public DeletionPlan planDeletion(Actor actor, List<UserId> ids, boolean deactivateFirst) {
    return deactivations.planDeletion(actor, ids, deactivateFirst);
  }

  /** Applies a deletion plan. */
  public ApplyResult applyDeletion(Actor actor, DeletionPlan plan, BulkListener listener) {
    return deactivations.applyDeletion(actor, plan, listener);
  }

  // ------------------------------------------------------------------ selections

  /**
   * Plans an action over checked rows: per user, will change, no-op, or refused (by the lifecycle,
   * or by the access policy) and why.
   */
  public SelectionPlan planSelection(
      Actor actor, List<UserId> ids, ActionSpec spec, BulkListener listener) {
    return selections.plan(actor, ids, spec, listener);
  }

  /** Plans an action over a whole filtered view. */
  public SelectionPlan planSelection(
      Actor actor, UserQuery view, ActionSpec spec, BulkListener listener) {
    List<UserId> ids = new ArrayList<>();
    directory.walk(actor, view, page -> page.forEach(u -> ids.add(u.id())));
    return selections.plan(actor, ids, spec, listener);
  }

  /** Applies a selection plan to the users it said will change. */
  public ApplyResult applySelection(Actor actor, SelectionPlan plan, BulkListener listener) {
    return selections.apply(actor, plan, listener);
  }

  // ------------------------------------------------------------------ update from rows

  /**
   * Plans "Update Users from CSV" from mapped rows: every row matched (by e-mail, employee ID or
   * id; one lookup per chunk), validated (types, managers that exist and close no cycle, unique
   * e-mail addresses) and judged by the access policy as the write it would be, then previewed as
   * changed (field, old → new), unchanged, error, not found, ambiguous, duplicate key or to create.
   * Rows that match nobody, repeat a key or have a bad key are validated too.
   *
   * @throws InvalidInputException with {@link ErrorCode#UNKNOWN_COLUMN} or {@link
   *     ErrorCode#UNKNOWN_ATTRIBUTE} naming every column the file cannot set
   */
  public UpdatePlan planUpdate(
      Actor actor, List<UpdateRow> rows, UpdateOptions options, BulkListener listener) {
    return planUpdate(actor, rows.iterator(), rows.size(), options, listener);
  }

  /**
   * Plans "Update Users from CSV" from rows as they are read, in bounded memory: a chunk of rows at
   * a time, the summary in memory and the previews past {@link BulkLimits#previewsInMemory()} in a
   * temporary file that {@link UpdatePlan#previews(long, int)} pages through. Use this with {@code
   * upload.rows(mapping).map(MappedRow::row)} for big files. The stream is consumed, not closed.
   *
   * @throws InvalidInputException with {@link ErrorCode#UNKNOWN_COLUMN} or {@link
   *     ErrorCode#UNKNOWN_ATTRIBUTE} naming every column the file cannot set
   */
  public UpdatePlan planUpdate(
      Actor actor, Stream<UpdateRow> rows, UpdateOptions options, BulkListener listener) {
    return planUpdate(actor, rows.iterator(), -1, options, listener);
  }

  private UpdatePlan planUpdate(
      Actor actor,
      Iterator<UpdateRow> rows,
      long expected,
      UpdateOptions options,
      BulkListener listener) {
    Actor now = services.current(actor);
    services.require(now, Action.UPDATE_FROM_FILE);
    List<RowPreview> previews = updatePlanner.plan(now, rows, expected, options, listener);
    return UpdatePlan.sealed(
        services.seals(),
        services.newId(),
        now.tenant(),
        services.clock().instant(),
        options,
        previews);
  }

  /**
   * Applies an update plan: changed rows whose user is still at the planned version, and rows to
   * create. {@link UpdateOptions.ApplyMode#ALL_OR_NOTHING} writes nothing when any row has an error
   * or fails; {@link UpdateOptions.ApplyMode#STOP_AFTER_ERRORS} stops once the failures pass the
   * threshold.
   */
  public ApplyResult applyUpdate(Actor actor, UpdatePlan plan, BulkListener listener) {
    return updates.apply(actor, plan, listener);
  }

  // ------------------------------------------------------------------ action files

  /**
   * Plans an admin-console action file: rows of action ({@code add-user}, {@code remove-user},
   * {@code update}), username (e-mail), first name and last name, in file order; each row judged by
   * the access policy as the write it would be. With {@code headerRow} the first row is skipped;
   * without it an unparsable first row fails with the reference's message.
   *
   * @throws InvalidInputException with {@link ErrorCode#INVALID_HEADER_ROW}
   */
  public ActionImportPlan planActionImport(
      Actor actor, List<List<String>> rows, boolean headerRow) {
    List<ActionRow> numbered = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      numbered.add(ActionRow.of(i + 1L, rows.get(i)));
    }
    return planActionRows(actor, numbered, headerRow);
  }

  /**
   * Plans an admin-console action file as {@link #planActionImport(Actor, List, boolean)} does,
   * from rows that keep the file's own row (line) numbers, so that every problem names the line the
   * person sees after blank lines were skipped; a row the reader found wrong is an error with the
   * reader's problems.
   *
   * @throws InvalidInputException with {@link ErrorCode#INVALID_HEADER_ROW}
   */
  public ActionImportPlan planActionRows(Actor actor, List<ActionRow> rows, boolean headerRow) {
    Actor now = services.current(actor);
    services.require(now, Action.IMPORT_ACTIONS);
    List<ActionImportPlan.Row> planned = actionImporter.plan(now, rows, headerRow);
    return ActionImportPlan.sealed(
        services.seals(), services.newId(), now.tenant(), services.clock().instant(), planned);
  }

  /**
   * Applies an action file plan in file order: adds create, removes deactivate then delete, updates
   * change the names. Users that existed before the file must still be at the planned version.
   */
  public ApplyResult applyActionImport(Actor actor, ActionImportPlan plan, BulkListener listener) {
    return actions.apply(actor, plan, listener);
  }

  // ------------------------------------------------------------------ invitations and undo

  /** "Send Invitation Email" to the filtered view, through the directory. */
  public InvitationResult sendInvitations(Actor actor, UserQuery view) {
    return directory.inviteView(actor, view);
  }

  /**
   * Undoes an apply: its change sets, newest first, each as the directory's undo does (each in its
   * own transaction, itself a change set).
   *
   * @param actor who undoes
   * @param changeSetIds the apply's change sets ({@link ApplyResult#changeSetIds()})
   * @return the ids of the change sets the undo recorded, in the order it recorded them; the change
   *     log holds them whole. Only ids: the change sets of a million-row undo hold every diff, more
   *     than a 512 MiB heap can keep
   */
  public List<String> undo(Actor actor, List<String> changeSetIds) {
    List<String> out = new ArrayList<>(changeSetIds.size());
    for (int i = changeSetIds.size() - 1; i >= 0; i--) {
      out.add(directory.undo(actor, changeSetIds.get(i)).id());
    }
    return out;
  }
}
