package dev.usermgmt.spring;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.access.AccessPolicy;
import dev.usermgmt.access.FeatureFlags;
import dev.usermgmt.bulk.BulkEngine;
import dev.usermgmt.bulk.BulkLimits;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.io.export.UserExporter;
import dev.usermgmt.io.json.UserMgmtJacksonModule;
import dev.usermgmt.jdbc.JdbcStores;
import dev.usermgmt.jdbc.SchemaOptions;
import dev.usermgmt.jdbc.UserMgmtSchema;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.InvitationSender;
import dev.usermgmt.spi.OwnershipTransfer;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.spi.UserResetter;
import dev.usermgmt.tenant.TenantSettings;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationInitializer;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The library from the application's {@code DataSource}: the schema migrated (unless {@code
 * usermgmt.schema.migrate=false}), the JDBC {@link Stores}, a {@link UserDirectory} signed with
 * {@code usermgmt.signing-key}, a {@link BulkEngine}, a {@link UserExporter} and the {@link
 * UserMgmtJacksonModule}, which Spring Boot registers with its {@code ObjectMapper}. Every bean
 * backs off when the application defines its own of the same type.
 */
@AutoConfiguration(
    after = {DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class},
    before = JacksonAutoConfiguration.class)
@ConditionalOnClass({UserDirectory.class, JdbcStores.class})
@EnableConfigurationProperties(UserMgmtProperties.class)
public class UserMgmtAutoConfiguration {
  /** Created by Spring. */
  public UserMgmtAutoConfiguration() {}

  /**
   * The role catalog: {@code usermgmt.roles.*}, or the reference's numeric catalog.
   *
   * @param properties the configuration
   * @return the catalog
   */
  @Bean
  @ConditionalOnMissingBean
  public RoleCatalog userMgmtRoleCatalog(UserMgmtProperties properties) {
    return SpringSettings.roles(properties.getRoles());
  }

  /**
   * The feature flags: their documented defaults with {@code usermgmt.feature-flags.*} over them.
   *
   * @param properties the configuration
   * @return the flags
   */
  @Bean
  @ConditionalOnMissingBean
  public FeatureFlags userMgmtFeatureFlags(UserMgmtProperties properties) {
    return FeatureFlags.of(properties.getFeatureFlags());
  }

  /**
   * The tenant settings every tenant gets: the defaults with the internal e-mail domains.
   *
   * @param properties the configuration
   * @return the settings
   */
  @Bean
  @ConditionalOnMissingBean
  public TenantSettings userMgmtTenantSettings(UserMgmtProperties properties) {
    return TenantSettings.builder()
        .addAllInternalEmailDomains(properties.getInternalEmailDomains())
        .build();
  }

  /**
   * The bulk limits from {@code usermgmt.limits.*}.
   *
   * @param properties the configuration
   * @return the limits
   */
  @Bean
  @ConditionalOnMissingBean
  public BulkLimits userMgmtBulkLimits(UserMgmtProperties properties) {
    UserMgmtProperties.Limits l = properties.getLimits();
    return new BulkLimits(l.getMinEmails(), l.getMaxEmails(), l.getChunkSize());
  }

  /**
   * The JSON module of the reference API, which Spring Boot adds to its {@code ObjectMapper}.
   *
   * @param properties the configuration
   * @return the module
   */
  @Bean
  @ConditionalOnMissingBean
  public UserMgmtJacksonModule userMgmtJacksonModule(UserMgmtProperties properties) {
    return UserMgmtJacksonModule.builder()
        .internalEmailsField(properties.getJson().getInternalEmailsField())
        .internalEmailsAliases(properties.getJson().getInternalEmailsAliases())
        .build();
  }

  /** What needs the application's one data source. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnSingleCandidate(DataSource.class)
  public static class Jdbc {
    /** Created by Spring. */
    public Jdbc() {}

    /**
     * Migrates the library's schema at start-up, in its own Flyway history table, after the
     * application's own Flyway migrations when Spring Boot runs them (so the application's Flyway
     * first meets the schema it knows, as the README's coexistence recipe does).
     *
     * @param dataSource the application's data source
     * @param hostFlyway Spring Boot's migration of the application's own Flyway, if any
     * @param properties the configuration
     * @return the marker the stores wait for
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(
        prefix = "usermgmt.schema",
        name = "migrate",
        havingValue = "true",
        matchIfMissing = true)
    @ConditionalOnClass(name = "org.flywaydb.core.Flyway")
    public UserMgmtSchemaMigration userMgmtSchemaMigration(
        DataSource dataSource,
        ObjectProvider<FlywayMigrationInitializer> hostFlyway,
        UserMgmtProperties properties) {
      hostFlyway.orderedStream().forEach(initializer -> {});
      int applied =
          UserMgmtSchema.migrate(
              dataSource,
              SchemaOptions.builder()
                  .historyTable(properties.getSchema().getHistoryTable())
                  .build());
      return new UserMgmtSchemaMigration(applied);
    }

    /**
     * The JDBC stores, after the migration when there is one.
     *
     * @param dataSource the application's data source
     * @param migration the migration, if it runs
     * @return the stores
     */
    @Bean
    @ConditionalOnMissingBean
    public Stores userMgmtStores(
        DataSource dataSource, ObjectProvider<UserMgmtSchemaMigration> migration) {
      migration.ifAvailable(m -> {});
      return JdbcStores.create(dataSource);
    }

    /**
     * The directory.
     *
     * @param stores the stores
     * @param roles the role catalog
     * @param flags the feature flags
     * @param settings the tenant settings
     * @param properties the configuration (the signing key)
     * @param policy the host's access policy, if it defines one (else the default policy)
     * @param invitations the host's mail hook, if it defines one
     * @param ownership the host's ownership hook, if it defines one
     * @param resetter the host's reset hook, if it defines one
     * @return the directory
     * @throws InvalidInputException with {@code invalid_configuration} when {@code
     *     usermgmt.signing-key} is missing or shorter than 16 characters
     */
    @Bean
    @ConditionalOnMissingBean
    public UserDirectory userDirectory(
        Stores stores,
        RoleCatalog roles,
        FeatureFlags flags,
        TenantSettings settings,
        UserMgmtProperties properties,
        ObjectProvider<AccessPolicy> policy,
        ObjectProvider<InvitationSender> invitations,
        ObjectProvider<OwnershipTransfer> ownership,
        ObjectProvider<UserResetter> resetter) {
      UserDirectory.Builder b =
          UserDirectory.builder()
              .stores(stores)
              .roles(roles)
              .featureFlags(flags)
              .settings(t -> settings)
              .signingKey(signingKey(properties));
      // the host's own policy and hooks, where it defines them: a stricter policy defined as a
      // bean and left out would leave the host believing it holds (two of one kind, none of them
      // primary, fail the start rather than fall back to the default)
      Optional.ofNullable(policy.getIfAvailable()).ifPresent(b::policy);
      Optional.ofNullable(invitations.getIfAvailable()).ifPresent(b::invitationSender);
      Optional.ofNullable(ownership.getIfAvailable()).ifPresent(b::ownershipTransfer);
      Optional.ofNullable(resetter.getIfAvailable()).ifPresent(b::userResetter);
      return b.build();
    }

    /**
     * The bulk engine.
     *
     * @param directory the directory
     * @param limits the limits
     * @return the engine
     */
    @Bean
    @ConditionalOnMissingBean
    public BulkEngine userMgmtBulkEngine(UserDirectory directory, BulkLimits limits) {
      return BulkEngine.of(directory, limits);
    }

    /**
     * The exporter.
     *
     * @param directory the directory
     * @return the exporter
     */
    @Bean
    @ConditionalOnMissingBean
    public UserExporter userMgmtExporter(UserDirectory directory) {
      return UserExporter.of(directory);
    }

    private static byte[] signingKey(UserMgmtProperties properties) {
      String key = properties.getSigningKey();
      if (key == null || key.isBlank()) {
        throw new InvalidInputException(
            Problem.ofField(
                ErrorCode.INVALID_CONFIGURATION,
                "usermgmt.signing-key",
                "set usermgmt.signing-key (at least 16 characters, the same on every instance of"
                    + " the application, kept with its other secrets): it signs page cursors and"
                    + " bulk plans"));
      }
      if (key.length() < 16) {
        throw new InvalidInputException(
            Problem.ofField(
                ErrorCode.INVALID_CONFIGURATION,
                "usermgmt.signing-key",
                "usermgmt.signing-key must be at least 16 characters"));
      }
      return key.getBytes(StandardCharsets.UTF_8);
    }
  }
}
