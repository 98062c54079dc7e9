package dev.usermgmt.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.UserMgmtException;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.memory.InMemoryStores;
import dev.usermgmt.role.Role;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.Fixtures;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserField;
import dev.usermgmt.user.UserPatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.SourceDSL;

/**
 * Noninterference: what a write answers (done, or refused with which code and message) does not
 * depend on what the single-user read hides from its actor. Two tenants hold the same users, but
 * for what {@code get} does not show the actor of one user (the whole user when it is refused):
 * there its hidden fields, attributes and grants differ. The same random write, by the same actor
 * on that user, must answer alike in both; a write whose patch names the hidden value of one tenant
 * is a guess, right in one and wrong in the other.
 *
 * <p>The observable is the read itself ({@code UserDirectory.get}), not the policy's visibility, so
 * the property holds the policy to what it shows.
 */
final class NoninterferenceProperties {
  private static final RoleCatalog ROLES = RoleCatalog.defaultCatalog();
  private static final List<String> GRANTABLE =
      List.of(
          "EDIT_USER", "VIEW_USER", "VIEW_USERS", "SET_MODULES", "MANAGE_GROUPS", "UNDO", "EXPORT");
  private static final int USERS = 6;

  private static int examples() {
    return Integer.getInteger("usermgmt.noninterference.examples", 300);
  }

  @Test
  void aWritesAnswerDependsOnNothingItsActorMayNotRead() {
    qt().withExamples(examples())
        .withShrinkCycles(100)
        .forAll(SourceDSL.longs().between(0, Long.MAX_VALUE))
        .checkAssert(NoninterferenceProperties::check);
  }

  /** One tenant's directory over in-memory stores. */
  private record World(TenantId tenant, Stores stores, UserDirectory directory) {
    static World create() {
      Stores stores = InMemoryStores.create();
      World w =
          new World(Fixtures.freshTenant(), stores, UserDirectory.builder().stores(stores).build());
      for (AttributeDefinition d : definitions()) {
        stores.attributes().put(w.tenant, Optional.empty(), d);
      }
      return w;
    }

    Actor as(UserId id) {
      return Actor.forUser(stores.users().get(tenant, id).orElseThrow(), ROLES).build();
    }
  }

  private static List<AttributeDefinition> definitions() {
    return List.of(
        def("salary", false, false, false),
        def("notes", false, true, false),
        def("medical", true, false, false),
        def("rating", false, true, true));
  }

  private static AttributeDefinition def(
      String key, boolean sensitive, boolean managersSee, boolean managersEdit) {
    return AttributeDefinition.builder()
        .key(key)
        .label(key)
        .type(AttributeType.TEXT)
        .sensitive(sensitive)
        .visibleToManagers(managersSee)
        .editableByManagers(managersEdit)
        .build();
  }

  private static void check(long seed) {
    Random r = new Random(seed);
    List<User> users = new ArrayList<>();
    for (int i = 0; i < USERS; i++) {
      users.add(user(r, i));
    }
    UserId actor = UserId.of("u" + r.nextInt(USERS));
    UserId target = UserId.of("u" + r.nextInt(USERS));
    World a = World.create();
    World b = World.create();
    a.stores.users().insert(a.tenant, users.stream().map(u -> in(a, u)).toList());
    // what the actor reads of the target in the first tenant decides what may differ
    Optional<User> shown = read(a, actor, target);
    User original = users.get(Integer.parseInt(target.value().substring(1)));
    User other = altered(original, shown, r);
    b.stores
        .users()
        .insert(
            b.tenant, users.stream().map(u -> in(b, u.id().equals(target) ? other : u)).toList());
    if (!read(b, actor, target)
        .map(NoninterferenceProperties::withoutTenant)
        .equals(shown.map(NoninterferenceProperties::withoutTenant))) {
      // a value the read shows as absent was given in the second tenant, and shows there: not
      // hidden, so not this property's case
      return;
    }
    String what = write(r);
    long version = r.nextBoolean() ? original.version() : 99;
    Random ra = new Random(seed ^ 0x5DEECE66DL);
    Random rb = new Random(seed ^ 0x5DEECE66DL);
    String inA = answer(() -> apply(a, actor, target, version, what, ra, original));
    String inB = answer(() -> apply(b, actor, target, version, what, rb, original));
    assertThat(inB)
        .as(
            "%s by %s on %s (seen: %s), the guessed value as in the first tenant",
            what, actor.value(), target.value(), shown.isPresent())
        .isEqualTo(inA);
  }

  private static User in(World w, User u) {
    return u.toBuilder().tenant(w.tenant).build();
  }

  private static User withoutTenant(User u) {
    return u.toBuilder().tenant(TenantId.of("any")).build();
  }

  private static Optional<User> read(World w, UserId actor, UserId target) {
    try {
      return Optional.of(w.directory.get(w.as(actor), target));
    } catch (UserMgmtException e) {
      return Optional.empty();
    }
  }

  private static User user(Random r, int i) {
    Role role =
        List.of(
                ROLES.defaultRole(),
                ROLES.defaultRole(),
                ROLES.managerRole(),
                ROLES.adminRole(),
                ROLES.parse("support"))
            .get(r.nextInt(5));
    User.Builder b =
        Fixtures.user(TenantId.of("any"), "u" + i).toBuilder()
            .role(role)
            .jobTitle("Title " + r.nextInt(3))
            .department("Dept " + r.nextInt(3))
            .modules(r.nextBoolean() ? Set.of("LMS") : Set.of());
    if (i > 0 && r.nextBoolean()) {
      b.managerId(UserId.of("u" + r.nextInt(i)));
    }
    Set<String> grants = new TreeSet<>();
    for (String g : GRANTABLE) {
      if (r.nextInt(4) == 0) {
        grants.add(g);
      }
    }
    b.permissionGrants(grants);
    Map<String, AttributeValue> attrs = new LinkedHashMap<>();
    for (AttributeDefinition d : definitions()) {
      if (r.nextBoolean()) {
        attrs.put(d.key(), AttributeValue.text(d.key() + " " + r.nextInt(3)));
      }
    }
    b.attributes(attrs);
    return b.build();
  }

  /** The target as the second tenant holds it: what the read did not show, changed. */
  private static User altered(User u, Optional<User> shown, Random r) {
    User.Builder b = u.toBuilder();
    if (shown.isEmpty()) {
      b.jobTitle("Other title").department("Other dept");
      b.modules(u.modules().isEmpty() ? Set.of("LMS") : Set.of());
      b.role(u.role().equals(ROLES.defaultRole()) ? ROLES.managerRole() : ROLES.defaultRole());
    }
    if (shown.isEmpty() || shown.get().permissionGrants().isEmpty()) {
      b.permissionGrants(
          u.permissionGrants().contains("EXPORT") ? Set.of() : Set.of("EXPORT", "EDIT_USER"));
    }
    Map<String, AttributeValue> attrs = new LinkedHashMap<>(u.attributes());
    for (AttributeDefinition d : definitions()) {
      boolean hidden = shown.isEmpty() || !shown.get().attributes().containsKey(d.key());
      if (hidden) {
        if (attrs.containsKey(d.key()) && r.nextBoolean()) {
          attrs.remove(d.key());
        } else {
          attrs.put(d.key(), AttributeValue.text("other " + d.key()));
        }
      }
    }
    b.attributes(attrs);
    return b.build();
  }

  /** Which write to make: one field or attribute, or modules. */
  private static String write(Random r) {
    List<String> ways = new ArrayList<>(List.of("jobTitle", "department", "modules", "grants"));
    definitions().forEach(d -> ways.add("attributes." + d.key()));
    return ways.get(r.nextInt(ways.size()));
  }

  /**
   * The write: most often the first tenant's value of what it names (a right guess there, a wrong
   * one in the second tenant when it is hidden), or another value.
   */
  private static Object apply(
      World w, UserId actor, UserId target, long version, String what, Random r, User guess) {
    boolean right = r.nextInt(3) > 0;
    UserPatch.Builder p = UserPatch.builder();
    switch (what) {
      case "jobTitle" -> p.set(UserField.JOB_TITLE, right ? guess.jobTitle().orElse("x") : "Guess");
      case "department" ->
          p.set(UserField.DEPARTMENT, right ? guess.department().orElse("x") : "Guess");
      case "modules" -> {
        return w.directory.setModules(
            w.as(actor), target, right ? guess.modules() : Set.of("LMS", "LXP"));
      }
      case "grants" ->
          p.set(UserField.PERMISSION_GRANTS, right ? guess.permissionGrants() : Set.of("UNDO"));
      default -> {
        String key = what.substring("attributes.".length());
        AttributeValue v =
            right
                ? guess.attributes().getOrDefault(key, AttributeValue.text("guess"))
                : AttributeValue.text("guess");
        p.attribute(key, v);
      }
    }
    return w.directory.edit(w.as(actor), target, version, p.build());
  }

  /** What a write answered: done, or its refusal's code and message. */
  private static String answer(Supplier<Object> write) {
    try {
      return write.get() == null ? "done (nothing)" : "done";
    } catch (UserMgmtException e) {
      return e.code() + ": " + e.getMessage();
    }
  }
}
