package dev.usermgmt.testkit;

import static dev.usermgmt.testkit.Fixtures.bumped;
import static dev.usermgmt.testkit.Fixtures.freshTenant;
import static dev.usermgmt.testkit.Fixtures.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import dev.usermgmt.ConflictException;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.UserMgmtException;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.audit.ChangeSet;
import dev.usermgmt.audit.FieldDiff;
import dev.usermgmt.audit.UserChange;
import dev.usermgmt.group.Group;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.spi.Transactions;
import dev.usermgmt.spi.UserLookup;
import dev.usermgmt.spi.UserStore;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserStatus;
import dev.usermgmt.user.UserSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

/**
 * The conformance suite every store must pass: the semantics of the in-memory store, which is the
 * reference. A store author writes one line per database:
 *
 * <pre>{@code
 * final class MyStoreTest implements StoreContract {
 *   public Stores stores() { return MyStores.shared(); }
 * }
 * }</pre>
 *
 * <p>Tests share the stores and isolate themselves with fresh tenant ids ({@link
 * Fixtures#freshTenant()}), so a database needs no cleaning between tests.
 */
public interface StoreContract {
  /**
   * The stores under test; may be the same instance for every test.
   *
   * @return the stores
   */
  Stores stores();

  private UserStore users() {
    return stores().users();
  }

  // ------------------------------------------------------------------ CRUD

  @Test
  default void insertedUsersReadBackEqual() {
    TenantId t = freshTenant();
    User a = user(t, "alice").toBuilder().employeeId("00123").department("Sales").build();
    users().insert(t, List.of(a));
    assertThat(users().get(t, a.id())).contains(a);
    assertThat(users().get(t, UserId.of("nobody"))).isEmpty();
  }

  @Test
  default void batchLookupsAnswerWhatExists() {
    TenantId t = freshTenant();
    User a = user(t, "a1").toBuilder().employeeId("E1").build();
    User b = user(t, "b1").toBuilder().employeeId("E1").managerId(UserId.of("a1")).build();
    User c = user(t, "c1").toBuilder().employeeId("E2").managerId(UserId.of("a1")).build();
    users().insert(t, List.of(a, b, c));
    assertThat(users().getAll(t, List.of(a.id(), c.id(), UserId.of("zz"))))
        .containsOnlyKeys(a.id(), c.id());
    assertThat(
            users()
                .findByEmails(
                    t,
                    List.of(
                        EmailAddress.parse("A1@EXAMPLE.com"), EmailAddress.parse("x@example.com"))))
        .containsOnlyKeys("a1@example.com")
        .containsValue(a);
    Map<String, List<User>> byEmployee = users().findByEmployeeIds(t, List.of("E1", "E2", "E3"));
    assertThat(byEmployee).containsOnlyKeys("E1", "E2");
    assertThat(byEmployee.get("E1")).extracting(User::id).containsExactly(a.id(), b.id());
    assertThat(users().findByManagers(t, List.of(a.id())))
        .extracting(User::id)
        .containsExactly(b.id(), c.id());
    assertThat(users().countByStatus(t, EnumSet.of(UserStatus.ACTIVE))).isEqualTo(3);
    assertThat(users().countByStatus(t, EnumSet.of(UserStatus.DEACTIVATED))).isZero();
  }

  @Test
  default void summariesByEmailAreTheSummariesOfTheUsersFound() {
    TenantId t = freshTenant();
    TenantId other = freshTenant();
    User named =
        user(t, "named").toBuilder()
            .primaryEmail(EmailAddress.parse("Zoë.Ünal@Example.COM"))
            .displayName("Zoë | Ünal \\ Co")
            .firstName("Zoë")
            .lastName("Ünal=Smith")
            .department("Sales")
            .build();
    User bare =
        User.builder()
            .id(UserId.of("bare"))
            .tenant(t)
            .displayName("Bare")
            .primaryEmail(EmailAddress.parse("bare@example.com"))
            .role(RoleCatalog.defaultCatalog().defaultRole())
            .status(UserStatus.DEACTIVATED)
            .deactivatedAt(Instant.parse("2026-01-02T03:04:05Z"))
            .version(3)
            .createdAt(Instant.parse("2026-01-01T00:00:00Z"))
            .updatedAt(Instant.parse("2026-01-02T03:04:05Z"))
            .build();
    users().insert(t, List.of(named, bare));
    users().insert(other, List.of(user(other, "elsewhere")));
    List<EmailAddress> asked =
        List.of(
            EmailAddress.parse("zoë.ünal@example.com"),
            EmailAddress.parse("BARE@example.com"),
            EmailAddress.parse("elsewhere@example.com"),
            EmailAddress.parse("nobody@example.com"));
    Map<String, UserSummary> summaries = users().findSummariesByEmails(t, asked);
    Map<String, UserSummary> expected = new HashMap<>();
    users().findByEmails(t, asked).forEach((k, u) -> expected.put(k, UserSummary.of(u)));
    assertThat(summaries)
        .isEqualTo(expected)
        .containsOnlyKeys("zoë.ünal@example.com", "bare@example.com");
    assertThat(summaries.get("zoë.ünal@example.com"))
        .isEqualTo(
            new UserSummary(
                named.id(),
                named.version(),
                UserStatus.ACTIVE,
                named.primaryEmail().map(EmailAddress::value),
                Optional.of("Zoë"),
                Optional.of("Ünal=Smith"),
                "Zoë | Ünal \\ Co"));
    assertThat(summaries.get("bare@example.com"))
        .isEqualTo(
            new UserSummary(
                bare.id(),
                3,
                UserStatus.DEACTIVATED,
                Optional.of("bare@example.com"),
                Optional.empty(),
                Optional.empty(),
                "Bare"));
    assertThat(users().findSummariesByEmails(t, List.of())).isEmpty();
  }

  @Test
  default void emailsAreUniquePerTenantCaseInsensitively() {
    TenantId t = freshTenant();
    TenantId other = freshTenant();
    users().insert(t, List.of(user(t, "sam")));
    User clash =
        user(t, "sam2").toBuilder().primaryEmail(EmailAddress.parse("SAM@Example.com")).build();
    assertThatThrownBy(() -> users().insert(t, List.of(clash)))
        .isInstanceOf(ConflictException.class)
        .extracting(e -> ((ConflictException) e).code())
        .isEqualTo(ErrorCode.EMAIL_TAKEN);
    users().insert(other, List.of(user(other, "sam")));
    assertThat(users().get(other, UserId.of("sam"))).isPresent();
    assertThatThrownBy(() -> users().insert(t, List.of(user(t, "sam"))))
        .isInstanceOf(ConflictException.class)
        .extracting(e -> ((ConflictException) e).code())
        .isIn(ErrorCode.ALREADY_EXISTS, ErrorCode.EMAIL_TAKEN);
  }

  /**
   * Stores {@code admin@example.com}, its look-alike {@code admın@example.com} (dotless ı) and
   * {@code sam}, in a new tenant.
   *
   * @param t the tenant
   * @return admin, the look-alike and sam, as stored
   */
  private List<User> storeLookAlikes(TenantId t) {
    List<User> stored =
        List.of(
            user(t, "admin"),
            user(t, "twin").toBuilder()
                .primaryEmail(EmailAddress.parse("adm\u0131n@example.com"))
                .build(),
            user(t, "sam"));
    users().insert(t, stored);
    return stored;
  }

  @Test
  default void lookAlikeAddressesAreFoundByTheirSkeleton() {
    TenantId t = freshTenant();
    List<User> stored = storeLookAlikes(t);
    User admin = stored.get(0);
    User twin = stored.get(1);
    String skeleton = EmailAddress.parse("ADM\u0131N@example.com").skeleton();
    Map<String, List<User>> found =
        users().findByEmailSkeletons(t, List.of(skeleton, EmailAddress.parse("x@y.io").skeleton()));
    assertThat(found).containsOnlyKeys(skeleton);
    assertThat(found.get(skeleton)).extracting(User::id).containsExactly(admin.id(), twin.id());
    User moved =
        twin.toBuilder()
            .primaryEmail(EmailAddress.parse("other@example.com"))
            .version(twin.version() + 1)
            .build();
    users().update(t, List.of(moved));
    assertThat(users().findByEmailSkeletons(t, List.of(skeleton)).get(skeleton))
        .extracting(User::id)
        .containsExactly(admin.id());
    assertThat(users().findByEmailSkeletons(freshTenant(), List.of(skeleton))).isEmpty();
  }

  /**
   * The skeleton lookup without some users answers what the whole lookup answers with exactly those
   * users left out, whichever are left out: every subset of two look-alike users, a third user and
   * an id no user has.
   */
  @Test
  default void aSkeletonLookupWithoutSomeUsersLeavesOutExactlyThem() {
    TenantId t = freshTenant();
    List<User> stored = storeLookAlikes(t);
    User admin = stored.get(0);
    User twin = stored.get(1);
    User sam = stored.get(2);
    String alike = admin.primaryEmail().orElseThrow().skeleton();
    String own = sam.primaryEmail().orElseThrow().skeleton();
    List<String> skeletons = List.of(alike, own, EmailAddress.parse("x@y.io").skeleton());
    List<UserId> ids = List.of(admin.id(), twin.id(), sam.id(), UserId.of("nobody"));
    for (int mask = 0; mask < 1 << ids.size(); mask++) {
      Set<UserId> except = new HashSet<>();
      for (int i = 0; i < ids.size(); i++) {
        if ((mask & 1 << i) != 0) {
          except.add(ids.get(i));
        }
      }
      Map<String, List<UserId>> expected = new HashMap<>();
      List<UserId> alikeLeft =
          Stream.of(admin.id(), twin.id()).filter(id -> !except.contains(id)).toList();
      if (!alikeLeft.isEmpty()) {
        expected.put(alike, alikeLeft);
      }
      if (!except.contains(sam.id())) {
        expected.put(own, List.of(sam.id()));
      }
      Map<String, List<UserId>> found = new HashMap<>();
      users()
          .findByEmailSkeletons(t, skeletons, except)
          .forEach((s, us) -> found.put(s, us.stream().map(User::id).toList()));
      assertThat(found).as("without %s", except).isEqualTo(expected);
    }
  }

  /**
   * For random look-alike texts, two addresses are one identity exactly when their keys are equal:
   * the store finds one by the other and refuses the second as {@code email_taken} then, and only
   * then; and the skeleton lookup finds every stored address with the same skeleton.
   */
  @Test
  default void twoAddressesAreOneIdentityExactlyWhenTheirKeysAreEqual() {
    Gen<EmailAddress> addresses =
        DomainGenerators.lookAlikeEmailTexts()
            // texts that are no address stand for the one they most look like
            .map(
                text ->
                    EmailAddress.tryParse(text).orElse(EmailAddress.parse("admin@example.com")));
    qt().withExamples(40)
        .forAll(addresses, addresses)
        .checkAssert(
            (a, b) -> {
              TenantId t = freshTenant();
              users().insert(t, List.of(user(t, "a").toBuilder().primaryEmail(a).build()));
              boolean same = a.key().equals(b.key());
              assertThat(users().findByEmails(t, List.of(b)).containsKey(b.key())).isEqualTo(same);
              assertThat(users().findByEmailSkeletons(t, List.of(b.skeleton())).isEmpty())
                  .isEqualTo(!a.skeleton().equals(b.skeleton()));
              User second = user(t, "b").toBuilder().primaryEmail(b).build();
              if (same) {
                assertThatThrownBy(() -> users().insert(t, List.of(second)))
                    .isInstanceOf(ConflictException.class)
                    .extracting(e -> ((ConflictException) e).code())
                    .isEqualTo(ErrorCode.EMAIL_TAKEN);
              } else {
                users().insert(t, List.of(second));
                assertThat(users().findByEmails(t, List.of(b))).containsEntry(b.key(), second);
              }
            });
  }

  @Test
  default void aFailedBatchInsertWritesNothing() {
    TenantId t = freshTenant();
    users().insert(t, List.of(user(t, "x")));
    User dup = user(t, "y").toBuilder().primaryEmail(EmailAddress.parse("x@example.com")).build();
    assertThatThrownBy(() -> users().insert(t, List.of(user(t, "w"), dup)))
        .isInstanceOf(ConflictException.class);
    assertThat(users().get(t, UserId.of("w"))).isEmpty();
  }

  @Test
  default void updatesAreVersionChecked() {
    TenantId t = freshTenant();
    User a = user(t, "v");
    users().insert(t, List.of(a));
    User v2 = bumped(a, "Sales");
    users().update(t, List.of(v2));
    assertThat(users().get(t, a.id())).contains(v2);
    User stale = bumped(a, "Finance");
    assertThatThrownBy(() -> users().update(t, List.of(stale)))
        .isInstanceOf(ConflictException.class)
        .extracting(e -> ((ConflictException) e).code())
        .isEqualTo(ErrorCode.VERSION_CONFLICT);
    assertThat(users().get(t, a.id())).contains(v2);
  }

  @Test
  default void aStaleRowInABatchUpdateFailsTheWholeBatch() {
    TenantId t = freshTenant();
    User a = user(t, "ba");
    User b = user(t, "bb");
    users().insert(t, List.of(a, b));
    users().update(t, List.of(bumped(b, "X")));
    assertThatThrownBy(() -> users().update(t, List.of(bumped(a, "Y"), bumped(b, "Z"))))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("bb");
    assertThat(users().get(t, a.id())).contains(a);
  }

  @Test
  default void updatingToATakenEmailIsAConflict() {
    TenantId t = freshTenant();
    User a = user(t, "ea");
    User b = user(t, "eb");
    users().insert(t, List.of(a, b));
    User clash =
        a.toBuilder().primaryEmail(EmailAddress.parse("EB@example.com")).version(2).build();
    assertThatThrownBy(() -> users().update(t, List.of(clash)))
        .isInstanceOf(ConflictException.class)
        .extracting(e -> ((ConflictException) e).code())
        .isEqualTo(ErrorCode.EMAIL_TAKEN);
    User freed =
        b.toBuilder().primaryEmail(EmailAddress.parse("eb2@example.com")).version(2).build();
    users().update(t, List.of(freed));
    users().update(t, List.of(clash));
    assertThat(users().findByEmails(t, List.of(EmailAddress.parse("eb@example.com"))))
        .containsKey("eb@example.com");
  }

  @Test
  default void updatedModulesGroupsAndAttributesAreWhatQueriesSee() {
    TenantId t = freshTenant();
    dev.usermgmt.attribute.AttributeSchema schema =
        dev.usermgmt.attribute.AttributeSchema.of(
            List.of(
                AttributeDefinition.builder()
                    .key("level")
                    .label("Level")
                    .type(AttributeType.NUMBER)
                    .build()));
    User a =
        user(t, "q1").toBuilder()
            .addModules("LMS")
            .putAttributes("level", AttributeValue.number(1))
            .build();
    users().insert(t, List.of(a));
    User b =
        a.toBuilder()
            .modules(List.of("LXP"))
            .addGroups("g1")
            .attributes(Map.of("level", AttributeValue.number(2)))
            .version(2)
            .build();
    users().update(t, List.of(b));
    User c = b.toBuilder().department("Sales").version(3).build();
    users().update(t, List.of(c));
    java.util.function.Function<String, List<UserId>> ids =
        filter ->
            users()
                .query(
                    t,
                    dev.usermgmt.query.PreparedQuery.prepare(
                        dev.usermgmt.query.UserQuery.builder()
                            .filter(dev.usermgmt.query.FilterParser.parse(filter, schema))
                            .build(),
                        schema,
                        RoleCatalog.defaultCatalog(),
                        Optional.empty(),
                        10))
                .stream()
                .map(User::id)
                .toList();
    assertThat(ids.apply("modules eq \"LXP\" and groups eq \"g1\"")).containsExactly(a.id());
    assertThat(ids.apply("modules eq \"LMS\"")).isEmpty();
    assertThat(ids.apply("attributes.level eq 2 and department eq \"sales\""))
        .containsExactly(a.id());
    assertThat(ids.apply("attributes.level eq 1")).isEmpty();
  }

  @Test
  default void deletesAreVersionChecked() {
    TenantId t = freshTenant();
    User a = user(t, "d");
    users().insert(t, List.of(a));
    assertThatThrownBy(() -> users().delete(t, Map.of(a.id(), 7L)))
        .isInstanceOf(ConflictException.class)
        .extracting(e -> ((ConflictException) e).code())
        .isEqualTo(ErrorCode.VERSION_CONFLICT);
    users().delete(t, Map.of(a.id(), 1L));
    assertThat(users().get(t, a.id())).isEmpty();
    assertThat(users().findByEmails(t, List.of(EmailAddress.parse("d@example.com")))).isEmpty();
    assertThatThrownBy(() -> users().update(t, List.of(bumped(a, "Q"))))
        .isInstanceOf(ConflictException.class);
  }

  /**
   * For random batches over users stored at the version a write expects, moved on since, or gone, a
   * version-checked delete or update of several users is all or nothing: it succeeds exactly when
   * every user it names is stored at the version it expects, and otherwise fails as a version
   * conflict and leaves every user as it was. A driver that answers "count unknown" for the rows of
   * a batch (MariaDB's bulk statements) must not take a row it did not find for one it wrote.
   */
  @Test
  default void versionCheckedBatchWritesAreAllOrNothing() {
    // each user: stored at version 1, moved on to version 2, or gone; the write expects 1 or 2
    Gen<List<Integer>> states =
        SourceDSL.lists().of(SourceDSL.integers().between(0, 5)).ofSizeBetween(1, 6);
    qt().withExamples(30)
        .forAll(states, SourceDSL.booleans().all())
        .checkAssert(
            (batch, deleting) -> {
              TenantId t = freshTenant();
              // the model: each user as stored, or none when gone
              Map<UserId, Optional<User>> model = new LinkedHashMap<>();
              Map<UserId, Long> expected = new LinkedHashMap<>();
              List<User> after = new ArrayList<>();
              boolean allAtExpected = true;
              for (int i = 0; i < batch.size(); i++) {
                int state = batch.get(i) / 2;
                long expects = 1L + batch.get(i) % 2;
                User u = user(t, "vb" + i);
                users().insert(t, List.of(u));
                if (state == 1) {
                  u = bumped(u, "moved on");
                  users().update(t, List.of(u));
                } else if (state == 2) {
                  users().delete(t, Map.of(u.id(), 1L));
                }
                model.put(u.id(), state == 2 ? Optional.empty() : Optional.of(u));
                expected.put(u.id(), expects);
                after.add(bumped(u.toBuilder().version(expects).build(), "written"));
                allAtExpected &= state != 2 && u.version() == expects;
              }
              Runnable write =
                  deleting ? () -> users().delete(t, expected) : () -> users().update(t, after);
              if (allAtExpected) {
                write.run();
                for (User a : after) {
                  assertThat(users().get(t, a.id()))
                      .isEqualTo(deleting ? Optional.empty() : Optional.of(a));
                }
              } else {
                assertThatThrownBy(write::run)
                    .isInstanceOf(ConflictException.class)
                    .extracting(e -> ((ConflictException) e).code())
                    .isEqualTo(ErrorCode.VERSION_CONFLICT);
                model.forEach((id, was) -> assertThat(users().get(t, id)).isEqualTo(was));
              }
            });
  }

  @Test
  default void scanWalksEveryUserOnceInIdOrder() {
    TenantId t = freshTenant();
    List<User> all = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      all.add(user(t, String.format("s%02d", (i * 7) % 23)));
    }
    users().insert(t, all);
    List<UserId> seen = new ArrayList<>();
    Optional<UserId> after = Optional.empty();
    while (true) {
      List<User> page = users().scan(t, after, 5);
      if (page.isEmpty()) {
        break;
      }
      page.forEach(u -> seen.add(u.id()));
      after = Optional.of(page.get(page.size() - 1).id());
    }
    assertThat(seen).hasSize(23).isSorted().doesNotHaveDuplicates();
  }

  @Test
  default void dueSchedulesAreFoundByTime() {
    TenantId t = freshTenant();
    Instant now = Instant.parse("2026-06-01T00:00:00Z");
    User a =
        user(t, "due1").toBuilder()
            .status(UserStatus.STAGED)
            .inviteScheduledAt(now.minusSeconds(1))
            .build();
    User b =
        user(t, "due2").toBuilder().status(UserStatus.SUSPENDED).activationScheduledAt(now).build();
    User c =
        user(t, "due3").toBuilder()
            .status(UserStatus.STAGED)
            .inviteScheduledAt(now.plusSeconds(1))
            .build();
    users().insert(t, List.of(a, b, c));
    assertThat(users().findDue(t, UserLookup.Schedule.INVITATION, now, Optional.empty(), 10))
        .extracting(User::id)
        .containsExactly(a.id());
    assertThat(users().findDue(t, UserLookup.Schedule.ACTIVATION, now, Optional.empty(), 10))
        .extracting(User::id)
        .containsExactly(b.id());
    assertThat(
            users()
                .findDue(
                    t, UserLookup.Schedule.INVITATION, now.plusSeconds(1), Optional.empty(), 10))
        .extracting(User::id)
        .containsExactly(a.id(), c.id());
  }

  /**
   * A walk of due schedules reads them in order of time, then id, a page at a time, each page after
   * the last user of the page before: every due user once, whatever the page size, including users
   * that share a time; a schedule moved later than the walk's time leaves the walk.
   */
  @Test
  default void dueSchedulesAreWalkedByKeyset() {
    TenantId t = freshTenant();
    Instant now = Instant.parse("2026-06-01T00:00:00Z");
    List<User> all = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      // five times, shared by several users each, not in the order of the ids
      all.add(
          user(t, String.format(java.util.Locale.ROOT, "w%02d", i)).toBuilder()
              .status(UserStatus.STAGED)
              .inviteScheduledAt(now.minusSeconds((i * 7L) % 5))
              .build());
    }
    all.add(
        user(t, "w-late").toBuilder()
            .status(UserStatus.STAGED)
            .inviteScheduledAt(now.plusNanos(1))
            .build());
    users().insert(t, all);
    List<UserLookup.DuePosition> expected =
        all.stream()
            .filter(u -> !u.inviteScheduledAt().orElseThrow().isAfter(now))
            .map(u -> UserLookup.DuePosition.of(UserLookup.Schedule.INVITATION, u))
            .sorted()
            .toList();
    for (int size : List.of(1, 4, 5, 23, 50)) {
      List<UserLookup.DuePosition> walked = new ArrayList<>();
      Optional<UserLookup.DuePosition> after = Optional.empty();
      while (true) {
        List<User> page = users().findDue(t, UserLookup.Schedule.INVITATION, now, after, size);
        assertThat(page.size()).isLessThanOrEqualTo(size);
        page.forEach(u -> walked.add(UserLookup.DuePosition.of(UserLookup.Schedule.INVITATION, u)));
        if (page.size() < size) {
          break;
        }
        after = Optional.of(walked.get(walked.size() - 1));
      }
      assertThat(walked).as("pages of %d", size).isEqualTo(expected);
    }
    // a user whose schedule moved past the walk's time is no longer due
    User first = users().get(t, expected.get(0).id()).orElseThrow();
    users()
        .update(
            t,
            List.of(
                bumped(first, "Later").toBuilder().inviteScheduledAt(now.plusSeconds(9)).build()));
    assertThat(users().findDue(t, UserLookup.Schedule.INVITATION, now, Optional.empty(), 50))
        .extracting(User::id)
        .hasSize(expected.size() - 1)
        .doesNotContain(first.id());
    // a position after the walk's time (at w-late's time, before its id) starts after every due
    // user: w-late is not due; a page is at least one user
    assertThat(
            users()
                .findDue(
                    t,
                    UserLookup.Schedule.INVITATION,
                    now,
                    Optional.of(new UserLookup.DuePosition(now.plusNanos(1), UserId.of("w-a"))),
                    50))
        .isEmpty();
    assertThatThrownBy(
            () -> users().findDue(t, UserLookup.Schedule.INVITATION, now, Optional.empty(), 0))
        .isInstanceOf(InvalidInputException.class);
    // as a run walks: each page's users moved (their schedule cleared) before the next page is
    // read, which is found from the position alone
    List<UserLookup.DuePosition> moved = new ArrayList<>();
    Optional<UserLookup.DuePosition> after = Optional.empty();
    while (true) {
      List<User> page = users().findDue(t, UserLookup.Schedule.INVITATION, now, after, 4);
      page.forEach(u -> moved.add(UserLookup.DuePosition.of(UserLookup.Schedule.INVITATION, u)));
      if (page.size() < 4) {
        break;
      }
      after = Optional.of(moved.get(moved.size() - 1));
      users()
          .update(
              t,
              page.stream()
                  .map(
                      u ->
                          bumped(u, "Moved").toBuilder()
                              .inviteScheduledAt(Optional.empty())
                              .build())
                  .toList());
    }
    assertThat(moved)
        .as("pages moved as they are read")
        .isEqualTo(expected.subList(1, expected.size()));
  }

  // ------------------------------------------------------------------ transactions

  @Test
  default void aTransactionThatThrowsLeavesNothingBehind() {
    TenantId t = freshTenant();
    User a = user(t, "tx1");
    users().insert(t, List.of(a));
    rolledBack(
        () -> {
          users().insert(t, List.of(user(t, "tx2")));
          users().update(t, List.of(bumped(a, "Gone")));
          stores().groups().put(t, Group.of("g", "G"));
          stores().changeLog().append(changeSet(t, "tx2"));
        });
    assertThat(users().get(t, UserId.of("tx2"))).isEmpty();
    assertThat(users().get(t, a.id())).contains(a);
    assertThat(stores().groups().list(t)).isEmpty();
    assertThat(stores().changeLog().page(t, 0, 10)).isEmpty();
  }

  /** Runs the work in a transaction that then throws, so that it is rolled back. */
  private void rolledBack(Runnable work) {
    assertThatThrownBy(
            () ->
                stores()
                    .transactions()
                    .run(
                        () -> {
                          work.run();
                          throw new IllegalStateException("rolled back");
                        }))
        .hasMessage("rolled back");
  }

  @Test
  default void nestedTransactionsJoinTheOuterOne() {
    TenantId t = freshTenant();
    assertThatThrownBy(
            () ->
                stores()
                    .transactions()
                    .run(
                        () -> {
                          stores()
                              .transactions()
                              .run(() -> users().insert(t, List.of(user(t, "n1"))));
                          throw new IllegalStateException("outer fails");
                        }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(users().get(t, UserId.of("n1"))).isEmpty();
    String committed =
        stores()
            .transactions()
            .inTransaction(
                () -> {
                  users().insert(t, List.of(user(t, "n2")));
                  return "ok";
                });
    assertThat(committed).isEqualTo("ok");
    assertThat(users().get(t, UserId.of("n2"))).isPresent();
  }

  /**
   * No other thread may read for a thread inside a transaction, nested or not (the other thread
   * would not see the transaction's writes, and could wait for its connection); once the
   * transaction ends the answer is what it was before it. A store that answers {@code false}
   * everywhere passes, and the library then does nothing on another thread.
   */
  @Test
  default void noOtherThreadReadsForATransaction() {
    Transactions tx = stores().transactions();
    boolean outside = tx.canReadOnAnotherThread();
    assertThat(tx.inTransaction(tx::canReadOnAnotherThread)).isFalse();
    assertThat(tx.inTransaction(() -> tx.inTransaction(tx::canReadOnAnotherThread))).isFalse();
    assertThat(tx.canReadOnAnotherThread()).isEqualTo(outside);
  }

  // ------------------------------------------------------------------ attributes, groups, log

  @Test
  default void attributeDefinitionsAndTheirDeletion() {
    TenantId t = freshTenant();
    AttributeDefinition level =
        AttributeDefinition.builder()
            .key("level")
            .label("Level")
            .type(AttributeType.NUMBER)
            .build();
    AttributeDefinition ready =
        AttributeDefinition.builder()
            .key("ready")
            .label("Ready After 6 months?")
            .type(AttributeType.BOOLEAN)
            .build();
    stores().attributes().put(t, Optional.empty(), level);
    stores().attributes().put(t, Optional.empty(), ready);
    assertThat(stores().attributes().list(t)).containsExactly(level, ready);
    stores().attributes().put(t, Optional.of(level), level.withLabel("Grade"));
    assertThat(stores().attributes().get(t, "level"))
        .map(AttributeDefinition::label)
        .contains("Grade");
    User a = user(t, "attr").toBuilder().putAttributes("level", AttributeValue.number(3)).build();
    User b = user(t, "noattr");
    users().insert(t, List.of(a, b));
    Instant at = Instant.parse("2026-02-02T00:00:00Z");
    Map<UserId, AttributeValue> dropped =
        stores().attributes().delete(t, level.withLabel("Grade"), at);
    assertThat(dropped).containsExactly(Map.entry(a.id(), AttributeValue.number(3)));
    User after = users().get(t, a.id()).orElseThrow();
    assertThat(after.attributes()).isEmpty();
    assertThat(after.version()).isEqualTo(2);
    assertThat(after.updatedAt()).isEqualTo(at);
    assertThat(users().get(t, b.id())).contains(b);
    assertThat(stores().attributes().list(t)).containsExactly(ready);
  }

  @Test
  default void groupsByTenant() {
    TenantId t = freshTenant();
    stores().groups().put(t, Group.of("g2", "Beta"));
    stores().groups().put(t, Group.of("g1", "Alpha"));
    assertThat(stores().groups().list(t)).extracting(Group::name).containsExactly("Alpha", "Beta");
    stores().groups().put(t, Group.of("g1", "Gamma"));
    assertThat(stores().groups().get(t, "g1")).map(Group::name).contains("Gamma");
    assertThat(stores().groups().delete(t, "g2")).isTrue();
    assertThat(stores().groups().delete(t, "g2")).isFalse();
    assertThat(stores().groups().list(freshTenant())).isEmpty();
  }

  @Test
  default void theChangeLogKeepsOrderAndScrubsOnRequest() {
    TenantId t = freshTenant();
    ChangeSet first = stores().changeLog().append(changeSet(t, "u1"));
    ChangeSet second = stores().changeLog().append(changeSet(t, "u2"));
    ChangeSet third = stores().changeLog().append(changeSet(t, "u1"));
    assertThat(first.sequence()).isLessThan(second.sequence());
    assertThat(second.sequence()).isLessThan(third.sequence());
    assertThat(stores().changeLog().get(t, second.id())).contains(second);
    assertThat(stores().changeLog().get(freshTenant(), second.id())).isEmpty();
    assertThat(stores().changeLog().page(t, 0, 2)).containsExactly(first, second);
    assertThat(stores().changeLog().page(t, second.sequence(), 10)).containsExactly(third);
    assertThat(stores().changeLog().touching(t, first.sequence(), List.of(UserId.of("u1"))))
        .containsExactly(third);
    assertThat(stores().changeLog().scrub(t, UserId.of("u1"), Set.of("primaryEmail"))).isEqualTo(2);
    ChangeSet scrubbed = stores().changeLog().get(t, first.id()).orElseThrow();
    FieldDiff d = scrubbed.changes().get(0).diffs().get(0);
    assertThat(d.redacted()).isTrue();
    assertThat(d.before()).isEmpty();
    assertThat(d.after()).isEmpty();
    assertThat(scrubbed.changes().get(0).diffs().get(1).sensitive()).isTrue();
    assertThat(scrubbed.changes().get(0).diffs().get(1).hiddenFromManagers()).isTrue();
    assertThat(stores().changeLog().get(t, second.id())).contains(second);
  }

  /**
   * Change sets appended at once from several threads to a tenant that has none yet (its counter is
   * created by whichever comes first) each get their own sequence number, all of them read back in
   * order, and each is found by the user it touches.
   */
  @Test
  default void concurrentAppendsGetDistinctSequences() throws Exception {
    TenantId t = freshTenant();
    int each = 15;
    List<ChangeSet> appended =
        concurrently(
            k -> {
              List<ChangeSet> mine = new java.util.ArrayList<>();
              for (int i = 0; i < each; i++) {
                mine.add(stores().changeLog().append(changeSet(t, "u" + k + "-" + i)));
              }
              return mine;
            });
    assertThat(appended).hasSize(4 * each);
    assertThat(appended.stream().map(ChangeSet::sequence).distinct().count())
        .isEqualTo(appended.size());
    assertThat(stores().changeLog().page(t, 0, appended.size() + 1))
        .containsExactlyElementsOf(
            appended.stream()
                .sorted(java.util.Comparator.comparingLong(ChangeSet::sequence))
                .toList());
    for (ChangeSet cs : appended) {
      assertThat(stores().changeLog().touching(t, 0, List.of(cs.changes().get(0).userId())))
          .containsExactly(cs);
    }
  }

  /**
   * A group's put is an upsert however many callers make it at once: threads putting the same new
   * group all succeed, and the tenant holds it once, with one of their names.
   */
  @Test
  default void concurrentPutsOfOneNewGroupAllSucceed() throws Exception {
    for (int round = 0; round < 5; round++) {
      TenantId t = freshTenant();
      concurrently(
          k -> {
            stores().groups().put(t, Group.of("g", "Name " + k));
            return List.of();
          });
      assertThat(stores().groups().list(t))
          .singleElement()
          .satisfies(
              g -> {
                assertThat(g.id()).isEqualTo("g");
                assertThat(g.name()).isIn("Name 0", "Name 1", "Name 2", "Name 3");
              });
    }
  }

  /**
   * A definition is written only over the state its caller read: a create of a defined key, and a
   * change or deletion of a definition changed or deleted since, fail and change nothing (no values
   * are dropped, no deleted key comes back); writing what is stored again succeeds.
   */
  @Test
  default void attributeDefinitionWritesHoldOnlyOverTheStateRead() {
    TenantId t = freshTenant();
    AttributeDefinition level = definition("level", "Level");
    stores().attributes().put(t, Optional.empty(), level);
    assertConflict(
        () -> stores().attributes().put(t, Optional.empty(), level.withLabel("Other")),
        ErrorCode.ALREADY_EXISTS);
    AttributeDefinition grade = level.withLabel("Grade");
    stores().attributes().put(t, Optional.of(level), grade);
    stores().attributes().put(t, Optional.of(grade), grade);
    assertConflict(
        () -> stores().attributes().put(t, Optional.of(level), level.withLabel("Rank")),
        ErrorCode.VERSION_CONFLICT);
    assertConflict(
        () ->
            stores()
                .attributes()
                .put(t, Optional.of(grade.toBuilder().sensitive(true).build()), level),
        ErrorCode.VERSION_CONFLICT);
    User holder =
        user(t, "holder").toBuilder().putAttributes("level", AttributeValue.text("senior")).build();
    users().insert(t, List.of(holder));
    assertConflict(
        () -> stores().attributes().delete(t, level, Fixtures.T0), ErrorCode.VERSION_CONFLICT);
    assertThat(stores().attributes().list(t)).containsExactly(grade);
    assertThat(users().get(t, holder.id())).contains(holder);
    assertThatThrownBy(
            () -> stores().attributes().put(t, Optional.of(grade), definition("rank", "Grade")))
        .isInstanceOf(InvalidInputException.class);
    stores().attributes().delete(t, grade, Fixtures.T0);
    assertConflict(
        () -> stores().attributes().put(t, Optional.of(grade), grade.withLabel("Back")),
        ErrorCode.VERSION_CONFLICT);
    assertConflict(
        () -> stores().attributes().delete(t, grade, Fixtures.T0), ErrorCode.VERSION_CONFLICT);
    assertThat(stores().attributes().list(t)).isEmpty();
  }

  /** A deletion rolled back leaves the definitions as they were, each in its place. */
  @Test
  default void aDefinitionDeletionRolledBackKeepsTheOrder() {
    TenantId t = freshTenant();
    List<AttributeDefinition> defined =
        List.of(definition("a", "A"), definition("b", "B"), definition("c", "C"));
    defined.forEach(d -> stores().attributes().put(t, Optional.empty(), d));
    assertThatThrownBy(
            () ->
                stores()
                    .transactions()
                    .inTransaction(
                        () -> {
                          stores().attributes().delete(t, defined.get(1), Fixtures.T0);
                          throw new IllegalStateException("roll back");
                        }))
        .hasMessage("roll back");
    assertThat(stores().attributes().list(t)).containsExactlyElementsOf(defined);
  }

  /**
   * Callers writing definitions at once each get what one at a time would: of threads creating one
   * new key, one succeeds and the others find it exists; each thread's own new key is created; of
   * threads changing one definition they all read, one succeeds and the others conflict. A key
   * created later comes after them all, and a changed key keeps its place.
   */
  @Test
  default void concurrentDefinitionWritesActAsOneAtATime() throws Exception {
    for (int round = 0; round < 5; round++) {
      TenantId t = freshTenant();
      List<String> created =
          concurrently(
              k -> {
                List<String> won = new java.util.ArrayList<>();
                AttributeDefinition shared = definition("shared", "Shared " + k);
                AttributeDefinition own = definition("own" + k, "Own " + k);
                for (AttributeDefinition d :
                    k % 2 == 0 ? List.of(shared, own) : List.of(own, shared)) {
                  try {
                    stores().attributes().put(t, Optional.empty(), d);
                    won.add(d.label());
                  } catch (ConflictException e) {
                    assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS);
                  }
                }
                return won;
              });
      List<String> sharedWinners = created.stream().filter(l -> l.startsWith("Shared")).toList();
      assertThat(sharedWinners).hasSize(1);
      assertThat(created).hasSize(5);
      List<AttributeDefinition> defined = stores().attributes().list(t);
      assertThat(defined)
          .extracting(AttributeDefinition::key)
          .containsExactlyInAnyOrder("shared", "own0", "own1", "own2", "own3");
      AttributeDefinition shared = stores().attributes().get(t, "shared").orElseThrow();
      assertThat(shared.label()).isEqualTo(sharedWinners.get(0));
      List<String> changed =
          concurrently(
              k -> {
                try {
                  stores()
                      .attributes()
                      .put(t, Optional.of(shared), shared.withLabel("Changed " + k));
                  return List.of("Changed " + k);
                } catch (ConflictException e) {
                  assertThat(e.code()).isEqualTo(ErrorCode.VERSION_CONFLICT);
                  return List.of();
                }
              });
      assertThat(changed).hasSize(1);
      AttributeDefinition later = definition("later", "Later");
      stores().attributes().put(t, Optional.empty(), later);
      List<AttributeDefinition> expected = new java.util.ArrayList<>(defined);
      expected.set(defined.indexOf(shared), shared.withLabel(changed.get(0)));
      expected.add(later);
      assertThat(stores().attributes().list(t)).containsExactlyElementsOf(expected);
    }
  }

  /**
   * A transaction holding a tenant ({@code ChangeLog.hold}) makes another's hold of it wait until
   * it ends, and only of it: a hold of another tenant goes on.
   */
  @Test
  default void aHeldTenantIsHeldByAnotherAfterTheHolderEnds() throws Exception {
    TenantId t = freshTenant();
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      java.util.concurrent.Future<ChangeSet> waiting =
          stores()
              .transactions()
              .inTransaction(
                  () -> {
                    stores().changeLog().hold(t);
                    java.util.concurrent.Future<ChangeSet> second =
                        pool.submit(
                            () ->
                                stores()
                                    .transactions()
                                    .inTransaction(
                                        () -> {
                                          stores().changeLog().hold(t);
                                          return stores().changeLog().append(changeSet(t, "u1"));
                                        }));
                    assertThatThrownBy(
                            () -> second.get(300, java.util.concurrent.TimeUnit.MILLISECONDS))
                        .as("the second holder waits")
                        .isInstanceOf(java.util.concurrent.TimeoutException.class);
                    return second;
                  });
      assertThat(waiting.get(60, java.util.concurrent.TimeUnit.SECONDS).sequence()).isPositive();
    } finally {
      pool.shutdownNow();
    }
  }

  private static void assertConflict(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorCode code) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  private static AttributeDefinition definition(String key, String label) {
    return AttributeDefinition.builder().key(key).label(label).type(AttributeType.TEXT).build();
  }

  /**
   * Runs {@code work} on four threads started together (thread {@code k} gets {@code k}), and
   * returns what they return, in thread order; the first failure is thrown.
   */
  private static <T> List<T> concurrently(java.util.function.IntFunction<List<T>> work)
      throws Exception {
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(4);
      List<java.util.concurrent.Future<List<T>>> futures = new java.util.ArrayList<>();
      for (int k = 0; k < 4; k++) {
        int thread = k;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return work.apply(thread);
                }));
      }
      List<T> out = new java.util.ArrayList<>();
      for (java.util.concurrent.Future<List<T>> f : futures) {
        out.addAll(f.get(60, java.util.concurrent.TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private static ChangeSet changeSet(TenantId t, String user) {
    return ChangeSet.builder()
        .id(UserId.generate(Fixtures.T0, new java.util.Random()).value())
        .tenant(t)
        .actorDescription("test")
        .at(Fixtures.T0)
        .correlationId("c")
        .operation("test")
        .addChanges(
            UserChange.builder()
                .userId(UserId.of(user))
                .kind(UserChange.Kind.UPDATED)
                .addDiffs(
                    FieldDiff.builder()
                        .field("primaryEmail")
                        .before(user + "@old.example")
                        .after(user + "@new.example")
                        .build())
                // a sensitive attribute's value keeps its marks
                .addDiffs(
                    FieldDiff.builder()
                        .field(FieldDiff.ATTRIBUTE_PREFIX + "salary")
                        .after("90000")
                        .attributeType(dev.usermgmt.attribute.AttributeType.TEXT)
                        .sensitive(true)
                        .hiddenFromManagers(true)
                        .build())
                .versionBefore(1L)
                .versionAfter(2L)
                .build())
        .build();
  }

  // ------------------------------------------------------------------ properties

  /**
   * A change set reads back exactly as appended whatever its size (one person's edit or a chunk of
   * a bulk apply, which a store may keep in another form) and whatever its text holds; the user
   * index finds every user of a large set, and scrubbing one user redacts only that user's diffs.
   */
  @Test
  default void changeSetsOfAnySizeReadBackAsAppended() {
    Gen<String> fragment =
        org.quicktheories.generators.Generate.pick(
            List.of(
                "", "a", "Sales", "|", "\\", "\\0", "\n", "\r\n", "é", "ß", "東京", "😀", " ",
                "x|y"));
    Gen<String> text =
        SourceDSL.lists().of(fragment).ofSizeBetween(0, 6).map(parts -> String.join("", parts));
    // one person's edit, or a chunk of a bulk apply
    Gen<Integer> users =
        SourceDSL.integers().between(1, 8).mix(SourceDSL.integers().between(40, 1500));
    qt().withExamples(12)
        .forAll(users, text, text, SourceDSL.longs().between(0, Long.MAX_VALUE))
        .checkAssert(
            (n, before, after, seed) -> {
              TenantId t = freshTenant();
              java.util.Random random = new java.util.Random(seed);
              ChangeSet.Builder b =
                  ChangeSet.builder()
                      .id(UserId.generate(Fixtures.T0, random).value())
                      .tenant(t)
                      .actorDescription("bulk " + after)
                      .at(Fixtures.T0)
                      .correlationId("plan-" + seed)
                      .operation("bulk.update");
              for (int i = 0; i < n; i++) {
                b.addChanges(
                    UserChange.builder()
                        .userId(UserId.of("big" + i))
                        .kind(UserChange.Kind.UPDATED)
                        .addDiffs(
                            FieldDiff.builder()
                                .field("department")
                                .before(i % 3 == 0 ? Optional.empty() : Optional.of(before + i))
                                .after(after + random.nextInt(1000))
                                .build())
                        .versionBefore(1L + i)
                        .versionAfter(2L + i)
                        .build());
              }
              ChangeSet stored = stores().changeLog().append(b.build());
              assertThat(stores().changeLog().get(t, stored.id())).contains(stored);
              assertThat(stores().changeLog().page(t, 0, 10)).containsExactly(stored);
              UserId last = UserId.of("big" + (n - 1));
              assertThat(stores().changeLog().touching(t, 0, List.of(last)))
                  .containsExactly(stored);
              assertThat(stores().changeLog().scrub(t, last, Set.of("department"))).isEqualTo(1);
              ChangeSet scrubbed = stores().changeLog().get(t, stored.id()).orElseThrow();
              for (UserChange c : scrubbed.changes()) {
                assertThat(c.diffs().get(0).redacted()).isEqualTo(c.userId().equals(last));
              }
              assertThat(scrubbed.changes().subList(0, n - 1))
                  .isEqualTo(stored.changes().subList(0, n - 1));
            });
  }

  /**
   * An update told the stored users writes exactly what the whole-user update writes: what reads,
   * counts and lookups by column see afterwards.
   */
  @Test
  default void updatesKnowingTheStoredUsersWriteWhatTheyReplace() {
    RoleCatalog roles = RoleCatalog.defaultCatalog();
    qt().withExamples(20)
        .forAll(
            SourceDSL.lists()
                .of(DomainGenerators.users(TenantId.of("gen"), roles))
                .ofSizeBetween(2, 30))
        .checkAssert(
            generated -> {
              TenantId t = freshTenant();
              int half = generated.size() / 2;
              List<User> before = new ArrayList<>();
              List<User> after = new ArrayList<>();
              for (int i = 0; i < half; i++) {
                User b =
                    generated.get(i).toBuilder()
                        .id(UserId.of("p" + i))
                        .tenant(t)
                        .version(1)
                        .managerId(Optional.empty())
                        .primaryEmail(EmailAddress.parse("p" + i + "@example.com"))
                        .build();
                before.add(b);
                after.add(
                    generated.get(half + i).toBuilder()
                        .id(b.id())
                        .tenant(t)
                        .version(2)
                        .managerId(Optional.empty())
                        .primaryEmail(
                            EmailAddress.parse((i % 2 == 0 ? "p" : "q") + i + "@example.com"))
                        .build());
              }
              users().insert(t, before);
              users().update(t, before, after);
              Map<UserId, User> expected = new TreeMap<>();
              after.forEach(u -> expected.put(u.id(), u));
              assertThat(users().getAll(t, expected.keySet())).isEqualTo(expected);
              for (UserStatus st : UserStatus.values()) {
                assertThat(users().countByStatus(t, EnumSet.of(st)))
                    .isEqualTo(after.stream().filter(u -> u.status() == st).count());
              }
              Map<String, User> byEmail = new HashMap<>();
              after.forEach(u -> byEmail.put(u.primaryEmail().orElseThrow().key(), u));
              assertThat(
                      users()
                          .findByEmails(
                              t, after.stream().map(u -> u.primaryEmail().orElseThrow()).toList()))
                  .isEqualTo(byEmail);
              // the columns filters read were written too
              for (User u : after) {
                if (u.department().isPresent()) {
                  String d = u.department().get();
                  dev.usermgmt.query.PreparedQuery q =
                      dev.usermgmt.query.PreparedQuery.prepare(
                          dev.usermgmt.query.UserQuery.builder()
                              .filter(
                                  new dev.usermgmt.query.Filter.Compare(
                                      "department",
                                      dev.usermgmt.query.Filter.Op.EQ,
                                      dev.usermgmt.query.Filter.Literal.string(d)))
                              .pageSize(100)
                              .build(),
                          dev.usermgmt.attribute.AttributeSchema.empty(),
                          roles,
                          Optional.empty(),
                          100);
                  assertThat(users().query(t, q).stream().map(User::id).toList())
                      .as(d)
                      .containsExactlyInAnyOrderElementsOf(
                          after.stream()
                              .filter(x -> x.department().map(d::equals).orElse(false))
                              .map(User::id)
                              .toList());
                }
              }
              // stale: the stored users are at version 2 now
              assertThatThrownBy(() -> users().update(t, before, after))
                  .isInstanceOf(ConflictException.class);
              assertThatThrownBy(() -> users().update(t, after, before))
                  .isInstanceOf(dev.usermgmt.InvalidInputException.class);
              assertThat(users().getAll(t, expected.keySet())).isEqualTo(expected);
            });
  }

  /**
   * Every lookup and every sorted page follows a run of updates, some rolled back, that move users'
   * e-mails, employee ids, managers and sort values around a small pool, as a map of the users
   * written says: a key a user leaves finds them no more, a key they take finds them, a rolled-back
   * update changes nothing, and a page holds each user once, as last written, in order.
   */
  @Test
  default void lookupsAndPagesFollowUpdatesAndRollbacks() {
    RoleCatalog roles = RoleCatalog.defaultCatalog();
    int n = 6;
    List<EmailAddress> emails = new ArrayList<>();
    for (int i = 0; i < n + 3; i++) {
      emails.add(EmailAddress.parse("pool" + i + "@example.com"));
    }
    List<String> employeeIds = List.of("E1", "E2", "E3");
    List<String> names = List.of("Ann", "ann", "Bob", "Émile", "Zoë", "Ann");
    // each step: which user, then its e-mail, employee id, manager, name, last activity, which
    // update method, and whether the transaction is rolled back
    Gen<Integer[]> step =
        SourceDSL.arrays().ofIntegers(SourceDSL.integers().between(0, 1_000)).withLength(8);
    qt().withExamples(25)
        .forAll(SourceDSL.lists().of(step).ofSizeBetween(1, 12))
        .checkAssert(
            steps -> {
              TenantId t = freshTenant();
              Map<UserId, User> model = new TreeMap<>();
              List<User> first = new ArrayList<>();
              for (int i = 0; i < n; i++) {
                User u = user(t, "x" + i).toBuilder().primaryEmail(emails.get(i)).build();
                first.add(u);
                model.put(u.id(), u);
              }
              users().insert(t, first);
              List<dev.usermgmt.query.PreparedQuery> sorts =
                  List.of(
                      sorted("sortBy=displayName&pageSize=50", roles),
                      sorted("sortBy=-lastActivity&pageSize=50", roles),
                      sorted("sortBy=employeeId&pageSize=50", roles));
              // the first pages build whatever a store keeps for each sort; the steps must keep it
              agreesWithModel(t, model, emails, employeeIds, sorts);
              for (Integer[] r : steps) {
                User before =
                    java.util.Objects.requireNonNull(model.get(UserId.of("x" + r[0] % n)));
                User.Builder b = before.toBuilder().version(before.version() + 1);
                Set<String> taken = new java.util.HashSet<>();
                model.values().stream()
                    .filter(u -> !u.id().equals(before.id()))
                    .forEach(u -> taken.add(u.primaryEmail().orElseThrow().key()));
                EmailAddress e = emails.get(r[1] % emails.size());
                if (!taken.contains(e.key())) {
                  b.primaryEmail(e);
                }
                b.employeeId(
                    r[2] % 4 == 3 ? Optional.empty() : Optional.of(employeeIds.get(r[2] % 4)));
                UserId manager = UserId.of("x" + r[3] % n);
                b.managerId(manager.equals(before.id()) ? Optional.empty() : Optional.of(manager));
                b.displayName(names.get(r[4] % names.size()));
                b.lastActivityAt(
                    r[5] % 3 == 0
                        ? Optional.empty()
                        : Optional.of(Instant.parse("2025-01-01T00:00:00Z").plusSeconds(r[5] % 3)));
                User after = b.build();
                boolean knowing = r[6] % 2 == 0;
                Runnable write =
                    () -> {
                      if (knowing) {
                        users().update(t, List.of(before), List.of(after));
                      } else {
                        users().update(t, List.of(after));
                      }
                    };
                if (r[7] % 3 == 0) {
                  rolledBack(write);
                } else {
                  write.run();
                  model.put(after.id(), after);
                }
                agreesWithModel(t, model, emails, employeeIds, sorts);
              }
            });
  }

  private static dev.usermgmt.query.PreparedQuery sorted(String query, RoleCatalog roles) {
    return dev.usermgmt.query.PreparedQuery.prepare(
        dev.usermgmt.query.UserQuery.parse(query, dev.usermgmt.attribute.AttributeSchema.empty()),
        dev.usermgmt.attribute.AttributeSchema.empty(),
        roles,
        Optional.empty(),
        50);
  }

  /** The lookups and pages agree with the model, read directly and in a snapshot. */
  private void agreesWithModel(
      TenantId t,
      Map<UserId, User> model,
      List<EmailAddress> emails,
      List<String> employeeIds,
      List<dev.usermgmt.query.PreparedQuery> sorts) {
    readsAgreeWithModel(t, model, emails, employeeIds, sorts);
    stores()
        .transactions()
        .inSnapshot(
            () -> {
              readsAgreeWithModel(t, model, emails, employeeIds, sorts);
              return Boolean.TRUE;
            });
  }

  private void readsAgreeWithModel(
      TenantId t,
      Map<UserId, User> model,
      List<EmailAddress> emails,
      List<String> employeeIds,
      List<dev.usermgmt.query.PreparedQuery> sorts) {
    assertThat(users().getAll(t, model.keySet())).isEqualTo(model);
    Map<String, User> byEmail = new HashMap<>();
    Map<String, Set<UserId>> bySkeleton = new TreeMap<>();
    Map<String, Set<UserId>> byEmployee = new TreeMap<>();
    Set<UserId> managed = new java.util.TreeSet<>();
    for (User u : model.values()) {
      EmailAddress e = u.primaryEmail().orElseThrow();
      byEmail.put(e.key(), u);
      bySkeleton.computeIfAbsent(e.skeleton(), k -> new java.util.TreeSet<>()).add(u.id());
      u.employeeId()
          .ifPresent(
              id -> byEmployee.computeIfAbsent(id, k -> new java.util.TreeSet<>()).add(u.id()));
      u.managerId().ifPresent(m -> managed.add(u.id()));
    }
    assertThat(users().findByEmails(t, emails)).isEqualTo(byEmail);
    Map<String, Set<UserId>> skeletons = new TreeMap<>();
    users()
        .findByEmailSkeletons(t, emails.stream().map(EmailAddress::skeleton).toList())
        .forEach(
            (k, v) -> skeletons.put(k, new java.util.TreeSet<>(v.stream().map(User::id).toList())));
    assertThat(skeletons).isEqualTo(bySkeleton);
    Map<String, Set<UserId>> employees = new TreeMap<>();
    users()
        .findByEmployeeIds(t, employeeIds)
        .forEach(
            (k, v) -> employees.put(k, new java.util.TreeSet<>(v.stream().map(User::id).toList())));
    assertThat(employees).isEqualTo(byEmployee);
    assertThat(users().findByManagers(t, model.keySet()))
        .extracting(User::id)
        .containsExactlyElementsOf(managed);
    for (dev.usermgmt.query.PreparedQuery q : sorts) {
      List<User> page = users().query(t, q);
      assertThat(page).as("%s", q.sort()).containsExactlyInAnyOrderElementsOf(model.values());
      order(q).ifPresent(o -> assertThat(page).as("%s", q.sort()).isSortedAccordingTo(o));
    }
  }

  /**
   * The order of a page by last activity (descending: users without one first) or by employee id
   * (ascending: users without one last); by display name, whose folding is the store's own, none.
   */
  private static Optional<java.util.Comparator<User>> order(dev.usermgmt.query.PreparedQuery q) {
    String by = q.sort().get(0).attribute().name();
    if (by.equals("lastActivity")) {
      return Optional.of(
          java.util.Comparator.comparing(
              (User u) -> u.lastActivityAt().orElse(Instant.MAX),
              java.util.Comparator.reverseOrder()));
    }
    if (by.equals("employeeId")) {
      return Optional.of(
          java.util.Comparator.comparing(
              (User u) -> u.employeeId().orElse("\uffff"), java.util.Comparator.naturalOrder()));
    }
    return Optional.empty();
  }

  @Test
  default void lookupsAgreeWithAMapOfTheInsertedUsers() {
    RoleCatalog roles = RoleCatalog.defaultCatalog();
    qt().withExamples(30)
        .forAll(
            SourceDSL.lists()
                .of(DomainGenerators.users(TenantId.of("gen"), roles))
                .ofSizeBetween(1, 40))
        .checkAssert(
            generated -> {
              TenantId t = freshTenant();
              Map<UserId, User> byId = new TreeMap<>();
              Map<String, User> byEmail = new HashMap<>();
              for (User g : generated) {
                User u = g.toBuilder().tenant(t).version(1).managerId(Optional.empty()).build();
                String key = u.primaryEmail().orElseThrow().key();
                if (!byId.containsKey(u.id()) && !byEmail.containsKey(key)) {
                  byId.put(u.id(), u);
                  byEmail.put(key, u);
                }
              }
              users().insert(t, List.copyOf(byId.values()));
              assertThat(users().getAll(t, byId.keySet())).isEqualTo(byId);
              List<EmailAddress> emails = new ArrayList<>();
              byId.values()
                  .forEach(
                      u ->
                          emails.add(
                              EmailAddress.parse(
                                  u.primaryEmail()
                                      .orElseThrow()
                                      .value()
                                      .toUpperCase(java.util.Locale.ROOT))));
              assertThat(users().findByEmails(t, emails)).isEqualTo(byEmail);
              Map<String, List<UserId>> byEmployee = new LinkedHashMap<>();
              byId.values()
                  .forEach(
                      u ->
                          u.employeeId()
                              .ifPresent(
                                  e ->
                                      byEmployee
                                          .computeIfAbsent(e, k -> new ArrayList<>())
                                          .add(u.id())));
              Map<String, List<UserId>> found = new LinkedHashMap<>();
              users()
                  .findByEmployeeIds(t, byEmployee.keySet())
                  .forEach((k, v) -> found.put(k, v.stream().map(User::id).toList()));
              assertThat(found).isEqualTo(byEmployee);
              for (UserStatus s : UserStatus.values()) {
                assertThat(users().countByStatus(t, EnumSet.of(s)))
                    .isEqualTo(byId.values().stream().filter(u -> u.status() == s).count());
              }
            });
  }

  @Test
  default void tenantsNeverSeeOrTouchEachOthersUsers() {
    Gen<List<Integer>> ops =
        SourceDSL.lists().of(SourceDSL.integers().between(0, 5)).ofSizeBetween(1, 30);
    qt().withExamples(25)
        .forAll(ops)
        .checkAssert(
            sequence -> {
              TenantId a = freshTenant();
              TenantId b = freshTenant();
              users().insert(b, List.of(user(b, "shared"), user(b, "onlyb")));
              Map<UserId, User> bBefore =
                  users().getAll(b, List.of(UserId.of("shared"), UserId.of("onlyb")));
              users().insert(a, List.of(user(a, "shared")));
              int n = 0;
              for (int op : sequence) {
                n++;
                User current = users().get(a, UserId.of("shared")).orElseThrow();
                switch (op) {
                  case 0 -> users().update(a, List.of(bumped(current, "D" + n)));
                  case 1 -> assertThat(users().get(a, UserId.of("onlyb"))).isEmpty();
                  case 2 ->
                      assertThat(
                              users()
                                  .findByEmails(
                                      a, List.of(EmailAddress.parse("onlyb@example.com"))))
                          .isEmpty();
                  case 3 -> {
                    try {
                      users().update(a, List.of(user(b, "onlyb").toBuilder().version(2).build()));
                    } catch (UserMgmtException expected) {
                      // the user belongs to b: refused whatever the code
                    }
                  }
                  case 4 -> {
                    try {
                      users().delete(a, Map.of(UserId.of("onlyb"), 1L));
                    } catch (UserMgmtException expected) {
                      // not a's user
                    }
                  }
                  default ->
                      assertThat(users().scan(a, Optional.empty(), 100))
                          .extracting(User::id)
                          .containsExactly(UserId.of("shared"));
                }
              }
              assertThat(users().getAll(b, List.of(UserId.of("shared"), UserId.of("onlyb"))))
                  .isEqualTo(bBefore);
            });
  }
}
