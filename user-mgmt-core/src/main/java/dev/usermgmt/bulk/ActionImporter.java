package dev.usermgmt.bulk;

import dev.usermgmt.Decision;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.access.EditChannel;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.audit.internal.Diffs;
import dev.usermgmt.internal.Texts;
import dev.usermgmt.internal.service.Confusables;
import dev.usermgmt.internal.service.Services;
import dev.usermgmt.tenant.CreationChannel;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Plans an action file row by row, in file order, over a simulated state of the tenant. */
final class ActionImporter {
  /** The reference's message for an unparsable first line without the header flag. */
  static final String FIRST_LINE_INVALID =
      "The first line is invalid. If this is a header row, please enable 'Ignore first or header row in the CSV file.'";

  private final Services services;
  private final int chunk;

  ActionImporter(Services services, int chunk) {
    this.services = services;
    this.chunk = chunk;
  }

  static String cell(List<String> row, int i) {
    return i < row.size() ? Texts.trim(row.get(i)) : "";
  }

  static Optional<ActionImportPlan.Kind> action(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "add-user" -> Optional.of(ActionImportPlan.Kind.ADD);
      case "remove-user" -> Optional.of(ActionImportPlan.Kind.REMOVE);
      case "update" -> Optional.of(ActionImportPlan.Kind.UPDATE);
      default -> Optional.empty();
    };
  }

  List<ActionImportPlan.Row> plan(Actor actor, List<ActionRow> file, boolean headerRow) {
    int first = headerRow ? 1 : 0;
    List<List<String>> rows = file.stream().map(ActionRow::cells).toList();
    if (!headerRow && !rows.isEmpty()) {
      List<String> r0 = rows.get(0);
      if (action(cell(r0, 0)).isEmpty() || EmailAddress.tryParse(cell(r0, 1)).isEmpty()) {
        throw new InvalidInputException(
            Problem.builder()
                .code(ErrorCode.INVALID_HEADER_ROW)
                .row(file.get(0).row())
                .column("A")
                .message(FIRST_LINE_INVALID)
                .build());
      }
    }
    // the usernames, looked up in chunks
    List<EmailAddress> emails =
        new ArrayList<>(
            new LinkedHashSet<>(
                rows.subList(Math.min(first, rows.size()), rows.size()).stream()
                    .flatMap(r -> EmailAddress.tryParse(cell(r, 1)).stream())
                    .toList()));
    Map<String, User> state = new HashMap<>();
    for (int i = 0; i < emails.size(); i += chunk) {
      state.putAll(
          services
              .stores()
              .users()
              .findByEmails(actor.tenant(), emails.subList(i, Math.min(emails.size(), i + chunk))));
    }
    Map<String, Boolean> fromStore = new HashMap<>();
    state.keySet().forEach(k -> fromStore.put(k, true));
    // the users the usernames look like (UTS #39 skeletons), and the addresses added so far
    Confusables confusables = Confusables.lookup(services.stores().users(), actor.tenant(), emails);
    Map<String, EmailAddress> added = new HashMap<>();
    java.util.function.Predicate<User> seen = services.seen(actor);
    AttributeSchema schema = services.schema(actor.tenant());
    Instant now = services.clock().instant();
    List<ActionImportPlan.Row> out = new ArrayList<>();
    for (int i = first; i < rows.size(); i++) {
      List<String> r = rows.get(i);
      long n = file.get(i).row();
      String actionText = cell(r, 0);
      String username = cell(r, 1);
      String firstName = cell(r, 2);
      String lastName = cell(r, 3);
      Optional<ActionImportPlan.Kind> kind = action(actionText);
      Optional<EmailAddress> email = EmailAddress.tryParse(username);
      List<Problem> problems = new ArrayList<>(file.get(i).problems());
      extraCells(n, r).ifPresent(problems::add);
      if (kind.isEmpty()) {
        problems.add(
            problem(
                n,
                "action",
                ErrorCode.INVALID_VALUE,
                "unknown action '" + actionText + "'; use add-user, remove-user or update"));
      }
      if (email.isEmpty()) {
        problems.add(
            problem(
                n,
                "username",
                ErrorCode.INVALID_EMAIL,
                "not a valid username (e-mail address): '" + username + "'"));
      }
      if (kind.isPresent() && kind.get() != ActionImportPlan.Kind.REMOVE) {
        if (firstName.isEmpty()) {
          problems.add(
              problem(
                  n,
                  "firstName",
                  ErrorCode.MISSING_FIELD,
                  "first name is required for " + actionText));
        }
        if (lastName.isEmpty()) {
          problems.add(
              problem(
                  n,
                  "lastName",
                  ErrorCode.MISSING_FIELD,
                  "last name is required for " + actionText));
        }
      }
      if (!problems.isEmpty() || kind.isEmpty() || email.isEmpty()) {
        out.add(error(n, actionText, username, problems));
        continue;
      }
      String key = email.get().key();
      User current = state.get(key);
      Optional<Long> version =
          current != null && fromStore.containsKey(key)
              ? Optional.of(current.version())
              : Optional.empty();
      if (current != null && fromStore.containsKey(key) && !seen.test(current)) {
        // a file acts only on users the actor may see, as an update file does: a username guessed
        // by someone who may not learns no name and no id, and writes nothing
        out.add(denied(n, actionText, username, dev.usermgmt.access.Visibility.unseen()));
        continue;
      }
      switch (kind.get()) {
        case ADD -> {
          if (current != null) {
            out.add(
                row(
                    n,
                    actionText,
                    username,
                    ActionImportPlan.Kind.ERROR,
                    Optional.of(current.id()),
                    version,
                    List.of(),
                    List.of(
                        problem(
                            n,
                            "username",
                            ErrorCode.ALREADY_EXISTS,
                            "a user with username " + email.get() + " exists; use update"))));
          } else {
            User created =
                User.builder()
                    .id(services.newUserId())
                    .tenant(actor.tenant())
                    .firstName(firstName)
                    .lastName(lastName)
                    .primaryEmail(email.get())
                    .role(services.roles().defaultRole())
                    .status(
                        services
                            .settings(actor.tenant())
                            .initialStatusFor(CreationChannel.FILE_IMPORT))
                    .version(1)
                    .createdAt(now)
                    .updatedAt(now)
                    .build();
            Optional<String> lookAlike = lookAlike(confusables, added, email.get(), seen);
            if (lookAlike.isPresent()) {
              out.add(
                  error(
                      n,
                      actionText,
                      username,
                      List.of(
                          problem(n, "username", ErrorCode.CONFUSABLE_IDENTITY, lookAlike.get()))));
              continue;
            }
            Decision may =
                services.checkWrite(
                    actor, Optional.empty(), Optional.of(created), EditChannel.FILE, schema);
            if (!may.allowed()) {
              out.add(denied(n, actionText, username, may));
              continue;
            }
            // the file names no custom values: a tenant with a required attribute adds nobody so
            List<Problem> required = schema.validate(Map.of(), true);
            if (!required.isEmpty()) {
              out.add(
                  error(n, actionText, username, required.stream().map(p -> p.atRow(n)).toList()));
              continue;
            }
            added.putIfAbsent(email.get().skeleton(), email.get());
            state.put(key, created);
            fromStore.remove(key);
            out.add(
                row(
                    n,
                    actionText,
                    username,
                    ActionImportPlan.Kind.ADD,
                    Optional.of(created.id()),
                    Optional.empty(),
                    Diffs.created(created).diffs(),
                    List.of()));
          }
        }
        case REMOVE -> {
          Decision may =
              current == null
                  ? Decision.allow()
                  : services.checkWrite(
                      actor, Optional.of(current), Optional.empty(), EditChannel.FILE, schema);
          if (!may.allowed()) {
            out.add(denied(n, actionText, username, may));
          } else if (current == null) {
            out.add(
                row(
                    n,
                    actionText,
                    username,
                    ActionImportPlan.Kind.NOT_FOUND,
                    Optional.empty(),
                    Optional.empty(),
                    List.of(),
                    List.of()));
          } else {
            state.remove(key);
            out.add(
                row(
                    n,
                    actionText,
                    username,
                    ActionImportPlan.Kind.REMOVE,
                    Optional.of(current.id()),
                    version,
                    List.of(),
                    List.of()));
          }
        }
        default -> {
          if (current == null) {
            out.add(
                row(
                    n,
                    actionText,
                    username,
                    ActionImportPlan.Kind.NOT_FOUND,
                    Optional.empty(),
                    Optional.empty(),
                    List.of(),
                    List.of()));
          } else {
            User after =
                current.toBuilder()
                    .firstName(firstName)
                    .lastName(lastName)
                    .displayName(firstName + " " + lastName)
                    .build();
            var diffs = Diffs.between(current, after);
            Decision may =
                diffs.isEmpty()
                    ? Decision.allow()
                    : services.checkWrite(
                        actor, Optional.of(current), Optional.of(after), EditChannel.FILE, schema);
            if (!may.allowed()) {
              out.add(denied(n, actionText, username, may));
              continue;
            }
            state.put(key, after);
            out.add(
                row(
                    n,
                    actionText,
                    username,
                    diffs.isEmpty()
                        ? ActionImportPlan.Kind.UNCHANGED
                        : ActionImportPlan.Kind.UPDATE,
                    Optional.of(current.id()),
                    version,
                    diffs,
                    List.of()));
          }
        }
      }
    }
    return out;
  }

  private static ActionImportPlan.Row denied(
      long n, String action, String username, Decision decision) {
    return error(
        n,
        action,
        username,
        List.of(Problem.builder().from(Chunks.denied(decision)).row(n).build()));
  }

  /** A row refused before it names a user. */
  private static ActionImportPlan.Row error(
      long n, String action, String username, List<Problem> problems) {
    return row(
        n,
        action,
        username,
        ActionImportPlan.Kind.ERROR,
        Optional.empty(),
        Optional.empty(),
        List.of(),
        problems);
  }

  private static ActionImportPlan.Row row(
      long n,
      String action,
      String username,
      ActionImportPlan.Kind kind,
      Optional<UserId> id,
      Optional<Long> version,
      List<dev.usermgmt.audit.FieldDiff> diffs,
      List<Problem> problems) {
    return new ActionImportPlan.Row(n, action, username, kind, id, version, diffs, problems);
  }

  /** The file columns of the four fields. */
  private static final List<String> FIELDS = List.of("action", "username", "firstName", "lastName");

  private static Problem problem(long row, String field, ErrorCode code, String message) {
    return Problem.builder()
        .code(code)
        .field(field)
        .column(String.valueOf((char) ('A' + FIELDS.indexOf(field))))
        .row(row)
        .message(message)
        .build();
  }

  /**
   * The cells after the fourth (last name) that are not blank: a row error naming them (an unquoted
   * comma in a name shifts the row), never dropped.
   */
  static Optional<Problem> extraCells(long row, List<String> cells) {
    StringBuilder found = new StringBuilder();
    String firstColumn = "";
    int count = 0;
    for (int c = FIELDS.size(); c < cells.size(); c++) {
      if (cells.get(c).isBlank()) {
        continue;
      }
      String column = Texts.columnName(c);
      if (count++ == 0) {
        firstColumn = column;
      } else {
        found.append(", ");
      }
      found.append(column).append(row).append(" '").append(Texts.clip(cells.get(c))).append('\'');
    }
    if (count == 0) {
      return Optional.empty();
    }
    return Optional.of(
        Problem.builder()
            .code(ErrorCode.EXTRA_CELLS)
            .row(row)
            .column(firstColumn)
            .message(
                "row "
                    + row
                    + " has "
                    + count
                    + (count == 1 ? " cell" : " cells")
                    + " after the last name (an action file has 4 columns): "
                    + found
                    + "; a value with a comma must be in double quotes")
            .build());
  }

  /** Why a user added with an address would look like an existing user or an earlier row's. */
  private static Optional<String> lookAlike(
      Confusables confusables,
      Map<String, EmailAddress> added,
      EmailAddress e,
      java.util.function.Predicate<User> seen) {
    List<User> like = confusables.with(e, Optional.empty());
    if (!like.isEmpty()) {
      return Optional.of(Confusables.message(e, like.get(0), seen));
    }
    EmailAddress earlier = added.get(e.skeleton());
    if (earlier != null && !earlier.key().equals(e.key())) {
      return Optional.of(
          "the e-mail address " + e + " looks like " + earlier + " of an earlier row");
    }
    return Optional.empty();
  }
}
