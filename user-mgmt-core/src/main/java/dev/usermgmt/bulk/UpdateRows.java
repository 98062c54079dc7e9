package dev.usermgmt.bulk;

import dev.usermgmt.Decision;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.UserMgmtException;
import dev.usermgmt.access.Actor;
import dev.usermgmt.access.EditChannel;
import dev.usermgmt.access.Relation;
import dev.usermgmt.access.Visibility;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.audit.FieldDiff;
import dev.usermgmt.audit.internal.Diffs;
import dev.usermgmt.internal.Texts;
import dev.usermgmt.internal.service.Services;
import dev.usermgmt.tenant.CreationChannel;
import dev.usermgmt.tenant.TenantSettings;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserField;
import dev.usermgmt.user.UserPatch;
import dev.usermgmt.user.UserStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The preview of one row of an update file: its patch, validated against the user it matched (or a
 * blank user, when it creates one or matches nobody), and judged by the access policy as the write
 * it would be.
 */
final class UpdateRows {
  /** What every row of one plan shares. */
  record Context(
      Actor actor,
      AttributeSchema schema,
      TenantSettings settings,
      UpdateOptions options,
      String keyField,
      Instant now,
      Map<String, User> byEmail,
      EmailOwners emailOwners,
      Map<UserId, User> known,
      Map<String, User> blank,
      LookAlikes lookAlikes,
      Set<String> groups,
      Function<User, Relation> relation,
      Function<User, Visibility> view) {
    TenantId tenant() {
      return actor.tenant();
    }
  }

  private final Services services;

  UpdateRows(Services services) {
    this.services = services;
  }

  /** A row whose key matched one user. */
  RowPreview update(Context ctx, UpdateRow r, String key, User current) {
    Visibility view = ctx.view().apply(current);
    if (!view.seesUser()) {
      // a file updates only users the actor may see: a key guessed by someone who may not (an
      // e-mail, an employee ID) learns no name and no value, and writes nothing
      return error(r, key, Optional.empty(), List.of(denied(r, Visibility.unseen())));
    }
    Optional<PlannedUser> seen = Optional.of(PlannedUser.of(current));
    List<Problem> problems = hidden(ctx, r, view);
    if (!problems.isEmpty()) {
      return error(r, key, seen, problems);
    }
    UserPatch patch = patch(ctx, r, current, problems);
    if (!problems.isEmpty()) {
      return error(r, key, seen, problems);
    }
    User after;
    try {
      after = patch.applyTo(current);
    } catch (UserMgmtException e) {
      e.problems().forEach(p -> problems.add(located(r, p)));
      return error(r, key, seen, problems);
    }
    Decision may =
        services.checkWrite(
            ctx.actor(),
            Optional.of(current),
            Optional.of(after),
            EditChannel.FILE,
            ctx.schema(),
            Optional.empty(),
            ctx.relation());
    if (!may.allowed()) {
      return error(r, key, seen, List.of(denied(r, may)));
    }
    patch.validateAttributes(ctx.schema()).forEach(p -> problems.add(located(r, p)));
    unknownGroups(ctx, r, current.groups(), after.groups(), problems);
    if (after.managerId().isPresent()
        && !after.managerId().equals(current.managerId())
        && !ctx.known().containsKey(after.managerId().get())) {
      problems.add(
          cellProblem(
              r,
              ErrorCode.UNKNOWN_MANAGER,
              UserField.MANAGER_ID.key(),
              "the manager " + after.managerId().get() + " does not exist"));
    }
    if (after.primaryEmail().isPresent() && !after.primaryEmail().equals(current.primaryEmail())) {
      UserId owner = ctx.emailOwners().get(after.primaryEmail().get().key());
      if (owner != null && !owner.equals(current.id())) {
        problems.add(
            cellProblem(
                r,
                ErrorCode.EMAIL_TAKEN,
                UserField.PRIMARY_EMAIL.key(),
                "another user already has " + after.primaryEmail().get()));
      } else {
        ctx.emailOwners().claim(after.primaryEmail().get().key(), current.id());
      }
      confusable(ctx, r, after.primaryEmail().get(), Optional.of(current.id()), true)
          .ifPresent(problems::add);
    }
    if (!problems.isEmpty()) {
      return error(r, key, seen, problems);
    }
    List<FieldDiff> diffs = Diffs.between(current, after);
    if (diffs.isEmpty()) {
      return new RowPreview(r.row(), RowPreview.Kind.UNCHANGED, key, seen, List.of(), List.of());
    }
    return new RowPreview(r.row(), RowPreview.Kind.CHANGED, key, seen, diffs, List.of());
  }

  /**
   * The cells of a row that name what the actor may not see of its user (a custom attribute hidden
   * from managers, a user reference, grants): refused whatever the value, since a preview of them
   * (its old value, "unchanged" or not, a merge policy that keeps a value) would tell what the user
   * holds.
   */
  private static List<Problem> hidden(Context ctx, UpdateRow r, Visibility view) {
    List<Problem> problems = new ArrayList<>();
    for (Map.Entry<String, String> cell : r.cells().entrySet()) {
      String column = cell.getKey();
      if (column.equals(ctx.keyField()) || Texts.trim(cell.getValue()).isEmpty()) {
        continue;
      }
      Optional<Decision> refused =
          column.startsWith(FieldDiff.ATTRIBUTE_PREFIX)
              ? view.refusesWriting(
                  Set.of(), Set.of(column.substring(FieldDiff.ATTRIBUTE_PREFIX.length())))
              : view.refusesWriting(UserField.byKey(column).stream().toList(), Set.of());
      refused.ifPresent(
          d ->
              problems.add(
                  Problem.builder()
                      .from(Chunks.denied(d))
                      .field(column)
                      .column(r.column(column))
                      .row(r.row())
                      .build()));
    }
    return problems;
  }

  /** A row whose key matched nobody, without creation: its cells are still checked. */
  RowPreview notFound(Context ctx, UpdateRow r, String key) {
    List<Problem> problems = new ArrayList<>();
    patch(ctx, r, unknown(ctx), problems);
    if (ctx.options().matchKey() == UpdateOptions.MatchKey.EMAIL) {
      // flagged, so a look-alike of an existing user's address never passes as merely unknown
      EmailAddress.tryParse(key)
          .flatMap(e -> confusable(ctx, r, e, Optional.empty(), false))
          .ifPresent(problems::add);
    }
    return new RowPreview(
        r.row(), RowPreview.Kind.NOT_FOUND, key, Optional.empty(), List.of(), problems);
  }

  /**
   * A problem of the row's key (bad, duplicate, ambiguous) followed by the problems of its other
   * cells, checked as for a row that matched nobody: every row is validated.
   */
  List<Problem> withCells(Context ctx, UpdateRow r, String key, Problem keyProblem) {
    List<Problem> problems = new ArrayList<>();
    problems.add(keyProblem);
    UpdateRow rest =
        new UpdateRow(
            r.row(),
            r.cells(),
            r.columns(),
            r.problems().stream()
                .filter(p -> !p.field().equals(Optional.of(ctx.keyField())))
                .toList());
    patch(ctx, rest, unknown(ctx), problems);
    return problems;
  }

  /** A row whose key matched nobody, to create. */
  RowPreview create(Context ctx, UpdateRow r, String key) {
    List<Problem> problems = new ArrayList<>();
    UserId id =
        ctx.options().matchKey() == UpdateOptions.MatchKey.ID
            ? UserId.of(key)
            : services.newUserId();
    User base;
    try {
      // a blank user to patch: anonymised status lets the contact check wait for the cells
      base = blank(ctx, id, key).status(UserStatus.ANONYMISED).build();
    } catch (UserMgmtException e) {
      e.problems().forEach(p -> problems.add(located(r, p)));
      return error(r, key, Optional.empty(), problems);
    }
    UserPatch patch = patch(ctx, r, base, problems);
    User created;
    try {
      User patched = patch.applyTo(base);
      String name =
          patched.firstName().isPresent() || patched.lastName().isPresent()
              ? (patched.firstName().orElse("") + " " + patched.lastName().orElse("")).strip()
              : patched.primaryEmail().map(EmailAddress::value).orElse(id.value());
      created =
          patched.toBuilder()
              .status(ctx.settings().initialStatusFor(CreationChannel.FILE_IMPORT))
              .displayName(
                  r.cells().containsKey(UserField.DISPLAY_NAME.key())
                      ? patched.displayName()
                      : name)
              .build();
    } catch (UserMgmtException e) {
      e.problems().forEach(p -> problems.add(located(r, p)));
      return error(r, key, Optional.empty(), problems);
    }
    Decision may =
        services.checkWrite(
            ctx.actor(),
            Optional.empty(),
            Optional.of(created),
            EditChannel.FILE,
            ctx.schema(),
            Optional.empty(),
            ctx.relation());
    if (!may.allowed()) {
      return error(r, key, Optional.empty(), List.of(denied(r, may)));
    }
    ctx.schema().validate(created.attributes(), true).forEach(p -> problems.add(located(r, p)));
    unknownGroups(ctx, r, Set.of(), created.groups(), problems);
    if (created.managerId().isPresent() && !ctx.known().containsKey(created.managerId().get())) {
      problems.add(
          cellProblem(
              r,
              ErrorCode.UNKNOWN_MANAGER,
              UserField.MANAGER_ID.key(),
              "the manager does not exist"));
    }
    if (created.primaryEmail().isPresent()
        && ctx.options().matchKey() != UpdateOptions.MatchKey.EMAIL) {
      // matched by e-mail, a new user's address is its key: unique in the file, and nobody's yet
      String address = created.primaryEmail().get().key();
      UserId owner = ctx.emailOwners().get(address);
      if (owner == null) {
        ctx.emailOwners().claim(address, id);
      } else {
        problems.add(
            Problem.builder()
                .code(ErrorCode.EMAIL_TAKEN)
                .field(UserField.PRIMARY_EMAIL.key())
                .column(r.column(UserField.PRIMARY_EMAIL.key()))
                .row(r.row())
                .message("another user already has " + created.primaryEmail().get())
                .build());
      }
    }
    if (created.primaryEmail().isPresent()) {
      confusable(ctx, r, created.primaryEmail().get(), Optional.empty(), true)
          .ifPresent(problems::add);
    }
    if (!problems.isEmpty()) {
      return error(r, key, Optional.empty(), problems);
    }
    return new RowPreview(
        r.row(),
        RowPreview.Kind.TO_CREATE,
        key,
        Optional.of(PlannedUser.of(created)),
        Diffs.created(created).diffs(),
        List.of());
  }

  /**
   * The blank user the cells of a row that matched nobody are checked against: one a plan (the
   * patch skips the key column, and a blank user has no other value to keep or append to).
   */
  private User unknown(Context ctx) {
    return ctx.blank()
        .computeIfAbsent(
            "", k -> blank(ctx, services.newUserId(), "").status(UserStatus.ANONYMISED).build());
  }

  private User.Builder blank(Context ctx, UserId id, String key) {
    User.Builder seed =
        User.builder()
            .id(id)
            .tenant(ctx.tenant())
            .role(services.roles().defaultRole())
            .status(ctx.settings().initialStatusFor(CreationChannel.FILE_IMPORT))
            .version(1)
            .createdAt(ctx.now())
            .updatedAt(ctx.now());
    if (ctx.options().matchKey() == UpdateOptions.MatchKey.EMAIL) {
      EmailAddress.tryParse(key).ifPresent(seed::primaryEmail);
    } else if (ctx.options().matchKey() == UpdateOptions.MatchKey.EMPLOYEE_ID && !key.isEmpty()) {
      seed.employeeId(key);
    }
    return seed;
  }

  /** The patch of a row: blank cells change nothing, the clear marker clears. */
  private UserPatch patch(Context ctx, UpdateRow r, User current, List<Problem> problems) {
    UserPatch.Builder p = UserPatch.builder();
    UpdateOptions options = ctx.options();
    Set<String> read = new HashSet<>();
    for (Problem pr : r.problems()) {
      // found while reading the file: reported here once, its cell not parsed again
      String field = pr.field().orElse(ctx.keyField());
      read.add(field);
      problems.add(
          Problem.builder()
              .from(pr)
              .field(field)
              .row(r.row())
              .column(pr.column().orElse(r.column(field)))
              .build());
    }
    for (Map.Entry<String, String> cell : r.cells().entrySet()) {
      String column = cell.getKey();
      String text = Texts.trim(cell.getValue());
      if (column.equals(ctx.keyField()) || text.isEmpty() || read.contains(column)) {
        continue;
      }
      UpdateOptions.MergePolicy policy = options.policy(column);
      try {
        if (column.startsWith(FieldDiff.ATTRIBUTE_PREFIX)) {
          String attr = column.substring(FieldDiff.ATTRIBUTE_PREFIX.length());
          AttributeDefinition d = ctx.schema().definition(attr).orElseThrow();
          if (isClear(options, text)) {
            p.clearAttribute(attr);
          } else if (policy != UpdateOptions.MergePolicy.SKIP
              || !current.attributes().containsKey(attr)) {
            p.attribute(attr, CellValues.attribute(column, d.type(), text));
          }
          continue;
        }
        UserField f = UserField.byKey(column).orElseThrow();
        if (isClear(options, text)) {
          p.clear(f);
        } else if (policy != UpdateOptions.MergePolicy.SKIP || f.get(current).isEmpty()) {
          p.set(f, value(ctx, f, column, text, current));
        }
      } catch (UserMgmtException e) {
        e.problems()
            .forEach(
                pr ->
                    problems.add(
                        Problem.builder()
                            .from(pr)
                            .field(column)
                            .column(r.column(column))
                            .row(r.row())
                            .build()));
      }
    }
    return p.build();
  }

  private Object value(Context ctx, UserField f, String column, String text, User current) {
    Object value;
    if (f == UserField.MANAGER_ID) {
      Optional<EmailAddress> e = EmailAddress.tryParse(text);
      if (e.isPresent()) {
        User m = ctx.byEmail().get(e.get().key());
        // an address is a manager only among the users the actor may see: who holds one the
        // actor may not see is no more told than who holds none
        if (m == null || !ctx.view().apply(m).seesUser()) {
          throw new InvalidInputException(
              Problem.ofField(
                  ErrorCode.UNKNOWN_MANAGER, column, "no user has the manager's e-mail " + text));
        }
        value = m.id();
      } else {
        value = UserId.of(text);
      }
    } else {
      value =
          CellValues.parse(
              f, text, services.roles(), ctx.settings().phoneRegion(), ctx.settings().modules());
    }
    if (ctx.options().policy(column) == UpdateOptions.MergePolicy.APPEND && f.isSet()) {
      Set<Object> merged = new TreeSet<>();
      f.get(current).ifPresent(v -> merged.addAll((Collection<?>) v));
      merged.addAll((Collection<?>) value);
      value = merged;
    }
    return value;
  }

  static boolean isClear(UpdateOptions options, String text) {
    return options.clearMarker().map(text::equals).orElse(false);
  }

  private static RowPreview error(
      UpdateRow r, String key, Optional<PlannedUser> seen, List<Problem> problems) {
    return new RowPreview(r.row(), RowPreview.Kind.ERROR, key, seen, List.of(), problems);
  }

  /** A problem at the row, in the file column of its field when it names one. */
  private static Problem located(UpdateRow r, Problem p) {
    Problem at = p.atRow(r.row());
    return p.column().isEmpty() && p.field().isPresent()
        ? at.atColumn(r.column(p.field().get()))
        : at;
  }

  private static Problem denied(UpdateRow r, Decision d) {
    return Problem.builder().from(Chunks.denied(d)).row(r.row()).build();
  }

  /**
   * An address a row gives a user (or, when not {@code given}, names as its key) that looks like an
   * existing user's, or (when {@code given}) one an earlier row gives; empty when confusable
   * addresses are allowed.
   */
  private static Optional<Problem> confusable(
      Context ctx, UpdateRow r, EmailAddress e, Optional<UserId> self, boolean given) {
    return ctx.lookAlikes()
        .of(e, self, given, u -> ctx.view().apply(u).seesUser())
        .map(m -> cellProblem(r, ErrorCode.CONFUSABLE_IDENTITY, UserField.PRIMARY_EMAIL.key(), m));
  }

  /** A row may add only groups the tenant has, as an edit may. */
  private static void unknownGroups(
      Context ctx, UpdateRow r, Set<String> before, Set<String> after, List<Problem> problems) {
    after.stream()
        .filter(g -> !before.contains(g) && !ctx.groups().contains(g))
        .forEach(
            g ->
                problems.add(
                    cellProblem(
                        r,
                        ErrorCode.UNKNOWN_GROUP,
                        UserField.GROUPS.key(),
                        "no group '" + g + "'")));
  }

  private static Problem cellProblem(UpdateRow r, ErrorCode code, String field, String message) {
    return Problem.builder()
        .code(code)
        .field(field)
        .column(r.column(field))
        .row(r.row())
        .message(message)
        .build();
  }
}
