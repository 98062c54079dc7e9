package dev.usermgmt.bulk;

import dev.usermgmt.Action;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.bulk.Chunks.Step;
import dev.usermgmt.internal.Batches;
import dev.usermgmt.internal.service.Confusables;
import dev.usermgmt.internal.service.Services;
import dev.usermgmt.tenant.TenantSettings;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.Transition;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/** Deactivation from an e-mail list, and bulk deletion from a list of ids. */
final class Deactivations {
  private final Services services;
  private final Chunks chunks;
  private final BulkLimits limits;

  Deactivations(Services services, Chunks chunks, BulkLimits limits) {
    this.services = services;
    this.chunks = chunks;
    this.limits = limits;
  }

  DeactivationPlan plan(Actor actor, DeactivationRequest request, BulkListener listener) {
    Actor now = services.current(actor);
    services.require(now, Action.DEACTIVATE_FROM_FILE);
    List<String> given = new ArrayList<>();
    List<Long> rows = new ArrayList<>();
    for (int i = 0; i < request.emails().size(); i++) {
      if (!request.emails().get(i).isBlank()) {
        given.add(request.emails().get(i));
        rows.add(request.rows().get(i));
      }
    }
    if (given.size() < limits.minEmails()) {
      throw new InvalidInputException(
          Problem.ofField(
              ErrorCode.TOO_FEW_ITEMS,
              "emails",
              "the file has no e-mail address; at least " + limits.minEmails() + " is needed"));
    }
    if (given.size() > limits.maxEmails()) {
      throw new InvalidInputException(
          Problem.ofField(
              ErrorCode.LIMIT_EXCEEDED,
              "emails",
              "the file has "
                  + given.size()
                  + " e-mail addresses; at most "
                  + limits.maxEmails()
                  + " are allowed"));
    }
    TenantSettings settings = services.settings(now.tenant());
    List<String> invalid = new ArrayList<>();
    List<String> excluded = new ArrayList<>();
    List<FlaggedAddress> flagged = new ArrayList<>();
    Map<String, Long> firstRows = new HashMap<>();
    // the first row of each address decides, so a key is new here exactly once: a list suffices
    List<EmailAddress> distinct = new ArrayList<>(given.size());
    for (int i = 0; i < given.size(); i++) {
      String text = given.get(i);
      long row = rows.get(i);
      Optional<EmailAddress> e = EmailAddress.tryParse(text);
      if (e.isEmpty()) {
        invalid.add(text);
        flagged.add(
            new FlaggedAddress(row, text, FlaggedAddress.Reason.INVALID, OptionalLong.empty()));
        continue;
      }
      Long first = firstRows.putIfAbsent(e.get().key(), row);
      if (first != null) {
        flagged.add(
            new FlaggedAddress(row, text, FlaggedAddress.Reason.DUPLICATE, OptionalLong.of(first)));
      } else if (!request.allowInternalEmails() && internal(e.get(), settings)) {
        excluded.add(e.get().value());
        flagged.add(
            new FlaggedAddress(row, text, FlaggedAddress.Reason.INTERNAL, OptionalLong.empty()));
      } else {
        distinct.add(e.get());
      }
    }
    List<EmailAddress> emails = distinct;
    // the preview needs each user's identity, version, status and names, not the whole record;
    // every write check is made at apply, against the user as stored then
    Map<String, UserSummary> found =
        Batches.lookup(
            emails,
            Engine.lookupBatch(services),
            part -> services.stores().users().findSummariesByEmails(now.tenant(), part),
            (done, total) -> listener.progress("lookup", done, total));
    // a user the actor may not see is answered as an address no user has, as a selection answers
    // an id: the dry run tells neither names nor states of users outside the actor's sight
    java.util.function.Predicate<UserId> seen =
        services.seenIds(now, found.values().stream().map(UserSummary::id).toList());
    List<EmailAddress> missing = new ArrayList<>();
    Partition p =
        partition(
            emails,
            e -> {
              UserSummary s = found.get(e.key());
              if (s == null || !seen.test(s.id())) {
                missing.add(e);
                return null;
              }
              return s;
            },
            EmailAddress::value);
    flagged.addAll(lookAlikes(now, missing, firstRows));
    flagged.sort(java.util.Comparator.comparingLong(FlaggedAddress::row));
    return DeactivationPlan.sealed(
        services.seals(),
        services.newId(),
        now.tenant(),
        services.clock().instant(),
        p.active(),
        p.inactive(),
        p.notFound(),
        invalid,
        excluded,
        flagged);
  }

  /**
   * The addresses no user has that look like an existing user's (same skeleton, another identity),
   * flagged with their rows: one skeleton lookup per chunk of the addresses not found.
   */
  private List<FlaggedAddress> lookAlikes(
      Actor now, List<EmailAddress> missing, Map<String, Long> rows) {
    if (missing.isEmpty()) {
      return List.of();
    }
    Confusables like = Confusables.lookup(services.stores().users(), now.tenant(), missing);
    // only a user the actor may see is a look-alike's reason: an address like an unseen user's is
    // answered as one like no user's, as that user's own address is answered as not found
    java.util.function.Predicate<User> seen = services.seen(now);
    List<FlaggedAddress> out = new ArrayList<>();
    for (EmailAddress e : missing) {
      if (like.with(e, Optional.empty()).stream().anyMatch(seen)) {
        out.add(
            new FlaggedAddress(
                rows.getOrDefault(e.key(), 0L),
                e.value(),
                FlaggedAddress.Reason.LOOK_ALIKE,
                OptionalLong.empty()));
      }
    }
    return out;
  }

  private static boolean internal(EmailAddress e, TenantSettings settings) {
    String domain = e.domain();
    for (String d : settings.internalEmailDomains()) {
      String internal = d.toLowerCase(Locale.ROOT);
      if (domain.equals(internal) || domain.endsWith("." + internal)) {
        return true;
      }
    }
    return false;
  }

  DeactivationResult apply(Actor actor, DeactivationPlan plan, BulkListener listener) {
    services.seals().verify(plan, plan.seal());
    Engine.requireTenant(actor, plan.tenant());
    services.require(services.current(actor), Action.DEACTIVATE_FROM_FILE);
    ApplyResult r =
        chunks.apply(
            actor,
            plan.id(),
            "bulk.deactivate",
            plan.toDeactivate(),
            (w, current) ->
                Selections.lifecycle(
                    current, Transition.DEACTIVATE, w.now(), Optional.empty(), Optional.empty()),
            listener,
            Integer.MAX_VALUE);
    List<String> failedEmails = new ArrayList<>();
    for (PlannedUser p : plan.toDeactivate()) {
      if (r.failed().containsKey(p.id())) {
        failedEmails.add(p.primaryEmail().orElse(p.id().value()));
      }
    }
    return new DeactivationResult(plan, r.changed().size(), failedEmails, r.changeSetIds());
  }

  DeletionPlan planDeletion(Actor actor, List<UserId> ids, boolean deactivateFirst) {
    Actor now = services.current(actor);
    services.require(now, Action.BULK_DELETE);
    List<UserId> distinct = List.copyOf(new LinkedHashSet<>(ids));
    Map<UserId, User> found =
        Engine.lookup(
            services, now.tenant(), distinct, Engine.lookupBatch(services), BulkListener.NONE);
    java.util.function.Predicate<User> seen = services.seen(now);
    Partition p =
        partition(
            distinct,
            id -> {
              User u = found.get(id);
              return u == null || !seen.test(u) ? null : UserSummary.of(u);
            },
            UserId::value);
    return DeletionPlan.sealed(
        services.seals(),
        services.newId(),
        now.tenant(),
        services.clock().instant(),
        p.inactive(),
        p.active(),
        p.notFound(),
        deactivateFirst);
  }

  ApplyResult applyDeletion(Actor actor, DeletionPlan plan, BulkListener listener) {
    services.seals().verify(plan, plan.seal());
    Engine.requireTenant(actor, plan.tenant());
    services.require(services.current(actor), Action.BULK_DELETE);
    List<PlannedUser> targets = new ArrayList<>(plan.toDelete());
    if (plan.deactivateFirst()) {
      targets.addAll(plan.stillActive());
    }
    return chunks.apply(
        actor,
        plan.id(),
        "bulk.delete",
        targets,
        (w, current) ->
            current.status().isInactive() || plan.deactivateFirst()
                ? Step.delete()
                : Step.refuse(ErrorCode.ILLEGAL_TRANSITION, "only deactivated users are deleted"),
        listener,
        Integer.MAX_VALUE);
  }

  /** Keys sorted into users that are inactive, users that are not, and keys no user has. */
  private record Partition(
      List<PlannedUser> inactive, List<PlannedUser> active, List<String> notFound) {}

  private static <K> Partition partition(
      List<K> keys,
      Function<K, @org.jspecify.annotations.Nullable UserSummary> find,
      Function<K, String> label) {
    List<PlannedUser> inactive = new ArrayList<>();
    List<PlannedUser> active = new ArrayList<>(keys.size());
    List<String> notFound = new ArrayList<>();
    for (K k : keys) {
      UserSummary u = find.apply(k);
      if (u == null) {
        notFound.add(label.apply(k));
      } else if (u.status().isInactive()) {
        inactive.add(PlannedUser.of(u));
      } else {
        active.add(PlannedUser.of(u));
      }
    }
    return new Partition(inactive, active, notFound);
  }
}
