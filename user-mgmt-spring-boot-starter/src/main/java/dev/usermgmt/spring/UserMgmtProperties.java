package dev.usermgmt.spring;

import dev.usermgmt.access.FeatureFlag;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code usermgmt.*} configuration of the starter. Spring binds it from the application's
 * properties; {@link UserMgmtAutoConfiguration} turns it into the library's immutable settings.
 */
@ConfigurationProperties(prefix = "usermgmt")
public class UserMgmtProperties {
  /**
   * The secret that signs page cursors and bulk plans (at least 16 characters). Required: every
   * instance of the application over the same database must use the same value, kept with the
   * application's other secrets.
   */
  private @Nullable String signingKey;

  /** The vendor's internal e-mail domains, which deactivation files skip unless allowed. */
  private List<String> internalEmailDomains = new ArrayList<>();

  /** Feature flags that differ from their documented defaults, for every tenant. */
  private Map<FeatureFlag, Boolean> featureFlags = new EnumMap<>(FeatureFlag.class);

  /** The database schema. */
  private final Schema schema = new Schema();

  /** The role catalog; empty for the reference's numeric catalog. */
  private final Roles roles = new Roles();

  /** The limits of bulk work. */
  private final Limits limits = new Limits();

  /** The JSON of the reference API. */
  private final Json json = new Json();

  /**
   * The signing key.
   *
   * @return the key, if configured
   */
  public @Nullable String getSigningKey() {
    return signingKey;
  }

  /**
   * Sets the signing key.
   *
   * @param signingKey the key
   */
  public void setSigningKey(@Nullable String signingKey) {
    this.signingKey = signingKey;
  }

  /**
   * The internal e-mail domains.
   *
   * @return the domains
   */
  public List<String> getInternalEmailDomains() {
    return internalEmailDomains;
  }

  /**
   * Sets the internal e-mail domains.
   *
   * @param internalEmailDomains the domains
   */
  public void setInternalEmailDomains(List<String> internalEmailDomains) {
    this.internalEmailDomains = internalEmailDomains;
  }

  /**
   * The overridden feature flags.
   *
   * @return flag to value
   */
  public Map<FeatureFlag, Boolean> getFeatureFlags() {
    return featureFlags;
  }

  /**
   * Sets the overridden feature flags.
   *
   * @param featureFlags flag to value
   */
  public void setFeatureFlags(Map<FeatureFlag, Boolean> featureFlags) {
    this.featureFlags = featureFlags;
  }

  /**
   * The schema settings.
   *
   * @return the settings
   */
  public Schema getSchema() {
    return schema;
  }

  /**
   * The role catalog settings.
   *
   * @return the settings
   */
  public Roles getRoles() {
    return roles;
  }

  /**
   * The bulk limits.
   *
   * @return the limits
   */
  public Limits getLimits() {
    return limits;
  }

  /**
   * The JSON settings.
   *
   * @return the settings
   */
  public Json getJson() {
    return json;
  }

  /** {@code usermgmt.schema.*}: how the library's tables are created. */
  public static class Schema {
    /**
     * Whether the library's migrations run at start-up (with Flyway, in their own history table).
     * Switch off when the schema comes from the plain DDL scripts or the host's own tooling.
     */
    private boolean migrate = true;

    /** The history table of the library's migrations. */
    private String historyTable = "usermgmt_schema_history";

    /**
     * Whether the migrations run.
     *
     * @return the flag
     */
    public boolean isMigrate() {
      return migrate;
    }

    /**
     * Sets whether the migrations run.
     *
     * @param migrate the flag
     */
    public void setMigrate(boolean migrate) {
      this.migrate = migrate;
    }

    /**
     * The history table.
     *
     * @return its name
     */
    public String getHistoryTable() {
      return historyTable;
    }

    /**
     * Sets the history table.
     *
     * @param historyTable its name
     */
    public void setHistoryTable(String historyTable) {
      this.historyTable = historyTable;
    }
  }

  /** {@code usermgmt.roles.*}: the host's own role catalog. */
  public static class Roles {
    /** The roles, lowest level first; empty for the reference's numeric catalog. */
    private List<RoleEntry> catalog = new ArrayList<>();

    /** The key of the role new users get. */
    private @Nullable String defaultRole;

    /** The key of the administrator role. */
    private @Nullable String adminRole;

    /** The key of the manager role. */
    private @Nullable String managerRole;

    /** The key of the blocked role. */
    private @Nullable String blockedRole;

    /**
     * The roles.
     *
     * @return the roles
     */
    public List<RoleEntry> getCatalog() {
      return catalog;
    }

    /**
     * Sets the roles.
     *
     * @param catalog the roles
     */
    public void setCatalog(List<RoleEntry> catalog) {
      this.catalog = catalog;
    }

    /**
     * The default role.
     *
     * @return its key
     */
    public @Nullable String getDefaultRole() {
      return defaultRole;
    }

    /**
     * Sets the default role.
     *
     * @param defaultRole its key
     */
    public void setDefaultRole(@Nullable String defaultRole) {
      this.defaultRole = defaultRole;
    }

    /**
     * The administrator role.
     *
     * @return its key
     */
    public @Nullable String getAdminRole() {
      return adminRole;
    }

    /**
     * Sets the administrator role.
     *
     * @param adminRole its key
     */
    public void setAdminRole(@Nullable String adminRole) {
      this.adminRole = adminRole;
    }

    /**
     * The manager role.
     *
     * @return its key
     */
    public @Nullable String getManagerRole() {
      return managerRole;
    }

    /**
     * Sets the manager role.
     *
     * @param managerRole its key
     */
    public void setManagerRole(@Nullable String managerRole) {
      this.managerRole = managerRole;
    }

    /**
     * The blocked role.
     *
     * @return its key
     */
    public @Nullable String getBlockedRole() {
      return blockedRole;
    }

    /**
     * Sets the blocked role.
     *
     * @param blockedRole its key
     */
    public void setBlockedRole(@Nullable String blockedRole) {
      this.blockedRole = blockedRole;
    }
  }

  /** One role of {@code usermgmt.roles.catalog}. */
  public static class RoleEntry {
    /** The lower-case identifier. */
    private String key = "";

    /** What people read. */
    private String label = "";

    /** The numeric level, unique in the catalog; higher may do more. */
    private int level;

    /**
     * The key.
     *
     * @return the key
     */
    public String getKey() {
      return key;
    }

    /**
     * Sets the key.
     *
     * @param key the key
     */
    public void setKey(String key) {
      this.key = key;
    }

    /**
     * The label.
     *
     * @return the label
     */
    public String getLabel() {
      return label;
    }

    /**
     * Sets the label.
     *
     * @param label the label
     */
    public void setLabel(String label) {
      this.label = label;
    }

    /**
     * The level.
     *
     * @return the level
     */
    public int getLevel() {
      return level;
    }

    /**
     * Sets the level.
     *
     * @param level the level
     */
    public void setLevel(int level) {
      this.level = level;
    }
  }

  /** {@code usermgmt.limits.*}: the bounds of bulk work. */
  public static class Limits {
    /** The fewest e-mail addresses a deactivation list may hold. */
    private int minEmails = 1;

    /** The most e-mail addresses a deactivation list may hold. */
    private int maxEmails = 5000;

    /** How many users one lookup and one write transaction takes. */
    private int chunkSize = 500;

    /**
     * The fewest e-mails.
     *
     * @return the count
     */
    public int getMinEmails() {
      return minEmails;
    }

    /**
     * Sets the fewest e-mails.
     *
     * @param minEmails the count
     */
    public void setMinEmails(int minEmails) {
      this.minEmails = minEmails;
    }

    /**
     * The most e-mails.
     *
     * @return the count
     */
    public int getMaxEmails() {
      return maxEmails;
    }

    /**
     * Sets the most e-mails.
     *
     * @param maxEmails the count
     */
    public void setMaxEmails(int maxEmails) {
      this.maxEmails = maxEmails;
    }

    /**
     * The chunk size.
     *
     * @return the size
     */
    public int getChunkSize() {
      return chunkSize;
    }

    /**
     * Sets the chunk size.
     *
     * @param chunkSize the size
     */
    public void setChunkSize(int chunkSize) {
      this.chunkSize = chunkSize;
    }
  }

  /** {@code usermgmt.json.*}: the JSON of the reference API. */
  public static class Json {
    /** The JSON name of the deactivation request's "allow internal e-mails" flag. */
    private String internalEmailsField = "allowInternalEmails";

    /**
     * Further names accepted for the same flag, such as the reference product's vendor-specific
     * name, so that its exact request bodies are accepted.
     */
    private List<String> internalEmailsAliases = new ArrayList<>();

    /**
     * The flag's name.
     *
     * @return the name
     */
    public String getInternalEmailsField() {
      return internalEmailsField;
    }

    /**
     * Sets the flag's name.
     *
     * @param internalEmailsField the name
     */
    public void setInternalEmailsField(String internalEmailsField) {
      this.internalEmailsField = internalEmailsField;
    }

    /**
     * The accepted aliases.
     *
     * @return the names
     */
    public List<String> getInternalEmailsAliases() {
      return internalEmailsAliases;
    }

    /**
     * Sets the accepted aliases.
     *
     * @param internalEmailsAliases the names
     */
    public void setInternalEmailsAliases(List<String> internalEmailsAliases) {
      this.internalEmailsAliases = internalEmailsAliases;
    }
  }
}
