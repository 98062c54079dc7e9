package dev.usermgmt.audit;

import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.attribute.AttributeDefinition;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * One mutation as the audit log keeps it: who, when, what operation, a correlation id tying it to
 * the request or plan, and per-user field diffs before → after. Every mutation of the library
 * writes exactly one change set, in the same unit of work as the change; {@code undo} reads it
 * back.
 */
@Value.Immutable
public abstract class ChangeSet {
  ChangeSet() {}

  /**
   * The id (random, unique).
   *
   * @return the id
   */
  public abstract String id();

  /**
   * The tenant.
   *
   * @return the tenant
   */
  public abstract TenantId tenant();

  /**
   * The acting user; empty for the system (scheduled work).
   *
   * @return the actor's user id
   */
  public abstract Optional<UserId> actor();

  /**
   * A description of the actor for readers (e.g. {@code "support level 2"}).
   *
   * @return the description
   */
  public abstract String actorDescription();

  /**
   * When it happened (the clock's time).
   *
   * @return the time
   */
  public abstract Instant at();

  /**
   * Ties the change set to a request, a plan or an undone change set.
   *
   * @return the correlation id
   */
  public abstract String correlationId();

  /**
   * The operation, e.g. {@code user.create}, {@code user.deactivate}, {@code undo}.
   *
   * @return the operation name
   */
  public abstract String operation();

  /**
   * A note for readers about effects outside the user records (ownership moved, passwords
   * generated); never secrets.
   *
   * @return the note
   */
  public abstract Optional<String> detail();

  /**
   * What happened to each user.
   *
   * @return the user changes
   */
  public abstract List<UserChange> changes();

  /**
   * Attribute definitions created, changed or deleted.
   *
   * @return the definition changes
   */
  public abstract List<DefinitionChange> definitionChanges();

  /**
   * The position in the tenant's log, assigned by the {@code ChangeLog} on append (0 before).
   *
   * @return the sequence number
   */
  @Value.Default
  public long sequence() {
    return 0;
  }

  /**
   * A copy with a sequence number.
   *
   * @param sequence the sequence number
   * @return the copy
   */
  public ChangeSet withSequence(long sequence) {
    return builder().from(this).sequence(sequence).build();
  }

  /**
   * A definition's value before and after.
   *
   * @param key the attribute key
   * @param before the definition before, or empty when created
   * @param after the definition after, or empty when deleted
   */
  public record DefinitionChange(
      String key, Optional<AttributeDefinition> before, Optional<AttributeDefinition> after) {}

  /**
   * A new builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link ChangeSet}. */
  public static final class Builder extends ImmutableChangeSet.Builder {
    Builder() {}
  }
}
