package dev.usermgmt.directory;

import dev.usermgmt.tenant.CreationChannel;
import org.immutables.value.Value;

/**
 * How {@link UserDirectory#create} creates users: the channel (which decides the initial status)
 * and whether new users with an e-mail address get their invitation or welcome e-mail at once.
 */
@Value.Immutable
public abstract class CreateOptions {
  CreateOptions() {}

  /**
   * How the users are created; decides their initial status. Default {@link
   * CreationChannel#MANUAL}.
   *
   * @return the channel
   */
  @Value.Default
  public CreationChannel channel() {
    return CreationChannel.MANUAL;
  }

  /**
   * Whether new users with an e-mail address get an invitation (or welcome) e-mail at once. Default
   * false.
   *
   * @return the flag
   */
  @Value.Default
  public boolean sendInvitations() {
    return false;
  }

  /**
   * Whether a user may be created with an e-mail address that looks like another user's (the same
   * UTS #39 skeleton, another identity: {@code аdmin@…} with a Cyrillic {@code а} next to {@code
   * admin@…}). Default false: such a draft is refused with {@code confusable_identity} naming the
   * user it looks like. Set it only after a person has confirmed the two are different people.
   *
   * @return the override
   */
  @Value.Default
  public boolean allowConfusableEmails() {
    return false;
  }

  /**
   * Manual creation, no e-mail.
   *
   * @return the defaults
   */
  public static CreateOptions defaults() {
    return builder().build();
  }

  /**
   * A new builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link CreateOptions}. */
  public static final class Builder extends ImmutableCreateOptions.Builder {
    Builder() {}
  }
}
