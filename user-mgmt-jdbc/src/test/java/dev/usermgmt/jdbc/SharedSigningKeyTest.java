package dev.usermgmt.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.jdbc.dialect.Dialect;
import dev.usermgmt.memory.InMemoryStores;
import dev.usermgmt.query.Page;
import dev.usermgmt.query.UserQuery;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.Fixtures;
import dev.usermgmt.user.User;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two instances of a host over one database: each builds its own stores and directory. Without a
 * signing key from the host the directory is refused up front (a random key per instance made
 * cursors fail behind a load balancer and after a restart); with the same key each reads the
 * other's cursors, on H2, PostgreSQL and MariaDB.
 */
final class SharedSigningKeyTest {
  private static final byte[] KEY =
      "shared-signing-key-of-the-host".getBytes(StandardCharsets.UTF_8);

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aDirectoryOverADatabaseWithoutTheHostsKeyIsRefusedUpFront(Dialect d) {
    Stores stores = JdbcStores.create(Databases.dataSource(d));
    assertThatThrownBy(() -> UserDirectory.builder().stores(stores).build())
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
              assertThat(e.field()).contains("signingKey");
              assertThat(e.getMessage()).contains("shared between processes", "signingKey");
            });
  }

  @Test
  void theInMemoryStoreNeedsNoKey() {
    assertThat(UserDirectory.builder().stores(InMemoryStores.create()).build()).isNotNull();
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void twoInstancesWithTheSameKeyReadEachOthersCursors(Dialect d) {
    DataSource ds = Databases.dataSource(d);
    TenantId t = Fixtures.freshTenant();
    List<User> users = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      users.add(Fixtures.user(t, "s" + i));
    }
    JdbcStores.create(ds).users().insert(t, users);
    UserDirectory first = directory(ds, KEY);
    UserDirectory second = directory(ds, KEY);
    Actor admin = Actor.builder().tenant(t).role(RoleCatalog.defaultCatalog().adminRole()).build();

    UserQuery query = UserQuery.builder().pageSize(3).build();
    List<UserId> seen = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    int page = 0;
    do {
      // the pages alternate between the instances, as behind a load balancer
      UserDirectory instance = page++ % 2 == 0 ? first : second;
      Page<User> p = instance.search(admin, query.atCursor(cursor));
      p.items().forEach(u -> seen.add(u.id()));
      cursor = p.nextCursor();
    } while (cursor.isPresent());
    assertThat(seen).containsExactlyInAnyOrderElementsOf(users.stream().map(User::id).toList());
    assertThat(page).isEqualTo(3);
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void anInstanceWithAnotherKeyRefusesTheCursor(Dialect d) {
    DataSource ds = Databases.dataSource(d);
    TenantId t = Fixtures.freshTenant();
    JdbcStores.create(ds)
        .users()
        .insert(t, List.of(Fixtures.user(t, "a"), Fixtures.user(t, "b"), Fixtures.user(t, "c")));
    Actor admin = Actor.builder().tenant(t).role(RoleCatalog.defaultCatalog().adminRole()).build();
    UserQuery query = UserQuery.builder().pageSize(2).build();
    String cursor = directory(ds, KEY).search(admin, query).nextCursor().orElseThrow();
    UserDirectory other =
        directory(ds, "another-host-key-0123456789".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> other.search(admin, query.atCursor(Optional.of(cursor))))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CURSOR));
  }

  private static UserDirectory directory(DataSource ds, byte[] key) {
    return UserDirectory.builder().stores(JdbcStores.create(ds)).signingKey(key).build();
  }
}
