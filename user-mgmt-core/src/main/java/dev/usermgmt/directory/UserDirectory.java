package dev.usermgmt.directory;

import dev.usermgmt.AccessDeniedException;
import dev.usermgmt.Action;
import dev.usermgmt.ConflictException;
import dev.usermgmt.Decision;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.NotFoundException;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.AccessPolicy;
import dev.usermgmt.access.Actor;
import dev.usermgmt.access.DefaultAccessPolicy;
import dev.usermgmt.access.EditChannel;
import dev.usermgmt.access.FeatureFlags;
import dev.usermgmt.access.Visibility;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.audit.ChangeSet;
import dev.usermgmt.group.Group;
import dev.usermgmt.internal.service.Services;
import dev.usermgmt.query.FilterLimits;
import dev.usermgmt.query.Page;
import dev.usermgmt.query.UserQuery;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.InvitationSender;
import dev.usermgmt.spi.OwnershipTransfer;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.spi.UserResetter;
import dev.usermgmt.tenant.TenantSettings;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.PasswordState;
import dev.usermgmt.user.Transition;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserDraft;
import dev.usermgmt.user.UserPatch;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The one facade a host calls for single-user work: create users (several at once), edit,
 * deactivate, reactivate, delete, suspend, activate, schedule, invite, reset, set modules, transfer
 * ownership, impersonation checks, anonymise, account actions, demo passwords, the manager
 * hierarchy, custom attribute definitions, groups, the change log, undo and replay.
 *
 * <p>Every method takes the {@link Actor} and is scoped to the actor's tenant. The {@link
 * AccessPolicy} decides everything: before an operation; for every user it writes, with the actor's
 * rights as the store has them at that moment (an actor who is a stored user never has more than
 * that record gives); and for everything a read returns. A denial throws {@link
 * AccessDeniedException} naming the rule. Every mutation runs in one transaction and writes one
 * {@link ChangeSet}; a failed call writes nothing.
 *
 * <pre>{@code
 * UserDirectory directory = UserDirectory.builder().stores(InMemoryStores.create()).build();
 * }</pre>
 */
public final class UserDirectory {
  static {
    Services.installLocator(d -> ((UserDirectory) d).services);
  }

  private final Services services;
  private final Reads reads;
  private final Creation creation;
  private final Edits edits;
  private final Lifecycle lifecycle;
  private final Invitations invitations;
  private final AccountActions accounts;
  private final Schema schema;
  private final History history;

  private final FilterLimits filterLimits;

  private UserDirectory(Services services, FilterLimits filterLimits) {
    this.services = services;
    this.filterLimits = filterLimits;
    this.reads = new Reads(services, filterLimits);
    this.lifecycle = new Lifecycle(services);
    this.invitations = new Invitations(services, reads, lifecycle);
    this.creation = new Creation(services, invitations);
    this.edits = new Edits(services);
    this.accounts = new AccountActions(services);
    this.schema = new Schema(services);
    this.history = new History(services);
  }

  /**
   * A builder; only {@link Builder#stores} is required.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  // ------------------------------------------------------------------ configuration

  /** The limits every query's filter is held to; parse query strings with the same. */
  public FilterLimits filterLimits() {
    return filterLimits;
  }

  /** The role catalog. */
  public RoleCatalog roles() {
    return services.roles();
  }

  /** A tenant's settings. */
  public TenantSettings settings(TenantId tenant) {
    return services.settings(tenant);
  }

  /** A tenant's custom attributes (what queries and files may name). */
  public AttributeSchema schema(TenantId tenant) {
    return services.schema(tenant);
  }

  /** May the actor, as the store has them now, take an action with no target (top-bar buttons)? */
  public Decision decide(Actor actor, Action action) {
    return services.decide(services.current(actor), action);
  }

  /** May the actor, as the store has them now, take an action on a user (row menus)? */
  public Decision decide(Actor actor, Action action, UserId target) {
    Actor now = services.current(actor);
    User user = services.load(now.tenant(), target);
    if (PROFILE_ACTIONS.contains(action) && !services.seen(now).test(user)) {
      // as the write itself answers: a user the actor may not see is refused whatever they hold
      return Visibility.unseen();
    }
    return services.decide(now, action, user);
  }

  /** The actions that write a user's profile, refused alike on every user the actor may not see. */
  private static final Set<Action> PROFILE_ACTIONS =
      java.util.EnumSet.of(Action.EDIT_USER, Action.SET_MODULES, Action.MANAGE_GROUPS);

  // ------------------------------------------------------------------ reading

  /** One user, as much of the record as the actor may see; not found, or denied. */
  public User get(Actor actor, UserId id) {
    return reads.get(actor, id);
  }

  /** Users by e-mail address, one lookup per chunk; needs VIEW_USERS. */
  public Map<String, User> findByEmails(Actor actor, Collection<EmailAddress> emails) {
    return reads.findByEmails(actor, emails);
  }

  /**
   * One page of the users table (free text, filter, sort, keyset cursor, total when asked); needs
   * VIEW_USERS, and may filter and sort only by what the actor may see.
   *
   * @throws InvalidInputException for unknown attributes, mistyped values or an altered cursor
   */
  public Page<User> search(Actor actor, UserQuery query) {
    return reads.search(actor, query);
  }

  /** Every user of a view, page by page, in one snapshot (exports, "send to the view"). */
  public void walk(Actor actor, UserQuery query, Consumer<List<User>> pages) {
    reads.walk(actor, query, pages);
  }

  /** Autocomplete of a single-valued text column's values ("Department", "Company"…). */
  public List<String> distinctValues(Actor actor, String attribute, String prefix, int limit) {
    return reads.distinctValues(actor, attribute, prefix, limit);
  }

  /** Autocomplete of users by name or e-mail prefix (user and manager pickers). */
  public List<User> suggestUsers(Actor actor, String prefix, int limit) {
    return reads.suggestUsers(actor, prefix, limit);
  }

  /** The managers of a user, nearest first ("Managers": the full hierarchy). */
  public List<User> ancestors(Actor actor, UserId id) {
    return reads.ancestors(actor, id);
  }

  /** A manager's reports, breadth first, directly or also through other managers. */
  public List<User> reports(Actor actor, UserId id, boolean indirect) {
    return reads.reports(actor, id, indirect);
  }

  // ------------------------------------------------------------------ creating and editing

  /**
   * Creates users manually, all or none, sending nothing; see {@link #create(Actor, List,
   * CreateOptions)}.
   */
  public CreateResult create(Actor actor, List<UserDraft> drafts) {
    return create(actor, drafts, CreateOptions.defaults());
  }

  /**
   * Creates several users in one call ("User #1, User #2, …"), all or none; needs ADD_USERS, and
   * each user must be one the actor may create (roles at most their own).
   *
   * @throws InvalidInputException listing every problem of every draft, row = its 1-based position
   * @throws ConflictException when an e-mail address is taken or the seat limit would be passed
   */
  public CreateResult create(Actor actor, List<UserDraft> drafts, CreateOptions options) {
    return creation.create(actor, drafts, options);
  }

  /**
   * Edits a user as the edit-user dialog does (e-mail read-only; managers change only attributes
   * editable by managers; users only their own profile fields).
   *
   * @throws ConflictException with {@code version_conflict} when the user changed since {@code
   *     expectedVersion}; nothing is overwritten
   */
  public User edit(Actor actor, UserId id, long expectedVersion, UserPatch patch) {
    return edits.edit(
        actor, id, Optional.of(expectedVersion), patch, EditChannel.FORM, "user.edit");
  }

  /** Sets (or clears) a user's direct manager, refusing reporting cycles. */
  public User setManager(Actor actor, UserId id, Optional<UserId> manager) {
    return edits.setManager(actor, id, manager);
  }

  /** "Set user modules": replaces a user's modules; needs SET_MODULES. */
  public User setModules(Actor actor, UserId id, Set<String> modules) {
    return edits.setModules(actor, id, modules);
  }

  // ------------------------------------------------------------------ lifecycle

  /** "Deactivate User": sign-in blocked, data kept, effective role Blocked. */
  public User deactivate(Actor actor, UserId id) {
    return lifecycle.move(actor, id, Transition.DEACTIVATE, Optional.empty());
  }

  /** Reactivates a deactivated user, history intact; needs a free seat. */
  public User reactivate(Actor actor, UserId id) {
    return lifecycle.move(actor, id, Transition.REACTIVATE, Optional.empty());
  }

  /** "Suspend Users": revokes access temporarily. */
  public User suspend(Actor actor, UserId id) {
    return lifecycle.move(actor, id, Transition.SUSPEND, Optional.empty());
  }

  /** Gives a suspended user access again. */
  public User unsuspend(Actor actor, UserId id) {
    return lifecycle.move(actor, id, Transition.UNSUSPEND, Optional.empty());
  }

  /** "Activate Now". */
  public User activate(Actor actor, UserId id) {
    return lifecycle.move(actor, id, Transition.ACTIVATE, Optional.empty());
  }

  /** "Schedule Activation": {@link #runDueSchedules} activates the user at or after {@code at}. */
  public User scheduleActivation(Actor actor, UserId id, Instant at) {
    return lifecycle.move(actor, id, Transition.SCHEDULE_ACTIVATION, Optional.of(at));
  }

  /** Schedules the invitation of a staged user. */
  public User scheduleInvitation(Actor actor, UserId id, Instant at) {
    return lifecycle.move(actor, id, Transition.SCHEDULE_INVITE, Optional.of(at));
  }

  /** Records that a user accepted their invitation (the host calls this on first sign-in). */
  public User acceptInvitation(TenantId tenant, UserId id) {
    return lifecycle.move(
        Actor.system(tenant, services.roles()), id, Transition.ACCEPT, Optional.empty());
  }

  /** Records a sign-in (the host calls this): sets last login and last activity. */
  public User recordLogin(TenantId tenant, UserId id, Instant at) {
    return lifecycle.recordLogin(tenant, id, at);
  }

  /** "Delete User": permanently removes a deactivated user. */
  public void delete(Actor actor, UserId id) {
    lifecycle.delete(actor, id);
  }

  /**
   * "Anonymise users" (GDPR): removes name, e-mail, phone and personal attributes of a deactivated
   * user irreversibly, from the change log's history too; the id stays.
   */
  public User anonymise(Actor actor, UserId id) {
    return lifecycle.anonymise(actor, id);
  }

  // ------------------------------------------------------------------ invitations

  /**
   * Sends (or resends) invitations, and welcome e-mails to active users who never signed in; users
   * without an e-mail, inactive users, users who signed in and users the actor may not invite are
   * skipped. E-mail goes out first; the invite state is recorded for users whose e-mail was sent.
   */
  public InvitationResult invite(Actor actor, List<UserId> ids) {
    return invitations.invite(actor, ids);
  }

  /** "Send Invitation Email" to the filtered view's active never-signed-in and pending users. */
  public InvitationResult inviteView(Actor actor, UserQuery view) {
    return invitations.inviteView(actor, view);
  }

  /**
   * Runs the scheduled invitations and activations due by the clock, as the system actor (which may
   * do nothing else); work that fails stays scheduled for the next run.
   */
  public ScheduleRun runDueSchedules(TenantId tenant) {
    return invitations.runDueSchedules(tenant);
  }

  // ------------------------------------------------------------------ account actions

  /** "Unlock User Accounts". */
  public User unlock(Actor actor, UserId id) {
    return accounts.account(actor, id, Action.UNLOCK, "user.unlock", b -> b.lockedOut(false));
  }

  /** "Force Password Change": the password must be changed at next sign-in. */
  public User forcePasswordChange(Actor actor, UserId id) {
    return accounts.account(
        actor,
        id,
        Action.FORCE_PASSWORD_CHANGE,
        "user.force_password_change",
        b -> b.passwordState(PasswordState.EXPIRED));
  }

  /** "Change User MFA Requirement". */
  public User requireMfa(Actor actor, UserId id, boolean required) {
    return accounts.account(
        actor, id, Action.MANAGE_MFA, "user.require_mfa", b -> b.mfaRequired(required));
  }

  /** Records that a user was locked out after failed sign-ins (the host calls this). */
  public User recordLockout(TenantId tenant, UserId id) {
    return accounts.account(
        Actor.system(tenant, services.roles()),
        id,
        Action.RECORD_SIGN_IN,
        "user.lockout",
        b -> b.lockedOut(true));
  }

  /** "Reset User": the host's reset hook runs, and the reset is recorded. */
  public void reset(Actor actor, UserId id) {
    accounts.reset(actor, id);
  }

  /** "Transfer ownership": the host moves what one user owns to another, active user. */
  public long transferOwnership(Actor actor, UserId from, UserId to) {
    return accounts.transferOwnership(actor, from, to);
  }

  /** May the actor impersonate ("sign in as") a user: an active user, not above the actor? */
  public Decision mayImpersonate(Actor actor, UserId id) {
    return accounts.mayImpersonate(actor, id);
  }

  /**
   * "Generate POC Passwords": strong temporary passwords for users of a demo tenant, from the
   * injected {@link SecureRandom}; the host sets them, the library stores none.
   */
  public Map<UserId, String> generateDemoPasswords(Actor actor, List<UserId> ids) {
    return accounts.generateDemoPasswords(actor, ids);
  }

  // ------------------------------------------------------------------ attributes and groups

  /** Creates a custom attribute; its key must be new. */
  public AttributeDefinition createAttribute(Actor actor, AttributeDefinition definition) {
    return schema.createAttribute(actor, definition);
  }

  /** Edits a custom attribute (label, flags); its type never changes. */
  public AttributeDefinition updateAttribute(Actor actor, AttributeDefinition definition) {
    return schema.updateAttribute(actor, definition);
  }

  /** Deletes a custom attribute and every value of it; returns how many values were dropped. */
  public int deleteAttribute(Actor actor, String key) {
    return schema.deleteAttribute(actor, key);
  }

  /** Creates or renames a group. */
  public Group putGroup(Actor actor, Group group) {
    return schema.putGroup(actor, group);
  }

  // ------------------------------------------------------------------ history

  /**
   * A page of the change log; what the reader may not see of a user (and sensitive attributes, for
   * readers who may not manage attributes) is redacted.
   */
  public List<ChangeSet> changeLog(Actor actor, long afterSequence, int limit) {
    return history.changeLog(actor, afterSequence, limit);
  }

  /**
   * Undoes a change set when no later change touched the same fields of the same users, and each of
   * its writes is one the actor may make now, and the actor may read each of its values in the
   * {@link #changeLog} (an undo would put back a value they may not read there); the undo is itself
   * a change set.
   *
   * @throws ConflictException with {@code undo_conflict} naming what changed since
   * @throws NotFoundException when there is no such change set
   */
  public ChangeSet undo(Actor actor, String changeSetId) {
    return history.undo(actor, changeSetId);
  }

  /**
   * The users of the tenant rebuilt from the change log alone, as far as the reader may see them
   * (what an audit compares with the stored users); needs READ_CHANGE_LOG and VIEW_USERS.
   */
  public Map<UserId, User> replay(Actor actor) {
    return history.replay(actor);
  }

  /** Builds a {@link UserDirectory}. */
  public static final class Builder {
    private final Services.Builder services = Services.builder();
    private RoleCatalog roles = RoleCatalog.defaultCatalog();
    private FeatureFlags flags = FeatureFlags.defaults();
    private @Nullable AccessPolicy policy;
    private SecureRandom random = new SecureRandom();
    private byte @Nullable [] signingKey;
    private @Nullable Stores stores;
    private FilterLimits filterLimits = FilterLimits.defaults();

    private Builder() {}

    /** How large a query's filter may be (default: {@link FilterLimits#defaults()}). */
    public Builder filterLimits(FilterLimits limits) {
      this.filterLimits = limits;
      return this;
    }

    /** The stores (required). */
    public Builder stores(Stores stores) {
      this.stores = stores;
      services.stores(stores);
      return this;
    }

    /** The role catalog (default: the reference's numeric roles). */
    public Builder roles(RoleCatalog roles) {
      this.roles = roles;
      return this;
    }

    /** The feature flags (default: their documented defaults). */
    public Builder featureFlags(FeatureFlags flags) {
      this.flags = flags;
      return this;
    }

    /** The access policy (default: {@link DefaultAccessPolicy} over the roles and flags). */
    public Builder policy(AccessPolicy policy) {
      this.policy = policy;
      return this;
    }

    /** The clock all times come from (default: system UTC). */
    public Builder clock(Clock clock) {
      services.clock(clock);
      return this;
    }

    /** The randomness for ids, passwords and the default signing key. */
    public Builder random(SecureRandom random) {
      this.random = random;
      return this;
    }

    /** The host's mail hook (default: sends nothing). */
    public Builder invitationSender(InvitationSender sender) {
      services.invitations(sender);
      return this;
    }

    /** The host's ownership hook (default: moves nothing). */
    public Builder ownershipTransfer(OwnershipTransfer transfer) {
      services.ownership(transfer);
      return this;
    }

    /** The host's reset hook (default: does nothing). */
    public Builder userResetter(UserResetter resetter) {
      services.resetter(resetter);
      return this;
    }

    /** Per-tenant settings (default: {@link TenantSettings#defaults()} for all). */
    public Builder settings(Function<TenantId, TenantSettings> settings) {
      services.settings(settings);
      return this;
    }

    /**
     * The secret that signs page cursors and bulk plans (at least 16 bytes). Required over stores
     * that are {@linkplain dev.usermgmt.spi.Transactions#sharedBetweenProcesses() shared between
     * processes} (every JDBC store): give every instance over the same database the same key, kept
     * in the host's configuration, so that a cursor or a plan made by one is accepted by another
     * and after a restart. Over the in-memory store it defaults to a random key per directory.
     */
    public Builder signingKey(byte[] key) {
      this.signingKey = key.clone();
      return this;
    }

    /** The directory. */
    public UserDirectory build() {
      byte[] key = SigningKeys.resolve(stores, signingKey, random);
      services
          .roles(roles)
          .random(random)
          .signingKey(key)
          .policy(policy != null ? policy : DefaultAccessPolicy.of(roles, flags));
      return new UserDirectory(services.build(), filterLimits);
    }
  }
}
