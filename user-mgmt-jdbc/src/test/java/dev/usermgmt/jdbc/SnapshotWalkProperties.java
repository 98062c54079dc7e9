package dev.usermgmt.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.jdbc.dialect.Dialect;
import dev.usermgmt.memory.InMemoryStores;
import dev.usermgmt.query.SortKey;
import dev.usermgmt.query.UserQuery;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.Fixtures;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/**
 * Snapshot walks, as a property: random users (mixed case, accents, CJK, supplementary characters,
 * controls, missing values, dates at the ends of their range), random sorts (one or two of the
 * sortable fields, both directions) and page sizes 1 to 50. Between the pages of a {@code walk} (as
 * an export makes), a second thread changes the sorted fields of users already read and not yet
 * read, deletes users and adds new ones, and waits for its writes to commit. On every store the
 * walk gives exactly the users of the start, each once, in the order the value model's oracle gives
 * for the start, with the values they had then.
 */
final class SnapshotWalkProperties {
  private static final List<String> SORTABLE =
      List.of("department", "lastName", "jobTitle", "hireDate");

  private static final byte[] KEY =
      "snapshot-walk-cursor-key-0123456789".getBytes(StandardCharsets.UTF_8);

  private static Stores stores(String store) {
    return store.equals("memory")
        ? InMemoryStores.create()
        : Databases.stores(Dialect.valueOf(store));
  }

  private static <T> Gen<@Nullable T> maybe(Gen<T> g) {
    return Generate.booleans().zip(g, (absent, v) -> absent ? null : v);
  }

  private static User user(
      TenantId t,
      String id,
      @Nullable String department,
      @Nullable String lastName,
      @Nullable String title,
      @Nullable LocalDate hired) {
    User.Builder b =
        Fixtures.user(t, id).toBuilder().primaryEmail(EmailAddress.parse(id + "@example.com"));
    if (department != null) {
      b.department(department);
    }
    if (lastName != null) {
      b.lastName(lastName);
    }
    if (title != null) {
      b.jobTitle(title);
    }
    if (hired != null) {
      b.hireDate(hired);
    }
    return b.version(1).build();
  }

  /** The sort values of a user: department, last name, job title, hire date. */
  private record Row(
      @Nullable String department,
      @Nullable String lastName,
      @Nullable String title,
      @Nullable LocalDate hired) {
    static Row of(User u) {
      return new Row(
          u.department().orElse(null),
          u.lastName().orElse(null),
          u.jobTitle().orElse(null),
          u.hireDate().orElse(null));
    }
  }

  private static Gen<Row> row() {
    Gen<String> text = Generate.pick(ValueModelProperties.TEXTS);
    Gen<LocalDate> date = Generate.pick(ValueModelProperties.DATES);
    return maybe(text).zip(maybe(text), maybe(text), maybe(date), Row::new);
  }

  private static Gen<List<Row>> population() {
    return SourceDSL.lists().of(row()).ofSizeBetween(0, 60);
  }

  private static Gen<List<SortKey>> sorts() {
    return SourceDSL.lists()
        .of(Generate.pick(SORTABLE).zip(Generate.booleans(), SortKey::new))
        .ofSizeBetween(1, 2);
  }

  /** One round of the other admin's edits: changed sort values, a deletion, a new user. */
  private static void edit(Stores s, TenantId t, List<String> ids, Random random, int round) {
    for (int k = 0; k < 3 && !ids.isEmpty(); k++) {
      String id = ids.get(random.nextInt(ids.size()));
      Optional<User> now = s.users().get(t, UserId.of(id));
      if (now.isEmpty()) {
        continue;
      }
      User u = now.get();
      List<String> texts = ValueModelProperties.TEXTS;
      User.Builder b = u.toBuilder().version(u.version() + 1);
      // move the user to the far ends of every order, or to another random place
      switch (random.nextInt(3)) {
        case 0 -> b.department("a").lastName("A").jobTitle("a");
        case 1 -> b.department("\uDBFF\uDFFD").lastName("\uDBFF\uDFFD").jobTitle("\uDBFF\uDFFD");
        default ->
            b.department(texts.get(random.nextInt(texts.size())))
                .lastName(texts.get(random.nextInt(texts.size())))
                .jobTitle(texts.get(random.nextInt(texts.size())));
      }
      b.hireDate(ValueModelProperties.DATES.get(random.nextInt(ValueModelProperties.DATES.size())));
      s.users().update(t, List.of(b.build()));
    }
    if (!ids.isEmpty() && random.nextInt(3) == 0) {
      String id = ids.get(random.nextInt(ids.size()));
      s.users()
          .get(t, UserId.of(id))
          .ifPresent(u -> s.users().delete(t, Map.of(u.id(), u.version())));
    }
    String added = String.format(Locale.ROOT, "n%03d", round);
    s.users().insert(t, List.of(user(t, added, "a", "A", "a", LocalDate.of(2026, 1, 1))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "H2", "POSTGRESQL", "MARIADB"})
  void aWalkWhileAnotherThreadEditsGivesTheStartsUsersOnceInTheStartsOrder(String store) {
    Stores s = stores(store);
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      qt().withExamples(12)
          .forAll(
              population(), sorts(), SourceDSL.integers().between(1, 50), SourceDSL.longs().all())
          .checkAssert(
              (rows, sort, pageSize, seed) -> {
                TenantId t = Fixtures.freshTenant();
                List<User> start = new ArrayList<>();
                for (int i = 0; i < rows.size(); i++) {
                  Row r = rows.get(i);
                  start.add(
                      user(
                          t,
                          String.format(Locale.ROOT, "u%03d", i),
                          r.department(),
                          r.lastName(),
                          r.title(),
                          r.hired()));
                }
                s.users().insert(t, start);
                List<String> expected = ValueModelProperties.oracle(start, Optional.empty(), sort);
                Map<String, Row> then = new HashMap<>();
                start.forEach(u -> then.put(u.id().value(), Row.of(u)));
                List<String> ids = start.stream().map(u -> u.id().value()).toList();
                Actor admin =
                    Actor.builder()
                        .tenant(t)
                        .role(RoleCatalog.defaultCatalog().parse("support"))
                        .build();
                UserDirectory d = UserDirectory.builder().stores(s).signingKey(KEY).build();
                UserQuery q = UserQuery.builder().sort(sort).pageSize(pageSize).build();
                Random random = new Random(seed);
                List<String> walked = new ArrayList<>();
                List<Row> seen = new ArrayList<>();
                int[] rounds = {0};
                d.walk(
                    admin,
                    q,
                    page -> {
                      page.forEach(
                          u -> {
                            walked.add(u.id().value());
                            seen.add(Row.of(u));
                          });
                      int round = rounds[0]++;
                      try {
                        other
                            .submit(() -> edit(s, t, ids, random, round))
                            .get(30, TimeUnit.SECONDS);
                      } catch (Exception e) {
                        throw new IllegalStateException(e);
                      }
                    });
                String what = store + ", walk of " + q.toQueryString();
                assertThat(walked).as(what).isEqualTo(expected);
                assertThat(seen)
                    .as("%s: the values of the start", what)
                    .isEqualTo(expected.stream().map(then::get).toList());
              });
    } finally {
      other.shutdownNow();
    }
  }
}
