package dev.usermgmt.access;

import static org.quicktheories.QuickTheory.qt;

import dev.usermgmt.Action;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.UserMgmtException;
import dev.usermgmt.access.AccessOracle.Who;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.audit.ChangeSet;
import dev.usermgmt.audit.FieldDiff;
import dev.usermgmt.audit.UserChange;
import dev.usermgmt.bulk.ActionImportPlan;
import dev.usermgmt.bulk.ActionSpec;
import dev.usermgmt.bulk.BulkEngine;
import dev.usermgmt.bulk.BulkListener;
import dev.usermgmt.bulk.DeactivationPlan;
import dev.usermgmt.bulk.DeactivationRequest;
import dev.usermgmt.bulk.DeletionPlan;
import dev.usermgmt.bulk.PlannedUser;
import dev.usermgmt.bulk.RowPreview;
import dev.usermgmt.bulk.SelectionAction;
import dev.usermgmt.bulk.SelectionPlan;
import dev.usermgmt.bulk.UpdateOptions;
import dev.usermgmt.bulk.UpdatePlan;
import dev.usermgmt.bulk.UpdateRow;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.memory.InMemoryStores;
import dev.usermgmt.query.UserQuery;
import dev.usermgmt.role.DomainRole;
import dev.usermgmt.role.Role;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.Fixtures;
import dev.usermgmt.testkit.MutableClock;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserDraft;
import dev.usermgmt.user.UserField;
import dev.usermgmt.user.UserPatch;
import dev.usermgmt.user.UserStatus;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

/**
 * The model-based security property of the access policy. Random tenants (feature flags, custom
 * attributes, users of every role, domain role, grant, revocation and status, manager chains);
 * random actors (fresh or stale, support level 0 or 2, host service accounts, the system); random
 * operations through the public entry points (single-user edits and lifecycle moves, update files,
 * action files, selections, deactivation and deletion files, plans modified by the caller, applies
 * after the planner was demoted, undo of any earlier change set, due schedules) and reads (get,
 * search, reports, ancestors, the change log, replay). After every step, against {@link
 * AccessOracle}, which is written from the reference tables and not from the library's policy:
 *
 * <ol type="a">
 *   <li>every user the step changed, created or deleted is a write the oracle allows that actor
 *       with their rights at that moment;
 *   <li>every right any user gained (an action, a rank in a domain) is held by the actor;
 *   <li>a refused step left the users, the change log and the attributes as they were;
 *   <li>no read returned a user, a grant, a revocation or an attribute the reader may not see.
 * </ol>
 *
 * <p>Reproduce a failure with {@code -Dusermgmt.access.seed=<seed>} (QuickTheories prints it);
 * {@code -Dusermgmt.access.examples=<n>} runs more examples.
 */
final class AccessProperties {
  private static final RoleCatalog ROLES = RoleCatalog.defaultCatalog();
  private static final List<Action> GRANTABLE =
      List.of(
          Action.EDIT_USER,
          Action.UNDO,
          Action.SYNC_USERS,
          Action.EXPORT,
          Action.ANONYMISE,
          Action.VIEW_USERS,
          Action.DELETE_USER,
          Action.DEACTIVATE_USER,
          Action.ADD_USERS,
          Action.BULK_DELETE);
  private static final List<String> DOMAINS = List.of(DomainRole.PEOPLE, "content");
  private static final List<UserStatus> STATUSES =
      List.of(
          UserStatus.ACTIVE,
          UserStatus.ACTIVE,
          UserStatus.ACTIVE,
          UserStatus.DEACTIVATED,
          UserStatus.SUSPENDED,
          UserStatus.INVITE_PENDING,
          UserStatus.STAGED);
  private static final int USERS = 8;

  /** One tenant, its library and the oracle. */
  static final class World {
    final TenantId tenant;
    final Stores stores = InMemoryStores.create();
    final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T09:00:00Z"));
    final Map<FeatureFlag, Boolean> flags = new EnumMap<>(FeatureFlag.class);
    final UserDirectory directory;
    final BulkEngine engine;
    final AccessOracle oracle;
    final Map<UserId, User> initial;
    final Map<UserId, Who> schedulers = new HashMap<>();
    final List<String> log = new ArrayList<>();

    World(long seed) {
      Random r = new Random(seed);
      tenant = TenantId.of("tenant-" + Math.floorMod(seed, 1000));
      for (FeatureFlag f : FeatureFlag.values()) {
        flags.put(f, r.nextInt(5) > 0);
      }
      directory =
          UserDirectory.builder()
              .stores(stores)
              .clock(clock)
              .random(new SecureRandom(new byte[] {(byte) seed}))
              .featureFlags(FeatureFlags.of(flags))
              .build();
      engine = BulkEngine.of(directory);
      oracle = new AccessOracle(flags);
      for (AttributeDefinition d : schemaDefinitions()) {
        stores.attributes().put(tenant, Optional.empty(), d);
      }
      List<User> users = new ArrayList<>();
      for (int i = 0; i < USERS; i++) {
        users.add(randomUser(r, i));
      }
      stores.users().insert(tenant, users);
      initial = snapshot();
      log.add("flags off " + offFlags() + "; users " + describe(initial.values()));
    }

    private String offFlags() {
      List<String> off = new ArrayList<>();
      flags.forEach(
          (k, v) -> {
            if (!v) {
              off.add(k.name());
            }
          });
      return off.toString();
    }

    private User randomUser(Random r, int i) {
      Role role =
          i == 0
              ? ROLES.parse("owner")
              : i == 1 ? ROLES.adminRole() : ROLES.roles().get(r.nextInt(ROLES.roles().size()));
      UserStatus status = i < 2 ? UserStatus.ACTIVE : STATUSES.get(r.nextInt(STATUSES.size()));
      User.Builder b =
          Fixtures.user(tenant, "u" + i).toBuilder()
              .primaryEmail(EmailAddress.parse("u" + i + "@" + tenant.value() + ".example"))
              .role(role)
              .status(status)
              .deactivatedAt(
                  status.isInactive() ? Optional.of(Fixtures.T0) : Optional.<Instant>empty());
      if (i > 0 && r.nextBoolean()) {
        b.managerId(UserId.of("u" + r.nextInt(i)));
      }
      if (i >= 2) {
        for (String d : DOMAINS) {
          if (r.nextInt(4) == 0) {
            b.addDomainRoles(DomainRole.of(d, ROLES.roles().get(r.nextInt(8))));
          }
        }
        for (Action a : GRANTABLE) {
          if (r.nextInt(8) == 0) {
            b.addPermissionGrants(a.name());
          }
          if (r.nextInt(10) == 0) {
            b.addPermissionRevocations(a.name());
          }
        }
      }
      Map<String, AttributeValue> attrs = new LinkedHashMap<>();
      attrs.put("salary", AttributeValue.number(1000 + i));
      attrs.put("notes", AttributeValue.text("note " + i));
      attrs.put("medical", AttributeValue.text("medical " + i));
      if (i > 0) {
        attrs.put("buddy", AttributeValue.userRef(UserId.of("u" + (i - 1))));
      }
      return b.attributes(attrs).build();
    }

    Map<UserId, User> snapshot() {
      Map<UserId, User> out = new TreeMap<>();
      stores.users().scan(tenant, Optional.empty(), 10_000).forEach(u -> out.put(u.id(), u));
      return out;
    }

    List<ChangeSet> changeLog() {
      return stores.changeLog().page(tenant, 0, 100_000);
    }

    AttributeSchema schema() {
      return directory.schema(tenant);
    }
  }

  static List<AttributeDefinition> schemaDefinitions() {
    return List.of(
        AttributeDefinition.builder()
            .key("salary")
            .label("Salary")
            .type(AttributeType.NUMBER)
            .build(),
        AttributeDefinition.builder()
            .key("notes")
            .label("Notes")
            .type(AttributeType.TEXT)
            .visibleToManagers(true)
            .editableByManagers(true)
            .build(),
        AttributeDefinition.builder()
            .key("medical")
            .label("Medical")
            .type(AttributeType.TEXT)
            .visibleToManagers(true)
            .sensitive(true)
            .build(),
        AttributeDefinition.builder()
            .key("buddy")
            .label("Buddy")
            .type(AttributeType.USER_REF)
            .visibleToManagers(true)
            .build());
  }

  static String describe(java.util.Collection<User> users) {
    StringBuilder sb = new StringBuilder();
    for (User u : users) {
      sb.append(u.id().value())
          .append('[')
          .append(u.role().key())
          .append(' ')
          .append(u.status())
          .append(u.domainRoles().isEmpty() ? "" : " " + u.domainRoles())
          .append(u.permissionGrants().isEmpty() ? "" : " +" + u.permissionGrants())
          .append(u.permissionRevocations().isEmpty() ? "" : " -" + u.permissionRevocations())
          .append(u.managerId().map(m -> " mgr " + m.value()).orElse(""))
          .append("] ");
    }
    return sb.toString();
  }

  // ------------------------------------------------------------------ the property

  private static int examples() {
    return Integer.getInteger("usermgmt.access.examples", 150);
  }

  static Gen<List<Integer>> steps() {
    return SourceDSL.lists().of(SourceDSL.integers().all()).ofSizeBetween(6, 16);
  }

  @Test
  void everyWriteAndReadIsOneTheOracleAllows() {
    var theory = qt().withExamples(examples()).withShrinkCycles(300);
    Long seed = Long.getLong("usermgmt.access.seed");
    if (seed != null) {
      theory = theory.withFixedSeed(seed);
    }
    theory
        .forAll(SourceDSL.longs().between(0, 1_000_000), steps())
        .checkAssert((world, codes) -> run(new World(world), codes));
  }

  static void run(World w, List<Integer> codes) {
    for (int code : codes) {
      step(w, new Random(code));
    }
  }

  /** What a step did, for the model's checks. */
  enum Kind {
    WRITE,
    TAMPERED,
    READ
  }

  /** One operation: its description, and how to run it. */
  private record Op(String what, Kind kind, Runnable run, boolean system) {
    Op(String what, Kind kind, Runnable run) {
      this(what, kind, run, false);
    }
  }

  private static void step(World w, Random r) {
    w.clock.advance(Duration.ofMinutes(1 + r.nextInt(90)));
    Map<UserId, User> start = w.snapshot();
    Actor given = actor(w, r, start);
    UserId target = UserId.of("u" + r.nextInt(USERS + 1));
    Op op = operation(w, r, given, target, start);
    Map<UserId, User> before = w.snapshot();
    List<ChangeSet> logBefore = w.changeLog();
    Set<AttributeDefinition> defsBefore = Set.copyOf(w.schema().definitions());
    Who who = AccessOracle.now(op.system() ? Actor.system(w.tenant, ROLES) : given, before);
    String line = who + " " + op.what();
    Optional<UserMgmtException> refused = Optional.empty();
    try {
      op.run().run();
    } catch (UserMgmtException e) {
      refused = Optional.of(e);
    } catch (ReadViolation v) {
      fail(w, line + ": " + v.getMessage());
    }
    w.log.add(line + (refused.isPresent() ? " -> refused " + refused.get().code() : " -> ok"));
    Map<UserId, User> after = w.snapshot();
    List<ChangeSet> logAfter = w.changeLog();
    if (refused.isPresent() || op.kind() != Kind.WRITE) {
      // (c) a refused operation (and every read) writes nothing
      if (!after.equals(before)
          || logAfter.size() != logBefore.size()
          || !Set.copyOf(w.schema().definitions()).equals(defsBefore)) {
        fail(w, "(c) " + line + " wrote: " + differences(before, after));
      }
      if (op.kind() == Kind.TAMPERED && refused.isEmpty()) {
        fail(w, "(plan seal) a plan the caller modified was applied: " + line);
      }
      return;
    }
    AttributeSchema schema = w.schema();
    for (UserId id : union(before.keySet(), after.keySet())) {
      Optional<User> b = Optional.ofNullable(before.get(id));
      Optional<User> a = Optional.ofNullable(after.get(id));
      if (b.equals(a) || sameButVersion(b, a)) {
        continue;
      }
      Optional<String> broken = w.oracle.write(who, b, a, schema, before);
      if (broken.isPresent()) {
        fail(w, "(a) " + line + ": " + id.value() + " " + broken.get() + " " + b + " -> " + a);
      }
      // (b) rights grow only by an actor holding them
      Set<String> gained = new TreeSet<>(a.map(w.oracle::rights).orElse(Set.of()));
      gained.removeAll(b.map(w.oracle::rights).orElse(Set.of()));
      Who holder = who.system() ? w.schedulers.getOrDefault(id, who) : who;
      for (String right : gained) {
        if (!w.oracle.holdsRight(holder, right)) {
          fail(w, "(b) " + line + ": " + id.value() + " gained " + right + " from " + holder);
        }
      }
    }
  }

  private static boolean sameButVersion(Optional<User> b, Optional<User> a) {
    return b.isPresent()
        && a.isPresent()
        && b.get().toBuilder()
            .version(0)
            .updatedAt(Fixtures.T0)
            .build()
            .equals(a.get().toBuilder().version(0).updatedAt(Fixtures.T0).build());
  }

  private static Set<UserId> union(Set<UserId> a, Set<UserId> b) {
    Set<UserId> out = new TreeSet<>(a);
    out.addAll(b);
    return out;
  }

  private static String differences(Map<UserId, User> before, Map<UserId, User> after) {
    StringBuilder sb = new StringBuilder();
    for (UserId id : union(before.keySet(), after.keySet())) {
      if (!java.util.Objects.equals(before.get(id), after.get(id))) {
        sb.append(id.value())
            .append(": ")
            .append(before.get(id))
            .append(" -> ")
            .append(after.get(id));
      }
    }
    return sb.toString();
  }

  private static void fail(World w, String message) {
    throw new AssertionError(message + "\n  steps:\n    " + String.join("\n    ", w.log));
  }

  /** A read returned what the reader may not see. */
  static final class ReadViolation extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ReadViolation(String message) {
      super("(d) " + message);
    }
  }

  // ------------------------------------------------------------------ actors

  private static Actor actor(World w, Random r, Map<UserId, User> now) {
    int pick = r.nextInt(20);
    if (pick == 0) {
      return Actor.system(w.tenant, ROLES);
    }
    if (pick == 1) {
      // a host's service account, not a stored user: taken as given
      return Actor.builder()
          .tenant(w.tenant)
          .userId(UserId.of("service"))
          .role(ROLES.roles().get(r.nextInt(ROLES.roles().size())))
          .supportLevel(r.nextInt(3) == 0 ? 2 : 0)
          .build();
    }
    // the owner and the admin act most often, so that many operations get through
    UserId id = UserId.of("u" + (r.nextInt(3) > 0 ? r.nextInt(2) : r.nextInt(USERS)));
    // fresh, or stale: the rights the host read earlier
    User fresh = now.get(id);
    User record =
        pick < 14 && fresh != null ? fresh : java.util.Objects.requireNonNull(w.initial.get(id));
    return Actor.forUser(record, ROLES).supportLevel(r.nextInt(4) == 0 ? 2 : 0).build();
  }

  // ------------------------------------------------------------------ operations

  private static Op operation(
      World w, Random r, Actor actor, UserId target, Map<UserId, User> now) {
    UserDirectory d = w.directory;
    BulkEngine e = w.engine;
    Role role = ROLES.roles().get(r.nextInt(ROLES.roles().size()));
    long version = Optional.ofNullable(now.get(target)).map(User::version).orElse(1L);
    int n = r.nextInt(1000);
    switch (r.nextInt(27)) {
      case 0:
        return write(
            "creates a " + role.key(),
            () ->
                d.create(
                    actor,
                    List.of(
                        UserDraft.builder()
                            .primaryEmail(EmailAddress.parse("new" + n + "@new.example"))
                            .role(role)
                            .build())));
      case 1:
        return edit(
            w,
            actor,
            target,
            version,
            "role " + role.key(),
            UserPatch.builder().set(UserField.ROLE, role));
      case 2:
        {
          Set<String> grants = randomActions(r);
          return edit(
              w,
              actor,
              target,
              version,
              "grants " + grants,
              UserPatch.builder().set(UserField.PERMISSION_GRANTS, grants));
        }
      case 3:
        {
          Set<String> revocations = randomActions(r);
          return edit(
              w,
              actor,
              target,
              version,
              "revocations " + revocations,
              UserPatch.builder().set(UserField.PERMISSION_REVOCATIONS, revocations));
        }
      case 4:
        {
          Set<DomainRole> domains = new java.util.HashSet<>();
          if (r.nextBoolean()) {
            domains.add(DomainRole.of(DOMAINS.get(r.nextInt(2)), role));
          }
          return edit(
              w,
              actor,
              target,
              version,
              "domain roles " + domains,
              UserPatch.builder().set(UserField.DOMAIN_ROLES, domains));
        }
      case 5:
        return edit(
            w,
            actor,
            target,
            version,
            "department",
            r.nextBoolean()
                ? UserPatch.builder().set(UserField.DEPARTMENT, "D" + n)
                : UserPatch.builder()
                    .attribute(
                        List.of("salary", "notes", "medical").get(r.nextInt(3)),
                        r.nextBoolean() ? AttributeValue.text("x" + n) : AttributeValue.number(n)));
      case 6:
        return answered(
            w, actor, "deactivates " + target.value(), () -> d.deactivate(actor, target));
      case 7:
        return answered(
            w, actor, "reactivates " + target.value(), () -> d.reactivate(actor, target));
      case 8:
        return write("deletes " + target.value(), () -> d.delete(actor, target));
      case 9:
        return answered(w, actor, "anonymises " + target.value(), () -> d.anonymise(actor, target));
      case 10:
        return write(
            "suspends/unsuspends " + target.value(),
            () -> {
              if (r.nextBoolean()) {
                d.suspend(actor, target);
              } else {
                d.unsuspend(actor, target);
              }
            });
      case 11:
        return updateFile(w, r, actor, target, now, role, n);
      case 12:
        return actionFile(w, r, actor, target, now, n);
      case 13:
        return selection(w, r, actor, now);
      case 14:
        return undo(w, r, actor);
      case 15:
        return new Op(
            "the system runs due schedules", Kind.WRITE, () -> d.runDueSchedules(w.tenant), true);
      case 16:
        return write(
            "schedules " + target.value(),
            () -> {
              Instant at = w.clock.instant().plus(Duration.ofMinutes(1 + r.nextInt(60)));
              Who who = AccessOracle.now(actor, w.snapshot());
              if (r.nextBoolean()) {
                d.scheduleActivation(actor, target, at);
              } else {
                d.scheduleInvitation(actor, target, at);
              }
              w.schedulers.put(target, who);
            });
      case 17:
        return deactivationFile(w, r, actor, now);
      case 18:
        return deletionFile(w, r, actor, now);
      case 19:
        return demotedPlanner(w, r, actor, target, now, role);
      case 20:
        return tampered(w, r, actor, target, now, role);
      case 21:
        return write(
            "edits e-mail of " + target.value() + " by file",
            updateFileRun(
                w,
                actor,
                List.of(
                    new UpdateRow(
                        2,
                        Map.of(
                            "id", target.value(), "primaryEmail", "taken" + n + "@new.example"))),
                UpdateOptions.MatchKey.ID));
      case 22:
        boolean accept = r.nextBoolean();
        return write(
            "invites " + target.value() + (accept ? ", who accepts" : ""),
            () -> {
              Map<UserId, User> was = w.snapshot();
              Who who = AccessOracle.now(actor, was);
              d.invite(actor, List.of(target));
              // the inviter answers for what the acceptance gives, as a scheduler does
              if (!java.util.Objects.equals(was.get(target), w.snapshot().get(target))) {
                w.schedulers.put(target, who);
                if (accept
                    && Optional.ofNullable(w.snapshot().get(target))
                        .map(u -> u.status() == UserStatus.INVITE_PENDING)
                        .orElse(false)) {
                  // and the invitee accepts at once: the step is then the inviter's activation
                  // (or, the acceptance refused, the invitation alone)
                  try {
                    d.acceptInvitation(w.tenant, target);
                  } catch (UserMgmtException refused) {
                    w.log.add("  the acceptance -> refused " + refused.code());
                  }
                }
              }
            });
      case 23:
        {
          // an invitee of this run follows the link: the host reports the acceptance, by the
          // system (the inviter answers for what it gives)
          List<UserId> invited =
              w.schedulers.keySet().stream()
                  .filter(
                      id ->
                          Optional.ofNullable(now.get(id))
                              .map(u -> u.status() == UserStatus.INVITE_PENDING)
                              .orElse(false))
                  .sorted()
                  .toList();
          if (invited.isEmpty()) {
            return read(w, r, actor, target);
          }
          UserId invitee = invited.get(r.nextInt(invited.size()));
          return new Op(
              "the invitee accepts " + invitee.value(),
              Kind.WRITE,
              () -> d.acceptInvitation(w.tenant, invitee),
              true);
        }
      default:
        return read(w, r, actor, target);
    }
  }

  private static Set<String> randomActions(Random r) {
    Set<String> out = new TreeSet<>();
    for (Action a : GRANTABLE) {
      if (r.nextInt(5) == 0) {
        out.add(a.name());
      }
    }
    return out;
  }

  private static Op write(String what, Runnable run) {
    return new Op(what, Kind.WRITE, run);
  }

  private static Op edit(
      World w, Actor actor, UserId target, long version, String what, UserPatch.Builder patch) {
    return answered(
        w,
        actor,
        "edits " + target.value() + " " + what,
        () -> w.directory.edit(actor, target, version, patch.build()));
  }

  private static UpdateOptions options(UpdateOptions.MatchKey key) {
    return new UpdateOptions(
        key, Map.of(), Optional.empty(), false, UpdateOptions.ApplyMode.VALID_ROWS, 0);
  }

  private static Runnable updateFileRun(
      World w, Actor actor, List<UpdateRow> rows, UpdateOptions.MatchKey key) {
    return () -> {
      UpdatePlan plan = w.engine.planUpdate(actor, rows, options(key), BulkListener.NONE);
      checkNamed(
          w,
          actor,
          "the update file's plan",
          java.util.stream.StreamSupport.stream(plan.rows().spliterator(), false)
              .flatMap(p -> p.user().stream())
              .map(PlannedUser::id));
      checkPreviewed(w, actor, rows, plan);
      w.engine.applyUpdate(actor, plan, BulkListener.NONE);
    };
  }

  private static Map<String, String> updateCells(Random r, UserId target, Role role, int n) {
    Map<String, String> cells = new LinkedHashMap<>();
    cells.put("id", target.value());
    switch (r.nextInt(5)) {
      case 0 -> cells.put("role", role.key());
      case 1 -> cells.put("permissionGrants", String.join("|", randomActions(r)));
      case 2 -> cells.put("permissionRevocations", String.join("|", randomActions(r)));
      case 3 -> cells.put("primaryEmail", "file" + n + "@new.example");
      default -> cells.put("attributes.salary", Integer.toString(n));
    }
    cells.values().removeIf(String::isEmpty);
    return cells;
  }

  private static Op updateFile(
      World w, Random r, Actor actor, UserId target, Map<UserId, User> now, Role role, int n) {
    List<UpdateRow> rows = new ArrayList<>();
    int count = 1 + r.nextInt(3);
    for (int i = 0; i < count; i++) {
      UserId t = i == 0 ? target : UserId.of("u" + r.nextInt(USERS));
      rows.add(new UpdateRow(2 + i, updateCells(r, t, role, n + i)));
    }
    return write("update file " + rows, updateFileRun(w, actor, rows, UpdateOptions.MatchKey.ID));
  }

  private static String email(Map<UserId, User> now, UserId id) {
    return Optional.ofNullable(now.get(id))
        .flatMap(User::primaryEmail)
        .map(EmailAddress::value)
        .orElse(id.value() + "@nowhere.example");
  }

  private static Op actionFile(
      World w, Random r, Actor actor, UserId target, Map<UserId, User> now, int n) {
    List<List<String>> rows = new ArrayList<>();
    switch (r.nextInt(3)) {
      case 0 -> rows.add(List.of("add-user", "added" + n + "@new.example", "A" + n, "B"));
      case 1 -> rows.add(List.of("remove-user", email(now, target), "", ""));
      default -> rows.add(List.of("update", email(now, target), "Renamed" + n, "Last"));
    }
    return write(
        "action file " + rows,
        () -> {
          ActionImportPlan plan = w.engine.planActionImport(actor, rows, false);
          w.engine.applyActionImport(actor, plan, BulkListener.NONE);
        });
  }

  private static Op selection(World w, Random r, Actor actor, Map<UserId, User> now) {
    List<SelectionAction> actions =
        List.of(
            SelectionAction.ACTIVATE,
            SelectionAction.SUSPEND,
            SelectionAction.UNSUSPEND,
            SelectionAction.DEACTIVATE,
            SelectionAction.REACTIVATE,
            SelectionAction.DELETE,
            SelectionAction.SET_MODULES,
            SelectionAction.UNLOCK,
            SelectionAction.FORCE_PASSWORD_CHANGE,
            SelectionAction.REQUIRE_MFA,
            SelectionAction.SCHEDULE_ACTIVATION);
    SelectionAction a = actions.get(r.nextInt(actions.size()));
    ActionSpec spec =
        switch (a) {
          case SET_MODULES -> new ActionSpec(a, Optional.empty(), Optional.empty(), Set.of("LMS"));
          case SCHEDULE_ACTIVATION ->
              new ActionSpec(
                  a, Optional.of(w.clock.instant().plusSeconds(600)), Optional.empty(), Set.of());
          default -> ActionSpec.of(a);
        };
    List<UserId> ids = new ArrayList<>();
    for (int i = 0; i < 1 + r.nextInt(3); i++) {
      ids.add(UserId.of("u" + r.nextInt(USERS)));
    }
    return write(
        "selection " + a + " " + ids,
        () -> {
          SelectionPlan plan = w.engine.planSelection(actor, ids, spec, BulkListener.NONE);
          checkNamed(
              w, actor, "the selection's plan", plan.outcomes().stream().map(o -> o.user().id()));
          if (a == SelectionAction.SCHEDULE_ACTIVATION) {
            Who who = AccessOracle.now(actor, w.snapshot());
            plan.changing().forEach(p -> w.schedulers.put(p.id(), who));
          }
          w.engine.applySelection(actor, plan, BulkListener.NONE);
        });
  }

  private static Op undo(World w, Random r, Actor actor) {
    List<ChangeSet> log = w.changeLog();
    if (log.isEmpty()) {
      return write("undoes nothing", () -> {});
    }
    ChangeSet cs = log.get(r.nextInt(log.size()));
    return write(
        "undoes " + cs.operation() + " by " + cs.actorDescription(),
        () -> {
          ChangeSet undone = w.directory.undo(actor, cs.id());
          if (!actor.system()) {
            Map<UserId, User> store = w.snapshot();
            checkHistory(w, AccessOracle.now(actor, store), List.of(undone), store, w.schema());
          }
        });
  }

  private static Op deactivationFile(World w, Random r, Actor actor, Map<UserId, User> now) {
    List<String> emails = new ArrayList<>();
    for (int i = 0; i < 1 + r.nextInt(3); i++) {
      emails.add(email(now, UserId.of("u" + r.nextInt(USERS))));
    }
    return write(
        "deactivation file " + emails,
        () -> {
          DeactivationPlan plan =
              w.engine.planDeactivation(
                  actor, new DeactivationRequest(emails, false), BulkListener.NONE);
          checkNamed(
              w,
              actor,
              "the deactivation file's plan",
              java.util.stream.Stream.concat(
                      plan.toDeactivate().stream(), plan.alreadyInactive().stream())
                  .map(PlannedUser::id));
          w.engine.applyDeactivation(actor, plan, BulkListener.NONE);
        });
  }

  private static Op deletionFile(World w, Random r, Actor actor, Map<UserId, User> now) {
    List<UserId> ids = new ArrayList<>();
    for (int i = 0; i < 1 + r.nextInt(3); i++) {
      ids.add(UserId.of("u" + r.nextInt(USERS)));
    }
    boolean first = r.nextBoolean();
    return write(
        "deletion file " + ids + (first ? " deactivating first" : ""),
        () -> {
          DeletionPlan plan = w.engine.planDeletion(actor, ids, first);
          checkNamed(
              w,
              actor,
              "the deletion file's plan",
              java.util.stream.Stream.concat(plan.toDelete().stream(), plan.stillActive().stream())
                  .map(PlannedUser::id));
          w.engine.applyDeletion(actor, plan, BulkListener.NONE);
        });
  }

  /**
   * Plans (an update file, a selection) as the actor, then the planner is demoted to Learner in the
   * store, then the plan is applied: the oracle judges the apply with the rights after demotion.
   */
  private static Op demotedPlanner(
      World w, Random r, Actor actor, UserId target, Map<UserId, User> now, Role role) {
    List<UpdateRow> rows = List.of(new UpdateRow(2, updateCells(r, target, role, r.nextInt(1000))));
    boolean selection = r.nextBoolean();
    SelectionAction a =
        List.of(SelectionAction.DEACTIVATE, SelectionAction.REACTIVATE, SelectionAction.DELETE)
            .get(r.nextInt(3));
    Runnable apply;
    if (selection) {
      SelectionPlan plan;
      try {
        plan = w.engine.planSelection(actor, List.of(target), ActionSpec.of(a), BulkListener.NONE);
      } catch (UserMgmtException e) {
        return write(
            "plans " + a + " " + target.value() + " (refused)",
            () -> {
              throw e;
            });
      }
      apply = () -> w.engine.applySelection(actor, plan, BulkListener.NONE);
    } else {
      UpdatePlan plan;
      try {
        plan =
            w.engine.planUpdate(actor, rows, options(UpdateOptions.MatchKey.ID), BulkListener.NONE);
      } catch (UserMgmtException e) {
        return write(
            "plans " + rows + " (refused)",
            () -> {
              throw e;
            });
      }
      apply = () -> w.engine.applyUpdate(actor, plan, BulkListener.NONE);
    }
    demote(w, actor);
    return write(
        "applies, after being demoted, its plan " + (selection ? a + " " + target.value() : rows),
        apply);
  }

  /** Demotes the planner in the store: an owner or above to admin, anyone else to learner. */
  private static void demote(World w, Actor actor) {
    if (actor.userId().isEmpty()) {
      return;
    }
    Optional<User> u = w.stores.users().get(w.tenant, actor.userId().get());
    if (u.isPresent()) {
      User now = u.get();
      Role to =
          now.role().level() > ROLES.adminRole().level() ? ROLES.adminRole() : ROLES.defaultRole();
      w.stores
          .users()
          .update(
              w.tenant,
              List.of(now),
              List.of(
                  now.toBuilder()
                      .role(to)
                      .domainRoles(Set.of())
                      .permissionGrants(Set.of())
                      .version(now.version() + 1)
                      .build()));
      w.log.add(now.id().value() + " demoted to " + to.key() + " in the store");
    }
  }

  /** A plan the caller modified (its seal kept), then applied: refused, nothing written. */
  private static Op tampered(
      World w, Random r, Actor actor, UserId target, Map<UserId, User> now, Role role) {
    Optional<User> t = Optional.ofNullable(now.get(target));
    if (t.isEmpty()) {
      return new Op("tampers with nothing", Kind.READ, () -> {});
    }
    try {
      if (r.nextBoolean()) {
        SelectionPlan plan =
            w.engine.planSelection(
                actor,
                List.of(UserId.of("u" + r.nextInt(USERS))),
                ActionSpec.of(SelectionAction.DEACTIVATE),
                BulkListener.NONE);
        List<SelectionPlan.Outcome> outcomes = new ArrayList<>();
        outcomes.add(
            new SelectionPlan.Outcome(
                dev.usermgmt.bulk.PlannedUser.of(t.get()),
                SelectionPlan.Kind.WILL_CHANGE,
                Optional.empty()));
        SelectionPlan forged =
            new SelectionPlan(
                plan.id(),
                plan.tenant(),
                plan.createdAt(),
                plan.action(),
                outcomes,
                plan.notFound(),
                plan.seal());
        return new Op(
            "applies a selection plan modified to deactivate " + target.value(),
            forged.equals(plan) ? Kind.WRITE : Kind.TAMPERED,
            () -> w.engine.applySelection(actor, forged, BulkListener.NONE));
      }
      UpdatePlan plan =
          w.engine.planUpdate(
              actor,
              List.of(new UpdateRow(2, Map.of("id", target.value(), "department", "Planned"))),
              options(UpdateOptions.MatchKey.ID),
              BulkListener.NONE);
      List<RowPreview> rows = new ArrayList<>();
      rows.add(
          new RowPreview(
              2,
              RowPreview.Kind.CHANGED,
              target.value(),
              Optional.of(dev.usermgmt.bulk.PlannedUser.of(t.get())),
              List.of(
                  FieldDiff.builder()
                      .field("role")
                      .before(t.get().role().key())
                      .after(role.key())
                      .build()),
              List.of()));
      UpdatePlan forged =
          new UpdatePlan(
              plan.id(), plan.tenant(), plan.createdAt(), plan.options(), rows, plan.seal());
      return new Op(
          "applies an update plan modified to set " + target.value() + "'s role " + role.key(),
          forged.equals(plan) ? Kind.WRITE : Kind.TAMPERED,
          () -> w.engine.applyUpdate(actor, forged, BulkListener.NONE));
    } catch (UserMgmtException e) {
      return new Op("plans to tamper (refused)", Kind.READ, () -> {});
    }
  }

  // ------------------------------------------------------------------ reads

  private static Op read(World w, Random r, Actor actor, UserId target) {
    UserDirectory d = w.directory;
    int which = r.nextInt(6);
    String what =
        List.of("gets ", "searches ", "reports of ", "ancestors of ", "change log ", "replay ")
                .get(which)
            + target.value();
    return new Op(
        what,
        Kind.READ,
        () -> {
          Map<UserId, User> store = w.snapshot();
          Who who = AccessOracle.now(actor, store);
          AttributeSchema schema = w.schema();
          List<User> seen =
              switch (which) {
                case 0 -> List.of(d.get(actor, target));
                case 1 -> d.search(actor, UserQuery.builder().pageSize(1000).build()).items();
                case 2 -> d.reports(actor, target, r.nextBoolean());
                case 3 -> d.ancestors(actor, target);
                case 5 -> List.copyOf(d.replay(actor).values());
                default -> {
                  checkHistory(w, who, d.changeLog(actor, 0, 10_000), store, schema);
                  yield List.of();
                }
              };
          checkShown(w, who, what, seen, store, schema);
        });
  }

  /**
   * (d) for users a step shows: each is a user the reader may see, with no grant, revocation or
   * attribute they may not see; a user the reader may not see at all is shown with its identity and
   * required fields only (what a write answers to an actor who may act on a user unseen).
   */
  private static void checkShown(
      World w,
      Who who,
      String what,
      List<User> shown,
      Map<UserId, User> store,
      AttributeSchema schema) {
    for (User u : shown) {
      User stored = store.get(u.id());
      if (stored == null) {
        continue; // replay may rebuild a deleted user's history: no stored record to judge
      }
      if (!w.oracle.seesUser(who, stored, store)) {
        boolean bare =
            u.attributes().isEmpty()
                && java.util.Arrays.stream(UserField.values())
                    .allMatch(
                        f ->
                            f.required()
                                || f == UserField.PRIMARY_EMAIL
                                || f == UserField.PHONE_NUMBER
                                || f.get(u).isEmpty());
        if (!bare) {
          throw new ReadViolation(what + " showed " + u.id().value() + " to " + who);
        }
        continue;
      }
      if ((!u.permissionGrants().isEmpty() || !u.permissionRevocations().isEmpty())
          && !w.oracle.seesRights(who, stored)) {
        throw new ReadViolation(what + " showed the grants of " + u.id().value());
      }
      for (String k : u.attributes().keySet()) {
        if (!w.oracle.seesAttribute(who, stored, k, schema, false, store)) {
          throw new ReadViolation(
              what + " showed attribute " + k + " of " + u.id().value() + " to " + who);
        }
      }
    }
  }

  /**
   * (d) for an update plan's rows: a row naming a field the actor may not see of its user (a hidden
   * attribute, grants) is refused whatever the user holds, and no row shows such a field's value.
   */
  private static void checkPreviewed(World w, Actor actor, List<UpdateRow> rows, UpdatePlan plan) {
    Map<UserId, User> store = w.snapshot();
    Who who = AccessOracle.now(actor, store);
    AttributeSchema schema = w.schema();
    Map<Long, UpdateRow> byRow = new HashMap<>();
    rows.forEach(r -> byRow.put(r.row(), r));
    for (RowPreview p : plan.rows()) {
      Optional<User> stored = p.user().map(PlannedUser::id).map(store::get);
      UpdateRow row = byRow.get(p.row());
      if (stored.isEmpty() || row == null) {
        continue;
      }
      for (String column : row.cells().keySet()) {
        boolean hidden =
            column.startsWith(FieldDiff.ATTRIBUTE_PREFIX)
                ? !w.oracle.seesAttribute(
                    who,
                    stored.get(),
                    column.substring(FieldDiff.ATTRIBUTE_PREFIX.length()),
                    schema,
                    false,
                    store)
                : (column.equals("permissionGrants") || column.equals("permissionRevocations"))
                    && !w.oracle.seesRights(who, stored.get());
        if (hidden && p.kind() != RowPreview.Kind.ERROR) {
          throw new ReadViolation(
              "the update file's row "
                  + p.row()
                  + " naming "
                  + column
                  + " of "
                  + stored.get().id().value()
                  + " was "
                  + p.kind()
                  + " for "
                  + who);
        }
      }
    }
  }

  /** (d) for a plan's preview: it names (with their names and e-mail) only users the actor sees. */
  private static void checkNamed(
      World w, Actor actor, String what, java.util.stream.Stream<UserId> named) {
    Map<UserId, User> store = w.snapshot();
    Who who = AccessOracle.now(actor, store);
    named.forEach(
        id -> {
          User stored = store.get(id);
          if (stored != null && !w.oracle.seesUser(who, stored, store)) {
            throw new ReadViolation(what + " named " + id.value() + " to " + who);
          }
        });
  }

  /** A single-user write, and (d) for the user it answers with. */
  private static Op answered(World w, Actor actor, String what, Supplier<User> run) {
    return write(
        what,
        () -> {
          User u = run.get();
          if (actor.system()) {
            return; // the host's own calls are answered with the record: the system is no person
          }
          Map<UserId, User> store = w.snapshot();
          checkShown(
              w,
              AccessOracle.now(actor, store),
              what + " (its answer)",
              List.of(u),
              store,
              w.schema());
        });
  }

  private static void checkHistory(
      World w, Who who, List<ChangeSet> log, Map<UserId, User> store, AttributeSchema schema) {
    for (ChangeSet cs : log) {
      for (UserChange c : cs.changes()) {
        User stored = store.get(c.userId());
        if (stored == null) {
          continue;
        }
        for (FieldDiff diff : c.diffs()) {
          if (diff.redacted() || (diff.before().isEmpty() && diff.after().isEmpty())) {
            continue;
          }
          if (diff.isAttribute()) {
            String key = diff.field().substring(FieldDiff.ATTRIBUTE_PREFIX.length());
            if (!w.oracle.seesAttribute(who, stored, key, schema, true, store)) {
              throw new ReadViolation(
                  "the change log showed " + diff.field() + " of " + c.userId().value());
            }
          } else if ((diff.field().equals("permissionGrants")
                  || diff.field().equals("permissionRevocations"))
              && !w.oracle.seesRights(who, stored)) {
            throw new ReadViolation(
                "the change log showed " + diff.field() + " of " + c.userId().value());
          }
        }
      }
    }
  }
}
