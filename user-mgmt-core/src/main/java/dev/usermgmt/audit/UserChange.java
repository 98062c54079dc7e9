package dev.usermgmt.audit;

import dev.usermgmt.UserId;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * What a change set did to one user: created, updated or deleted, the field diffs, and the versions
 * before and after. A creation lists every field the new user has; a deletion every field it had;
 * so the change log alone can rebuild the store.
 */
@Value.Immutable
public abstract class UserChange {
  UserChange() {}

  /** What happened to the user. */
  public enum Kind {
    /** The user was created. */
    CREATED,
    /** Some fields changed. */
    UPDATED,
    /** The user was removed. */
    DELETED
  }

  /**
   * The user.
   *
   * @return the id
   */
  public abstract UserId userId();

  /**
   * What happened.
   *
   * @return the kind
   */
  public abstract Kind kind();

  /**
   * The fields that changed (for creations and deletions: all fields with a value).
   *
   * @return the diffs, in field order
   */
  public abstract List<FieldDiff> diffs();

  /**
   * The version before (empty for creations).
   *
   * @return the version
   */
  public abstract Optional<Long> versionBefore();

  /**
   * The version after (empty for deletions).
   *
   * @return the version
   */
  public abstract Optional<Long> versionAfter();

  /**
   * The diff of one field.
   *
   * @param field the field name
   * @return the diff, or empty when the field did not change
   */
  public Optional<FieldDiff> diff(String field) {
    return diffs().stream().filter(d -> d.field().equals(field)).findFirst();
  }

  /**
   * A new builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link UserChange}. */
  public static final class Builder extends ImmutableUserChange.Builder {
    Builder() {}
  }
}
