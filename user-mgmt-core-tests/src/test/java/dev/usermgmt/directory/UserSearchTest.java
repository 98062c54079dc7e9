package dev.usermgmt.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usermgmt.AccessDeniedException;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.memory.InMemoryStores;
import dev.usermgmt.query.InvalidFilterException;
import dev.usermgmt.query.Page;
import dev.usermgmt.query.SortKey;
import dev.usermgmt.query.UserQuery;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserDraft;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class UserSearchTest {
  static final RoleCatalog ROLES = RoleCatalog.defaultCatalog();
  final TenantId tenant = TenantId.of("acme");
  final Stores stores = InMemoryStores.create();
  final List<String> mails = new ArrayList<>();
  final UserDirectory directory =
      UserDirectory.builder()
          .stores(stores)
          .invitationSender((t, u, to, kind) -> mails.add(to.value()))
          .signingKey(
              "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.UTF_8))
          .build();
  final Actor admin = Actor.builder().tenant(tenant).role(ROLES.adminRole()).build();

  @BeforeEach
  void people() {
    List<UserDraft> drafts = new ArrayList<>();
    String[][] rows = {
      {"Alex Doe", "alex@example.com", "Sales", "London"},
      {"Zoë Müller", "zoe@example.com", "Sales", "Berlin"},
      {"Émile Zola", "emile@example.com", "Légal", "Paris"},
      {"Sam Lee", "sam@example.com", "Engineering", "London"},
      {"Jordan Kim", "jordan@example.com", "Engineering", "Austin"},
    };
    for (int i = 0; i < rows.length; i++) {
      drafts.add(
          UserDraft.builder()
              .id(UserId.of("u" + i))
              .displayName(rows[i][0])
              .primaryEmail(EmailAddress.parse(rows[i][1]))
              .department(rows[i][2])
              .location(rows[i][3])
              .build());
    }
    directory.create(admin, drafts);
    directory.recordLogin(tenant, UserId.of("u0"), Instant.parse("2026-02-01T10:00:00Z"));
    directory.recordLogin(tenant, UserId.of("u3"), Instant.parse("2026-03-01T10:00:00Z"));
  }

  private List<String> names(Page<User> page) {
    return page.items().stream().map(User::displayName).toList();
  }

  @Test
  void filtersFromTheUrlSortAndSearchCaseAndAccentInsensitively() {
    UserQuery q =
        UserQuery.parse("filter=department+eq+%22sales%22&sortBy=-name", AttributeSchema.empty());
    assertThat(names(directory.search(admin, q))).containsExactly("Zoë Müller", "Alex Doe");
    assertThat(names(directory.search(admin, UserQuery.builder().search("zoe MULLER").build())))
        .containsExactly("Zoë Müller");
    assertThat(names(directory.search(admin, UserQuery.builder().search("emile").build())))
        .containsExactly("Émile Zola");
    UserQuery active =
        UserQuery.parse(
            "filter=lastActivity+ge+%222026-02-15%22+or+location+eq+%22austin%22&sortBy=name",
            AttributeSchema.empty());
    assertThat(names(directory.search(admin, active))).containsExactly("Jordan Kim", "Sam Lee");
    UserQuery neverLogged =
        UserQuery.builder()
            .filter(
                dev.usermgmt.query.FilterParser.parse(
                    "neverLoggedIn eq true", AttributeSchema.empty()))
            .addSort(SortKey.asc("email"))
            .includeTotal(true)
            .build();
    Page<User> p = directory.search(admin, neverLogged);
    assertThat(names(p)).containsExactly("Émile Zola", "Jordan Kim", "Zoë Müller");
    assertThat(p.total()).hasValue(3);
  }

  @Test
  void cursorsPageStablyAndRefuseTamperingOrAnotherQuery() {
    UserQuery q = UserQuery.builder().addSort(SortKey.asc("department")).pageSize(2).build();
    Page<User> first = directory.search(admin, q);
    assertThat(names(first)).containsExactly("Sam Lee", "Jordan Kim");
    String cursor = first.nextCursor().orElseThrow();
    Page<User> second = directory.search(admin, q.atCursor(Optional.of(cursor)));
    assertThat(names(second)).containsExactly("Émile Zola", "Alex Doe");
    Page<User> third = directory.search(admin, q.atCursor(second.nextCursor()));
    assertThat(names(third)).containsExactly("Zoë Müller");
    assertThat(third.nextCursor()).isEmpty();

    String tampered =
        cursor.substring(0, 3) + (cursor.charAt(3) == 'A' ? 'B' : 'A') + cursor.substring(4);
    assertThatThrownBy(() -> directory.search(admin, q.atCursor(Optional.of(tampered))))
        .isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).code())
        .isEqualTo(ErrorCode.INVALID_CURSOR);
    UserQuery other = UserQuery.builder().addSort(SortKey.desc("department")).pageSize(2).build();
    assertThatThrownBy(() -> directory.search(admin, other.atCursor(Optional.of(cursor))))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("another query");
    assertThatThrownBy(() -> directory.search(admin, q.atCursor(Optional.of("garbage"))))
        .isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).code())
        .isEqualTo(ErrorCode.INVALID_CURSOR);
  }

  @Test
  void badFiltersAndSortsAreErrors() {
    assertThatThrownBy(() -> UserQuery.parse("filter=nickname+eq+%22x%22", AttributeSchema.empty()))
        .isInstanceOf(InvalidFilterException.class);
    assertThatThrownBy(
            () ->
                directory.search(
                    admin, UserQuery.builder().addSort(SortKey.asc("modules")).build()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("cannot sort by modules");
    assertThatThrownBy(() -> UserQuery.parse("pageSize=5000", AttributeSchema.empty()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("page size");
    Actor learner = Actor.builder().tenant(tenant).role(ROLES.defaultRole()).build();
    assertThatThrownBy(() -> directory.search(learner, UserQuery.all()))
        .isInstanceOf(AccessDeniedException.class);
  }

  @Test
  void autocompleteOfColumnValuesAndUsers() {
    assertThat(directory.distinctValues(admin, "department", "", 10))
        .containsExactly("Engineering", "Légal", "Sales");
    assertThat(directory.distinctValues(admin, "department", "LE", 10)).containsExactly("Légal");
    assertThat(directory.distinctValues(admin, "location", "l", 10)).containsExactly("London");
    assertThat(directory.suggestUsers(admin, "zo", 10))
        .extracting(User::displayName)
        .containsExactly("Émile Zola", "Zoë Müller");
    assertThat(directory.suggestUsers(admin, "sam@", 10))
        .extracting(User::displayName)
        .containsExactly("Sam Lee");
    assertThatThrownBy(() -> directory.distinctValues(admin, "hireDate", "", 5))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void sendInvitationEmailGoesToTheFilteredViewsUsersWhoNeverSignedIn() {
    UserQuery view =
        UserQuery.parse(
            "filter=department+eq+%22Sales%22+or+department+eq+%22Engineering%22",
            AttributeSchema.empty());
    InvitationResult r = directory.inviteView(admin, view);
    assertThat(mails).containsExactlyInAnyOrder("zoe@example.com", "jordan@example.com");
    assertThat(r.sent()).hasSize(2);
  }

  @Test
  void walkVisitsTheWholeViewInPages() {
    List<Integer> sizes = new ArrayList<>();
    directory.walk(admin, UserQuery.builder().pageSize(2).build(), page -> sizes.add(page.size()));
    assertThat(sizes).containsExactly(2, 2, 1);
  }
}
