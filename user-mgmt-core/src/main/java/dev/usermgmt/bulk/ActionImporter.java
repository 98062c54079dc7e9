package dev.usermgmt.bulk;

import dev.usermgmt.Action;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.audit.internal.Diffs;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.internal.Texts;
import dev.usermgmt.tenant.CreationChannel;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import java.security.SecureRandom;
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

  private final UserDirectory directory;
  private final int chunk;
  private final SecureRandom random;

  ActionImporter(UserDirectory directory, int chunk, SecureRandom random) {
    this.directory = directory;
    this.chunk = chunk;
    this.random = random;
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

  List<ActionImportPlan.Row> plan(Actor actor, List<List<String>> rows, boolean headerRow) {
    int first = headerRow ? 1 : 0;
    if (!headerRow && !rows.isEmpty()) {
      List<String> r0 = rows.get(0);
      if (action(cell(r0, 0)).isEmpty() || EmailAddress.tryParse(cell(r0, 1)).isEmpty()) {
        throw new InvalidInputException(
            Problem.builder()
                .code(ErrorCode.INVALID_HEADER_ROW)
                .row(1)
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
          directory
              .stores()
              .users()
              .findByEmails(actor.tenant(), emails.subList(i, Math.min(emails.size(), i + chunk))));
    }
    Map<String, Boolean> fromStore = new HashMap<>();
    state.keySet().forEach(k -> fromStore.put(k, true));
    boolean mayAdd = directory.decide(actor, Action.ADD_USERS).allowed();
    boolean mayRemove =
        directory.decide(actor, Action.DELETE_USER).allowed()
            && directory.decide(actor, Action.DEACTIVATE_USER).allowed();
    boolean mayEdit = directory.decide(actor, Action.EDIT_USER).allowed();
    Instant now = directory.clock().instant();
    List<ActionImportPlan.Row> out = new ArrayList<>();
    for (int i = first; i < rows.size(); i++) {
      List<String> r = rows.get(i);
      long n = i + 1L;
      String actionText = cell(r, 0);
      String username = cell(r, 1);
      String firstName = cell(r, 2);
      String lastName = cell(r, 3);
      Optional<ActionImportPlan.Kind> kind = action(actionText);
      Optional<EmailAddress> email = EmailAddress.tryParse(username);
      List<Problem> problems = new ArrayList<>();
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
        out.add(
            row(
                n,
                actionText,
                username,
                ActionImportPlan.Kind.ERROR,
                Optional.empty(),
                Optional.empty(),
                List.of(),
                problems));
        continue;
      }
      String key = email.get().key();
      User current = state.get(key);
      Optional<Long> version =
          current != null && fromStore.containsKey(key)
              ? Optional.of(current.version())
              : Optional.empty();
      switch (kind.get()) {
        case ADD -> {
          if (!mayAdd) {
            out.add(denied(n, actionText, username, "adding users needs ADD_USERS"));
          } else if (current != null) {
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
                    .id(UserId.random(random))
                    .tenant(actor.tenant())
                    .firstName(firstName)
                    .lastName(lastName)
                    .primaryEmail(email.get())
                    .role(directory.roles().defaultRole())
                    .status(
                        directory
                            .settings(actor.tenant())
                            .initialStatusFor(CreationChannel.FILE_IMPORT))
                    .version(1)
                    .createdAt(now)
                    .updatedAt(now)
                    .build();
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
          if (!mayRemove) {
            out.add(
                denied(
                    n,
                    actionText,
                    username,
                    "removing users needs DEACTIVATE_USER and DELETE_USER"));
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
          if (!mayEdit) {
            out.add(denied(n, actionText, username, "updating users needs EDIT_USER"));
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
            User after =
                current.toBuilder()
                    .firstName(firstName)
                    .lastName(lastName)
                    .displayName(firstName + " " + lastName)
                    .build();
            var diffs = Diffs.between(current, after);
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
      long n, String action, String username, String message) {
    return row(
        n,
        action,
        username,
        ActionImportPlan.Kind.ERROR,
        Optional.empty(),
        Optional.empty(),
        List.of(),
        List.of(Problem.builder().code(ErrorCode.ACCESS_DENIED).row(n).message(message).build()));
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

  private static Problem problem(long row, String column, ErrorCode code, String message) {
    return Problem.builder()
        .code(code)
        .field(column)
        .column(column)
        .row(row)
        .message(message)
        .build();
  }
}
