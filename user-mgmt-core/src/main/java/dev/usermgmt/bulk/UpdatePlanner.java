package dev.usermgmt.bulk;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.audit.FieldDiff;
import dev.usermgmt.internal.Batches;
import dev.usermgmt.internal.Texts;
import dev.usermgmt.internal.service.Confusables;
import dev.usermgmt.internal.service.Services;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.tenant.TenantSettings;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserField;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/** Plans an update file: columns checked, keys matched in chunks, every row validated. */
final class UpdatePlanner {
  private final Services services;
  private final Stores stores;
  private final UpdateRows rowPlanner;
  private final int chunk;

  UpdatePlanner(Services services, int chunk) {
    this.services = services;
    this.stores = services.stores();
    this.rowPlanner = new UpdateRows(services);
    this.chunk = chunk;
  }

  private static String keyField(UpdateOptions.MatchKey key) {
    return switch (key) {
      case EMAIL -> UserField.PRIMARY_EMAIL.key();
      case EMPLOYEE_ID -> UserField.EMPLOYEE_ID.key();
      case ID -> "id";
    };
  }

  List<RowPreview> plan(
      Actor actor, List<UpdateRow> rows, UpdateOptions options, BulkListener listener) {
    TenantId tenant = actor.tenant();
    AttributeSchema schema = services.schema(tenant);
    TenantSettings settings = services.settings(tenant);
    String keyField = keyField(options.matchKey());
    checkColumns(rows, options, schema, keyField);

    // 1. keys, duplicates within the file
    Map<Long, String> keys = new LinkedHashMap<>();
    Map<Long, Problem> keyProblems = new HashMap<>();
    Set<String> seen = new HashSet<>();
    Set<Long> duplicates = new HashSet<>();
    for (UpdateRow r : rows) {
      String raw = Texts.trim(r.cells().getOrDefault(keyField, ""));
      keys.put(r.row(), raw);
      if (raw.isEmpty()) {
        keyProblems.put(
            r.row(),
            Problem.builder()
                .code(ErrorCode.MISSING_FIELD)
                .field(keyField)
                .column(keyField)
                .message("the row has no " + keyField)
                .build());
        continue;
      }
      String normal = raw;
      if (options.matchKey() == UpdateOptions.MatchKey.EMAIL) {
        Optional<EmailAddress> e = EmailAddress.tryParse(raw);
        if (e.isEmpty()) {
          keyProblems.put(
              r.row(),
              Problem.builder()
                  .code(ErrorCode.INVALID_EMAIL)
                  .field(keyField)
                  .column(keyField)
                  .message("not a valid e-mail address: '" + raw + "'")
                  .build());
          continue;
        }
        normal = e.get().key();
      }
      if (!seen.add(normal)) {
        duplicates.add(r.row());
      }
    }

    // 2. match keys, one lookup per chunk
    Map<String, List<User>> matches = lookupKeys(tenant, options.matchKey(), keys.values());
    listener.progress("lookup", rows.size(), rows.size());

    // 3. managers and e-mail addresses the file names, one lookup per chunk
    Set<EmailAddress> managerEmails = new LinkedHashSet<>();
    Set<UserId> managerIds = new LinkedHashSet<>();
    Set<EmailAddress> newEmails = new LinkedHashSet<>();
    for (UpdateRow r : rows) {
      String m = Texts.trim(r.cells().getOrDefault(UserField.MANAGER_ID.key(), ""));
      if (!m.isEmpty() && !isClear(options, m)) {
        Optional<EmailAddress> e = EmailAddress.tryParse(m);
        if (e.isPresent()) {
          managerEmails.add(e.get());
        } else {
          safeId(m).ifPresent(managerIds::add);
        }
      }
      if (!keyField.equals(UserField.PRIMARY_EMAIL.key())) {
        EmailAddress.tryParse(r.cells().getOrDefault(UserField.PRIMARY_EMAIL.key(), ""))
            .ifPresent(newEmails::add);
      }
    }
    Map<String, User> byEmail = findEmails(tenant, union(managerEmails, newEmails));
    Optional<Confusables> confusables = Optional.empty();
    if (!options.allowConfusableEmails()) {
      Set<EmailAddress> given = new LinkedHashSet<>(newEmails);
      if (options.matchKey() == UpdateOptions.MatchKey.EMAIL) {
        keys.values().forEach(k -> EmailAddress.tryParse(k).ifPresent(given::add));
      }
      confusables = Optional.of(Confusables.lookup(services.stores().users(), tenant, given));
    }
    Map<UserId, User> known = new HashMap<>();
    matches.values().forEach(l -> l.forEach(u -> known.put(u.id(), u)));
    byEmail.values().forEach(u -> known.put(u.id(), u));
    known.putAll(getAll(tenant, managerIds));
    loadAncestors(tenant, known);

    // 4. every row
    Map<String, UserId> emailOwners = new HashMap<>();
    byEmail
        .values()
        .forEach(u -> u.primaryEmail().ifPresent(e -> emailOwners.put(e.key(), u.id())));
    Map<UserId, User> planned = new HashMap<>();
    UpdateRows.Context ctx =
        new UpdateRows.Context(
            actor,
            schema,
            settings,
            options,
            keyField,
            services.clock().instant(),
            byEmail,
            emailOwners,
            known,
            planned,
            confusables,
            new HashMap<>());
    List<RowPreview> out = new ArrayList<>();
    int done = 0;
    for (UpdateRow r : rows) {
      out.add(row(ctx, r, keys.getOrDefault(r.row(), ""), keyProblems, duplicates, matches));
      listener.progress("validate", ++done, rows.size());
    }
    return cycles(out, known, planned);
  }

  private RowPreview row(
      UpdateRows.Context ctx,
      UpdateRow r,
      String key,
      Map<Long, Problem> keyProblems,
      Set<Long> duplicates,
      Map<String, List<User>> matches) {
    String keyField = ctx.keyField();
    if (keyProblems.containsKey(r.row())) {
      return new RowPreview(
          r.row(),
          RowPreview.Kind.ERROR,
          key,
          Optional.empty(),
          List.of(),
          List.of(keyProblems.get(r.row()).atRow(r.row())));
    }
    if (duplicates.contains(r.row())) {
      return new RowPreview(
          r.row(),
          RowPreview.Kind.DUPLICATE_KEY,
          key,
          Optional.empty(),
          List.of(),
          List.of(
              Problem.builder()
                  .code(ErrorCode.DUPLICATE_KEY_IN_FILE)
                  .field(keyField)
                  .column(keyField)
                  .row(r.row())
                  .message("an earlier row has the same " + keyField)
                  .build()));
    }
    List<User> found = matches.getOrDefault(normalKey(ctx.options().matchKey(), key), List.of());
    if (found.size() > 1) {
      return new RowPreview(
          r.row(),
          RowPreview.Kind.AMBIGUOUS,
          key,
          Optional.empty(),
          List.of(),
          List.of(
              Problem.builder()
                  .code(ErrorCode.AMBIGUOUS_MATCH)
                  .field(keyField)
                  .column(keyField)
                  .row(r.row())
                  .message(found.size() + " users have " + keyField + " '" + key + "'")
                  .build()));
    }
    if (found.isEmpty()) {
      return ctx.options().createMissing()
          ? rowPlanner.create(ctx, r, key)
          : rowPlanner.notFound(ctx, r, key);
    }
    return rowPlanner.update(ctx, r, key, found.get(0));
  }

  private static boolean isClear(UpdateOptions options, String text) {
    return UpdateRows.isClear(options, text);
  }

  private static String normalKey(UpdateOptions.MatchKey key, String raw) {
    return key == UpdateOptions.MatchKey.EMAIL
        ? EmailAddress.tryParse(raw).map(EmailAddress::key).orElse(raw)
        : raw;
  }

  private static <T> List<T> union(Collection<T> a, Collection<T> b) {
    LinkedHashSet<T> out = new LinkedHashSet<>(a);
    out.addAll(b);
    return List.copyOf(out);
  }

  private Map<String, User> findEmails(TenantId tenant, List<EmailAddress> emails) {
    return Batches.lookup(emails, chunk, part -> stores.users().findByEmails(tenant, part));
  }

  private Map<UserId, User> getAll(TenantId tenant, Collection<UserId> ids) {
    return Batches.lookup(List.copyOf(ids), chunk, part -> stores.users().getAll(tenant, part));
  }

  /** Loads the manager chains above the known users, one lookup per level and chunk. */
  private void loadAncestors(TenantId tenant, Map<UserId, User> known) {
    Set<UserId> frontier = missingManagers(known.values(), known);
    int depth = 0;
    while (!frontier.isEmpty() && depth++ < 256) {
      Map<UserId, User> level = getAll(tenant, frontier);
      known.putAll(level);
      frontier = missingManagers(level.values(), known);
    }
  }

  private static Set<UserId> missingManagers(Collection<User> users, Map<UserId, User> known) {
    Set<UserId> out = new LinkedHashSet<>();
    for (User u : users) {
      u.managerId().filter(m -> !known.containsKey(m)).ifPresent(out::add);
    }
    return out;
  }

  /** Rows whose new manager closes a reporting cycle (also across rows) become errors. */
  private static List<RowPreview> cycles(
      List<RowPreview> rows, Map<UserId, User> known, Map<UserId, User> planned) {
    Function<UserId, Optional<UserId>> managerOf =
        id -> {
          User u = planned.containsKey(id) ? planned.get(id) : known.get(id);
          return u == null ? Optional.empty() : u.managerId();
        };
    List<RowPreview> out = new ArrayList<>();
    for (RowPreview r : rows) {
      boolean managerChanged =
          r.diffs().stream().anyMatch(d -> d.field().equals(UserField.MANAGER_ID.key()));
      if (r.kind() == RowPreview.Kind.CHANGED && managerChanged && r.user().isPresent()) {
        UserId self = r.user().get().id();
        Set<UserId> seen = new HashSet<>();
        Optional<UserId> next = managerOf.apply(self);
        boolean cycle = false;
        while (next.isPresent() && seen.add(next.get())) {
          if (next.get().equals(self)) {
            cycle = true;
            break;
          }
          next = managerOf.apply(next.get());
        }
        if (cycle) {
          out.add(
              new RowPreview(
                  r.row(),
                  RowPreview.Kind.ERROR,
                  r.key(),
                  r.user(),
                  List.of(),
                  List.of(
                      Problem.builder()
                          .code(ErrorCode.MANAGER_CYCLE)
                          .field("managerId")
                          .column("managerId")
                          .row(r.row())
                          .message("the new manager closes a reporting cycle")
                          .build())));
          continue;
        }
      }
      out.add(r);
    }
    return out;
  }

  private static Optional<UserId> safeId(String s) {
    try {
      return Optional.of(UserId.of(s));
    } catch (InvalidInputException e) {
      return Optional.empty();
    }
  }

  private Map<String, List<User>> lookupKeys(
      TenantId tenant, UpdateOptions.MatchKey key, Collection<String> raw) {
    Map<String, List<User>> out = new HashMap<>();
    List<String> distinct = raw.stream().filter(s -> !s.isEmpty()).distinct().toList();
    for (int i = 0; i < distinct.size(); i += chunk) {
      List<String> part = distinct.subList(i, Math.min(distinct.size(), i + chunk));
      switch (key) {
        case EMAIL -> {
          List<EmailAddress> emails =
              part.stream().flatMap(s -> EmailAddress.tryParse(s).stream()).toList();
          stores.users().findByEmails(tenant, emails).forEach((k, u) -> out.put(k, List.of(u)));
        }
        case EMPLOYEE_ID -> out.putAll(stores.users().findByEmployeeIds(tenant, part));
        case ID -> {
          List<UserId> ids = new ArrayList<>();
          for (String s : part) {
            try {
              ids.add(UserId.of(s));
            } catch (InvalidInputException e) {
              // an invalid id matches nobody
            }
          }
          stores.users().getAll(tenant, ids).forEach((k, u) -> out.put(k.value(), List.of(u)));
        }
      }
    }
    return out;
  }

  private static void checkColumns(
      List<UpdateRow> rows, UpdateOptions options, AttributeSchema schema, String keyField) {
    Set<String> columns = new TreeSet<>();
    rows.forEach(r -> columns.addAll(r.cells().keySet()));
    List<Problem> problems = new ArrayList<>();
    for (String c : columns) {
      if (c.equals(keyField)) {
        continue;
      }
      if (c.startsWith(FieldDiff.ATTRIBUTE_PREFIX)) {
        if (schema.definition(c.substring(FieldDiff.ATTRIBUTE_PREFIX.length())).isEmpty()) {
          problems.add(
              Problem.builder()
                  .code(ErrorCode.UNKNOWN_ATTRIBUTE)
                  .field(c)
                  .column(c)
                  .message("no custom attribute '" + c + "'")
                  .build());
        }
        continue;
      }
      Optional<UserField> f = UserField.byKey(c);
      if (f.isEmpty() || f.get().editability() != UserField.Editability.FORM) {
        problems.add(
            Problem.builder()
                .code(ErrorCode.UNKNOWN_COLUMN)
                .field(c)
                .column(c)
                .message("'" + c + "' is not a field an update file can set")
                .build());
      }
    }
    options
        .policies()
        .forEach(
            (field, policy) -> {
              boolean set = UserField.byKey(field).map(UserField::isSet).orElse(false);
              if (policy == UpdateOptions.MergePolicy.APPEND && !set) {
                problems.add(
                    Problem.ofField(
                        ErrorCode.INVALID_CONFIGURATION,
                        field,
                        "append applies to list fields (modules, groups) only"));
              }
            });
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
  }
}
