package dev.usermgmt.directory;

import dev.usermgmt.AccessDeniedException;
import dev.usermgmt.Action;
import dev.usermgmt.ConflictException;
import dev.usermgmt.Decision;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.UserMgmtException;
import dev.usermgmt.access.Actor;
import dev.usermgmt.access.EditChannel;
import dev.usermgmt.access.Visibility;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.internal.service.Services;
import dev.usermgmt.role.Role;
import dev.usermgmt.tenant.TenantSettings;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserField;
import dev.usermgmt.user.UserPatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Edits of one user: the edit-user dialog, the manager, the modules. */
final class Edits {
  private final Services services;

  Edits(Services services) {
    this.services = services;
  }

  User edit(
      Actor actor,
      UserId id,
      Optional<Long> expectedVersion,
      UserPatch patch,
      EditChannel channel,
      String operation) {
    TenantId tenant = actor.tenant();
    return services.write(
        actor,
        operation,
        channel,
        w -> {
          User before = services.load(tenant, id);
          AttributeSchema schema = services.schema(tenant);
          if (!w.actor().system()) {
            // what the patch names, whatever its values: a refusal that depended on whether a
            // value the actor may not see equals the patch's would tell it
            services
                .visibility(
                    w.actor(),
                    services.relation(w.actor(), before),
                    schema,
                    Visibility.Purpose.RECORD)
                .refusesWriting(patch.fields().keySet(), patch.attributes().keySet())
                .ifPresent(
                    d -> {
                      throw new AccessDeniedException(d);
                    });
          }
          User after = applied(before, patch);
          Decision may =
              services.checkWrite(
                  w.actor(), Optional.of(before), Optional.of(after), channel, schema);
          if (!may.allowed()) {
            throw new AccessDeniedException(may);
          }
          long expected = expectedVersion.orElse(before.version());
          if (before.version() != expected) {
            throw new ConflictException(
                Problem.ofField(
                    ErrorCode.VERSION_CONFLICT,
                    "version",
                    "user "
                        + id
                        + " is at version "
                        + before.version()
                        + ", not "
                        + expected
                        + "; reload and edit again"));
          }
          validate(tenant, before, after, patch, schema);
          User stored = w.update(before, after);
          return services.shown(w.actor(), stored);
        });
  }

  User setManager(Actor actor, UserId id, Optional<UserId> manager) {
    UserPatch.Builder p = UserPatch.builder();
    if (manager.isPresent()) {
      p.set(UserField.MANAGER_ID, manager.get());
    } else {
      p.clear(UserField.MANAGER_ID);
    }
    return edit(actor, id, Optional.empty(), p.build(), EditChannel.FORM, "user.set_manager");
  }

  User setModules(Actor actor, UserId id, Set<String> modules) {
    // the action itself, whatever the user: who may set which user's modules is the edit's to
    // judge, after what the actor may see of the user (a refusal for the user's rank told it)
    services.require(services.current(actor), Action.SET_MODULES);
    return edit(
        actor,
        id,
        Optional.empty(),
        UserPatch.builder().set(UserField.MODULES, modules).build(),
        EditChannel.FORM,
        "user.set_modules");
  }

  private static User applied(User before, UserPatch patch) {
    return patch.applyTo(before);
  }

  /** What a valid edit names: attributes of the schema, modules and groups, roles, managers. */
  private void validate(
      TenantId tenant, User before, User after, UserPatch patch, AttributeSchema schema) {
    List<Problem> problems = new ArrayList<>(patch.validateAttributes(schema));
    TenantSettings ts = services.settings(tenant);
    if (patch.fields().containsKey(UserField.MODULES)) {
      problems.addAll(Validity.modules(ts, after.modules()));
    }
    if (patch.fields().containsKey(UserField.GROUPS)) {
      problems.addAll(Validity.groups(services.stores(), tenant, after.groups()));
    }
    Role role = after.role();
    if (!services.roles().contains(role)) {
      problems.add(Problem.ofField(ErrorCode.INVALID_ROLE, "role", "unknown role " + role));
    }
    if (after.managerId().isPresent() && !after.managerId().equals(before.managerId())) {
      try {
        services.hierarchy().checkManagers(tenant, Map.of(after.id(), after), List.of(after));
      } catch (InvalidInputException e) {
        problems.addAll(e.problems());
      }
    }
    if (!problems.isEmpty()) {
      throw UserMgmtException.of(problems);
    }
  }
}
