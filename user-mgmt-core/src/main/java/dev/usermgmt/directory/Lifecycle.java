package dev.usermgmt.directory;

import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.access.EditChannel;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.audit.FieldDiff;
import dev.usermgmt.internal.service.Services;
import dev.usermgmt.user.Transition;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserField;
import dev.usermgmt.user.UserLifecycle;
import dev.usermgmt.user.UserStatus;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The lifecycle of one user: every move of {@link UserLifecycle} (each gated by the action its
 * {@link Transition} carries), deletion, GDPR anonymisation, and the sign-ins the host reports.
 */
final class Lifecycle {
  private static final Set<UserField> PERSONAL_FIELDS =
      EnumSet.of(
          UserField.DISPLAY_NAME,
          UserField.FIRST_NAME,
          UserField.LAST_NAME,
          UserField.INITIALS,
          UserField.USERNAME,
          UserField.PRIMARY_EMAIL,
          UserField.PHONE_NUMBER);

  private final Services services;

  Lifecycle(Services services) {
    this.services = services;
  }

  /** A move of the lifecycle, as its single-user action. */
  User move(Actor actor, UserId id, Transition t, Optional<Instant> when) {
    return move(actor, id, t, when, t.operation());
  }

  /** A move of the lifecycle, recorded under an operation name. */
  User move(Actor actor, UserId id, Transition t, Optional<Instant> when, String operation) {
    TenantId tenant = actor.tenant();
    return services.write(
        actor,
        operation,
        EditChannel.SYSTEM,
        w -> {
          User before = services.load(tenant, id);
          services.require(w.actor(), t.action(), before);
          User after = UserLifecycle.apply(before, t, w.now(), when).orElseThrow();
          if (!before.status().occupiesSeat() && after.status().occupiesSeat()) {
            services.requireSeats(tenant, 1);
          }
          User stored = w.update(before, after);
          return services.shown(w.actor(), stored);
        });
  }

  void delete(Actor actor, UserId id) {
    TenantId tenant = actor.tenant();
    services.run(
        actor,
        Transition.DELETE.operation(),
        EditChannel.SYSTEM,
        w -> {
          User before = services.load(tenant, id);
          services.require(w.actor(), Transition.DELETE.action(), before);
          UserLifecycle.next(before.status(), Transition.DELETE);
          w.delete(List.of(before));
        });
  }

  User anonymise(Actor actor, UserId id) {
    TenantId tenant = actor.tenant();
    return services.write(
        actor,
        Transition.ANONYMISE.operation(),
        EditChannel.SYSTEM,
        w -> {
          User before = services.load(tenant, id);
          services.require(w.actor(), Transition.ANONYMISE.action(), before);
          UserStatus next = UserLifecycle.next(before.status(), Transition.ANONYMISE).orElseThrow();
          AttributeSchema schema = services.schema(tenant);
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
          User stored = w.update(before, after);
          w.commit();
          w.scrub(before, scrub);
          return services.shown(w.actor(), stored);
        });
  }

  /** A sign-in the host reports: last login and last activity, by the system actor. */
  User recordLogin(TenantId tenant, UserId id, Instant at) {
    Actor system = Actor.system(tenant, services.roles());
    return services.write(
        system,
        "user.login",
        EditChannel.SYSTEM,
        w -> {
          User before = services.load(tenant, id);
          User stored =
              w.update(before, before.toBuilder().lastLoginAt(at).lastActivityAt(at).build());
          return stored;
        });
  }
}
