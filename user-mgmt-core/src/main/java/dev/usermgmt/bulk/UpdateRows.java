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
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.audit.FieldDiff;
import dev.usermgmt.audit.internal.Diffs;
import dev.usermgmt.internal.Texts;
import dev.usermgmt.internal.service.Confusables;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

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
      Map<String, UserId> emailOwners,
      Map<UserId, User> known,
      Map<UserId, User> planned,
      Optional<Confusables> confusables,
      Map<String, EmailAddress> plannedSkeletons) {
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
    List<Problem> problems = new ArrayList<>();
    UserPatch patch = patch(ctx, r, current, problems);
    Optional<PlannedUser> seen = Optional.of(PlannedUser.of(current));
    if (!problems.isEmpty()) {
      return error(r, key, seen, problems);
    }
    User after;
    try {
      after = patch.applyTo(current);
    } catch (UserMgmtException e) {
      e.problems().forEach(p -> problems.add(p.atRow(r.row())));
      return error(r, key, seen, problems);
    }
    Decision may =
        services.checkWrite(
            ctx.actor(), Optional.of(current), Optional.of(after), EditChannel.FILE, ctx.schema());
    if (!may.allowed()) {
      return error(r, key, seen, List.of(denied(r, may)));
    }
    patch.validateAttributes(ctx.schema()).forEach(p -> problems.add(p.atRow(r.row())));
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
        ctx.emailOwners().put(after.primaryEmail().get().key(), current.id());
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
    ctx.planned().put(current.id(), after);
    return new RowPreview(r.row(), RowPreview.Kind.CHANGED, key, seen, diffs, List.of());
  }

  /** A row whose key matched nobody, without creation: its cells are still checked. */
  RowPreview notFound(Context ctx, UpdateRow r, String key) {
    List<Problem> problems = new ArrayList<>();
    patch(ctx, r, blank(ctx, UserId.random(services.random()), key).build(), problems);
    if (ctx.options().matchKey() == UpdateOptions.MatchKey.EMAIL) {
      // flagged, so a look-alike of an existing user's address never passes as merely unknown
      EmailAddress.tryParse(key)
          .flatMap(e -> confusable(ctx, r, e, Optional.empty(), false))
          .ifPresent(problems::add);
    }
    return new RowPreview(
        r.row(), RowPreview.Kind.NOT_FOUND, key, Optional.empty(), List.of(), problems);
  }

  /** A row whose key matched nobody, to create. */
  RowPreview create(Context ctx, UpdateRow r, String key) {
    List<Problem> problems = new ArrayList<>();
    UserId id =
        ctx.options().matchKey() == UpdateOptions.MatchKey.ID
            ? UserId.of(key)
            : UserId.random(services.random());
    User base;
    try {
      // a blank user to patch: anonymised status lets the contact check wait for the cells
      base = blank(ctx, id, key).status(UserStatus.ANONYMISED).build();
    } catch (UserMgmtException e) {
      e.problems().forEach(p -> problems.add(p.atRow(r.row())));
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
      e.problems().forEach(p -> problems.add(p.atRow(r.row())));
      return error(r, key, Optional.empty(), problems);
    }
    Decision may =
        services.checkWrite(
            ctx.actor(), Optional.empty(), Optional.of(created), EditChannel.FILE, ctx.schema());
    if (!may.allowed()) {
      return error(r, key, Optional.empty(), List.of(denied(r, may)));
    }
    ctx.schema().validate(created.attributes(), true).forEach(p -> problems.add(p.atRow(r.row())));
    if (created.managerId().isPresent() && !ctx.known().containsKey(created.managerId().get())) {
      problems.add(
          cellProblem(
              r,
              ErrorCode.UNKNOWN_MANAGER,
              UserField.MANAGER_ID.key(),
              "the manager does not exist"));
    }
    if (created.primaryEmail().isPresent()) {
      UserId owner = ctx.emailOwners().putIfAbsent(created.primaryEmail().get().key(), id);
      if (owner != null) {
        problems.add(
            Problem.builder()
                .code(ErrorCode.EMAIL_TAKEN)
                .field(UserField.PRIMARY_EMAIL.key())
                .column(ctx.keyField())
                .row(r.row())
                .message("another user already has " + created.primaryEmail().get())
                .build());
      }
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
    } else if (ctx.options().matchKey() == UpdateOptions.MatchKey.EMPLOYEE_ID) {
      seed.employeeId(key);
    }
    return seed;
  }

  /** The patch of a row: blank cells change nothing, the clear marker clears. */
  private UserPatch patch(Context ctx, UpdateRow r, User current, List<Problem> problems) {
    UserPatch.Builder p = UserPatch.builder();
    UpdateOptions options = ctx.options();
    for (Map.Entry<String, String> cell : r.cells().entrySet()) {
      String column = cell.getKey();
      String text = Texts.trim(cell.getValue());
      if (column.equals(ctx.keyField()) || text.isEmpty()) {
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
                            .column(column)
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
        if (m == null) {
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

  private static Problem denied(UpdateRow r, Decision d) {
    return Problem.builder().from(Chunks.denied(d)).row(r.row()).build();
  }

  /**
   * An address a row gives a user that looks like an existing user's, or (when {@code planned}) one
   * an earlier row gives; empty when confusable addresses are allowed.
   */
  private static Optional<Problem> confusable(
      Context ctx, UpdateRow r, EmailAddress e, Optional<UserId> self, boolean planned) {
    if (ctx.confusables().isEmpty()) {
      return Optional.empty();
    }
    List<User> like = ctx.confusables().get().with(e, self);
    String message = null;
    if (!like.isEmpty()) {
      message = Confusables.message(e, like.get(0));
    } else if (planned) {
      EmailAddress earlier = ctx.plannedSkeletons().putIfAbsent(e.skeleton(), e);
      if (earlier != null && !earlier.key().equals(e.key())) {
        message = "the e-mail address " + e + " looks like " + earlier + " of an earlier row";
      }
    }
    if (message == null) {
      return Optional.empty();
    }
    return Optional.of(
        Problem.builder()
            .code(ErrorCode.CONFUSABLE_IDENTITY)
            .field(UserField.PRIMARY_EMAIL.key())
            .column(UserField.PRIMARY_EMAIL.key())
            .row(r.row())
            .message(message)
            .build());
  }

  private static Problem cellProblem(UpdateRow r, ErrorCode code, String field, String message) {
    return Problem.builder()
        .code(code)
        .field(field)
        .column(field)
        .row(r.row())
        .message(message)
        .build();
  }
}
