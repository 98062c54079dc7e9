package dev.usermgmt.directory;

import dev.usermgmt.Action;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.NotFoundException;
import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.access.EditChannel;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.audit.UserChange;
import dev.usermgmt.audit.internal.Diffs;
import dev.usermgmt.group.Group;
import dev.usermgmt.internal.service.Services;
import dev.usermgmt.internal.service.UnitOfWork;
import dev.usermgmt.user.User;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The tenant's custom attribute definitions and groups. */
final class Schema {
  private final Services services;

  Schema(Services services) {
    this.services = services;
  }

  AttributeDefinition createAttribute(Actor actor, AttributeDefinition definition) {
    return attributes(
        actor,
        "attribute.create",
        w -> {
          w.define(definition.key(), Optional.empty(), Optional.of(definition));
          return definition;
        });
  }

  AttributeDefinition updateAttribute(Actor actor, AttributeDefinition definition) {
    return attributes(
        actor,
        "attribute.update",
        w -> {
          AttributeDefinition before = load(actor.tenant(), definition.key());
          if (before.type() != definition.type()) {
            throw new InvalidInputException(
                Problem.ofField(
                    ErrorCode.INVALID_VALUE,
                    "type",
                    "an attribute's type cannot change; delete and recreate it"));
          }
          w.define(definition.key(), Optional.of(before), Optional.of(definition));
          return definition;
        });
  }

  int deleteAttribute(Actor actor, String key) {
    TenantId tenant = actor.tenant();
    return attributes(
        actor,
        "attribute.delete",
        w -> {
          AttributeDefinition before = load(tenant, key);
          Map<UserId, AttributeValue> dropped =
              w.define(key, Optional.of(before), Optional.empty());
          Map<UserId, User> users = services.lookupIds(tenant, List.copyOf(dropped.keySet()));
          dropped.forEach(
              (id, value) -> {
                User now = users.get(id);
                long v = now == null ? 1 : now.version();
                w.record(
                    UserChange.builder()
                        .userId(id)
                        .kind(UserChange.Kind.UPDATED)
                        .addDiffs(Diffs.attributeDiff(key, Optional.of(value), Optional.empty()))
                        .versionBefore(v - 1)
                        .versionAfter(v)
                        .build());
              });
          w.commit();
          return dropped.size();
        });
  }

  Group putGroup(Actor actor, Group group) {
    services.run(
        actor,
        "group.put",
        EditChannel.SYSTEM,
        w -> {
          w.putGroup(group);
        });
    return group;
  }

  /** A change of the attributes, by an actor who may manage them now (asked first, clearly). */
  private <T> T attributes(Actor actor, String operation, Function<UnitOfWork, T> work) {
    return services.write(
        actor,
        operation,
        EditChannel.SYSTEM,
        w -> {
          services.require(w.actor(), Action.MANAGE_CUSTOM_ATTRIBUTES);
          return work.apply(w);
        });
  }

  private AttributeDefinition load(TenantId tenant, String key) {
    return services
        .stores()
        .attributes()
        .get(tenant, key)
        .orElseThrow(
            () ->
                new NotFoundException(
                    Problem.ofField(
                        ErrorCode.ATTRIBUTE_NOT_FOUND, "key", "no attribute '" + key + "'")));
  }
}
