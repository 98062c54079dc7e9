package dev.usermgmt.directory;

import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.access.FeatureFlag;
import dev.usermgmt.access.FeatureFlags;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.audit.ChangeSet;
import dev.usermgmt.audit.FieldDiff;
import dev.usermgmt.memory.InMemoryStores;
import dev.usermgmt.role.Role;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.Fixtures;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserPatch;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * One tenant's users on in-memory stores, written directly, and the directory over them: for tests
 * that act as several of the users, each as the store has them now.
 */
abstract class OneTenant {
  static final RoleCatalog ROLES = RoleCatalog.defaultCatalog();
  final TenantId tenant = Fixtures.freshTenant();
  final Stores stores = InMemoryStores.create();
  final UserDirectory directory = UserDirectory.builder().stores(stores).build();

  /** A directory over the same stores with user-reference attributes switched off for all. */
  UserDirectory withoutUserReferences() {
    return UserDirectory.builder()
        .stores(stores)
        .featureFlags(
            FeatureFlags.of(Map.of(FeatureFlag.CAN_SEE_USER_TYPE_CUSTOM_ATTRIBUTES, false)))
        .build();
  }

  /** Stores a user of the tenant with a role, and whatever else {@code more} gives them. */
  User put(String id, Role role, UnaryOperator<User.Builder> more) {
    User u = more.apply(Fixtures.user(tenant, id).toBuilder().role(role)).build();
    stores.users().insert(tenant, List.of(u));
    return u;
  }

  /** The stored user as an actor, with their rights now. */
  Actor as(String id) {
    return Actor.forUser(stores.users().get(tenant, UserId.of(id)).orElseThrow(), ROLES).build();
  }

  /** Defines a custom attribute directly in the store (no change set). */
  void define(String key, AttributeType type, boolean sensitive, boolean managers) {
    stores
        .attributes()
        .put(
            tenant,
            Optional.empty(),
            AttributeDefinition.builder()
                .key(key)
                .label(key)
                .type(type)
                .sensitive(sensitive)
                .visibleToManagers(managers)
                .editableByManagers(managers)
                .build());
  }

  /**
   * Ann (an admin), Bob (an admin without MANAGE_CUSTOM_ATTRIBUTES) and Lee (a Learner); Ann
   * defines the sensitive text attribute {@code salary} and sets Lee's to 90000, through the
   * directory (so the change log holds both).
   */
  void leeWithSensitiveSalary() {
    put("ann", ROLES.adminRole(), b -> b);
    put("bob", ROLES.adminRole(), b -> b.permissionRevocations(Set.of("MANAGE_CUSTOM_ATTRIBUTES")));
    put("lee", ROLES.defaultRole(), b -> b);
    directory.createAttribute(
        as("ann"),
        AttributeDefinition.builder()
            .key("salary")
            .label("Salary")
            .type(AttributeType.TEXT)
            .sensitive(true)
            .build());
    directory.edit(
        as("ann"),
        UserId.of("lee"),
        1,
        UserPatch.builder().attribute("salary", AttributeValue.text("90000")).build());
  }

  /** The diffs of one field in change sets, in order. */
  static List<FieldDiff> diffs(List<ChangeSet> log, String field) {
    return log.stream()
        .flatMap(cs -> cs.changes().stream())
        .flatMap(c -> c.diffs().stream())
        .filter(d -> d.field().equals(field))
        .toList();
  }
}
