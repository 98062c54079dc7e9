package dev.usermgmt.benchmarks;

import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.access.FeatureFlag;
import dev.usermgmt.access.FeatureFlags;
import dev.usermgmt.bulk.ActionSpec;
import dev.usermgmt.bulk.BulkEngine;
import dev.usermgmt.bulk.BulkListener;
import dev.usermgmt.bulk.DeactivationPlan;
import dev.usermgmt.bulk.DeactivationRequest;
import dev.usermgmt.bulk.SelectionAction;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.memory.InMemoryStores;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Deactivation from a file of 5,000 e-mails against 100,000 in-memory users. {@code plan}: the dry
 * run (parse, normalise, batched lookups, grouping) against a raw map lookup of the lower-cased
 * strings. {@code apply}: a plan's apply (chunks of 500 with version checks and change sets)
 * followed by the reactivation of the same users, against the raw loop that flips the status of the
 * same users in a map twice.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class BulkDeactivation {
  static final int USERS = 100_000;
  static final int EMAILS = 5_000;

  BulkEngine engine =
      BulkEngine.of(UserDirectory.builder().stores(InMemoryStores.create()).build());
  Actor support =
      Actor.builder()
          .tenant(TenantId.of("b"))
          .role(RoleCatalog.defaultCatalog().parse("support"))
          .build();
  List<String> emails = List.of();
  Map<String, User> raw = new HashMap<>();

  /** Loads the users. */
  @Setup
  public void setUp() {
    Stores stores = InMemoryStores.create();
    TenantId tenant = TenantId.of("bench");
    List<User> batch = new ArrayList<>();
    Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
    for (int i = 0; i < USERS; i++) {
      User u =
          User.builder()
              .id(UserId.of(String.format(Locale.ROOT, "u%07d", i)))
              .tenant(tenant)
              .displayName("User " + i)
              .primaryEmail(EmailAddress.parse("user" + i + "@example.com"))
              .role(RoleCatalog.defaultCatalog().defaultRole())
              .status(UserStatus.ACTIVE)
              .version(1)
              .createdAt(t0)
              .updatedAt(t0)
              .build();
      batch.add(u);
      raw.put(u.primaryEmail().orElseThrow().key(), u);
      if (batch.size() == 10_000) {
        stores.users().insert(tenant, batch);
        batch = new ArrayList<>();
      }
    }
    List<String> list = new ArrayList<>();
    for (int i = 0; i < EMAILS; i++) {
      list.add(" USER" + (i * 19) + "@Example.com");
    }
    emails = List.copyOf(list);
    UserDirectory directory =
        UserDirectory.builder()
            .stores(stores)
            .featureFlags(FeatureFlags.of(Map.of(FeatureFlag.DEACTIVATE_USERS_EXCEL, true)))
            .build();
    engine = BulkEngine.of(directory);
    support =
        Actor.builder()
            .tenant(tenant)
            .role(RoleCatalog.defaultCatalog().parse("support"))
            .supportLevel(2)
            .build();
  }

  /**
   * The dry run.
   *
   * @return the plan
   */
  @Benchmark
  public DeactivationPlan plan() {
    return engine.planDeactivation(
        support, new DeactivationRequest(emails, false), BulkListener.NONE);
  }

  /**
   * Raw baseline: lower-case, look up, group.
   *
   * @return the users found
   */
  @Benchmark
  public List<User> plan_raw() {
    List<User> found = new ArrayList<>();
    for (String e : emails) {
      User u = raw.get(e.strip().toLowerCase(Locale.ROOT));
      if (u != null && u.status() == UserStatus.ACTIVE) {
        found.add(u);
      }
    }
    return found;
  }

  /**
   * Apply a deactivation plan, then reactivate the same users.
   *
   * @return how many changed
   */
  @Benchmark
  public int apply() {
    DeactivationPlan plan = plan();
    int n = engine.applyDeactivation(support, plan, BulkListener.NONE).deactivatedCount();
    List<UserId> ids = plan.toDeactivate().stream().map(p -> p.id()).toList();
    var back =
        engine.planSelection(
            support, ids, ActionSpec.of(SelectionAction.REACTIVATE), BulkListener.NONE);
    return n + engine.applySelection(support, back, BulkListener.NONE).changed().size();
  }

  /**
   * Raw baseline: flip the same users' status in a map, twice.
   *
   * @return how many changed
   */
  @Benchmark
  public int apply_raw() {
    int n = 0;
    for (UserStatus target : List.of(UserStatus.DEACTIVATED, UserStatus.ACTIVE)) {
      for (String e : emails) {
        String key = e.strip().toLowerCase(Locale.ROOT);
        User u = raw.get(key);
        if (u != null && u.status() != target) {
          raw.put(
              key,
              u.toBuilder()
                  .status(target)
                  .version(u.version() + 1)
                  .deactivatedAt(Optional.empty())
                  .build());
          n++;
        }
      }
    }
    return n;
  }
}
