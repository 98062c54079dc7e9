package dev.usermgmt.bulk;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.access.Relation;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.audit.FieldDiff;
import dev.usermgmt.internal.Batches;
import dev.usermgmt.internal.Texts;
import dev.usermgmt.internal.service.Services;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserField;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Plans an update file: columns checked, keys matched in chunks, every row validated, previews kept
 * in bounded memory.
 */
final class UpdatePlanner {
  private final Services services;
  private final Stores stores;
  private final UpdateRows rowPlanner;
  private final int chunk;
  private final int inMemory;

  UpdatePlanner(Services services, int chunk, int inMemory) {
    this.services = services;
    this.stores = services.stores();
    this.rowPlanner = new UpdateRows(services);
    this.chunk = chunk;
    this.inMemory = inMemory;
  }

  private static String keyField(UpdateOptions.MatchKey key) {
    return switch (key) {
      case EMAIL -> UserField.PRIMARY_EMAIL.key();
      case EMPLOYEE_ID -> UserField.EMPLOYEE_ID.key();
      case ID -> "id";
    };
  }

  /**
   * Plans the rows as they come, a chunk at a time: one lookup per chunk for its keys, managers and
   * e-mail addresses; the previews go to a {@link PreviewStore.Writer} (on disk past its
   * threshold), so memory holds one chunk of rows, the fingerprints of the keys seen and the
   * manager and e-mail changes — never the file or its previews.
   *
   * @param expected how many rows there are, or -1 when unknown (for progress)
   */
  List<RowPreview> plan(
      Actor actor,
      Iterator<UpdateRow> rows,
      long expected,
      UpdateOptions options,
      BulkListener listener) {
    TenantId tenant = actor.tenant();
    AttributeSchema schema = services.schema(tenant);
    String keyField = keyField(options.matchKey());
    checkPolicies(options);
    Set<String> columns = new TreeSet<>();
    List<Problem> columnProblems = new ArrayList<>();
    // how each row's user relates to the actor, each manager looked up once over the file
    java.util.function.Function<User, Relation> relation =
        services.hierarchy().relator(actor.userId(), tenant);
    UpdateRows.Context ctx =
        new UpdateRows.Context(
            actor,
            schema,
            services.settings(tenant),
            options,
            keyField,
            services.clock().instant(),
            new HashMap<>(),
            new EmailOwners(),
            new HashMap<>(),
            new HashMap<>(),
            new LookAlikes(options.allowConfusableEmails()),
            services.stores().groups().list(tenant).stream()
                .map(dev.usermgmt.group.Group::id)
                .collect(java.util.stream.Collectors.toUnmodifiableSet()),
            relation,
            services.views(actor, schema, relation));
    KeySet seen = new KeySet(services.random());
    ManagerCycles cycles = new ManagerCycles();
    try (PreviewStore.Writer out = new PreviewStore.Writer(inMemory)) {
      List<UpdateRow> window = new ArrayList<>(chunk);
      long done = 0;
      while (rows.hasNext()) {
        window.clear();
        while (window.size() < chunk && rows.hasNext()) {
          window.add(rows.next());
        }
        checkColumns(window, schema, keyField, columns, columnProblems);
        if (columnProblems.isEmpty()) {
          planChunk(ctx, window, seen, cycles, out);
        }
        done += window.size();
        listener.progress("validate", done, Math.max(expected, done));
      }
      if (!columnProblems.isEmpty()) {
        throw new InvalidInputException(columnProblems);
      }
      return cycles.apply(out.finish(), ids -> getAll(tenant, ids), inMemory);
    }
  }

  private void planChunk(
      UpdateRows.Context ctx,
      List<UpdateRow> rows,
      KeySet seen,
      ManagerCycles cycles,
      PreviewStore.Writer out) {
    TenantId tenant = ctx.tenant();
    UpdateOptions options = ctx.options();
    String keyField = ctx.keyField();
    // 1. keys, duplicates within the file; by row, not by row number: a host's rows (or a file's)
    // may give two rows one number, and one row's key must never be read for another's
    IdentityHashMap<UpdateRow, String> keys = new IdentityHashMap<>();
    IdentityHashMap<UpdateRow, Problem> keyProblems = new IdentityHashMap<>();
    Set<UpdateRow> duplicates = Collections.newSetFromMap(new IdentityHashMap<>());
    for (UpdateRow r : rows) {
      String raw = Texts.trim(r.cells().getOrDefault(keyField, ""));
      keys.put(r, raw);
      Optional<Problem> read =
          r.problems().stream().filter(p -> p.field().equals(Optional.of(keyField))).findFirst();
      if (read.isPresent()) {
        keyProblems.put(
            r,
            Problem.builder()
                .from(read.get())
                .column(read.get().column().orElse(r.column(keyField)))
                .build());
        continue;
      }
      if (raw.isEmpty()) {
        keyProblems.put(
            r,
            Problem.builder()
                .code(ErrorCode.MISSING_FIELD)
                .field(keyField)
                .column(r.column(keyField))
                .message("the row has no " + keyField)
                .build());
        continue;
      }
      String normal = raw;
      if (options.matchKey() == UpdateOptions.MatchKey.EMAIL) {
        Optional<EmailAddress> e = EmailAddress.tryParse(raw);
        if (e.isEmpty()) {
          keyProblems.put(
              r,
              Problem.builder()
                  .code(ErrorCode.INVALID_EMAIL)
                  .field(keyField)
                  .column(r.column(keyField))
                  .message("not a valid e-mail address: '" + raw + "'")
                  .build());
          continue;
        }
        normal = e.get().key();
      }
      if (!seen.add(normal)) {
        duplicates.add(r);
      }
    }

    // 2. match keys, one lookup per chunk
    Map<String, List<User>> matches = lookupKeys(tenant, options.matchKey(), keys.values());

    // 3. managers and e-mail addresses the rows name, one lookup per chunk
    Set<EmailAddress> emails = new LinkedHashSet<>();
    Set<UserId> managerIds = new LinkedHashSet<>();
    // the addresses the rows give users (or name as keys), for their look-alikes
    Set<EmailAddress> given = new LinkedHashSet<>();
    for (UpdateRow r : rows) {
      String m = Texts.trim(r.cells().getOrDefault(UserField.MANAGER_ID.key(), ""));
      if (!m.isEmpty() && !isClear(options, m)) {
        Optional<EmailAddress> e = EmailAddress.tryParse(m);
        if (e.isPresent()) {
          emails.add(e.get());
        } else {
          safeId(m).ifPresent(managerIds::add);
        }
      }
      if (!keyField.equals(UserField.PRIMARY_EMAIL.key())) {
        Optional<EmailAddress> e =
            EmailAddress.tryParse(r.cells().getOrDefault(UserField.PRIMARY_EMAIL.key(), ""));
        e.ifPresent(emails::add);
        e.ifPresent(given::add);
      }
    }
    if (options.matchKey() == UpdateOptions.MatchKey.EMAIL) {
      // only a key that matched nobody is checked for look-alikes (a row that reports it unknown,
      // or the user it creates): a matched key is its user's own address, which the row keeps
      // (e-mail addresses are equal by identity key), so looking it up read every matched user
      // a second time
      keys.values().stream()
          .flatMap(k -> EmailAddress.tryParse(k).stream())
          .filter(e -> !matches.containsKey(e.key()))
          .forEach(given::add);
    }
    Map<String, User> byEmail = ctx.byEmail();
    Map<UserId, User> known = ctx.known();
    byEmail.clear();
    known.clear();
    byEmail.putAll(findEmails(tenant, List.copyOf(emails)));
    ctx.lookAlikes().lookup(stores.users(), tenant, given);
    matches.values().forEach(l -> l.forEach(u -> known.put(u.id(), u)));
    byEmail.values().forEach(u -> known.put(u.id(), u));
    managerIds.removeAll(known.keySet());
    known.putAll(getAll(tenant, managerIds));
    Map<String, UserId> owners = new HashMap<>();
    byEmail.values().forEach(u -> u.primaryEmail().ifPresent(e -> owners.put(e.key(), u.id())));
    ctx.emailOwners().stored(owners);

    // 4. every row
    for (UpdateRow r : rows) {
      RowPreview p = row(ctx, r, keys.getOrDefault(r, ""), keyProblems, duplicates, matches);
      if (p.kind() == RowPreview.Kind.CHANGED && p.user().isPresent()) {
        for (FieldDiff d : p.diffs()) {
          if (d.field().equals(UserField.MANAGER_ID.key())) {
            cycles.changed(
                out.size(),
                p.user().get().id(),
                d.after().flatMap(UpdatePlanner::safeId),
                r.column(UserField.MANAGER_ID.key()));
          }
        }
      }
      out.add(p);
    }
  }

  private RowPreview row(
      UpdateRows.Context ctx,
      UpdateRow r,
      String key,
      IdentityHashMap<UpdateRow, Problem> keyProblems,
      Set<UpdateRow> duplicates,
      Map<String, List<User>> matches) {
    String keyField = ctx.keyField();
    if (keyProblems.containsKey(r)) {
      return new RowPreview(
          r.row(),
          RowPreview.Kind.ERROR,
          key,
          Optional.empty(),
          List.of(),
          rowPlanner.withCells(ctx, r, key, keyProblems.get(r).atRow(r.row())));
    }
    if (duplicates.contains(r)) {
      return new RowPreview(
          r.row(),
          RowPreview.Kind.DUPLICATE_KEY,
          key,
          Optional.empty(),
          List.of(),
          rowPlanner.withCells(
              ctx,
              r,
              key,
              Problem.builder()
                  .code(ErrorCode.DUPLICATE_KEY_IN_FILE)
                  .field(keyField)
                  .column(r.column(keyField))
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
          rowPlanner.withCells(
              ctx,
              r,
              key,
              Problem.builder()
                  .code(ErrorCode.AMBIGUOUS_MATCH)
                  .field(keyField)
                  .column(r.column(keyField))
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

  private Map<String, User> findEmails(TenantId tenant, List<EmailAddress> emails) {
    return Batches.lookup(emails, chunk, part -> stores.users().findByEmails(tenant, part));
  }

  private Map<UserId, User> getAll(TenantId tenant, Collection<UserId> ids) {
    return Batches.lookup(List.copyOf(ids), chunk, part -> stores.users().getAll(tenant, part));
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

  /** Columns the file cannot set, each named once, for the whole file. */
  private static void checkColumns(
      List<UpdateRow> rows,
      AttributeSchema schema,
      String keyField,
      Set<String> seen,
      List<Problem> problems) {
    for (UpdateRow r : rows) {
      for (String c : r.cells().keySet()) {
        if (seen.add(c) && !c.equals(keyField)) {
          unknownColumn(c, schema).ifPresent(problems::add);
        }
      }
    }
  }

  private static Optional<Problem> unknownColumn(String c, AttributeSchema schema) {
    if (c.startsWith(FieldDiff.ATTRIBUTE_PREFIX)) {
      return schema.definition(c.substring(FieldDiff.ATTRIBUTE_PREFIX.length())).isPresent()
          ? Optional.empty()
          : Optional.of(
              Problem.builder()
                  .code(ErrorCode.UNKNOWN_ATTRIBUTE)
                  .field(c)
                  .column(c)
                  .message("no custom attribute '" + c + "'")
                  .build());
    }
    Optional<UserField> f = UserField.byKey(c);
    if (f.isEmpty() || f.get().editability() != UserField.Editability.FORM) {
      return Optional.of(
          Problem.builder()
              .code(ErrorCode.UNKNOWN_COLUMN)
              .field(c)
              .column(c)
              .message("'" + c + "' is not a field an update file can set")
              .build());
    }
    return Optional.empty();
  }

  private static void checkPolicies(UpdateOptions options) {
    List<Problem> problems = new ArrayList<>();
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
