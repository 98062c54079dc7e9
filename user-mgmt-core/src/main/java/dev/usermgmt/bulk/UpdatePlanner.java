package dev.usermgmt.bulk;

import dev.usermgmt.Action;
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
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.audit.FieldDiff;
import dev.usermgmt.audit.internal.Diffs;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.internal.Batches;
import dev.usermgmt.internal.Texts;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.tenant.CreationChannel;
import dev.usermgmt.tenant.TenantSettings;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserField;
import dev.usermgmt.user.UserPatch;
import java.time.Instant;
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
  private final UserDirectory directory;
  private final Stores stores;
  private final int chunk;

  UpdatePlanner(UserDirectory directory, int chunk) {
    this.directory = directory;
    this.stores = directory.stores();
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
    AttributeSchema schema = directory.schema(tenant);
    TenantSettings settings = directory.settings(tenant);
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
    Map<UserId, User> known = new HashMap<>();
    matches.values().forEach(l -> l.forEach(u -> known.put(u.id(), u)));
    byEmail.values().forEach(u -> known.put(u.id(), u));
    known.putAll(getAll(tenant, managerIds));
    loadAncestors(tenant, known);

    // 4. every row
    boolean mayCreate = directory.decide(actor, Action.ADD_USERS).allowed();
    Map<String, UserId> emailOwners = new HashMap<>();
    byEmail
        .values()
        .forEach(u -> u.primaryEmail().ifPresent(e -> emailOwners.put(e.key(), u.id())));
    List<RowPreview> out = new ArrayList<>();
    Map<UserId, User> planned = new HashMap<>();
    Instant now = directory.clock().instant();
    int done = 0;
    for (UpdateRow r : rows) {
      String key = keys.getOrDefault(r.row(), "");
      RowPreview preview;
      if (keyProblems.containsKey(r.row())) {
        preview =
            new RowPreview(
                r.row(),
                RowPreview.Kind.ERROR,
                key,
                Optional.empty(),
                List.of(),
                List.of(keyProblems.get(r.row()).atRow(r.row())));
      } else if (duplicates.contains(r.row())) {
        preview =
            new RowPreview(
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
      } else {
        List<User> found = matches.getOrDefault(normalKey(options.matchKey(), key), List.of());
        if (found.size() > 1) {
          preview =
              new RowPreview(
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
        } else if (found.isEmpty() && !options.createMissing()) {
          preview =
              new RowPreview(
                  r.row(), RowPreview.Kind.NOT_FOUND, key, Optional.empty(), List.of(), List.of());
        } else if (found.isEmpty()) {
          preview =
              create(
                  actor,
                  r,
                  key,
                  keyField,
                  options,
                  schema,
                  settings,
                  byEmail,
                  emailOwners,
                  known,
                  mayCreate,
                  now);
        } else {
          preview =
              update(
                  actor,
                  r,
                  key,
                  keyField,
                  found.get(0),
                  options,
                  schema,
                  settings,
                  byEmail,
                  emailOwners,
                  known,
                  planned);
        }
      }
      out.add(preview);
      listener.progress("validate", ++done, rows.size());
    }
    return cycles(out, known, planned);
  }

  private static boolean isClear(UpdateOptions options, String text) {
    return options.clearMarker().map(text::equals).orElse(false);
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

  /** Builds the patch of a row: blank cells change nothing, the clear marker clears. */
  private UserPatch patch(
      UpdateRow r,
      String keyField,
      User current,
      UpdateOptions options,
      AttributeSchema schema,
      TenantSettings settings,
      Map<String, User> byEmail,
      List<Problem> problems) {
    UserPatch.Builder p = UserPatch.builder();
    for (Map.Entry<String, String> cell : r.cells().entrySet()) {
      String column = cell.getKey();
      String text = Texts.trim(cell.getValue());
      if (column.equals(keyField) || text.isEmpty()) {
        continue;
      }
      UpdateOptions.MergePolicy policy = options.policy(column);
      try {
        if (column.startsWith(FieldDiff.ATTRIBUTE_PREFIX)) {
          String attr = column.substring(FieldDiff.ATTRIBUTE_PREFIX.length());
          AttributeDefinition d = schema.definition(attr).orElseThrow();
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
          continue;
        }
        if (policy == UpdateOptions.MergePolicy.SKIP && f.get(current).isPresent()) {
          continue;
        }
        Object value;
        if (f == UserField.MANAGER_ID) {
          Optional<EmailAddress> e = EmailAddress.tryParse(text);
          if (e.isPresent()) {
            User m = byEmail.get(e.get().key());
            if (m == null) {
              throw new InvalidInputException(
                  Problem.ofField(
                      ErrorCode.UNKNOWN_MANAGER,
                      column,
                      "no user has the manager's e-mail " + text));
            }
            value = m.id();
          } else {
            value = UserId.of(text);
          }
        } else {
          value =
              CellValues.parse(
                  f, text, directory.roles(), settings.phoneRegion(), settings.modules());
        }
        if (policy == UpdateOptions.MergePolicy.APPEND && f.isSet()) {
          Set<Object> merged = new TreeSet<>();
          f.get(current).ifPresent(v -> merged.addAll((Collection<?>) v));
          merged.addAll((Collection<?>) value);
          value = merged;
        }
        p.set(f, value);
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

  private RowPreview update(
      Actor actor,
      UpdateRow r,
      String key,
      String keyField,
      User current,
      UpdateOptions options,
      AttributeSchema schema,
      TenantSettings settings,
      Map<String, User> byEmail,
      Map<String, UserId> emailOwners,
      Map<UserId, User> known,
      Map<UserId, User> planned) {
    List<Problem> problems = new ArrayList<>();
    UserPatch patch = patch(r, keyField, current, options, schema, settings, byEmail, problems);
    Optional<PlannedUser> seen = Optional.of(PlannedUser.of(current));
    if (!problems.isEmpty()) {
      return new RowPreview(r.row(), RowPreview.Kind.ERROR, key, seen, List.of(), problems);
    }
    Decision d =
        directory
            .policy()
            .decideEdit(actor, current, Relation.OTHER, patch, schema, EditChannel.FILE);
    if (!d.allowed()) {
      return new RowPreview(
          r.row(),
          RowPreview.Kind.ERROR,
          key,
          seen,
          List.of(),
          List.of(
              Problem.builder()
                  .code(ErrorCode.ACCESS_DENIED)
                  .row(r.row())
                  .message(d.message())
                  .build()));
    }
    User after;
    try {
      after = patch.applyTo(current);
    } catch (UserMgmtException e) {
      e.problems().forEach(p -> problems.add(p.atRow(r.row())));
      return new RowPreview(r.row(), RowPreview.Kind.ERROR, key, seen, List.of(), problems);
    }
    for (Problem p : patch.validateAttributes(schema)) {
      problems.add(p.atRow(r.row()));
    }
    if (after.managerId().isPresent()
        && !after.managerId().equals(current.managerId())
        && !known.containsKey(after.managerId().get())) {
      problems.add(
          Problem.builder()
              .code(ErrorCode.UNKNOWN_MANAGER)
              .field("managerId")
              .column("managerId")
              .row(r.row())
              .message("the manager " + after.managerId().get() + " does not exist")
              .build());
    }
    if (after.primaryEmail().isPresent() && !after.primaryEmail().equals(current.primaryEmail())) {
      UserId owner = emailOwners.get(after.primaryEmail().get().key());
      if (owner != null && !owner.equals(current.id())) {
        problems.add(
            Problem.builder()
                .code(ErrorCode.EMAIL_TAKEN)
                .field("primaryEmail")
                .column("primaryEmail")
                .row(r.row())
                .message("another user already has " + after.primaryEmail().get())
                .build());
      } else {
        emailOwners.put(after.primaryEmail().get().key(), current.id());
      }
    }
    if (!problems.isEmpty()) {
      return new RowPreview(r.row(), RowPreview.Kind.ERROR, key, seen, List.of(), problems);
    }
    List<FieldDiff> diffs = Diffs.between(current, after);
    if (diffs.isEmpty()) {
      return new RowPreview(r.row(), RowPreview.Kind.UNCHANGED, key, seen, List.of(), List.of());
    }
    planned.put(current.id(), after);
    return new RowPreview(r.row(), RowPreview.Kind.CHANGED, key, seen, diffs, List.of());
  }

  private RowPreview create(
      Actor actor,
      UpdateRow r,
      String key,
      String keyField,
      UpdateOptions options,
      AttributeSchema schema,
      TenantSettings settings,
      Map<String, User> byEmail,
      Map<String, UserId> emailOwners,
      Map<UserId, User> known,
      boolean mayCreate,
      Instant now) {
    List<Problem> problems = new ArrayList<>();
    if (!mayCreate) {
      return new RowPreview(
          r.row(),
          RowPreview.Kind.ERROR,
          key,
          Optional.empty(),
          List.of(),
          List.of(
              Problem.builder()
                  .code(ErrorCode.ACCESS_DENIED)
                  .row(r.row())
                  .message("creating users needs ADD_USERS")
                  .build()));
    }
    UserId id =
        options.matchKey() == UpdateOptions.MatchKey.ID
            ? UserId.of(key)
            : UserId.random(new java.security.SecureRandom());
    User.Builder seed =
        User.builder()
            .id(id)
            .tenant(actor.tenant())
            .role(directory.roles().defaultRole())
            .status(settings.initialStatusFor(CreationChannel.FILE_IMPORT))
            .version(1)
            .createdAt(now)
            .updatedAt(now);
    if (options.matchKey() == UpdateOptions.MatchKey.EMAIL) {
      seed.primaryEmail(EmailAddress.parse(key));
    } else if (options.matchKey() == UpdateOptions.MatchKey.EMPLOYEE_ID) {
      seed.employeeId(key);
    }
    User base;
    try {
      // a blank user to patch: anonymised status lets the contact check wait for the cells
      base = seed.status(dev.usermgmt.user.UserStatus.ANONYMISED).build();
    } catch (UserMgmtException e) {
      e.problems().forEach(p -> problems.add(p.atRow(r.row())));
      return new RowPreview(
          r.row(), RowPreview.Kind.ERROR, key, Optional.empty(), List.of(), problems);
    }
    UserPatch patch = patch(r, keyField, base, options, schema, settings, byEmail, problems);
    User created;
    try {
      User patched = patch.applyTo(base);
      String name =
          patched.firstName().isPresent() || patched.lastName().isPresent()
              ? (patched.firstName().orElse("") + " " + patched.lastName().orElse("")).strip()
              : patched.primaryEmail().map(EmailAddress::value).orElse(id.value());
      created =
          patched.toBuilder()
              .status(settings.initialStatusFor(CreationChannel.FILE_IMPORT))
              .displayName(r.cells().containsKey("displayName") ? patched.displayName() : name)
              .build();
    } catch (UserMgmtException e) {
      e.problems().forEach(p -> problems.add(p.atRow(r.row())));
      return new RowPreview(
          r.row(), RowPreview.Kind.ERROR, key, Optional.empty(), List.of(), problems);
    }
    if (created.role().level() > actor.peopleRole().level()) {
      problems.add(
          Problem.builder()
              .code(ErrorCode.INVALID_ROLE)
              .field("role")
              .column("role")
              .row(r.row())
              .message("nobody assigns a role above their own")
              .build());
    }
    schema.validate(created.attributes(), true).forEach(p -> problems.add(p.atRow(r.row())));
    if (created.managerId().isPresent() && !known.containsKey(created.managerId().get())) {
      problems.add(
          Problem.builder()
              .code(ErrorCode.UNKNOWN_MANAGER)
              .field("managerId")
              .column("managerId")
              .row(r.row())
              .message("the manager does not exist")
              .build());
    }
    if (created.primaryEmail().isPresent()) {
      UserId owner = emailOwners.putIfAbsent(created.primaryEmail().get().key(), id);
      if (owner != null) {
        problems.add(
            Problem.builder()
                .code(ErrorCode.EMAIL_TAKEN)
                .field("primaryEmail")
                .column(keyField)
                .row(r.row())
                .message("another user already has " + created.primaryEmail().get())
                .build());
      }
    }
    if (!problems.isEmpty()) {
      return new RowPreview(
          r.row(), RowPreview.Kind.ERROR, key, Optional.empty(), List.of(), problems);
    }
    return new RowPreview(
        r.row(),
        RowPreview.Kind.TO_CREATE,
        key,
        Optional.of(PlannedUser.of(created)),
        Diffs.created(created).diffs(),
        List.of());
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
