package dev.usermgmt.internal.service;

import dev.usermgmt.AccessDeniedException;
import dev.usermgmt.Action;
import dev.usermgmt.ConflictException;
import dev.usermgmt.Decision;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.NotFoundException;
import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.AccessPolicy;
import dev.usermgmt.access.Actor;
import dev.usermgmt.access.EditChannel;
import dev.usermgmt.access.Relation;
import dev.usermgmt.access.UserWrite;
import dev.usermgmt.access.Visibility;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.internal.Batches;
import dev.usermgmt.query.internal.CursorCodec;
import dev.usermgmt.role.DomainRole;
import dev.usermgmt.role.Role;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.InvitationSender;
import dev.usermgmt.spi.OwnershipTransfer;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.spi.UserResetter;
import dev.usermgmt.tenant.TenantSettings;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.Transition;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserField;
import dev.usermgmt.user.UserStatus;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What the services behind the facades share: the stores, the role catalog, the access policy, the
 * clock, the randomness, the tenants' settings, the host's hooks, the signing of cursors and plans.
 * The directory's builder makes one; {@code BulkEngine}, the exporter and the file adapters reach
 * it through {@link #of(Object)} with the directory in hand, never through public methods of the
 * facade.
 */
public final class Services {
  private static volatile Function<Object, Services> locator =
      facade -> {
        throw new IllegalArgumentException("not a directory: " + facade.getClass());
      };

  private final Stores stores;
  private final RoleCatalog roles;
  private final AccessPolicy policy;
  private final Clock clock;
  private final SecureRandom random;
  private final Function<TenantId, TenantSettings> settings;
  private final InvitationSender invitations;
  private final OwnershipTransfer ownership;
  private final UserResetter resetter;
  private final Hierarchy hierarchy;
  private final CursorCodec cursors;
  private final Seals seals;

  private Services(Builder b) {
    this.stores = Objects.requireNonNull(b.stores, "stores");
    this.roles = b.roles;
    this.policy = Objects.requireNonNull(b.policy, "policy");
    this.clock = b.clock;
    this.random = b.random;
    this.settings = b.settings;
    this.invitations = b.invitations;
    this.ownership = b.ownership;
    this.resetter = b.resetter;
    this.hierarchy = new Hierarchy(stores.users());
    byte[] key = Objects.requireNonNull(b.signingKey, "signingKey");
    this.cursors = CursorCodec.withKey(Seals.derive(key, "page cursor"));
    this.seals = new Seals(key);
  }

  /**
   * A builder, for the directory's builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link Services}; every part but the stores, the policy and the key has a default. */
  public static final class Builder {
    private @Nullable Stores stores;
    private RoleCatalog roles = RoleCatalog.defaultCatalog();
    private @Nullable AccessPolicy policy;
    private Clock clock = Clock.systemUTC();
    private SecureRandom random = new SecureRandom();
    private Function<TenantId, TenantSettings> settings = t -> TenantSettings.defaults();
    private InvitationSender invitations = InvitationSender.none();
    private OwnershipTransfer ownership = (tenant, from, to) -> 0;
    private UserResetter resetter = (tenant, user) -> {};
    private byte @Nullable [] signingKey;

    private Builder() {}

    public Builder stores(Stores stores) {
      this.stores = stores;
      return this;
    }

    public Builder roles(RoleCatalog roles) {
      this.roles = roles;
      return this;
    }

    public Builder policy(AccessPolicy policy) {
      this.policy = policy;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public Builder random(SecureRandom random) {
      this.random = random;
      return this;
    }

    public Builder settings(Function<TenantId, TenantSettings> settings) {
      this.settings = settings;
      return this;
    }

    public Builder invitations(InvitationSender invitations) {
      this.invitations = invitations;
      return this;
    }

    public Builder ownership(OwnershipTransfer ownership) {
      this.ownership = ownership;
      return this;
    }

    public Builder resetter(UserResetter resetter) {
      this.resetter = resetter;
      return this;
    }

    public Builder signingKey(byte[] key) {
      this.signingKey = key.clone();
      return this;
    }

    public Services build() {
      return new Services(this);
    }
  }

  /**
   * Installs how a facade yields its services; the directory does this once, when its class loads.
   *
   * @param facadeLocator from a directory to its services
   */
  public static void installLocator(Function<Object, Services> facadeLocator) {
    locator = facadeLocator;
  }

  /**
   * The services of a directory.
   *
   * @param directory a {@code UserDirectory}
   * @return its services
   */
  public static Services of(Object directory) {
    return locator.apply(directory);
  }

  public Stores stores() {
    return stores;
  }

  public RoleCatalog roles() {
    return roles;
  }

  public AccessPolicy policy() {
    return policy;
  }

  public Clock clock() {
    return clock;
  }

  public SecureRandom random() {
    return random;
  }

  public InvitationSender invitations() {
    return invitations;
  }

  public OwnershipTransfer ownership() {
    return ownership;
  }

  public UserResetter resetter() {
    return resetter;
  }

  public Hierarchy hierarchy() {
    return hierarchy;
  }

  public CursorCodec cursors() {
    return cursors;
  }

  public Seals seals() {
    return seals;
  }

  /** A tenant's settings. */
  public TenantSettings settings(TenantId tenant) {
    return settings.apply(tenant);
  }

  /** A tenant's custom attributes. */
  public AttributeSchema schema(TenantId tenant) {
    return AttributeSchema.of(stores.attributes().list(tenant));
  }

  /** A new id for a user, ordered by the clock's time ({@link UserId#generate}). */
  public UserId newUserId() {
    return UserId.generate(clock.instant(), random);
  }

  /** A new id for a plan or a change set, made the same way as a user's. */
  public String newId() {
    return newUserId().value();
  }

  /**
   * The actor with the rights the store gives them now: an actor who is a stored user of the tenant
   * never has more than that record gives them — not a higher role (a deactivated user's is
   * Blocked), not a domain role or grant the record no longer has, not without a revocation the
   * record has, and nothing once the record is gone ({@link Actor#storedUser}). Actors who are not
   * stored users (the system, a host's own service accounts) are taken as given.
   *
   * @param actor the actor as the host describes them
   * @return the actor as they are now
   */
  public Actor current(Actor actor) {
    if (actor.system() || actor.userId().isEmpty()) {
      return actor;
    }
    Optional<User> stored = stores.users().get(actor.tenant(), actor.userId().get());
    if (stored.isEmpty()) {
      if (!actor.storedUser()) {
        return actor;
      }
      // a user deleted since the host made the actor: no record is left to give any right
      return Actor.builder()
          .from(actor)
          .role(roles.blockedRole())
          .active(false)
          .domainRoles(Set.of())
          .grants(Set.of())
          .build();
    }
    User u = stored.get();
    boolean active = u.status().canSignIn();
    Role role = active ? u.role() : roles.blockedRole();
    Actor.Builder b = Actor.builder().from(actor);
    if (roles.rank(role) < roles.rank(actor.role())) {
      b.role(role);
    }
    b.active(actor.active() && active);
    Set<DomainRole> domainRoles = new HashSet<>();
    for (DomainRole d : actor.domainRoles()) {
      boolean held =
          active
              && u.domainRoles().stream()
                  .anyMatch(
                      s ->
                          s.domain().equals(d.domain())
                              && roles.rank(s.role()) >= roles.rank(d.role()));
      if (held) {
        domainRoles.add(d);
      }
    }
    b.domainRoles(domainRoles);
    Set<Action> grants = EnumSet.noneOf(Action.class);
    u.permissionGrants().forEach(g -> Action.byName(g).ifPresent(grants::add));
    grants.retainAll(actor.grants());
    b.grants(grants);
    Set<Action> revocations = EnumSet.noneOf(Action.class);
    revocations.addAll(actor.revocations());
    u.permissionRevocations().forEach(r -> Action.byName(r).ifPresent(revocations::add));
    b.revocations(revocations);
    return b.build();
  }

  /**
   * A unit of work of the actor, to run inside a transaction before it reads anything: it holds the
   * tenant ({@link dev.usermgmt.spi.ChangeLog#hold}) until the transaction ends, then reads the
   * actor's rights.
   *
   * @param actor the actor
   * @param operation the change set's operation
   * @param channel where the change comes from
   * @param correlation the correlation id (a plan's id), or empty for the change set's own id
   * @return the unit
   */
  public UnitOfWork unit(
      Actor actor, String operation, EditChannel channel, Optional<String> correlation) {
    stores.changeLog().hold(actor.tenant());
    String id = newId();
    return new UnitOfWork(
        this, current(actor), operation, channel, correlation.orElse(id), id, clock.instant());
  }

  /**
   * One mutation: in one transaction, a unit of work of the actor (their rights read then), the
   * work, and the change set appended.
   *
   * @param actor the actor
   * @param operation the change set's operation
   * @param channel where the change comes from
   * @param work what the mutation does, given its unit
   * @return what the work returns
   */
  public <T> T write(
      Actor actor, String operation, EditChannel channel, Function<UnitOfWork, T> work) {
    return stores
        .transactions()
        .inTransaction(
            () -> {
              UnitOfWork w = unit(actor, operation, channel, Optional.empty());
              T result = work.apply(w);
              w.commit();
              return result;
            });
  }

  /**
   * One mutation that returns nothing.
   *
   * @param actor the actor
   * @param operation the change set's operation
   * @param channel where the change comes from
   * @param work what the mutation does, given its unit
   */
  public void run(Actor actor, String operation, EditChannel channel, Consumer<UnitOfWork> work) {
    write(
        actor,
        operation,
        channel,
        w -> {
          work.accept(w);
          return w;
        });
  }

  /** How a user relates to an actor (walks the manager chain when the actor is a user). */
  public Relation relation(Actor actor, User target) {
    return hierarchy.relation(actor.userId(), target);
  }

  /** The policy's decision on an action with no target. */
  public Decision decide(Actor actor, Action action) {
    return policy.decide(actor, action);
  }

  /** The policy's decision on an action on a user, related to the actor as they are. */
  public Decision decide(Actor actor, Action action, User target) {
    return policy.decide(actor, action, target, relation(actor, target));
  }

  /** Throws unless the actor may take an action with no target. */
  public void require(Actor actor, Action action) {
    decide(actor, action).orThrow();
  }

  /** Throws unless the actor may take an action on a user. */
  public void require(Actor actor, Action action, User target) {
    decide(actor, action, target).orThrow();
  }

  /**
   * May the actor make a write, judged as the unit of work would (for previews and plans).
   *
   * @param actor the actor, as {@link #current} gives them
   * @param before the stored user, or empty for a creation
   * @param after the user to store, or empty for a deletion
   * @param channel where the change comes from
   * @param schema the tenant's attributes
   * @return the decision
   */
  public Decision checkWrite(
      Actor actor,
      Optional<User> before,
      Optional<User> after,
      EditChannel channel,
      AttributeSchema schema) {
    return checkWrite(actor, before, after, channel, schema, Optional.empty());
  }

  /** {@link #checkWrite(Actor, Optional, Optional, EditChannel, AttributeSchema)} of a move. */
  public Decision checkWrite(
      Actor actor,
      Optional<User> before,
      Optional<User> after,
      EditChannel channel,
      AttributeSchema schema,
      Optional<Transition> move) {
    return checkWrite(actor, before, after, channel, schema, move, u -> relation(actor, u));
  }

  /**
   * {@link #checkWrite(Actor, Optional, Optional, EditChannel, AttributeSchema)} of a move (or of
   * none), each user related to the actor by {@code relation}: a {@link Hierarchy#relator} looks
   * each manager up once over many writes judged in one call (a plan's rows, a chunk).
   */
  public Decision checkWrite(
      Actor actor,
      Optional<User> before,
      Optional<User> after,
      EditChannel channel,
      AttributeSchema schema,
      Optional<Transition> move,
      java.util.function.Function<User, Relation> relation) {
    User target = before.or(() -> after).orElseThrow();
    return policy.decideWrite(
        actor, UserWrite.of(before, after, () -> relation.apply(target), channel, schema, move));
  }

  /** What of users the actor may see, related to them as given. */
  public Visibility visibility(
      Actor actor, Relation relation, AttributeSchema schema, Visibility.Purpose purpose) {
    return policy.visibility(actor, relation, schema, purpose);
  }

  /**
   * The part of one user the actor may see.
   *
   * @throws AccessDeniedException when the actor may not see the user at all
   */
  public User visible(Actor actor, User target, AttributeSchema schema) {
    return visible(actor, target, schema, relation(actor, target));
  }

  /**
   * What an actor may see of a user whose relation to the actor is already known (a hierarchy read
   * works the relations out together, {@link Hierarchy#relations}); refused as {@link
   * #visible(Actor, User, AttributeSchema)} is.
   */
  public User visible(Actor actor, User target, AttributeSchema schema, Relation relation) {
    if (!target.tenant().equals(actor.tenant())) {
      throw new AccessDeniedException(
          Decision.deny(Decision.Reason.OTHER_TENANT, "the user belongs to another tenant"));
    }
    Visibility v = policy.visibility(actor, relation, schema, Visibility.Purpose.RECORD);
    if (!v.seesUser()) {
      throw new AccessDeniedException(Visibility.unseen());
    }
    return v.apply(target);
  }

  /** A user's identity: its required fields and the addresses it is known by, no more. */
  private static final Visibility IDENTITY_ONLY =
      Visibility.of(EnumSet.of(UserField.PRIMARY_EMAIL, UserField.PHONE_NUMBER), k -> false);

  /**
   * What an actor gets back of a user they just wrote: what a read would show them ({@link
   * #visible}), or, when they may act on the user without seeing them (a support agent's account
   * action), the user's identity only: its required fields and its e-mail address or phone, by
   * which the user is known and without which no user is valid ({@link Visibility}). A host's
   * system calls (sign-ins, lockouts, acceptances) get the record.
   */
  public User shown(Actor actor, User written) {
    if (actor.system()) {
      return written;
    }
    Visibility v =
        policy.visibility(
            actor, relation(actor, written), schema(actor.tenant()), Visibility.Purpose.RECORD);
    return (v.seesUser() ? v : IDENTITY_ONLY).apply(written);
  }

  /**
   * Which users an actor may see at all, as {@link #visible} decides: a plan's preview names only
   * those. The policy is asked once for each relation; a user's relation is worked out only when
   * the answer depends on it.
   */
  public java.util.function.Predicate<User> seen(Actor actor) {
    java.util.function.Function<User, Visibility> view =
        views(actor, AttributeSchema.empty(), hierarchy.relator(actor.userId(), actor.tenant()));
    return u -> view.apply(u).seesUser();
  }

  /**
   * Which of some users, named by id, an actor may see ({@link #seen}), for a plan that reads no
   * more of them than a summary: when the answer depends on no relation (an admin's, a support
   * agent's, a grant holder's) it is told by id alone; otherwise the users are read (one lookup a
   * chunk) and judged by their relation.
   */
  public java.util.function.Predicate<UserId> seenIds(Actor actor, Collection<UserId> ids) {
    Optional<java.util.function.Predicate<UserId>> byId = seenById(actor);
    if (byId.isPresent()) {
      return byId.get();
    }
    java.util.function.Predicate<User> seen = seen(actor);
    Set<UserId> out = new HashSet<>();
    for (User u : lookupIds(actor.tenant(), ids).values()) {
      if (seen.test(u)) {
        out.add(u.id());
      }
    }
    return out::contains;
  }

  /** Whether the actor sees users, by id alone when no relation changes the answer, else empty. */
  private Optional<java.util.function.Predicate<UserId>> seenById(Actor actor) {
    Set<Boolean> others = new HashSet<>();
    boolean self = false;
    for (Relation r : Relation.values()) {
      boolean sees =
          policy
              .visibility(actor, r, AttributeSchema.empty(), Visibility.Purpose.RECORD)
              .seesUser();
      if (OTHERS.contains(r)) {
        others.add(sees);
      } else {
        self = sees;
      }
    }
    if (others.size() != 1) {
      return Optional.empty();
    }
    boolean seesOthers = others.contains(true);
    boolean seesSelf = self;
    Optional<UserId> me = actor.userId();
    return Optional.of(id -> me.equals(Optional.of(id)) ? seesSelf : seesOthers);
  }

  /** The relations of users other than the actor. */
  private static final Set<Relation> OTHERS =
      EnumSet.of(Relation.OTHER, Relation.DIRECT_REPORT, Relation.INDIRECT_REPORT);

  /**
   * What of each user of its tenant the actor may see, as {@link #visible} decides (a file writes
   * only what the actor may see of a user, so that what it answers depends on nothing hidden). The
   * policy is asked once for each relation, and a user's relation (by {@code relation}) only when
   * the view depends on it.
   */
  public java.util.function.Function<User, Visibility> views(
      Actor actor, AttributeSchema schema, java.util.function.Function<User, Relation> relation) {
    Map<Relation, Visibility> by = new java.util.EnumMap<>(Relation.class);
    Set<List<Object>> kinds = new java.util.HashSet<>();
    for (Relation r : Relation.values()) {
      Visibility v = policy.visibility(actor, r, schema, Visibility.Purpose.RECORD);
      by.put(r, v);
      if (!OTHERS.contains(r)) {
        continue;
      }
      kinds.add(
          List.of(
              v.seesUser(),
              v.fields(),
              schema.definitions().stream()
                  .map(dev.usermgmt.attribute.AttributeDefinition::key)
                  .filter(v::seesAttribute)
                  .toList()));
    }
    Visibility none = Visibility.none();
    if (kinds.size() == 1) {
      // the same for every other user (an admin's, a grant holder's): whether the user is the
      // actor counts, and no user's managers are walked
      Visibility others = by.getOrDefault(Relation.OTHER, none);
      Visibility self = by.getOrDefault(Relation.SELF, none);
      return u ->
          !u.tenant().equals(actor.tenant())
              ? none
              : actor.userId().equals(Optional.of(u.id())) ? self : others;
    }
    return u -> u.tenant().equals(actor.tenant()) ? by.getOrDefault(relation.apply(u), none) : none;
  }

  /** A stored user, or not found. */
  public User load(TenantId tenant, UserId id) {
    return stores
        .users()
        .get(tenant, id)
        .orElseThrow(
            () ->
                new NotFoundException(
                    Problem.ofField(
                        ErrorCode.USER_NOT_FOUND, "id", "no user " + id + " in tenant " + tenant)));
  }

  /** Users by id, one store call per chunk. */
  public Map<UserId, User> lookupIds(TenantId tenant, Collection<UserId> ids) {
    return Batches.lookup(
        List.copyOf(ids),
        stores.users().maxBatchSize(),
        part -> stores.users().getAll(tenant, part));
  }

  /** Users by e-mail key, one store call per chunk. */
  public Map<String, User> lookupEmails(TenantId tenant, Collection<EmailAddress> emails) {
    return Batches.lookup(
        List.copyOf(emails),
        stores.users().maxBatchSize(),
        part -> stores.users().findByEmails(tenant, part));
  }

  /**
   * Refuses work that would put more users on seats than the tenant's licence allows: {@code more}
   * users about to be seated, or none when the work is written and counted already.
   *
   * @throws ConflictException with {@link ErrorCode#SEAT_LIMIT_REACHED}
   */
  public void requireSeats(TenantId tenant, int more) {
    TenantSettings ts = settings(tenant);
    if (ts.seatLimit().isPresent()) {
      long used = stores.users().countByStatus(tenant, OCCUPYING);
      if (used + more > ts.seatLimit().getAsLong()) {
        throw new ConflictException(
            Problem.of(
                ErrorCode.SEAT_LIMIT_REACHED,
                "the tenant has "
                    + used
                    + " of "
                    + ts.seatLimit().getAsLong()
                    + " licensed seats in use"
                    + (more == 0
                        ? " with this change, more than the licence allows"
                        : "; " + more + " more would pass the limit")
                    + " (deactivate users to free seats)"));
      }
    }
  }

  private static final Set<UserStatus> OCCUPYING = occupying();

  private static Set<UserStatus> occupying() {
    EnumSet<UserStatus> s = EnumSet.noneOf(UserStatus.class);
    for (UserStatus st : UserStatus.values()) {
      if (st.occupiesSeat()) {
        s.add(st);
      }
    }
    return s;
  }
}
