package dev.usermgmt.testkit;

import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserStatus;
import java.time.Instant;
import java.util.UUID;

/** Small builders of test data for contracts and host tests. */
public final class Fixtures {
  /** A fixed time for tests that need one. */
  public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private Fixtures() {}

  /**
   * A tenant id no other test uses, so that tests can share one store.
   *
   * @return a fresh tenant id
   */
  public static TenantId freshTenant() {
    return TenantId.of("t-" + UUID.randomUUID().toString().substring(0, 18));
  }

  /**
   * A valid active user with an e-mail derived from the id, version 1.
   *
   * @param tenant the tenant
   * @param id the id
   * @return the user
   */
  public static User user(TenantId tenant, String id) {
    return User.builder()
        .id(UserId.of(id))
        .tenant(tenant)
        .firstName("First " + id)
        .lastName("Last")
        .primaryEmail(EmailAddress.parse(id + "@example.com"))
        .role(RoleCatalog.defaultCatalog().defaultRole())
        .status(UserStatus.ACTIVE)
        .version(1)
        .createdAt(T0)
        .updatedAt(T0)
        .build();
  }

  /**
   * The next version of a user, with one field changed.
   *
   * @param user the stored user
   * @param department the new department
   * @return the changed user at version + 1
   */
  public static User bumped(User user, String department) {
    return user.toBuilder().department(department).version(user.version() + 1).build();
  }
}
