package dev.usermgmt.internal.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Relation;
import dev.usermgmt.memory.InMemoryStores;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

/**
 * The relations of several users worked out together are the relations {@link Hierarchy#relation}
 * gives one by one, whatever the shape of the tree (forests, managers that do not exist, cycles
 * that slipped in from outside), the acting user and the order of the list.
 */
final class HierarchyRelationsTest {
  private static final TenantId TENANT = TenantId.of("t");
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void togetherAsOneByOne() {
    Gen<Long> seeds = SourceDSL.longs().all();
    Gen<Integer> sizes = SourceDSL.integers().between(1, 40);
    qt().withExamples(300).forAll(seeds, sizes).checkAssert(HierarchyRelationsTest::check);
  }

  private static void check(long seed, int n) {
    Random random = new Random(seed);
    List<User> users = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Optional<UserId> manager;
      int shape = random.nextInt(10);
      if (i == 0 || shape == 0) {
        manager = Optional.empty();
      } else if (shape == 1) {
        manager = Optional.of(id(n + random.nextInt(3))); // a manager that does not exist
      } else if (shape == 2) {
        int m = random.nextInt(n - 1);
        manager = Optional.of(id(m < i ? m : m + 1)); // anyone else, cycles included
      } else {
        manager = Optional.of(id(random.nextInt(i))); // a tree
      }
      users.add(user(i, manager));
    }
    Stores stores = InMemoryStores.create();
    stores.transactions().run(() -> stores.users().insert(TENANT, users));
    Hierarchy hierarchy = new Hierarchy(stores.users());
    Optional<UserId> actor =
        switch (random.nextInt(4)) {
          case 0 -> Optional.empty();
          case 1 -> Optional.of(id(n + 5));
          default -> Optional.of(id(random.nextInt(n)));
        };
    List<User> targets = new ArrayList<>(users);
    Collections.shuffle(targets, random);
    targets = targets.subList(0, 1 + random.nextInt(targets.size()));
    Map<UserId, Relation> together = hierarchy.relations(actor, TENANT, targets);
    for (User u : targets) {
      assertThat(together.get(u.id()))
          .as("%s for %s in %s", u.id(), actor, users)
          .isEqualTo(hierarchy.relation(actor, u));
    }
  }

  private static UserId id(int i) {
    return UserId.of("u" + i);
  }

  private static User user(int i, Optional<UserId> manager) {
    return User.builder()
        .id(id(i))
        .tenant(TENANT)
        .firstName("F" + i)
        .lastName("L" + i)
        .primaryEmail(EmailAddress.parse("u" + i + "@example.com"))
        .role(RoleCatalog.defaultCatalog().defaultRole())
        .status(UserStatus.ACTIVE)
        .managerId(manager)
        .version(1)
        .createdAt(T0)
        .updatedAt(T0)
        .build();
  }
}
