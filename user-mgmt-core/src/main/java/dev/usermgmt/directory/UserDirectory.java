package dev.usermgmt.directory;

import dev.usermgmt.AccessDeniedException;
import dev.usermgmt.Action;
import dev.usermgmt.ConflictException;
import dev.usermgmt.Decision;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.NotFoundException;
import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.UserMgmtException;
import dev.usermgmt.access.AccessPolicy;
import dev.usermgmt.access.Actor;
import dev.usermgmt.access.DefaultAccessPolicy;
import dev.usermgmt.access.EditChannel;
import dev.usermgmt.access.FeatureFlags;
import dev.usermgmt.access.Relation;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.audit.ChangeSet;
import dev.usermgmt.audit.FieldDiff;
import dev.usermgmt.audit.UserChange;
import dev.usermgmt.audit.internal.Diffs;
import dev.usermgmt.group.Group;
import dev.usermgmt.internal.Batches;
import dev.usermgmt.internal.Validation;
import dev.usermgmt.internal.service.Hierarchy;
import dev.usermgmt.internal.service.UnitOfWork;
import dev.usermgmt.query.Keyset;
import dev.usermgmt.query.Page;
import dev.usermgmt.query.PreparedQuery;
import dev.usermgmt.query.QueryAttribute;
import dev.usermgmt.query.QueryAttributes;
import dev.usermgmt.query.UserQuery;
import dev.usermgmt.query.internal.CursorCodec;
import dev.usermgmt.query.internal.QueryEvaluator;
import dev.usermgmt.role.Role;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.InvitationSender;
import dev.usermgmt.spi.OwnershipTransfer;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.spi.UserResetter;
import dev.usermgmt.tenant.CreationChannel;
import dev.usermgmt.tenant.TenantSettings;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.PasswordState;
import dev.usermgmt.user.Transition;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserDraft;
import dev.usermgmt.user.UserField;
import dev.usermgmt.user.UserLifecycle;
import dev.usermgmt.user.UserPatch;
import dev.usermgmt.user.UserStatus;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one facade a host calls for single-user work: create users (several at once), edit,
 * deactivate, reactivate, delete, suspend, activate, schedule, invite, reset, set modules, transfer
 * ownership, impersonation checks, anonymise, account actions, demo passwords, the manager
 * hierarchy, custom attribute definitions, groups, the change log and undo.
 *
 * <p>Every method takes the {@link Actor} and is scoped to the actor's tenant; the {@link
 * AccessPolicy} is asked before anything is written and a denial throws {@link
 * AccessDeniedException} naming the rule. Every mutation runs in one transaction and writes one
 * {@link ChangeSet}; a failed call writes nothing.
 *
 * <pre>{@code
 * UserDirectory directory = UserDirectory.builder().stores(InMemoryStores.create()).build();
 * }</pre>
 */
public final class UserDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(UserDirectory.class);
  private static final String PASSWORD_ALPHABET =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!@#$%^&*-_=+?";
  private static final Set<UserField> PERSONAL_FIELDS =
      EnumSet.of(
          UserField.DISPLAY_NAME,
          UserField.FIRST_NAME,
          UserField.LAST_NAME,
          UserField.INITIALS,
          UserField.USERNAME,
          UserField.PRIMARY_EMAIL,
          UserField.PHONE_NUMBER);

  private final Stores stores;
  private final RoleCatalog roles;
  private final AccessPolicy policy;
  private final Clock clock;
  private final SecureRandom random;
  private final InvitationSender invitations;
  private final OwnershipTransfer ownership;
  private final UserResetter resetter;
  private final Function<TenantId, TenantSettings> settings;
  private final Hierarchy hierarchy;
  private final CursorCodec cursors;

  private UserDirectory(Builder b) {
    this.stores = Objects.requireNonNull(b.stores, "stores");
    this.roles = b.roles;
    this.policy = b.policy != null ? b.policy : DefaultAccessPolicy.of(b.roles, b.flags);
    this.clock = b.clock;
    this.random = b.random;
    this.invitations = b.invitations;
    this.ownership = b.ownership;
    this.resetter = b.resetter;
    this.settings = b.settings;
    this.hierarchy = new Hierarchy(stores.users());
    byte[] key = b.cursorKey;
    if (key == null) {
      key = new byte[32];
      b.random.nextBytes(key);
    }
    this.cursors = CursorCodec.withKey(key);
  }

  /**
   * A builder; only {@link Builder#stores} is required.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  // ============================================================================ accessors

  /**
   * The role catalog.
   *
   * @return the catalog
   */
  public RoleCatalog roles() {
    return roles;
  }

  /**
   * The access policy in force.
   *
   * @return the policy
   */
  public AccessPolicy policy() {
    return policy;
  }

  /**
   * The stores.
   *
   * @return the stores
   */
  public Stores stores() {
    return stores;
  }

  /**
   * The clock.
   *
   * @return the clock
   */
  public Clock clock() {
    return clock;
  }

  /**
   * A tenant's settings.
   *
   * @param tenant the tenant
   * @return its settings
   */
  public TenantSettings settings(TenantId tenant) {
    return settings.apply(tenant);
  }

  /**
   * The tenant's attribute schema.
   *
   * @param tenant the tenant
   * @return the schema
   */
  public AttributeSchema schema(TenantId tenant) {
    return AttributeSchema.of(stores.attributes().list(tenant));
  }

  /**
   * May the actor do an action with no particular target (top-bar actions)?
   *
   * @param actor who acts
   * @param action what
   * @return the decision
   */
  public Decision decide(Actor actor, Action action) {
    return policy.decide(actor, action, Relation.OTHER);
  }

  /**
   * May the actor do an action to a user?
   *
   * @param actor who acts
   * @param action what
   * @param target the user
   * @return the decision
   */
  public Decision decide(Actor actor, Action action, UserId target) {
    User t = load(actor.tenant(), target);
    return decideOn(actor, action, t, hierarchy.relation(actor.userId(), t));
  }

  private Decision decideOn(Actor actor, Action action, User target, Relation relation) {
    if (policy instanceof DefaultAccessPolicy d) {
      return d.decideOn(actor, action, target, relation);
    }
    if (!target.tenant().equals(actor.tenant())) {
      return Decision.deny(Decision.Reason.OTHER_TENANT, "the user belongs to another tenant");
    }
    return policy.decide(actor, action, relation);
  }

  /**
   * May the actor do an action to a user already loaded (bulk work decides many at once)? The
   * target is related to the actor only as self or other.
   *
   * @param actor who acts
   * @param action what
   * @param target the user
   * @return the decision
   */
  public Decision decideOnLoaded(Actor actor, Action action, User target) {
    Relation relation =
        actor.userId().equals(Optional.of(target.id())) ? Relation.SELF : Relation.OTHER;
    return decideOn(actor, action, target, relation);
  }

  /**
   * Refuses work that would put more users on seats than the tenant's licence allows.
   *
   * @param tenant the tenant
   * @param more how many more users would occupy a seat
   * @throws ConflictException with {@link ErrorCode#SEAT_LIMIT_REACHED}
   */
  public void requireSeats(TenantId tenant, int more) {
    checkSeats(tenant, settings(tenant), more);
  }

  private void require(Actor actor, Action action) {
    decide(actor, action).orThrow();
  }

  private void require(Actor actor, Action action, User target) {
    decideOn(actor, action, target, hierarchy.relation(actor.userId(), target)).orThrow();
  }

  // ============================================================================ reading

  /**
   * One user, as much of the record as the actor may see.
   *
   * @param actor who reads
   * @param id the user
   * @return the visible record
   * @throws NotFoundException when the tenant has no such user
   */
  public User get(Actor actor, UserId id) {
    User u = load(actor.tenant(), id);
    return policy.visiblePart(
        actor, u, hierarchy.relation(actor.userId(), u), schema(actor.tenant()));
  }

  /**
   * Users by e-mail address, in one lookup per chunk (for pickers and imports).
   *
   * @param actor who reads; needs {@link Action#VIEW_USERS}
   * @param emails addresses
   * @return the users found, by address key
   */
  public Map<String, User> findByEmails(Actor actor, Collection<EmailAddress> emails) {
    require(actor, Action.VIEW_USERS);
    return Batches.lookup(
        List.copyOf(new LinkedHashSet<>(emails)),
        stores.users().maxBatchSize(),
        part -> stores.users().findByEmails(actor.tenant(), part));
  }

  private User load(TenantId tenant, UserId id) {
    return stores
        .users()
        .get(tenant, id)
        .orElseThrow(
            () ->
                new NotFoundException(
                    Problem.ofField(
                        ErrorCode.USER_NOT_FOUND, "id", "no user " + id + " in tenant " + tenant)));
  }

  // ============================================================================ searching

  /**
   * One page of the users table: free-text search, filter, sort and keyset pagination, with the
   * cursor of the next page and, when asked, the total. Each user is shown as far as the actor may
   * see it.
   *
   * @param actor who reads; needs {@link Action#VIEW_USERS}
   * @param query the query (its cursor, if any, must come from the same query)
   * @return the page
   * @throws dev.usermgmt.query.InvalidFilterException for unknown attributes or mistyped values
   * @throws InvalidInputException with {@link ErrorCode#INVALID_CURSOR} for a cursor that was
   *     altered or made for another query
   */
  public Page<User> search(Actor actor, UserQuery query) {
    require(actor, Action.VIEW_USERS);
    TenantId tenant = actor.tenant();
    AttributeSchema schema = schema(tenant);
    Optional<Keyset> after = query.cursor().map(c -> cursors.decode(query, c));
    PreparedQuery prepared =
        PreparedQuery.prepare(query, schema, roles, after, query.pageSize() + 1);
    List<User> rows = stores.users().query(tenant, prepared);
    boolean more = rows.size() > query.pageSize();
    List<User> page = more ? rows.subList(0, query.pageSize()) : rows;
    Optional<String> next = Optional.empty();
    if (more) {
      QueryEvaluator eval = QueryEvaluator.of(prepared, id -> List.of());
      next = Optional.of(cursors.encode(query, eval.keyset(page.get(page.size() - 1))));
    }
    OptionalLong total =
        query.includeTotal()
            ? OptionalLong.of(stores.users().count(tenant, prepared))
            : OptionalLong.empty();
    List<User> visible =
        page.stream().map(u -> policy.visiblePart(actor, u, Relation.OTHER, schema)).toList();
    return new Page<>(visible, next, total);
  }

  /**
   * Walks every user of a query's view, page by page in the query's order, with one store query per
   * page: what exports and "send to the filtered view" use. The query's cursor is ignored.
   *
   * @param actor who reads; needs {@link Action#VIEW_USERS}
   * @param query the view
   * @param pages receives each page (at most the query's page size)
   */
  public void walk(Actor actor, UserQuery query, Consumer<List<User>> pages) {
    require(actor, Action.VIEW_USERS);
    TenantId tenant = actor.tenant();
    AttributeSchema schema = schema(tenant);
    Optional<Keyset> after = Optional.empty();
    while (true) {
      PreparedQuery prepared = PreparedQuery.prepare(query, schema, roles, after, query.pageSize());
      List<User> rows = stores.users().query(tenant, prepared);
      if (rows.isEmpty()) {
        return;
      }
      pages.accept(
          rows.stream().map(u -> policy.visiblePart(actor, u, Relation.OTHER, schema)).toList());
      if (rows.size() < query.pageSize()) {
        return;
      }
      after =
          Optional.of(
              QueryEvaluator.of(prepared, id -> List.of()).keyset(rows.get(rows.size() - 1)));
    }
  }

  /**
   * Autocomplete of a column's values ("Department", "Company", "Location"…).
   *
   * @param actor who reads; needs {@link Action#VIEW_USERS}
   * @param attribute a single-valued text attribute, e.g. {@code department}
   * @param prefix what was typed
   * @param limit the most values
   * @return distinct values, by folded order
   */
  public List<String> distinctValues(Actor actor, String attribute, String prefix, int limit) {
    require(actor, Action.VIEW_USERS);
    QueryAttribute a = QueryAttributes.require(attribute, schema(actor.tenant()));
    if (a.type() != QueryAttribute.Type.TEXT || a.multiValued() || a.field().isEmpty()) {
      throw new InvalidInputException(
          Problem.ofField(
              ErrorCode.INVALID_QUERY, "attribute", attribute + " has no values to suggest"));
    }
    return stores.users().distinctValues(actor.tenant(), a, prefix, limit);
  }

  /**
   * Autocomplete of users by name or e-mail prefix (user and manager pickers).
   *
   * @param actor who reads; needs {@link Action#VIEW_USERS}
   * @param prefix what was typed
   * @param limit the most users
   * @return the users, by name
   */
  public List<User> suggestUsers(Actor actor, String prefix, int limit) {
    require(actor, Action.VIEW_USERS);
    AttributeSchema schema = schema(actor.tenant());
    return stores.users().suggestUsers(actor.tenant(), prefix, limit).stream()
        .map(u -> policy.visiblePart(actor, u, Relation.OTHER, schema))
        .toList();
  }

  /**
   * "Send Invitation Email": sends to every user of the filtered view who is active and has never
   * signed in, and re-sends to users whose invitation is pending.
   *
   * @param actor who acts; needs {@link Action#SEND_INVITATIONS}
   * @param view the current filtered view
   * @return sent, failed and skipped users
   */
  public InvitationResult inviteView(Actor actor, UserQuery view) {
    require(actor, Action.SEND_INVITATIONS);
    List<UserId> eligible = new ArrayList<>();
    walk(
        actor,
        view,
        page ->
            page.stream()
                .filter(
                    u ->
                        (u.status() == UserStatus.ACTIVE && u.neverLoggedIn())
                            || u.status() == UserStatus.INVITE_PENDING)
                .forEach(u -> eligible.add(u.id())));
    return invite(actor, eligible);
  }

  // ============================================================================ creating

  /**
   * Creates several users in one call ("User #1, User #2, …"), all or none.
   *
   * @param actor who acts; needs {@link Action#ADD_USERS}
   * @param drafts the users to create
   * @param channel how they are created (decides the initial status)
   * @param sendInvitations whether new users with an e-mail get an invitation or welcome e-mail
   * @return the created users and the invitation outcome
   * @throws InvalidInputException listing every problem of every draft, with row = the draft's
   *     1-based position (nothing is created)
   * @throws ConflictException when an e-mail address is taken or the seat limit would be passed
   */
  public CreateResult create(
      Actor actor, List<UserDraft> drafts, CreationChannel channel, boolean sendInvitations) {
    require(actor, Action.ADD_USERS);
    TenantId tenant = actor.tenant();
    TenantSettings ts = settings(tenant);
    AttributeSchema schema = schema(tenant);
    List<Problem> problems = new ArrayList<>();
    Map<UserId, User> pending = new LinkedHashMap<>();
    Set<String> emailsInBatch = new HashSet<>();
    List<EmailAddress> emails = new ArrayList<>();
    drafts.forEach(d -> d.primaryEmail().ifPresent(emails::add));
    Map<String, User> taken = lookupEmails(tenant, emails);
    Set<UserId> existingIds =
        lookupIds(tenant, drafts.stream().flatMap(d -> d.id().stream()).toList()).keySet();
    Instant now = clock.instant();
    UserStatus initial = ts.initialStatusFor(channel);
    for (int i = 0; i < drafts.size(); i++) {
      UserDraft d = drafts.get(i);
      long row = i + 1L;
      List<Problem> rowProblems = new ArrayList<>(Validation.problems(d));
      Role role = d.role().orElse(roles.defaultRole());
      if (!roles.contains(role) || role.equals(roles.blockedRole())) {
        rowProblems.add(Problem.ofField(ErrorCode.INVALID_ROLE, "role", "unknown role " + role));
      } else if (role.level() > actor.peopleRole().level() && !actor.system()) {
        rowProblems.add(
            Problem.ofField(
                ErrorCode.INVALID_ROLE,
                "role",
                "nobody assigns a role above their own: " + role + " > " + actor.peopleRole()));
      }
      if (d.primaryEmail().isPresent()) {
        String key = d.primaryEmail().get().key();
        if (taken.containsKey(key) || !emailsInBatch.add(key)) {
          rowProblems.add(
              Problem.ofField(
                  ErrorCode.EMAIL_TAKEN,
                  "primaryEmail",
                  "another user already has the e-mail address " + d.primaryEmail().get()));
        }
      }
      rowProblems.addAll(schema.validate(d.attributes(), true));
      rowProblems.addAll(checkModules(ts, d.modules()));
      rowProblems.addAll(checkGroups(tenant, d.groups()));
      UserId id = d.id().orElseGet(() -> UserId.random(random));
      if (d.id().isPresent() && (pending.containsKey(id) || existingIds.contains(id))) {
        rowProblems.add(Problem.ofField(ErrorCode.ALREADY_EXISTS, "id", "user " + id + " exists"));
      }
      if (rowProblems.isEmpty()) {
        try {
          User.Builder b =
              User.builder()
                  .id(id)
                  .tenant(tenant)
                  .firstName(d.firstName().map(String::strip))
                  .lastName(d.lastName().map(String::strip))
                  .initials(d.initials().map(String::strip))
                  .username(d.username().map(String::strip))
                  .primaryEmail(d.primaryEmail())
                  .phoneNumber(d.phoneNumber())
                  .role(role)
                  .status(initial)
                  .jobTitle(d.jobTitle().map(String::strip))
                  .position(d.position().map(String::strip))
                  .department(d.department().map(String::strip))
                  .company(d.company().map(String::strip))
                  .location(d.location().map(String::strip))
                  .office(d.office().map(String::strip))
                  .userType(d.userType().map(String::strip))
                  .employeeId(d.employeeId().map(String::strip))
                  .managerId(d.managerId())
                  .hireDate(d.hireDate())
                  .timeZone(d.timeZone())
                  .language(d.language())
                  .modules(d.modules())
                  .groups(d.groups())
                  .attributes(d.attributes())
                  .passwordState(PasswordState.NONE)
                  .version(1)
                  .createdAt(now)
                  .updatedAt(now);
          d.displayName().map(String::strip).ifPresent(b::displayName);
          pending.put(id, b.build());
        } catch (InvalidInputException e) {
          rowProblems.addAll(e.problems());
        }
      }
      rowProblems.forEach(p -> problems.add(p.atRow(row)));
    }
    if (problems.isEmpty()) {
      // the managers named, fetched in one lookup per chunk, so the cycle walk rarely reads more
      Map<UserId, User> known = new HashMap<>(pending);
      known.putAll(
          lookupIds(
              tenant,
              pending.values().stream()
                  .flatMap(u -> u.managerId().stream())
                  .filter(m -> !pending.containsKey(m))
                  .distinct()
                  .toList()));
      int i = 0;
      for (User u : pending.values()) {
        long row = ++i;
        if (u.managerId().isPresent()) {
          try {
            hierarchy.checkManager(tenant, u.id(), u.managerId().get(), known);
          } catch (InvalidInputException e) {
            e.problems().forEach(p -> problems.add(p.atRow(row)));
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      throw UserMgmtException.of(problems);
    }
    List<User> users = List.copyOf(pending.values());
    ChangeSet cs =
        stores
            .transactions()
            .inTransaction(
                () -> {
                  if (initial.occupiesSeat()) {
                    checkSeats(tenant, ts, users.size());
                  }
                  UnitOfWork w = unit(actor, "user.create", Optional.empty(), now);
                  w.insert(users);
                  return w.commit().orElseThrow();
                });
    LOG.debug("created {} users in {} ({})", users.size(), tenant, cs.id());
    if (!sendInvitations) {
      return new CreateResult(users, List.of(), List.of(), cs.id());
    }
    InvitationResult inv = invite(actor, users.stream().map(User::id).toList());
    Map<UserId, User> after = new LinkedHashMap<>();
    users.forEach(u -> after.put(u.id(), u));
    if (!inv.sent().isEmpty()) {
      stores.users().getAll(tenant, inv.sent()).forEach(after::put);
    }
    return new CreateResult(List.copyOf(after.values()), inv.sent(), inv.failed(), cs.id());
  }

  private Map<String, User> lookupEmails(TenantId tenant, List<EmailAddress> emails) {
    return Batches.lookup(
        emails, stores.users().maxBatchSize(), part -> stores.users().findByEmails(tenant, part));
  }

  private Map<UserId, User> lookupIds(TenantId tenant, List<UserId> ids) {
    return Batches.lookup(
        ids, stores.users().maxBatchSize(), part -> stores.users().getAll(tenant, part));
  }

  private static List<Problem> checkModules(TenantSettings ts, Set<String> modules) {
    List<Problem> out = new ArrayList<>();
    for (String m : modules) {
      if (!ts.modules().contains(m)) {
        out.add(
            Problem.ofField(
                ErrorCode.UNKNOWN_MODULE,
                "modules",
                "unknown module '" + m + "'; known: " + ts.modules()));
      }
    }
    return out;
  }

  private List<Problem> checkGroups(TenantId tenant, Set<String> groups) {
    List<Problem> out = new ArrayList<>();
    for (String g : groups) {
      if (stores.groups().get(tenant, g).isEmpty()) {
        out.add(Problem.ofField(ErrorCode.UNKNOWN_GROUP, "groups", "no group '" + g + "'"));
      }
    }
    return out;
  }

  private void checkSeats(TenantId tenant, TenantSettings ts, int more) {
    if (ts.seatLimit().isPresent()) {
      long used = stores.users().countByStatus(tenant, occupying());
      if (used + more > ts.seatLimit().getAsLong()) {
        throw new ConflictException(
            Problem.of(
                ErrorCode.SEAT_LIMIT_REACHED,
                "the tenant has "
                    + used
                    + " of "
                    + ts.seatLimit().getAsLong()
                    + " licensed seats in use; "
                    + more
                    + " more would pass the limit (deactivate users to free seats)"));
      }
    }
  }

  private static Set<UserStatus> occupying() {
    EnumSet<UserStatus> s = EnumSet.noneOf(UserStatus.class);
    for (UserStatus st : UserStatus.values()) {
      if (st.occupiesSeat()) {
        s.add(st);
      }
    }
    return s;
  }

  // ============================================================================ editing

  /**
   * Edits a user, as the edit-user dialog does: e-mail is read-only, roles stay at or below the
   * actor's, managers change only attributes editable by managers, users only their own profile
   * fields.
   *
   * @param actor who acts
   * @param id the user
   * @param expectedVersion the version the form was loaded at
   * @param patch the changes
   * @return the user after the edit
   * @throws ConflictException with {@link ErrorCode#VERSION_CONFLICT} when the user changed since
   *     {@code expectedVersion}; nothing is overwritten
   */
  public User edit(Actor actor, UserId id, long expectedVersion, UserPatch patch) {
    return edit(actor, id, expectedVersion, patch, EditChannel.FORM, "user.edit");
  }

  User edit(
      Actor actor,
      UserId id,
      long expectedVersion,
      UserPatch patch,
      EditChannel channel,
      String operation) {
    TenantId tenant = actor.tenant();
    return stores
        .transactions()
        .inTransaction(
            () -> {
              User before = load(tenant, id);
              AttributeSchema schema = schema(tenant);
              Relation relation = hierarchy.relation(actor.userId(), before);
              policy.decideEdit(actor, before, relation, patch, schema, channel).orThrow();
              if (before.version() != expectedVersion) {
                throw new ConflictException(
                    Problem.ofField(
                        ErrorCode.VERSION_CONFLICT,
                        "version",
                        "user "
                            + id
                            + " is at version "
                            + before.version()
                            + ", not "
                            + expectedVersion
                            + "; reload and edit again"));
              }
              User after = validatedPatch(tenant, before, patch, schema);
              UnitOfWork w = unit(actor, operation, Optional.empty(), clock.instant());
              User stored = w.update(before, after);
              w.commit();
              return stored;
            });
  }

  private User validatedPatch(
      TenantId tenant, User before, UserPatch patch, AttributeSchema schema) {
    List<Problem> problems = new ArrayList<>(patch.validateAttributes(schema));
    TenantSettings ts = settings(tenant);
    patch
        .fields()
        .forEach(
            (f, v) -> {
              if (f == UserField.MODULES && v.isPresent()) {
                problems.addAll(checkModules(ts, castSet(v.get())));
              }
              if (f == UserField.GROUPS && v.isPresent()) {
                problems.addAll(checkGroups(tenant, castSet(v.get())));
              }
              if (f == UserField.ROLE && v.isPresent()) {
                Role r = (Role) v.get();
                if (!roles.contains(r)) {
                  problems.add(
                      Problem.ofField(ErrorCode.INVALID_ROLE, "role", "unknown role " + r));
                }
              }
            });
    User after;
    try {
      after = patch.applyTo(before);
    } catch (InvalidInputException e) {
      problems.addAll(e.problems());
      throw new InvalidInputException(problems);
    }
    if (after.managerId().isPresent() && !after.managerId().equals(before.managerId())) {
      try {
        hierarchy.checkManager(tenant, after.id(), after.managerId().get(), Map.of());
      } catch (InvalidInputException e) {
        problems.addAll(e.problems());
      }
    }
    if (!problems.isEmpty()) {
      throw UserMgmtException.of(problems);
    }
    return after;
  }

  @SuppressWarnings("unchecked")
  private static Set<String> castSet(Object o) {
    return (Set<String>) o;
  }

  /**
   * Sets (or clears) a user's direct manager, refusing reporting cycles.
   *
   * @param actor who acts; needs {@link Action#EDIT_USER}
   * @param id the user
   * @param manager the new manager, or empty
   * @return the user after
   */
  public User setManager(Actor actor, UserId id, Optional<UserId> manager) {
    UserPatch.Builder p = UserPatch.builder();
    if (manager.isPresent()) {
      p.set(UserField.MANAGER_ID, manager.get());
    } else {
      p.clear(UserField.MANAGER_ID);
    }
    User u = load(actor.tenant(), id);
    return edit(actor, id, u.version(), p.build(), EditChannel.FORM, "user.set_manager");
  }

  /**
   * "Set user modules": replaces a user's modules.
   *
   * @param actor who acts; needs {@link Action#SET_MODULES}
   * @param id the user
   * @param modules module keys from the tenant's catalog
   * @return the user after
   */
  public User setModules(Actor actor, UserId id, Set<String> modules) {
    User u = load(actor.tenant(), id);
    require(actor, Action.SET_MODULES, u);
    return edit(
        actor,
        id,
        u.version(),
        UserPatch.builder().set(UserField.MODULES, modules).build(),
        EditChannel.FORM,
        "user.set_modules");
  }

  // ============================================================================ lifecycle

  /**
   * "Deactivate User": blocks sign-in, keeps all data; the effective role becomes Blocked.
   *
   * @param actor who acts; needs {@link Action#DEACTIVATE_USER}
   * @param id the user
   * @return the user after
   */
  public User deactivate(Actor actor, UserId id) {
    return transition(
        actor,
        id,
        Transition.DEACTIVATE,
        Action.DEACTIVATE_USER,
        "user.deactivate",
        Optional.empty());
  }

  /**
   * Reactivates a deactivated user, history intact; needs a free seat.
   *
   * @param actor who acts; needs {@link Action#REACTIVATE_USER}
   * @param id the user
   * @return the user after
   */
  public User reactivate(Actor actor, UserId id) {
    return transition(
        actor,
        id,
        Transition.REACTIVATE,
        Action.REACTIVATE_USER,
        "user.reactivate",
        Optional.empty());
  }

  /**
   * "Suspend Users": revokes access temporarily.
   *
   * @param actor who acts; needs {@link Action#SUSPEND}
   * @param id the user
   * @return the user after
   */
  public User suspend(Actor actor, UserId id) {
    return transition(
        actor, id, Transition.SUSPEND, Action.SUSPEND, "user.suspend", Optional.empty());
  }

  /**
   * Gives a suspended user access again.
   *
   * @param actor who acts; needs {@link Action#SUSPEND}
   * @param id the user
   * @return the user after
   */
  public User unsuspend(Actor actor, UserId id) {
    return transition(
        actor, id, Transition.UNSUSPEND, Action.SUSPEND, "user.unsuspend", Optional.empty());
  }

  /**
   * "Activate Now".
   *
   * @param actor who acts; needs {@link Action#ACTIVATE}
   * @param id the user
   * @return the user after
   */
  public User activate(Actor actor, UserId id) {
    return transition(
        actor, id, Transition.ACTIVATE, Action.ACTIVATE, "user.activate", Optional.empty());
  }

  /**
   * "Schedule Activation": the user is activated by {@link #runDueSchedules} at or after {@code
   * at}.
   *
   * @param actor who acts; needs {@link Action#SCHEDULE_ACTIVATION}
   * @param id the user
   * @param at when
   * @return the user after
   */
  public User scheduleActivation(Actor actor, UserId id, Instant at) {
    return transition(
        actor,
        id,
        Transition.SCHEDULE_ACTIVATION,
        Action.SCHEDULE_ACTIVATION,
        "user.schedule_activation",
        Optional.of(at));
  }

  /**
   * Schedules the invitation of a staged user.
   *
   * @param actor who acts; needs {@link Action#SEND_INVITATIONS}
   * @param id the user
   * @param at when
   * @return the user after
   */
  public User scheduleInvitation(Actor actor, UserId id, Instant at) {
    return transition(
        actor,
        id,
        Transition.SCHEDULE_INVITE,
        Action.SEND_INVITATIONS,
        "user.schedule_invitation",
        Optional.of(at));
  }

  /**
   * Records that a user accepted their invitation (the host calls this on first sign-in).
   *
   * @param tenant the tenant
   * @param id the user
   * @return the user after
   */
  public User acceptInvitation(TenantId tenant, UserId id) {
    return transition(
        Actor.system(tenant, roles),
        id,
        Transition.ACCEPT,
        Action.ACTIVATE,
        "user.accept_invitation",
        Optional.empty());
  }

  /**
   * Records a sign-in (the host calls this): sets last login and last activity.
   *
   * @param tenant the tenant
   * @param id the user
   * @param at when
   * @return the user after
   */
  public User recordLogin(TenantId tenant, UserId id, Instant at) {
    Actor system = Actor.system(tenant, roles);
    return stores
        .transactions()
        .inTransaction(
            () -> {
              User before = load(tenant, id);
              User after = before.toBuilder().lastLoginAt(at).lastActivityAt(at).build();
              UnitOfWork w = unit(system, "user.login", Optional.empty(), clock.instant());
              User stored = w.update(before, after);
              w.commit();
              return stored;
            });
  }

  private User transition(
      Actor actor,
      UserId id,
      Transition t,
      Action action,
      String operation,
      Optional<Instant> when) {
    TenantId tenant = actor.tenant();
    return stores
        .transactions()
        .inTransaction(
            () -> {
              User before = load(tenant, id);
              require(actor, action, before);
              if (actor.userId().equals(Optional.of(id))
                  && (t == Transition.DEACTIVATE || t == Transition.SUSPEND)) {
                throw new ConflictException(
                    Problem.ofField(
                        ErrorCode.ILLEGAL_TRANSITION,
                        "status",
                        "you cannot " + t.name().toLowerCase(java.util.Locale.ROOT) + " yourself"));
              }
              Instant now = clock.instant();
              User after = UserLifecycle.apply(before, t, now, when).orElseThrow();
              if (!before.status().occupiesSeat() && after.status().occupiesSeat()) {
                checkSeats(tenant, settings(tenant), 1);
              }
              UnitOfWork w = unit(actor, operation, Optional.empty(), now);
              User stored = w.update(before, after);
              w.commit();
              return stored;
            });
  }

  /**
   * "Delete User": permanently removes a deactivated user.
   *
   * @param actor who acts; needs {@link Action#DELETE_USER}
   * @param id the user
   * @throws ConflictException with {@link ErrorCode#ILLEGAL_TRANSITION} when the user is not
   *     deactivated
   */
  public void delete(Actor actor, UserId id) {
    TenantId tenant = actor.tenant();
    stores
        .transactions()
        .run(
            () -> {
              User before = load(tenant, id);
              require(actor, Action.DELETE_USER, before);
              UserLifecycle.next(before.status(), Transition.DELETE);
              UnitOfWork w = unit(actor, "user.delete", Optional.empty(), clock.instant());
              w.delete(List.of(before));
              w.commit();
            });
  }

  /**
   * "Anonymise users" (GDPR): removes name, e-mail, phone and personal custom attributes from a
   * deactivated user, irreversibly — from the change log's history too, which keeps the facts of
   * what happened but no personal data. The id stays.
   *
   * @param actor who acts; needs {@link Action#ANONYMISE}
   * @param id the user
   * @return the user after
   */
  public User anonymise(Actor actor, UserId id) {
    TenantId tenant = actor.tenant();
    return stores
        .transactions()
        .inTransaction(
            () -> {
              User before = load(tenant, id);
              require(actor, Action.ANONYMISE, before);
              UserStatus next =
                  UserLifecycle.next(before.status(), Transition.ANONYMISE).orElseThrow();
              AttributeSchema schema = schema(tenant);
              Map<String, AttributeValue> kept = new LinkedHashMap<>();
              Set<String> scrub = new HashSet<>();
              PERSONAL_FIELDS.forEach(f -> scrub.add(f.key()));
              before
                  .attributes()
                  .forEach(
                      (k, v) -> {
                        if (schema.definition(k).map(AttributeDefinition::personal).orElse(false)) {
                          scrub.add(FieldDiff.ATTRIBUTE_PREFIX + k);
                        } else {
                          kept.put(k, v);
                        }
                      });
              User after =
                  before.toBuilder()
                      .status(next)
                      .displayName(User.ANONYMISED_NAME)
                      .firstName(Optional.empty())
                      .lastName(Optional.empty())
                      .initials(Optional.empty())
                      .username(Optional.empty())
                      .primaryEmail(Optional.empty())
                      .phoneNumber(Optional.empty())
                      .attributes(kept)
                      .build();
              UnitOfWork w = unit(actor, "user.anonymise", Optional.empty(), clock.instant());
              User stored = w.update(before, after);
              w.commit();
              stores.changeLog().scrub(tenant, id, scrub);
              return stored;
            });
  }

  // ============================================================================ invitations

  /**
   * Sends (or resends) invitations: staged, scheduled and pending users get an invitation and
   * become invite-pending; active users who never signed in get a welcome e-mail. Users without an
   * e-mail, inactive users and users who signed in are skipped. E-mail goes out first; the invite
   * state is recorded only for users whose e-mail was sent.
   *
   * @param actor who acts; needs {@link Action#SEND_INVITATIONS}
   * @param ids the users
   * @return sent, failed and skipped users
   */
  public InvitationResult invite(Actor actor, List<UserId> ids) {
    require(actor, Action.SEND_INVITATIONS);
    TenantId tenant = actor.tenant();
    List<UserId> sent = new ArrayList<>();
    List<UserId> failed = new ArrayList<>();
    List<UserId> skipped = new ArrayList<>();
    List<User> before = new ArrayList<>();
    List<User> after = new ArrayList<>();
    Instant now = clock.instant();
    int chunk = stores.users().maxBatchSize();
    List<UserId> distinct = List.copyOf(new LinkedHashSet<>(ids));
    for (int i = 0; i < distinct.size(); i += chunk) {
      List<UserId> part = distinct.subList(i, Math.min(distinct.size(), i + chunk));
      Map<UserId, User> found = stores.users().getAll(tenant, part);
      for (UserId id : part) {
        User u = found.get(id);
        Optional<InvitationSender.Kind> kind = u == null ? Optional.empty() : invitationKind(u);
        if (u == null || kind.isEmpty() || u.primaryEmail().isEmpty()) {
          skipped.add(id);
          continue;
        }
        try {
          invitations.send(tenant, id, u.primaryEmail().get(), kind.get());
        } catch (RuntimeException e) {
          LOG.warn("invitation to user {} in {} failed", id, tenant, e);
          failed.add(id);
          continue;
        }
        sent.add(id);
        User.Builder b = u.toBuilder().invitedAt(now).inviteScheduledAt(Optional.empty());
        if (kind.get() == InvitationSender.Kind.INVITATION) {
          b.status(UserLifecycle.next(u.status(), Transition.INVITE).orElseThrow());
        }
        if (u.passwordState() == PasswordState.NONE) {
          b.passwordState(PasswordState.PENDING);
        }
        before.add(u);
        after.add(b.build());
      }
    }
    if (sent.isEmpty()) {
      return new InvitationResult(sent, failed, skipped, Optional.empty());
    }
    String csId =
        stores
            .transactions()
            .inTransaction(
                () -> {
                  UnitOfWork w = unit(actor, "user.invite", Optional.empty(), now);
                  w.update(before, after);
                  return w.commit().map(ChangeSet::id).orElse("");
                });
    return new InvitationResult(sent, failed, skipped, Optional.of(csId).filter(s -> !s.isEmpty()));
  }

  private static Optional<InvitationSender.Kind> invitationKind(User u) {
    if (UserLifecycle.isAllowed(u.status(), Transition.INVITE)) {
      return Optional.of(InvitationSender.Kind.INVITATION);
    }
    if (u.status() == UserStatus.ACTIVE && u.neverLoggedIn()) {
      return Optional.of(InvitationSender.Kind.WELCOME);
    }
    return Optional.empty();
  }

  /**
   * Runs the scheduled invitations and activations that are due by the clock. Hosts call it
   * periodically for each tenant; work that fails stays scheduled and is retried next run.
   *
   * @param tenant the tenant
   * @return what was done
   */
  public ScheduleRun runDueSchedules(TenantId tenant) {
    Actor system = Actor.system(tenant, roles);
    Instant now = clock.instant();
    List<UserId> invited = new ArrayList<>();
    List<UserId> activated = new ArrayList<>();
    List<UserId> failedAll = new ArrayList<>();
    Set<UserId> done = new HashSet<>();
    while (true) {
      List<User> due = stores.users().findDueSchedules(tenant, now, 500);
      List<User> fresh = due.stream().filter(u -> !done.contains(u.id())).toList();
      if (fresh.isEmpty()) {
        break;
      }
      List<UserId> toInvite = new ArrayList<>();
      for (User u : fresh) {
        done.add(u.id());
        boolean activation = u.activationScheduledAt().map(t -> !t.isAfter(now)).orElse(false);
        if (activation) {
          try {
            transition(
                system,
                u.id(),
                Transition.ACTIVATE,
                Action.ACTIVATE,
                "user.scheduled_activation",
                Optional.empty());
            activated.add(u.id());
          } catch (UserMgmtException e) {
            LOG.warn("scheduled activation of {} in {} failed: {}", u.id(), tenant, e.getMessage());
            failedAll.add(u.id());
          }
        } else {
          toInvite.add(u.id());
        }
      }
      if (!toInvite.isEmpty()) {
        InvitationResult r = invite(system, toInvite);
        invited.addAll(r.sent());
        failedAll.addAll(r.failed());
        failedAll.addAll(r.skipped());
      }
    }
    return new ScheduleRun(invited, activated, failedAll);
  }

  // ============================================================================ account actions

  /**
   * "Unlock User Accounts".
   *
   * @param actor who acts; needs {@link Action#UNLOCK}
   * @param id the user
   * @return the user after
   */
  public User unlock(Actor actor, UserId id) {
    return account(actor, id, Action.UNLOCK, "user.unlock", b -> b.lockedOut(false));
  }

  /**
   * "Force Password Change": the password expires and must be changed at next sign-in.
   *
   * @param actor who acts; needs {@link Action#FORCE_PASSWORD_CHANGE}
   * @param id the user
   * @return the user after
   */
  public User forcePasswordChange(Actor actor, UserId id) {
    return account(
        actor,
        id,
        Action.FORCE_PASSWORD_CHANGE,
        "user.force_password_change",
        b -> b.passwordState(PasswordState.EXPIRED));
  }

  /**
   * "Change User MFA Requirement".
   *
   * @param actor who acts; needs {@link Action#MANAGE_MFA}
   * @param id the user
   * @param required whether MFA is required
   * @return the user after
   */
  public User requireMfa(Actor actor, UserId id, boolean required) {
    return account(actor, id, Action.MANAGE_MFA, "user.require_mfa", b -> b.mfaRequired(required));
  }

  /**
   * Records that a user was locked out after failed sign-ins (the host calls this).
   *
   * @param tenant the tenant
   * @param id the user
   * @return the user after
   */
  public User recordLockout(TenantId tenant, UserId id) {
    return account(
        Actor.system(tenant, roles), id, Action.UNLOCK, "user.lockout", b -> b.lockedOut(true));
  }

  private User account(
      Actor actor, UserId id, Action action, String operation, UnaryOperator<User.Builder> change) {
    TenantId tenant = actor.tenant();
    return stores
        .transactions()
        .inTransaction(
            () -> {
              User before = load(tenant, id);
              require(actor, action, before);
              UnitOfWork w = unit(actor, operation, Optional.empty(), clock.instant());
              User stored = w.update(before, change.apply(before.toBuilder()).build());
              w.commit();
              return stored;
            });
  }

  /**
   * "Reset User": resets the user's data or state in the host (org-defined) and records it.
   *
   * @param actor who acts; needs {@link Action#RESET_USER}
   * @param id the user
   */
  public void reset(Actor actor, UserId id) {
    TenantId tenant = actor.tenant();
    User u = load(tenant, id);
    require(actor, Action.RESET_USER, u);
    resetter.reset(tenant, id);
    stores
        .transactions()
        .run(
            () -> {
              UnitOfWork w = unit(actor, "user.reset", Optional.empty(), clock.instant());
              w.record(
                  UserChange.builder()
                      .userId(id)
                      .kind(UserChange.Kind.UPDATED)
                      .versionBefore(u.version())
                      .versionAfter(u.version())
                      .build());
              w.detail("user " + id + " was reset");
              w.commit();
            });
  }

  /**
   * "Transfer ownership": the host moves what one user owns to another.
   *
   * @param actor who acts; needs {@link Action#TRANSFER_OWNERSHIP}
   * @param from the current owner
   * @param to the new owner (must exist and not be deactivated)
   * @return how many objects moved
   */
  public long transferOwnership(Actor actor, UserId from, UserId to) {
    TenantId tenant = actor.tenant();
    User source = load(tenant, from);
    User target = load(tenant, to);
    require(actor, Action.TRANSFER_OWNERSHIP, source);
    if (target.status().isInactive() || from.equals(to)) {
      throw new InvalidInputException(
          Problem.ofField(ErrorCode.INVALID_VALUE, "to", "ownership goes to another, active user"));
    }
    long moved = ownership.transfer(tenant, from, to);
    stores
        .transactions()
        .run(
            () -> {
              UnitOfWork w =
                  unit(actor, "user.transfer_ownership", Optional.empty(), clock.instant());
              w.detail(moved + " objects moved from " + from + " to " + to);
              w.commit();
            });
    return moved;
  }

  /**
   * May the actor impersonate ("sign in as") a user? Needs the impersonation rule, an active target
   * and a target whose role is not above the actor's.
   *
   * @param actor who asks
   * @param id the user
   * @return the decision
   */
  public Decision mayImpersonate(Actor actor, UserId id) {
    User u = load(actor.tenant(), id);
    Decision d = decideOn(actor, Action.IMPERSONATE, u, hierarchy.relation(actor.userId(), u));
    if (d.allowed() && !u.status().canSignIn()) {
      return Decision.deny(
          Decision.Reason.TARGET_INACTIVE, "only active users can be impersonated");
    }
    if (d.allowed() && actor.userId().equals(Optional.of(id))) {
      return Decision.deny(Decision.Reason.NOT_SELF_OR_REPORT, "you cannot impersonate yourself");
    }
    return d;
  }

  /**
   * "Generate POC Passwords": strong temporary passwords for users of a demo tenant, from the
   * injected {@link SecureRandom}. The library does not store them; the host sets them.
   *
   * @param actor who acts; needs {@link Action#GENERATE_DEMO_PASSWORDS} (demo tenants only)
   * @param ids the users
   * @return a password per user
   */
  public Map<UserId, String> generateDemoPasswords(Actor actor, List<UserId> ids) {
    require(actor, Action.GENERATE_DEMO_PASSWORDS);
    TenantId tenant = actor.tenant();
    int length = settings(tenant).demoPasswordLength();
    Map<UserId, String> out = new LinkedHashMap<>();
    for (UserId id : new LinkedHashSet<>(ids)) {
      load(tenant, id);
      out.put(id, password(length));
    }
    stores
        .transactions()
        .run(
            () -> {
              UnitOfWork w = unit(actor, "user.demo_passwords", Optional.empty(), clock.instant());
              w.detail("demo passwords generated for " + out.size() + " users");
              w.commit();
            });
    return out;
  }

  private String password(int length) {
    String[] classes = {
      "ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz", "23456789", "!@#$%^&*-_=+?"
    };
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      String alphabet = i < classes.length ? classes[i] : PASSWORD_ALPHABET;
      out[i] = alphabet.charAt(random.nextInt(alphabet.length()));
    }
    for (int i = length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      char c = out[i];
      out[i] = out[j];
      out[j] = c;
    }
    return new String(out);
  }

  // ============================================================================ hierarchy

  /**
   * The managers of a user, nearest first ("Managers": the full hierarchy of ancestors).
   *
   * @param actor who reads; needs to see the user
   * @param id the user
   * @return the ancestors
   */
  public List<User> ancestors(Actor actor, UserId id) {
    User u = get(actor, id);
    return hierarchy.ancestors(actor.tenant(), u);
  }

  /**
   * A user's reports.
   *
   * @param actor who reads: admins, or the manager themself
   * @param id the manager
   * @param indirect whether to include reports of reports
   * @return the reports, breadth first
   */
  public List<User> reports(Actor actor, UserId id, boolean indirect) {
    if (!actor.userId().equals(Optional.of(id))) {
      require(actor, Action.VIEW_USERS);
    }
    return hierarchy.reports(actor.tenant(), id, indirect);
  }

  // ============================================================================ attributes and
  // groups

  /**
   * Creates a custom attribute.
   *
   * @param actor who acts; needs {@link Action#MANAGE_CUSTOM_ATTRIBUTES}
   * @param definition the definition; its key must be new
   * @return the definition
   */
  public AttributeDefinition createAttribute(Actor actor, AttributeDefinition definition) {
    require(actor, Action.MANAGE_CUSTOM_ATTRIBUTES);
    return stores
        .transactions()
        .inTransaction(
            () -> {
              if (stores.attributes().get(actor.tenant(), definition.key()).isPresent()) {
                throw new ConflictException(
                    Problem.ofField(
                        ErrorCode.ALREADY_EXISTS,
                        "key",
                        "attribute '" + definition.key() + "' exists"));
              }
              stores.attributes().put(actor.tenant(), definition);
              UnitOfWork w = unit(actor, "attribute.create", Optional.empty(), clock.instant());
              w.definition(
                  new ChangeSet.DefinitionChange(
                      definition.key(), Optional.empty(), Optional.of(definition)));
              w.commit();
              return definition;
            });
  }

  /**
   * Edits a custom attribute (label, flags). Its type cannot change once defined.
   *
   * @param actor who acts; needs {@link Action#MANAGE_CUSTOM_ATTRIBUTES}
   * @param definition the new definition, same key
   * @return the definition
   */
  public AttributeDefinition updateAttribute(Actor actor, AttributeDefinition definition) {
    require(actor, Action.MANAGE_CUSTOM_ATTRIBUTES);
    return stores
        .transactions()
        .inTransaction(
            () -> {
              AttributeDefinition before = loadDefinition(actor.tenant(), definition.key());
              if (before.type() != definition.type()) {
                throw new InvalidInputException(
                    Problem.ofField(
                        ErrorCode.INVALID_VALUE,
                        "type",
                        "an attribute's type cannot change; delete and recreate it"));
              }
              stores.attributes().put(actor.tenant(), definition);
              UnitOfWork w = unit(actor, "attribute.update", Optional.empty(), clock.instant());
              w.definition(
                  new ChangeSet.DefinitionChange(
                      definition.key(), Optional.of(before), Optional.of(definition)));
              w.commit();
              return definition;
            });
  }

  /**
   * Deletes a custom attribute and every value of it.
   *
   * @param actor who acts; needs {@link Action#MANAGE_CUSTOM_ATTRIBUTES}
   * @param key the attribute key
   * @return how many values were dropped
   */
  public int deleteAttribute(Actor actor, String key) {
    require(actor, Action.MANAGE_CUSTOM_ATTRIBUTES);
    return stores
        .transactions()
        .inTransaction(
            () -> {
              AttributeDefinition before = loadDefinition(actor.tenant(), key);
              Instant now = clock.instant();
              Map<UserId, User> beforeUsers = new LinkedHashMap<>();
              Map<UserId, AttributeValue> dropped =
                  stores.attributes().delete(actor.tenant(), key, now);
              UnitOfWork w = unit(actor, "attribute.delete", Optional.empty(), now);
              w.definition(
                  new ChangeSet.DefinitionChange(key, Optional.of(before), Optional.empty()));
              beforeUsers.putAll(lookupIds(actor.tenant(), List.copyOf(dropped.keySet())));
              dropped.forEach(
                  (id, value) -> {
                    User now2 = beforeUsers.get(id);
                    long v = now2 == null ? 1 : now2.version();
                    w.record(
                        UserChange.builder()
                            .userId(id)
                            .kind(UserChange.Kind.UPDATED)
                            .addDiffs(
                                Diffs.attributeDiff(key, Optional.of(value), Optional.empty()))
                            .versionBefore(v - 1)
                            .versionAfter(v)
                            .build());
                  });
              w.commit();
              return dropped.size();
            });
  }

  private AttributeDefinition loadDefinition(TenantId tenant, String key) {
    return stores
        .attributes()
        .get(tenant, key)
        .orElseThrow(
            () ->
                new NotFoundException(
                    Problem.ofField(
                        ErrorCode.ATTRIBUTE_NOT_FOUND, "key", "no attribute '" + key + "'")));
  }

  /**
   * Creates or renames a group.
   *
   * @param actor who acts; needs {@link Action#MANAGE_GROUPS}
   * @param group the group
   * @return the group
   */
  public Group putGroup(Actor actor, Group group) {
    require(actor, Action.MANAGE_GROUPS);
    stores
        .transactions()
        .run(
            () -> {
              stores.groups().put(actor.tenant(), group);
              UnitOfWork w = unit(actor, "group.put", Optional.empty(), clock.instant());
              w.detail("group " + group.id() + " is named '" + group.name() + "'");
              w.commit();
            });
    return group;
  }

  // ============================================================================ change log and
  // undo

  /**
   * A page of the change log, with sensitive attributes redacted for readers who may not manage
   * attributes.
   *
   * @param actor who reads; needs {@link Action#READ_CHANGE_LOG}
   * @param afterSequence the last sequence number seen (0 for the start)
   * @param limit the page size
   * @return the change sets
   */
  public List<ChangeSet> changeLog(Actor actor, long afterSequence, int limit) {
    require(actor, Action.READ_CHANGE_LOG);
    List<ChangeSet> page = stores.changeLog().page(actor.tenant(), afterSequence, limit);
    if (decide(actor, Action.MANAGE_CUSTOM_ATTRIBUTES).allowed()) {
      return page;
    }
    AttributeSchema schema = schema(actor.tenant());
    return page.stream().map(cs -> redactSensitive(cs, schema)).toList();
  }

  private static ChangeSet redactSensitive(ChangeSet cs, AttributeSchema schema) {
    List<UserChange> changes = new ArrayList<>();
    for (UserChange c : cs.changes()) {
      List<FieldDiff> diffs = new ArrayList<>();
      for (FieldDiff d : c.diffs()) {
        boolean sensitive =
            d.isAttribute()
                && schema
                    .definition(d.field().substring(FieldDiff.ATTRIBUTE_PREFIX.length()))
                    .map(AttributeDefinition::sensitive)
                    .orElse(false);
        diffs.add(sensitive ? d.redact() : d);
      }
      changes.add(UserChange.builder().from(c).diffs(diffs).build());
    }
    return ChangeSet.builder().from(cs).changes(changes).build();
  }

  /**
   * Undoes a change set: restores the before-values when no later change touched the same fields of
   * the same users, and otherwise refuses naming them. The undo is itself a change set.
   *
   * @param actor who acts; needs {@link Action#UNDO}
   * @param changeSetId the change set to undo
   * @return the change set of the undo
   * @throws ConflictException with {@link ErrorCode#UNDO_CONFLICT} naming what changed since
   */
  public ChangeSet undo(Actor actor, String changeSetId) {
    require(actor, Action.UNDO);
    TenantId tenant = actor.tenant();
    return stores
        .transactions()
        .inTransaction(
            () -> {
              ChangeSet cs =
                  stores
                      .changeLog()
                      .get(tenant, changeSetId)
                      .orElseThrow(
                          () ->
                              new NotFoundException(
                                  Problem.ofField(
                                      ErrorCode.CHANGE_SET_NOT_FOUND,
                                      "id",
                                      "no change set " + changeSetId)));
              checkUndoable(tenant, cs);
              UnitOfWork w = unit(actor, "undo", Optional.of(cs.id()), clock.instant());
              for (ChangeSet.DefinitionChange d : cs.definitionChanges()) {
                if (d.before().isPresent()) {
                  stores.attributes().put(tenant, d.before().get());
                } else {
                  stores.attributes().delete(tenant, d.key(), w.now());
                }
                w.definition(new ChangeSet.DefinitionChange(d.key(), d.after(), d.before()));
              }
              List<UserChange> reversed = new ArrayList<>(cs.changes());
              java.util.Collections.reverse(reversed);
              for (UserChange c : reversed) {
                undoOne(tenant, c, w);
              }
              return w.commit()
                  .orElseThrow(
                      () ->
                          new ConflictException(
                              Problem.of(
                                  ErrorCode.UNDO_CONFLICT,
                                  "change set "
                                      + changeSetId
                                      + " changed nothing that can be undone")));
            });
  }

  private void undoOne(TenantId tenant, UserChange c, UnitOfWork w) {
    switch (c.kind()) {
      case CREATED -> {
        Optional<User> current = stores.users().get(tenant, c.userId());
        current.ifPresent(u -> w.delete(List.of(u)));
      }
      case DELETED ->
          w.restore(
              Diffs.rebuild(
                  tenant,
                  c.userId(),
                  c.diffs(),
                  true,
                  c.versionBefore().orElse(1L),
                  w.now(),
                  roles));
      case UPDATED -> {
        if (c.diffs().isEmpty()) {
          return;
        }
        User current = load(tenant, c.userId());
        boolean onlyAttributes = c.diffs().stream().allMatch(FieldDiff::isAttribute);
        User restored = Diffs.apply(current, c.diffs(), true, roles);
        if (onlyAttributes && !Diffs.between(current, restored).isEmpty()) {
          w.update(current, restored);
        } else if (!onlyAttributes) {
          w.update(current, restored);
        }
      }
    }
  }

  private void checkUndoable(TenantId tenant, ChangeSet cs) {
    Map<UserId, Set<String>> touched = new HashMap<>();
    List<String> problems = new ArrayList<>();
    for (UserChange c : cs.changes()) {
      Set<String> fields = touched.computeIfAbsent(c.userId(), k -> new HashSet<>());
      c.diffs().forEach(d -> fields.add(d.field()));
      if (c.diffs().stream().anyMatch(FieldDiff::redacted)) {
        problems.add("user " + c.userId() + " was anonymised; its history cannot be restored");
      }
    }
    for (ChangeSet later : stores.changeLog().touching(tenant, cs.sequence(), touched.keySet())) {
      for (UserChange c : later.changes()) {
        Set<String> fields = touched.get(c.userId());
        if (fields == null) {
          continue;
        }
        if (c.kind() != UserChange.Kind.UPDATED) {
          problems.add(
              "user "
                  + c.userId()
                  + " was "
                  + c.kind().name().toLowerCase(java.util.Locale.ROOT)
                  + " by change set "
                  + later.id());
          continue;
        }
        for (FieldDiff d : c.diffs()) {
          if (fields.contains(d.field())) {
            problems.add(
                d.field()
                    + " of user "
                    + c.userId()
                    + " was changed again by change set "
                    + later.id()
                    + " ("
                    + later.operation()
                    + ")");
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ConflictException(
          problems.stream().map(p -> Problem.of(ErrorCode.UNDO_CONFLICT, p)).toList());
    }
  }

  // ============================================================================ plumbing

  private UnitOfWork unit(
      Actor actor, String operation, Optional<String> correlation, Instant now) {
    String id = UserId.random(random).value();
    return new UnitOfWork(stores, actor, operation, correlation.orElse(id), id, now);
  }

  /** Builds a {@link UserDirectory}. */
  public static final class Builder {
    private @org.jspecify.annotations.Nullable Stores stores;
    private RoleCatalog roles = RoleCatalog.defaultCatalog();
    private FeatureFlags flags = FeatureFlags.defaults();
    private @org.jspecify.annotations.Nullable AccessPolicy policy;
    private Clock clock = Clock.systemUTC();
    private SecureRandom random = new SecureRandom();
    private InvitationSender invitations = InvitationSender.none();
    private OwnershipTransfer ownership = (tenant, from, to) -> 0;
    private UserResetter resetter = (tenant, user) -> {};
    private Function<TenantId, TenantSettings> settings = t -> TenantSettings.defaults();
    private byte @org.jspecify.annotations.Nullable [] cursorKey;

    private Builder() {}

    /**
     * The stores (required).
     *
     * @param stores the stores
     * @return this builder
     */
    public Builder stores(Stores stores) {
      this.stores = stores;
      return this;
    }

    /**
     * The role catalog (default: the reference's numeric roles).
     *
     * @param roles the catalog
     * @return this builder
     */
    public Builder roles(RoleCatalog roles) {
      this.roles = roles;
      return this;
    }

    /**
     * The feature flags (default: their documented defaults).
     *
     * @param flags the flags
     * @return this builder
     */
    public Builder featureFlags(FeatureFlags flags) {
      this.flags = flags;
      return this;
    }

    /**
     * The access policy (default: {@link DefaultAccessPolicy} over the roles and flags).
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder policy(AccessPolicy policy) {
      this.policy = policy;
      return this;
    }

    /**
     * The clock all times come from (default: system UTC).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * The randomness for ids and passwords.
     *
     * @param random the source
     * @return this builder
     */
    public Builder random(SecureRandom random) {
      this.random = random;
      return this;
    }

    /**
     * The host's mail hook (default: sends nothing).
     *
     * @param sender the sender
     * @return this builder
     */
    public Builder invitationSender(InvitationSender sender) {
      this.invitations = sender;
      return this;
    }

    /**
     * The host's ownership hook (default: moves nothing).
     *
     * @param transfer the hook
     * @return this builder
     */
    public Builder ownershipTransfer(OwnershipTransfer transfer) {
      this.ownership = transfer;
      return this;
    }

    /**
     * The host's reset hook (default: does nothing).
     *
     * @param resetter the hook
     * @return this builder
     */
    public Builder userResetter(UserResetter resetter) {
      this.resetter = resetter;
      return this;
    }

    /**
     * Per-tenant settings (default: {@link TenantSettings#defaults()} for all).
     *
     * @param settings the settings of each tenant
     * @return this builder
     */
    public Builder settings(Function<TenantId, TenantSettings> settings) {
      this.settings = settings;
      return this;
    }

    /**
     * The secret that signs page cursors (default: random per directory). Give every instance that
     * serves the same clients the same key, so a cursor from one works on another.
     *
     * @param key at least 16 bytes
     * @return this builder
     */
    public Builder cursorKey(byte[] key) {
      this.cursorKey = key.clone();
      return this;
    }

    /**
     * The directory.
     *
     * @return the directory
     */
    public UserDirectory build() {
      return new UserDirectory(this);
    }
  }
}
