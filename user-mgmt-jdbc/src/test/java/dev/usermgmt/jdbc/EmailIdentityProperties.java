package dev.usermgmt.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.jdbc.dialect.Dialect;
import dev.usermgmt.memory.InMemoryStores;
import dev.usermgmt.query.FilterParser;
import dev.usermgmt.query.SortKey;
import dev.usermgmt.query.UserQuery;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.DomainGenerators;
import dev.usermgmt.testkit.Fixtures;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

/**
 * The one e-mail identity key holds identically in memory and in SQL: for random look-alike
 * addresses, the e-mail filter ({@code eq}, {@code co}, {@code emails[value …]}) finds a stored
 * address exactly when uniqueness would call the two one identity, on every database as in the
 * reference store.
 */
final class EmailIdentityProperties {
  private static final RoleCatalog ROLES = RoleCatalog.defaultCatalog();
  private static final byte[] KEY =
      "email-identity-cursor-key-0123456789".getBytes(StandardCharsets.UTF_8);

  private static Gen<EmailAddress> addresses() {
    return DomainGenerators.lookAlikeEmailTexts()
        .map(t -> EmailAddress.tryParse(t).orElse(EmailAddress.parse("admin@example.com")));
  }

  private static List<String> ids(UserDirectory d, Actor a, String filter) {
    return d
        .search(
            a,
            UserQuery.builder().filter(FilterParser.parse(filter, AttributeSchema.empty())).build())
        .items()
        .stream()
        .map(u -> u.id().value())
        .toList();
  }

  private static List<String> walked(UserDirectory d, Actor a, UserQuery q) {
    List<String> out = new ArrayList<>();
    d.walk(a, q, page -> page.forEach(u -> out.add(u.id().value())));
    return out;
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void theEmailFilterFindsAnAddressExactlyWhenUniquenessCallsItTheSame(Dialect dialect) {
    Stores sql = Databases.stores(dialect);
    qt().withExamples(dialect == Dialect.H2 ? 120 : 50)
        .forAll(addresses(), addresses(), SourceDSL.integers().between(0, 6))
        .checkAssert(
            (stored, asked, cut) -> {
              TenantId t = Fixtures.freshTenant();
              Stores memory = InMemoryStores.create();
              User u = Fixtures.user(t, "u").toBuilder().primaryEmail(stored).build();
              User support =
                  Fixtures.user(t, "support").toBuilder().role(ROLES.parse("support")).build();
              for (Stores s : List.of(memory, sql)) {
                s.users().insert(t, List.of(u, support));
              }
              Actor a = Actor.builder().tenant(t).userId(support.id()).role(support.role()).build();
              UserDirectory m = UserDirectory.builder().stores(memory).signingKey(KEY).build();
              UserDirectory j = UserDirectory.builder().stores(sql).signingKey(KEY).build();
              boolean same = stored.key().equals(asked.key());
              String text = asked.value();
              String part = text.substring(0, Math.min(cut + 1, text.indexOf('@')));
              for (String filter :
                  List.of(
                      "primaryEmail eq \"" + text + "\"",
                      "emails[value eq \"" + text + "\"]",
                      "email co \"" + part + "\"",
                      "primaryEmail sw \"" + part + "\"")) {
                List<String> inMemory = ids(m, a, filter);
                assertThat(ids(j, a, filter)).as(filter).isEqualTo(inMemory);
                if (filter.contains(" eq ")) {
                  assertThat(inMemory.contains("u")).as(filter).isEqualTo(same);
                }
              }
            });
  }

  /**
   * The e-mail filter and sort compare the identity key, which H2 keeps in its order-preserving key
   * form like every other key: a supplementary Han character (U+20000) sorts after U+FA0E, a
   * unified ideograph from the compatibility block, by code point as in memory (by UTF-16 unit it
   * would sort before), and lookups and the filter still find each address.
   */
  @ParameterizedTest
  @EnumSource(Dialect.class)
  void keysAboveTheSurrogatesCompareAndSortByCodePoint(Dialect dialect) {
    Stores sql = Databases.stores(dialect);
    TenantId t = Fixtures.freshTenant();
    Stores memory = InMemoryStores.create();
    User support = Fixtures.user(t, "support").toBuilder().role(ROLES.parse("support")).build();
    List<User> users =
        List.of(
            support,
            Fixtures.user(t, "bmp").toBuilder()
                .primaryEmail(EmailAddress.parse("\uFA0E@example.com"))
                .build(),
            Fixtures.user(t, "astral").toBuilder()
                .primaryEmail(EmailAddress.parse("\uD840\uDC00@example.com"))
                .build());
    for (Stores s : List.of(memory, sql)) {
      s.users().insert(t, users);
    }
    Actor a = Actor.builder().tenant(t).userId(support.id()).role(support.role()).build();
    UserDirectory m = UserDirectory.builder().stores(memory).signingKey(KEY).build();
    UserDirectory j = UserDirectory.builder().stores(sql).signingKey(KEY).build();
    for (String sort : List.of("primaryEmail", "-primaryEmail")) {
      for (int size : List.of(1, 10)) {
        UserQuery q = UserQuery.builder().addSort(SortKey.parse(sort)).pageSize(size).build();
        assertThat(walked(j, a, q)).as(sort + " by " + size).isEqualTo(walked(m, a, q));
      }
    }
    assertThat(ids(m, a, "primaryEmail sw \"\uFA0E\"")).containsExactly("bmp");
    for (String filter :
        List.of(
            "primaryEmail eq \"\uD840\uDC00@example.com\"",
            "primaryEmail gt \"\uFA0E@example.com\"",
            "primaryEmail sw \"\uFA0E\"")) {
      assertThat(ids(j, a, filter)).as(filter).isEqualTo(ids(m, a, filter));
    }
    List<EmailAddress> both =
        users.subList(1, 3).stream().map(u -> u.primaryEmail().orElseThrow()).toList();
    assertThat(sql.users().findByEmails(t, both)).hasSize(2);
  }

  /** Rows written before migration V5 have no skeleton yet: the store fills it on first use. */
  @Test
  void rowsWithoutASkeletonGetOneOnTheFirstLookup() throws Exception {
    Stores sql = Databases.stores(Dialect.H2);
    TenantId t = Fixtures.freshTenant();
    User admin = Fixtures.user(t, "admin");
    sql.users().insert(t, List.of(admin));
    try (Connection c = Databases.dataSource(Dialect.H2).getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE um_users SET email_skeleton_sha256 = NULL WHERE tenant_id = ?")) {
      ps.setString(1, t.value());
      ps.executeUpdate();
    }
    Stores fresh = JdbcStores.create(Databases.dataSource(Dialect.H2));
    String skeleton = EmailAddress.parse("adm\u0131n@example.com").skeleton();
    Map<String, List<User>> found = fresh.users().findByEmailSkeletons(t, List.of(skeleton));
    assertThat(found.get(skeleton)).extracting(User::id).containsExactly(UserId.of("admin"));
  }
}
