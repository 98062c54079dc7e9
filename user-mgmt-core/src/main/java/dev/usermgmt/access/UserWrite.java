package dev.usermgmt.access;

import com.google.common.base.Suppliers;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.user.Transition;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserField;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One write the library is about to make to one user, as the {@link AccessPolicy} judges it: the
 * stored user before (empty for a creation), the user after (empty for a deletion), how the user
 * relates to the actor, the channel the change comes through, and the tenant's attributes. Every
 * write of every entry point is judged this way, just before it reaches the store.
 *
 * <p>The relation is computed only when a policy asks for it (finding reports walks the manager
 * chain).
 */
public final class UserWrite {
  /** What the write does to the user. */
  public enum Kind {
    /** A new user (or a deleted one restored). */
    CREATE,
    /** A stored user changed. */
    UPDATE,
    /** A stored user removed. */
    DELETE
  }

  /** The fields, in order: {@code values()} copies its array at every call. */
  private static final UserField[] FIELDS = UserField.values();

  private final Optional<User> before;
  private final Optional<User> after;
  private final Supplier<Relation> relation;
  private final EditChannel channel;
  private final AttributeSchema schema;
  private final Optional<Transition> move;
  private final Supplier<Set<UserField>> changedFields;
  private final Supplier<Set<String>> changedAttributes;

  private UserWrite(
      Optional<User> before,
      Optional<User> after,
      Supplier<Relation> relation,
      EditChannel channel,
      AttributeSchema schema,
      Optional<Transition> move) {
    if (before.isEmpty() && after.isEmpty()) {
      throw new IllegalArgumentException("a write has a user before or after it");
    }
    if (before.isPresent() && after.isPresent() && !before.get().id().equals(after.get().id())) {
      throw new IllegalArgumentException("a write changes one user");
    }
    this.before = before;
    this.after = after;
    this.relation = Suppliers.memoize(relation::get);
    this.channel = channel;
    this.move = move;
    this.schema = schema;
    this.changedFields = Suppliers.memoize(this::computeChangedFields);
    this.changedAttributes = Suppliers.memoize(this::computeChangedAttributes);
  }

  /**
   * A write.
   *
   * @param before the stored user, or empty for a creation
   * @param after the user to store, or empty for a deletion
   * @param relation how the user relates to the actor (asked at most once, when needed)
   * @param channel where the change comes from
   * @param schema the tenant's attributes
   * @return the write
   */
  public static UserWrite of(
      Optional<User> before,
      Optional<User> after,
      Supplier<Relation> relation,
      EditChannel channel,
      AttributeSchema schema) {
    return of(before, after, relation, channel, schema, Optional.empty());
  }

  /**
   * A write made by a lifecycle operation, which names its move.
   *
   * @param before the stored user, or empty for a creation
   * @param after the user to store, or empty for a deletion
   * @param relation how the user relates to the actor (asked at most once, when needed)
   * @param channel where the change comes from
   * @param schema the tenant's attributes
   * @param move the lifecycle move the operation makes (an acceptance, an activation …), or empty
   *     when the operation is not one move (a file, a selection, an undo)
   * @return the write
   */
  public static UserWrite of(
      Optional<User> before,
      Optional<User> after,
      Supplier<Relation> relation,
      EditChannel channel,
      AttributeSchema schema,
      Optional<Transition> move) {
    return new UserWrite(
        Objects.requireNonNull(before),
        Objects.requireNonNull(after),
        Objects.requireNonNull(relation),
        Objects.requireNonNull(channel),
        Objects.requireNonNull(schema),
        Objects.requireNonNull(move));
  }

  /**
   * The lifecycle move the operation makes, when it is one.
   *
   * @return the move, or empty
   */
  public Optional<Transition> move() {
    return move;
  }

  /**
   * The stored user before the write.
   *
   * @return the user, or empty for a creation
   */
  public Optional<User> before() {
    return before;
  }

  /**
   * The user after the write.
   *
   * @return the user, or empty for a deletion
   */
  public Optional<User> after() {
    return after;
  }

  /**
   * The user written: the one before, or the new one.
   *
   * @return the user
   */
  public User target() {
    return before.or(() -> after).orElseThrow();
  }

  /**
   * What the write does.
   *
   * @return the kind
   */
  public Kind kind() {
    return before.isEmpty() ? Kind.CREATE : after.isEmpty() ? Kind.DELETE : Kind.UPDATE;
  }

  /**
   * How the user relates to the actor.
   *
   * @return the relation
   */
  public Relation relation() {
    return relation.get();
  }

  /**
   * Where the change comes from.
   *
   * @return the channel
   */
  public EditChannel channel() {
    return channel;
  }

  /**
   * The tenant's attributes.
   *
   * @return the schema
   */
  public AttributeSchema schema() {
    return schema;
  }

  /**
   * The standard fields whose values differ between before and after (every field with a value, for
   * a creation or a deletion).
   *
   * @return the fields
   */
  public Set<UserField> changedFields() {
    return changedFields.get();
  }

  /**
   * The custom attributes whose values differ between before and after (every attribute with a
   * value, for a creation or a deletion).
   *
   * @return the attribute keys
   */
  public Set<String> changedAttributes() {
    return changedAttributes.get();
  }

  private Set<UserField> computeChangedFields() {
    EnumSet<UserField> out = EnumSet.noneOf(UserField.class);
    for (UserField f : FIELDS) {
      if (before.isPresent() && after.isPresent() && f.equalIn(before.get(), after.get())) {
        continue;
      }
      Optional<Object> b = before.flatMap(f::get);
      Optional<Object> a = after.flatMap(f::get);
      if (!b.equals(a)) {
        out.add(f);
      }
    }
    return out;
  }

  private Set<String> computeChangedAttributes() {
    Set<String> out = new LinkedHashSet<>();
    before.ifPresent(b -> out.addAll(b.attributes().keySet()));
    after.ifPresent(a -> out.addAll(a.attributes().keySet()));
    out.removeIf(
        k -> {
          Optional<AttributeValue> b = before.map(u -> u.attributes().get(k));
          Optional<AttributeValue> a = after.map(u -> u.attributes().get(k));
          return b.equals(a);
        });
    return out;
  }

  @Override
  public String toString() {
    return kind() + " " + target().id() + " " + changedFields() + changedAttributes();
  }
}
