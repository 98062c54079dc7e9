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
