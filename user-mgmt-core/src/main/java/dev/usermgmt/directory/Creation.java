package dev.usermgmt.directory;

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
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.audit.ChangeSet;
import dev.usermgmt.internal.Validation;
import dev.usermgmt.internal.service.Confusables;
import dev.usermgmt.internal.service.Services;
import dev.usermgmt.role.Role;
import dev.usermgmt.tenant.CreationChannel;
import dev.usermgmt.tenant.TenantSettings;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.PasswordState;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserDraft;
import dev.usermgmt.user.UserStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creating users, several at once, all or none. */
final class Creation {
  private static final Logger LOG = LoggerFactory.getLogger(Creation.class);

  private final Services services;
  private final Invitations invitations;

  Creation(Services services, Invitations invitations) {
    this.services = services;
    this.invitations = invitations;
  }

  /** The state of one call: what the drafts become, and what is wrong with them. */
  private static final class Batch {
    final Actor actor;
    final TenantSettings settings;
    final AttributeSchema schema;
    final UserStatus initial;
    final Instant now;
    final Map<String, User> taken;
    final Set<UserId> existingIds;
    final Set<String> emailsInBatch = new HashSet<>();
    final Optional<Confusables> confusables;
    final java.util.function.Predicate<User> seen;
    final Map<String, EmailAddress> skeletonsInBatch = new HashMap<>();
    final Map<UserId, User> pending = new LinkedHashMap<>();
    final List<Problem> problems = new ArrayList<>();

    Batch(
        Actor actor,
        TenantSettings settings,
        AttributeSchema schema,
        UserStatus initial,
        Instant now,
        Map<String, User> taken,
        Set<UserId> existingIds,
        Optional<Confusables> confusables,
        java.util.function.Predicate<User> seen) {
      this.actor = actor;
      this.confusables = confusables;
      this.seen = seen;
      this.settings = settings;
      this.schema = schema;
      this.initial = initial;
      this.now = now;
      this.taken = taken;
      this.existingIds = existingIds;
    }
  }

  CreateResult create(Actor actor, List<UserDraft> drafts, CreateOptions options) {
    CreationChannel channel = options.channel();
    boolean sendInvitations = options.sendInvitations();
    Actor now = services.current(actor);
    services.require(now, Action.ADD_USERS);
    TenantId tenant = now.tenant();
    TenantSettings ts = services.settings(tenant);
    List<EmailAddress> emails = new ArrayList<>();
    drafts.forEach(d -> d.primaryEmail().ifPresent(emails::add));
    Batch batch =
        new Batch(
            now,
            ts,
            services.schema(tenant),
            ts.initialStatusFor(channel),
            services.clock().instant(),
            services.lookupEmails(tenant, emails),
            services
                .lookupIds(tenant, drafts.stream().flatMap(d -> d.id().stream()).toList())
                .keySet(),
            options.allowConfusableEmails()
                ? Optional.empty()
                : Optional.of(Confusables.lookup(services.stores().users(), tenant, emails)),
            services.seen(now));
    for (int i = 0; i < drafts.size(); i++) {
      long row = i + 1L;
      draft(batch, drafts.get(i)).forEach(p -> batch.problems.add(p.atRow(row)));
    }
    if (batch.problems.isEmpty()) {
      checkManagers(batch);
    }
    if (!batch.problems.isEmpty()) {
      throw UserMgmtException.of(batch.problems);
    }
    List<User> users = List.copyOf(batch.pending.values());
    ChangeSet cs =
        services.write(
            actor,
            "user.create",
            EditChannel.FORM,
            w -> {
              if (batch.initial.occupiesSeat()) {
                services.requireSeats(tenant, users.size());
              }
              if (options.allowConfusableEmails()) {
                w.allowConfusableEmails();
              }
              w.insert(users);
              return w.commit().orElseThrow();
            });
    LOG.debug("created {} users in {} ({})", users.size(), tenant, cs.id());
    if (!sendInvitations) {
      return new CreateResult(users, List.of(), List.of(), cs.id());
    }
    InvitationResult inv = invitations.invite(actor, users.stream().map(User::id).toList(), true);
    Map<UserId, User> after = new LinkedHashMap<>();
    users.forEach(u -> after.put(u.id(), u));
    if (!inv.sent().isEmpty()) {
      services.stores().users().getAll(tenant, inv.sent()).forEach(after::put);
    }
    return new CreateResult(List.copyOf(after.values()), inv.sent(), inv.failed(), cs.id());
  }

  /** One draft: its problems, or the user it becomes (added to the batch). */
  private List<Problem> draft(Batch batch, UserDraft d) {
    List<Problem> problems = new ArrayList<>(Validation.problems(d));
    Role role = d.role().orElse(services.roles().defaultRole());
    if (!services.roles().contains(role)) {
      problems.add(Problem.ofField(ErrorCode.INVALID_ROLE, "role", "unknown role " + role));
    }
    if (d.primaryEmail().isPresent()) {
      String key = d.primaryEmail().get().key();
      if (batch.taken.containsKey(key) || !batch.emailsInBatch.add(key)) {
        problems.add(
            Problem.ofField(
                ErrorCode.EMAIL_TAKEN,
                "primaryEmail",
                "another user already has the e-mail address " + d.primaryEmail().get()));
      }
      confusable(batch, d.primaryEmail().get()).ifPresent(problems::add);
    }
    problems.addAll(batch.schema.validate(d.attributes(), true));
    problems.addAll(Validity.modules(batch.settings, d.modules()));
    problems.addAll(Validity.groups(services.stores(), batch.actor.tenant(), d.groups()));
    UserId id = d.id().orElseGet(services::newUserId);
    if (d.id().isPresent() && (batch.pending.containsKey(id) || batch.existingIds.contains(id))) {
      problems.add(Problem.ofField(ErrorCode.ALREADY_EXISTS, "id", "user " + id + " exists"));
    }
    User user;
    try {
      user = build(batch, d, id, role);
    } catch (InvalidInputException e) {
      // what the draft's own checks found already says why; otherwise the record's checks do
      return problems.isEmpty() ? e.problems() : problems;
    }
    Decision may =
        services.checkWrite(
            batch.actor, Optional.empty(), Optional.of(user), EditChannel.FORM, batch.schema);
    if (!may.allowed()) {
      problems.add(Problem.ofField(ErrorCode.ACCESS_DENIED, "role", may.message()));
    }
    if (!problems.isEmpty()) {
      return problems;
    }
    batch.pending.put(id, user);
    return List.of();
  }

  /** An address that looks like an existing user's, or an earlier draft's, unless allowed. */
  private static Optional<Problem> confusable(Batch batch, EmailAddress e) {
    if (batch.confusables.isEmpty()) {
      return Optional.empty();
    }
    List<User> like = batch.confusables.get().with(e, Optional.empty());
    if (!like.isEmpty()) {
      return Optional.of(Confusables.problem(e, like.get(0), batch.seen));
    }
    EmailAddress earlier = batch.skeletonsInBatch.putIfAbsent(e.skeleton(), e);
    if (earlier != null && !earlier.key().equals(e.key())) {
      return Optional.of(
          Problem.ofField(
              ErrorCode.CONFUSABLE_IDENTITY,
              "primaryEmail",
              "the e-mail address " + e + " looks like " + earlier + " of another new user"));
    }
    return Optional.empty();
  }

  private static User build(Batch batch, UserDraft d, UserId id, Role role) {
    User.Builder b =
        User.builder()
            .id(id)
            .tenant(batch.actor.tenant())
            .firstName(d.firstName().map(String::strip))
            .lastName(d.lastName().map(String::strip))
            .initials(d.initials().map(String::strip))
            .username(d.username().map(String::strip))
            .primaryEmail(d.primaryEmail())
            .phoneNumber(d.phoneNumber())
            .role(role)
            .status(batch.initial)
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
            .createdAt(batch.now)
            .updatedAt(batch.now);
    d.displayName().map(String::strip).ifPresent(b::displayName);
    return b.build();
  }

  /** The managers named, fetched in one lookup per chunk, so the cycle walk rarely reads more. */
  private void checkManagers(Batch batch) {
    TenantId tenant = batch.actor.tenant();
    Map<UserId, User> known = new HashMap<>(batch.pending);
    known.putAll(
        services.lookupIds(
            tenant,
            batch.pending.values().stream()
                .flatMap(u -> u.managerId().stream())
                .filter(m -> !batch.pending.containsKey(m))
                .distinct()
                .toList()));
    int i = 0;
    for (User u : batch.pending.values()) {
      long row = ++i;
      if (u.managerId().isPresent()) {
        try {
          services.hierarchy().checkManagers(tenant, known, List.of(u));
        } catch (InvalidInputException e) {
          e.problems().forEach(p -> batch.problems.add(p.atRow(row)));
        }
      }
    }
  }
}
