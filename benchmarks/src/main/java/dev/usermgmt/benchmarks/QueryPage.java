package dev.usermgmt.benchmarks;

import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.memory.InMemoryStores;
import dev.usermgmt.query.Page;
import dev.usermgmt.query.UserQuery;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A filtered, sorted page of 50 over 100,000 in-memory users ({@code department eq "Sales" and
 * lastActivity ge "2026-01-01"}, sorted by last activity descending) through the directory's search
 * — access check, filter parse and typing, the store's evaluation, cursor signing — against the raw
 * baseline a host would write by hand over a {@code List<User>}: a stream filter on the two fields,
 * a sort and a limit.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class QueryPage {
  static final int USERS = 100_000;
  private static final String[] DEPARTMENTS = {
    "Sales", "Engineering", "Support", "Finance", "Legal"
  };
  private static final Instant SINCE = Instant.parse("2026-01-01T00:00:00Z");

  UserDirectory directory = UserDirectory.builder().stores(InMemoryStores.create()).build();
  Actor admin =
      Actor.builder()
          .tenant(TenantId.of("bench"))
          .role(RoleCatalog.defaultCatalog().adminRole())
          .build();
  UserQuery query = UserQuery.all();
  List<User> raw = List.of();

  /** Loads the users. */
  @Setup
  public void setUp() {
    Stores stores = InMemoryStores.create();
    TenantId tenant = TenantId.of("bench");
    Random random = new Random(1);
    List<User> all = new ArrayList<>(USERS);
    Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
    for (int i = 0; i < USERS; i++) {
      all.add(
          User.builder()
              .id(UserId.of(String.format(Locale.ROOT, "u%07d", i)))
              .tenant(tenant)
              .displayName("User " + i)
              .primaryEmail(EmailAddress.parse("user" + i + "@example.com"))
              .role(RoleCatalog.defaultCatalog().defaultRole())
              .status(UserStatus.ACTIVE)
              .department(DEPARTMENTS[random.nextInt(DEPARTMENTS.length)])
              .lastActivityAt(t0.plusSeconds(random.nextInt(60_000_000)))
              .version(1)
              .createdAt(t0)
              .updatedAt(t0)
              .build());
    }
    for (int i = 0; i < USERS; i += 10_000) {
      stores.users().insert(tenant, all.subList(i, i + 10_000));
    }
    raw = List.copyOf(all);
    directory = UserDirectory.builder().stores(stores).build();
    query =
        UserQuery.parse(
            "filter=department+eq+%22Sales%22+and+lastActivity+ge+%222026-01-01%22&sortBy=-lastActivity",
            AttributeSchema.empty());
  }

  /**
   * The page through the directory.
   *
   * @return the page
   */
  @Benchmark
  public Page<User> page() {
    return directory.search(admin, query);
  }

  /**
   * Raw baseline: filter, sort and limit a list by hand.
   *
   * @return the page
   */
  @Benchmark
  public List<User> page_raw() {
    return raw.stream()
        .filter(u -> u.department().equals(Optional.of("Sales")))
        .filter(u -> u.lastActivityAt().map(t -> !t.isBefore(SINCE)).orElse(false))
        .sorted(
            Comparator.comparing((User u) -> u.lastActivityAt().orElseThrow())
                .reversed()
                .thenComparing(User::id))
        .limit(51)
        .toList();
  }
}
