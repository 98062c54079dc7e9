package dev.usermgmt.tenant;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.user.UserStatus;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.immutables.value.Value;

/**
 * A tenant's settings that the directory's rules read: the initial status per creation channel, the
 * licensed seat limit, the module catalog, the default phone region, the vendor's internal e-mail
 * domains, and the length of generated demo passwords. Hosts keep these per tenant (an admin
 * setting) and hand them over through the directory's settings function.
 */
@Value.Immutable
public abstract class TenantSettings {
  /** The reference's default module catalog. */
  public static final Set<String> DEFAULT_MODULES =
      Set.of("LMS", "LXP", "DEVELOPMENT", "360 FEEDBACK");

  private static final TenantSettings DEFAULTS = builder().build();

  TenantSettings() {}

  /**
   * The status a new user starts in, per channel: {@link UserStatus#STAGED} or {@link
   * UserStatus#ACTIVE}. Channels not named start {@link UserStatus#ACTIVE}, as the Employees page
   * creates users.
   *
   * @return initial statuses by channel
   */
  public abstract Map<CreationChannel, UserStatus> initialStatus();

  /**
   * The most users that may occupy a seat (every status but deactivated and anonymised).
   *
   * @return the limit, or empty for none
   */
  public abstract OptionalLong seatLimit();

  /**
   * The modules users can be given.
   *
   * @return module keys
   */
  @Value.Default
  public Set<String> modules() {
    return DEFAULT_MODULES;
  }

  /**
   * The ISO 3166 region phone numbers without a country code are read in ({@code ZZ}: none).
   *
   * @return the region
   */
  @Value.Default
  public String phoneRegion() {
    return "ZZ";
  }

  /**
   * The vendor's own staff e-mail domains, excluded from bulk deactivation unless allowed.
   *
   * @return lower-case domains
   */
  public abstract List<String> internalEmailDomains();

  /**
   * The length of generated demo passwords.
   *
   * @return at least 12
   */
  @Value.Default
  public int demoPasswordLength() {
    return 20;
  }

  /**
   * The initial status for a channel.
   *
   * @param channel the channel
   * @return the status
   */
  public UserStatus initialStatusFor(CreationChannel channel) {
    return initialStatus().getOrDefault(channel, UserStatus.ACTIVE);
  }

  @Value.Check
  void check() {
    for (UserStatus s : initialStatus().values()) {
      if (s != UserStatus.STAGED && s != UserStatus.ACTIVE) {
        throw new InvalidInputException(
            Problem.ofField(
                ErrorCode.INVALID_CONFIGURATION,
                "initialStatus",
                "new users start STAGED or ACTIVE, not " + s));
      }
    }
    if (demoPasswordLength() < 12 || demoPasswordLength() > 128) {
      throw new InvalidInputException(
          Problem.ofField(
              ErrorCode.INVALID_CONFIGURATION, "demoPasswordLength", "must be 12 to 128"));
    }
  }

  /**
   * The defaults: everyone starts active, no seat limit, the reference modules.
   *
   * @return the default settings
   */
  public static TenantSettings defaults() {
    return DEFAULTS;
  }

  /**
   * A new builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link TenantSettings}. */
  public static final class Builder extends ImmutableTenantSettings.Builder {
    Builder() {}

    /**
     * Builds the value.
     *
     * @return the value
     * @throws dev.usermgmt.InvalidInputException when a value is invalid, or a key was put twice
     *     into {@code initialStatus}
     */
    @Override
    public TenantSettings build() {
      return dev.usermgmt.internal.Builders.build("initialStatus", super::build);
    }
  }
}
