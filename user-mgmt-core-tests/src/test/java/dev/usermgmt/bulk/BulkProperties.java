package dev.usermgmt.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.access.FeatureFlag;
import dev.usermgmt.access.FeatureFlags;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.memory.InMemoryStores;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.tenant.TenantSettings;
import dev.usermgmt.testkit.DomainGenerators;
import dev.usermgmt.testkit.Fixtures;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserField;
import dev.usermgmt.user.UserPatch;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

final class BulkProperties {
  private static final RoleCatalog ROLES = RoleCatalog.defaultCatalog();

  private record World(
      Stores stores,
      UserDirectory directory,
      BulkEngine engine,
      Actor support,
      Actor admin,
      TenantId tenant) {}

  private static World world(List<User> users) {
    Stores stores = InMemoryStores.create();
    TenantId t = Fixtures.freshTenant();
    stores.users().insert(t, users.stream().map(u -> u.toBuilder().tenant(t).build()).toList());
    UserDirectory d =
        UserDirectory.builder()
            .stores(stores)
            .featureFlags(FeatureFlags.of(Map.of(FeatureFlag.DEACTIVATE_USERS_EXCEL, true)))
            .settings(
                x -> TenantSettings.builder().addInternalEmailDomains("staff.example").build())
            .build();
    return new World(
        stores,
        d,
        BulkEngine.of(d, new BulkLimits(1, 5000, 7)),
        Actor.builder().tenant(t).role(ROLES.parse("support")).supportLevel(2).build(),
        Actor.builder().tenant(t).role(ROLES.parse("owner")).build(),
        t);
  }

  private static Gen<List<User>> population() {
    return SourceDSL.lists()
        .of(DomainGenerators.users(TenantId.of("gen"), ROLES))
        .ofSizeBetween(0, 40)
        .map(
            users -> {
              Map<UserId, User> byId = new LinkedHashMap<>();
              Set<String> emails = new HashSet<>();
              for (User u : users) {
                if (!byId.containsKey(u.id()) && emails.add(u.primaryEmail().orElseThrow().key())) {
                  byId.put(u.id(), u.toBuilder().version(1).managerId(Optional.empty()).build());
                }
              }
              return List.copyOf(byId.values());
            });
  }

  /** Addresses of the population (in random case), unknown ones, staff ones and junk. */
  private static Gen<List<Integer>> picks() {
    return SourceDSL.lists().of(SourceDSL.integers().between(0, 1000)).ofSizeBetween(1, 60);
  }

  private static List<String> emails(List<User> users, List<Integer> picks) {
    List<String> out = new ArrayList<>();
    for (int p : picks) {
      switch (p % 5) {
        case 0, 1 -> {
          if (!users.isEmpty()) {
            String e = users.get(p % users.size()).primaryEmail().orElseThrow().value();
            out.add(p % 2 == 0 ? e.toUpperCase(Locale.ROOT) : " " + e);
          }
        }
        case 2 -> out.add("nobody" + p + "@example.com");
        case 3 -> out.add("ops" + p + "@staff.example");
        default -> out.add("junk " + p);
      }
    }
    if (out.isEmpty()) {
      out.add("first@example.com");
    }
    return out;
  }

  private static Map<UserId, User> snapshot(World w) {
    Map<UserId, User> m = new TreeMap<>();
    w.stores().users().scan(w.tenant(), Optional.empty(), 10_000).forEach(u -> m.put(u.id(), u));
    return m;
  }

  private static Map<UserId, User> normal(Map<UserId, User> users) {
    Map<UserId, User> m = new TreeMap<>();
    users.forEach((k, u) -> m.put(k, u.toBuilder().version(0).updatedAt(u.createdAt()).build()));
    return m;
  }

  @Test
  void deactivationGroupsPartitionTheInputAndApplyIsIdempotentUndoableAndNeverOverwrites() {
    qt().withExamples(200)
        .forAll(population(), picks(), Generate.booleans(), SourceDSL.integers().between(0, 9))
        .checkAssert(
            (users, picks, allowInternal, editEvery) -> {
              World w = world(users);
              List<String> emails = emails(users, picks);
              DeactivationPlan plan =
                  w.engine()
                      .planDeactivation(
                          w.support(),
                          new DeactivationRequest(emails, allowInternal),
                          BulkListener.NONE);

              // partition: each distinct valid address in exactly one group; junk in invalid
              List<String> grouped = new ArrayList<>();
              plan.toDeactivate()
                  .forEach(
                      p -> grouped.add(p.primaryEmail().orElseThrow().toLowerCase(Locale.ROOT)));
              plan.alreadyInactive()
                  .forEach(
                      p -> grouped.add(p.primaryEmail().orElseThrow().toLowerCase(Locale.ROOT)));
              plan.notFound().forEach(e -> grouped.add(e.toLowerCase(Locale.ROOT)));
              plan.excludedInternal().forEach(e -> grouped.add(e.toLowerCase(Locale.ROOT)));
              Set<String> distinctValid = new HashSet<>();
              emails.forEach(
                  e -> EmailAddress.tryParse(e).ifPresent(a -> distinctValid.add(a.key())));
              assertThat(grouped).doesNotHaveDuplicates();
              assertThat(new HashSet<>(grouped)).isEqualTo(distinctValid);
              assertThat(plan.invalid()).allMatch(e -> !EmailAddress.isValid(e));
              assertThat(plan.invalid().size() + distinctValid.size())
                  .isLessThanOrEqualTo(emails.size());

              Map<UserId, User> before = snapshot(w);
              // a concurrent edit of some planned users between plan and apply
              Set<UserId> edited = new HashSet<>();
              for (int i = 0; i < plan.toDeactivate().size(); i++) {
                if (editEvery > 0 && i % editEvery == 0) {
                  PlannedUser p = plan.toDeactivate().get(i);
                  w.directory()
                      .edit(
                          w.support(),
                          p.id(),
                          p.version(),
                          UserPatch.builder().set(UserField.JOB_TITLE, "edited").build());
                  edited.add(p.id());
                }
              }
              Map<UserId, User> beforeApply = snapshot(w);
              DeactivationResult first =
                  w.engine().applyDeactivation(w.support(), plan, BulkListener.NONE);
              Map<UserId, User> afterFirst = snapshot(w);
              for (UserId id : edited) {
                assertThat(afterFirst.get(id)).isEqualTo(beforeApply.get(id));
              }
              assertThat(first.deactivatedCount())
                  .isEqualTo(plan.toDeactivate().size() - edited.size());
              assertThat(first.failedEmails()).hasSize(edited.size());
              for (PlannedUser p : plan.toDeactivate()) {
                if (!edited.contains(p.id())) {
                  assertThat(afterFirst)
                      .hasEntrySatisfying(
                          p.id(), u -> assertThat(u.status().isInactive()).isTrue());
                }
              }
              // apply twice = apply once
              DeactivationResult second =
                  w.engine().applyDeactivation(w.support(), plan, BulkListener.NONE);
              assertThat(second.deactivatedCount()).isZero();
              assertThat(snapshot(w)).isEqualTo(afterFirst);
              // undo restores the store as it was before the apply
              w.engine().undo(w.support(), first.changeSetIds());
              assertThat(normal(snapshot(w))).isEqualTo(normal(beforeApply));
              assertThat(before.keySet()).isEqualTo(beforeApply.keySet());
            });
  }

  @Test
  void updatePreviewDiffsAppliedToTheOldUserGiveTheNewUserAndApplyIsIdempotentAndUndoable() {
    Gen<List<Integer>> cells =
        SourceDSL.lists().of(SourceDSL.integers().between(0, 999)).ofSizeBetween(0, 30);
    qt().withExamples(150)
        .forAll(population(), cells, SourceDSL.integers().between(0, 5))
        .checkAssert(
            (users, picks, editEvery) -> {
              World w = world(users);
              List<dev.usermgmt.bulk.UpdateRow> rows = new ArrayList<>();
              long n = 2;
              for (int p : picks) {
                if (users.isEmpty()) {
                  break;
                }
                User u = users.get(p % users.size());
                Map<String, String> c = new LinkedHashMap<>();
                c.put("primaryEmail", u.primaryEmail().orElseThrow().value());
                c.put(
                    "department",
                    p % 3 == 0
                        ? ""
                        : DomainGenerators.DEPARTMENTS.get(
                            p % DomainGenerators.DEPARTMENTS.size()));
                c.put("jobTitle", p % 4 == 0 ? "Dev" : "");
                c.put("modules", p % 5 == 0 ? "LMS; lxp" : "");
                rows.add(new dev.usermgmt.bulk.UpdateRow(n++, c));
              }
              Map<UserId, User> old = snapshot(w);
              dev.usermgmt.bulk.UpdatePlan plan =
                  w.engine()
                      .planUpdate(
                          w.support(),
                          rows,
                          dev.usermgmt.bulk.UpdateOptions.defaults(),
                          BulkListener.NONE);
              Set<UserId> edited = new HashSet<>();
              int i = 0;
              for (dev.usermgmt.bulk.RowPreview r : plan.rows()) {
                if (r.kind() == dev.usermgmt.bulk.RowPreview.Kind.CHANGED
                    && editEvery > 0
                    && i++ % editEvery == 0) {
                  PlannedUser p = r.user().orElseThrow();
                  w.directory()
                      .edit(
                          w.support(),
                          p.id(),
                          p.version(),
                          UserPatch.builder().set(UserField.LOCATION, "Elsewhere").build());
                  edited.add(p.id());
                }
              }
              Map<UserId, User> beforeApply = snapshot(w);
              dev.usermgmt.bulk.ApplyResult first =
                  w.engine().applyUpdate(w.support(), plan, BulkListener.NONE);
              Map<UserId, User> afterFirst = snapshot(w);
              for (dev.usermgmt.bulk.RowPreview r : plan.rows()) {
                if (r.kind() != dev.usermgmt.bulk.RowPreview.Kind.CHANGED) {
                  continue;
                }
                UserId id = r.user().orElseThrow().id();
                if (edited.contains(id)) {
                  assertThat(afterFirst.get(id)).isEqualTo(beforeApply.get(id));
                } else {
                  // exactly the planned diffs, written once: the version one more, the update
                  // time its chunk's
                  User stored = java.util.Objects.requireNonNull(afterFirst.get(id));
                  User expected =
                      dev.usermgmt.audit.internal.Diffs.apply(
                          java.util.Objects.requireNonNull(old.get(id)),
                          r.diffs(),
                          false,
                          ROLES,
                          stored.updatedAt());
                  assertThat(stored).isEqualTo(expected);
                }
              }
              dev.usermgmt.bulk.ApplyResult second =
                  w.engine().applyUpdate(w.support(), plan, BulkListener.NONE);
              assertThat(second.changed()).isEmpty();
              assertThat(snapshot(w)).isEqualTo(afterFirst);
              w.engine().undo(w.support(), first.changeSetIds());
              assertThat(normal(snapshot(w))).isEqualTo(normal(beforeApply));
            });
  }
}
