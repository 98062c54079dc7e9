package dev.usermgmt.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.jdbc.dialect.Dialect;
import dev.usermgmt.spi.UserStore;
import dev.usermgmt.testkit.Fixtures;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The skeleton lookup without some users leaves them out in its query while they and the skeletons
 * make one batch of keys, and from the answer beyond it: on every database, with a batch of four,
 * every number of users left out gives the same answer.
 */
final class SkeletonLookupBatchTest {
  @ParameterizedTest
  @EnumSource(Dialect.class)
  void usersLeftOutBeyondOneBatchAreLeftOutAlike(Dialect d) {
    UserStore users =
        JdbcStores.create(Databases.dataSource(d), JdbcOptions.builder().batchSize(4).build())
            .users();
    TenantId t = Fixtures.freshTenant();
    // five users whose addresses share one skeleton (1, l and | look alike), and one other
    List<String> alike =
        List.of(
            "x1l@example.com",
            "xll@example.com",
            "x11@example.com",
            "xl1@example.com",
            "x|l@example.com");
    List<User> stored = new ArrayList<>();
    for (int i = 0; i < alike.size(); i++) {
      stored.add(
          Fixtures.user(t, "u" + i).toBuilder()
              .primaryEmail(EmailAddress.parse(alike.get(i)))
              .build());
    }
    stored.add(Fixtures.user(t, "other"));
    users.insert(t, stored);
    String skeleton = EmailAddress.parse(alike.get(0)).skeleton();
    List<UserId> sharing =
        users.findByEmailSkeletons(t, List.of(skeleton)).getOrDefault(skeleton, List.of()).stream()
            .map(User::id)
            .toList();
    assertThat(sharing).hasSize(alike.size());
    for (int n = 0; n <= sharing.size(); n++) {
      Set<UserId> except = sharing.stream().limit(n).collect(Collectors.toSet());
      Map<String, List<UserId>> expected = new HashMap<>();
      List<UserId> left = sharing.stream().filter(id -> !except.contains(id)).toList();
      if (!left.isEmpty()) {
        expected.put(skeleton, left);
      }
      Map<String, List<UserId>> found = new HashMap<>();
      users
          .findByEmailSkeletons(t, List.of(skeleton), except)
          .forEach((s, us) -> found.put(s, us.stream().map(User::id).toList()));
      assertThat(found).as("%d left out of %s", n, sharing).isEqualTo(expected);
    }
  }
}
