package dev.usermgmt.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.usermgmt.Action;
import dev.usermgmt.Decision;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.TenantId;
import dev.usermgmt.access.AccessPolicy;
import dev.usermgmt.access.Actor;
import dev.usermgmt.access.DefaultAccessPolicy;
import dev.usermgmt.access.FeatureFlag;
import dev.usermgmt.access.FeatureFlags;
import dev.usermgmt.access.Relation;
import dev.usermgmt.access.UserWrite;
import dev.usermgmt.access.Visibility;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.bulk.BulkEngine;
import dev.usermgmt.bulk.BulkLimits;
import dev.usermgmt.bulk.DeactivationRequest;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.io.export.UserExporter;
import dev.usermgmt.io.json.UserMgmtJacksonModule;
import dev.usermgmt.query.UserQuery;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.tenant.TenantSettings;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserDraft;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

final class UserMgmtAutoConfigurationTest {
  private static final String KEY = "usermgmt.signing-key=a-test-signing-key-of-the-host";

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  UserMgmtAutoConfiguration.class, JacksonAutoConfiguration.class))
          .withBean(DataSource.class, UserMgmtAutoConfigurationTest::h2);

  private static DataSource h2() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:starter-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    return ds;
  }

  @Test
  void theDataSourceGivesAMigratedSchemaAndAWorkingDirectoryEngineAndExporter() {
    runner
        .withPropertyValues(KEY)
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              assertThat(ctx)
                  .hasSingleBean(Stores.class)
                  .hasSingleBean(UserDirectory.class)
                  .hasSingleBean(BulkEngine.class)
                  .hasSingleBean(UserExporter.class)
                  .hasSingleBean(UserMgmtJacksonModule.class)
                  .hasSingleBean(UserMgmtSchemaMigration.class);
              assertThat(ctx.getBean(UserMgmtSchemaMigration.class).applied()).isPositive();
              try (Connection c = ctx.getBean(DataSource.class).getConnection();
                  ResultSet rs = c.getMetaData().getTables(null, null, "%", null)) {
                List<String> tables = new java.util.ArrayList<>();
                while (rs.next()) {
                  tables.add(rs.getString("TABLE_NAME").toLowerCase(java.util.Locale.ROOT));
                }
                assertThat(tables)
                    .as("the library's own history table")
                    .contains("usermgmt_schema_history");
              }
              UserDirectory directory = ctx.getBean(UserDirectory.class);
              Actor admin =
                  Actor.builder()
                      .tenant(TenantId.of("acme"))
                      .role(directory.roles().adminRole())
                      .build();
              directory.create(
                  admin,
                  List.of(
                      UserDraft.builder()
                          .primaryEmail(EmailAddress.parse("alex@example.com"))
                          .build()));
              assertThat(directory.search(admin, UserQuery.all()).items()).hasSize(1);
            });
  }

  @Test
  void theHostsAccessPolicyBeanIsTheDirectorysPolicy() {
    // a stricter policy the host defines as a bean: the directory used the default one instead
    runner
        .withPropertyValues(KEY)
        .withBean(
            AccessPolicy.class,
            () ->
                new NoExports(
                    DefaultAccessPolicy.of(RoleCatalog.defaultCatalog(), FeatureFlags.defaults())))
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              UserDirectory directory = ctx.getBean(UserDirectory.class);
              Actor admin =
                  Actor.builder()
                      .tenant(TenantId.of("acme"))
                      .role(directory.roles().adminRole())
                      .build();
              assertThat(directory.decide(admin, Action.EXPORT).allowed()).isFalse();
              assertThat(directory.decide(admin, Action.VIEW_USERS).allowed()).isTrue();
            });
  }

  /** The default policy, but nobody exports. */
  private record NoExports(AccessPolicy base) implements AccessPolicy {
    @Override
    public Decision decide(Actor actor, Action action) {
      return action == Action.EXPORT
          ? Decision.deny(Decision.Reason.ROLE_TOO_LOW, "the host allows no exports")
          : base.decide(actor, action);
    }

    @Override
    public Decision decide(Actor actor, Action action, User target, Relation relation) {
      return base.decide(actor, action, target, relation);
    }

    @Override
    public Decision decideWrite(Actor actor, UserWrite write) {
      return base.decideWrite(actor, write);
    }

    @Override
    public Visibility visibility(
        Actor actor, Relation relation, AttributeSchema schema, Visibility.Purpose purpose) {
      return base.visibility(actor, relation, schema, purpose);
    }
  }

  @Test
  void withoutASigningKeyTheContextFailsNamingTheProperty() {
    runner.run(
        ctx -> {
          assertThat(ctx).hasFailed();
          assertThat(ctx.getStartupFailure())
              .rootCause()
              .isInstanceOfSatisfying(
                  InvalidInputException.class,
                  e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION);
                    assertThat(e.getMessage()).contains("usermgmt.signing-key");
                  });
        });
    runner
        .withPropertyValues("usermgmt.signing-key=short")
        .run(ctx -> assertThat(ctx.getStartupFailure()).rootCause().hasMessageContaining("16"));
  }

  @Test
  void theProperties() {
    runner
        .withPropertyValues(
            KEY,
            "usermgmt.internal-email-domains=support.vendor.example,staff.vendor.example",
            "usermgmt.feature-flags.deactivate-users-excel=true",
            "usermgmt.feature-flags.can-edit-users=false",
            "usermgmt.limits.max-emails=100",
            "usermgmt.limits.chunk-size=50",
            "usermgmt.roles.catalog[0].key=member",
            "usermgmt.roles.catalog[0].level=1",
            "usermgmt.roles.catalog[1].key=blocked",
            "usermgmt.roles.catalog[1].level=99",
            "usermgmt.roles.catalog[2].key=boss",
            "usermgmt.roles.catalog[2].label=Boss",
            "usermgmt.roles.catalog[2].level=10",
            "usermgmt.roles.default-role=member",
            "usermgmt.roles.admin-role=boss",
            "usermgmt.roles.manager-role=boss",
            "usermgmt.roles.blocked-role=blocked")
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              assertThat(ctx.getBean(TenantSettings.class).internalEmailDomains())
                  .containsExactly("support.vendor.example", "staff.vendor.example");
              FeatureFlags flags = ctx.getBean(FeatureFlags.class);
              TenantId t = TenantId.of("acme");
              assertThat(flags.isEnabled(t, FeatureFlag.DEACTIVATE_USERS_EXCEL)).isTrue();
              assertThat(flags.isEnabled(t, FeatureFlag.CAN_EDIT_USERS)).isFalse();
              assertThat(flags.isEnabled(t, FeatureFlag.UPDATE_USERS_EXCEL)).isTrue();
              assertThat(ctx.getBean(BulkLimits.class)).isEqualTo(new BulkLimits(1, 100, 50));
              RoleCatalog roles = ctx.getBean(UserDirectory.class).roles();
              assertThat(roles.adminRole().key()).isEqualTo("boss");
              assertThat(roles.adminRole().label()).isEqualTo("Boss");
            });
  }

  @Test
  void theJacksonModuleIsRegisteredWithBootsObjectMapperWithTheConfiguredAliases() {
    runner
        .withPropertyValues(KEY, "usermgmt.json.internal-emails-aliases=allowVendorInternalEmails")
        .run(
            ctx -> {
              ObjectMapper json = ctx.getBean(ObjectMapper.class);
              DeactivationRequest vendor =
                  json.readValue(
                      "{\"emails\":[\"a@example.com\"],\"allowVendorInternalEmails\":true}",
                      DeactivationRequest.class);
              DeactivationRequest own =
                  json.readValue(
                      "{\"emails\":[\"a@example.com\"],\"allowInternalEmails\":true}",
                      DeactivationRequest.class);
              assertThat(vendor).isEqualTo(own);
              assertThat(vendor.allowInternalEmails()).isTrue();
            });
  }

  @Test
  void everyBeanBacksOffForTheApplicationsOwn() {
    RoleCatalog own = RoleCatalog.defaultCatalog();
    runner
        .withPropertyValues(KEY)
        .withBean(RoleCatalog.class, () -> own)
        .withBean(BulkLimits.class, () -> new BulkLimits(1, 10, 5))
        .withBean(
            UserMgmtJacksonModule.class,
            () -> UserMgmtJacksonModule.builder().internalEmailsField("allow").build())
        .run(
            ctx -> {
              assertThat(ctx).hasSingleBean(RoleCatalog.class);
              assertThat(ctx.getBean(RoleCatalog.class)).isSameAs(own);
              assertThat(ctx.getBean(BulkLimits.class)).isEqualTo(new BulkLimits(1, 10, 5));
              assertThat(ctx).hasSingleBean(UserMgmtJacksonModule.class);
            });
    runner
        .withPropertyValues(KEY)
        .withBean(
            "myDirectory",
            UserDirectory.class,
            () ->
                UserDirectory.builder().stores(dev.usermgmt.memory.InMemoryStores.create()).build())
        .run(
            ctx -> {
              assertThat(ctx).hasSingleBean(UserDirectory.class);
              assertThat(ctx).hasBean("myDirectory");
            });
  }

  @Test
  void withMigrationSwitchedOffNothingIsMigrated() {
    runner
        .withPropertyValues(KEY, "usermgmt.schema.migrate=false")
        .run(
            ctx -> {
              assertThat(ctx).doesNotHaveBean(UserMgmtSchemaMigration.class);
              assertThat(ctx).hasSingleBean(Stores.class);
            });
  }

  @Test
  void withoutADataSourceOnlyTheDataSourceFreeBeans() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(UserMgmtAutoConfiguration.class))
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              assertThat(ctx).doesNotHaveBean(UserDirectory.class);
              assertThat(ctx).hasSingleBean(UserMgmtJacksonModule.class);
            });
  }
}
