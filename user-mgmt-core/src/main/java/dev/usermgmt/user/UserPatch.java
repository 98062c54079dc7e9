package dev.usermgmt.user;

import com.google.common.collect.ImmutableMap;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.attribute.AttributeValue;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An edit of one user: for each changed field, the new value or "clear". Fields not named stay as
 * they are. Only {@link UserField.Editability#FORM} fields can be patched; status and the other
 * system fields change through lifecycle transitions.
 *
 * <p>Immutable; build with {@link #builder()}. Whether the actor may change each field is the
 * access policy's business, not the patch's.
 */
public final class UserPatch {
  private static final UserPatch EMPTY = new UserPatch(Map.of(), Map.of());

  private final ImmutableMap<UserField, Optional<Object>> fields;
  private final ImmutableMap<String, Optional<AttributeValue>> attributes;

  private UserPatch(
      Map<UserField, Optional<Object>> fields, Map<String, Optional<AttributeValue>> attributes) {
    this.fields = ImmutableMap.copyOf(fields);
    this.attributes = ImmutableMap.copyOf(attributes);
  }

  /**
   * The patch that changes nothing.
   *
   * @return the empty patch
   */
  public static UserPatch empty() {
    return EMPTY;
  }

  /**
   * A new builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The standard fields changed: the new value, or empty to clear.
   *
   * @return changes by field, in field order
   */
  public Map<UserField, Optional<Object>> fields() {
    return fields;
  }

  /**
   * The custom attributes changed: the new value, or empty to remove.
   *
   * @return changes by attribute key
   */
  public Map<String, Optional<AttributeValue>> attributes() {
    return attributes;
  }

  /**
   * Whether the patch changes nothing.
   *
   * @return true when no field or attribute is named
   */
  public boolean isEmpty() {
    return fields.isEmpty() && attributes.isEmpty();
  }

  /**
   * The user with the patch applied. Version and timestamps are the store's business and stay as
   * they are.
   *
   * @param user the user before
   * @return the user after
   * @throws InvalidInputException listing every problem (clearing a required field, a result
   *     without e-mail and phone, text that is too long…)
   */
  public User applyTo(User user) {
    // every change goes on one builder and the user is checked once, as the patch leaves it: one
    // field at a time a valid patch (the only contact swapped for the other) could fail on the
    // state in between
    User.Builder values = user.toBuilder();
    List<Problem> problems = new ArrayList<>();
    for (Map.Entry<UserField, Optional<Object>> e : fields.entrySet()) {
      try {
        if (e.getValue().isPresent()) {
          e.getKey().setOn(values, e.getValue().get());
        } else {
          e.getKey().clearOn(values);
        }
      } catch (InvalidInputException ex) {
        problems.addAll(ex.problems());
      }
    }
    if (!attributes.isEmpty()) {
      Map<String, AttributeValue> changed = new LinkedHashMap<>(user.attributes());
      attributes.forEach(
          (k, v) -> {
            if (v.isPresent()) {
              changed.put(k, v.get());
            } else {
              changed.remove(k);
            }
          });
      values.attributes(changed);
    }
    User out = user;
    try {
      out = values.build();
    } catch (InvalidInputException ex) {
      problems.addAll(ex.problems());
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    return out;
  }

  /**
   * Checks the attribute changes against a schema: unknown keys and wrong types.
   *
   * @param schema the tenant's attribute schema
   * @return the problems; empty when they fit
   */
  public List<Problem> validateAttributes(AttributeSchema schema) {
    Map<String, AttributeValue> present = new LinkedHashMap<>();
    List<Problem> problems = new ArrayList<>();
    attributes.forEach(
        (k, v) -> {
          if (v.isPresent()) {
            present.put(k, v.get());
            return;
          }
          Optional<AttributeDefinition> d = schema.definition(k);
          if (d.isEmpty()) {
            problems.add(
                Problem.ofField(
                    ErrorCode.UNKNOWN_ATTRIBUTE,
                    AttributeSchema.fieldOf(k),
                    "no custom attribute '" + k + "'"));
          } else {
            schema.removal(k).ifPresent(problems::add);
          }
        });
    problems.addAll(schema.validate(present, false));
    return problems;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UserPatch p && p.fields.equals(fields) && p.attributes.equals(attributes);
  }

  @Override
  public int hashCode() {
    return fields.hashCode() * 31 + attributes.hashCode();
  }

  @Override
  public String toString() {
    return "UserPatch" + fields + attributes;
  }

  /** Builds a {@link UserPatch}. */
  public static final class Builder {
    private final Map<UserField, Optional<Object>> fields = new EnumMap<>(UserField.class);
    private final Map<String, Optional<AttributeValue>> attributes = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Sets a field.
     *
     * @param field a {@link UserField.Editability#FORM} field
     * @param value a value of the field's type ({@link UserField#javaType()})
     * @return this builder
     * @throws InvalidInputException for a system field or a value of the wrong type
     */
    public Builder set(UserField field, Object value) {
      requireForm(field);
      fields.put(field, Optional.of(field.checkType(value)));
      return this;
    }

    /**
     * Clears a field.
     *
     * @param field an optional {@link UserField.Editability#FORM} field
     * @return this builder
     * @throws InvalidInputException for a system or required field
     */
    public Builder clear(UserField field) {
      requireForm(field);
      if (field.required()) {
        throw new InvalidInputException(
            Problem.ofField(
                ErrorCode.MISSING_FIELD, field.key(), field.key() + " cannot be cleared"));
      }
      fields.put(field, Optional.empty());
      return this;
    }

    /**
     * Sets a custom attribute.
     *
     * @param key the attribute key
     * @param value the value
     * @return this builder
     */
    public Builder attribute(String key, AttributeValue value) {
      attributes.put(key, Optional.of(value));
      return this;
    }

    /**
     * Removes a custom attribute's value.
     *
     * @param key the attribute key
     * @return this builder
     */
    public Builder clearAttribute(String key) {
      attributes.put(key, Optional.empty());
      return this;
    }

    /**
     * Adds every change of another patch (later changes win).
     *
     * @param other a patch
     * @return this builder
     */
    public Builder from(UserPatch other) {
      fields.putAll(other.fields);
      attributes.putAll(other.attributes);
      return this;
    }

    private static void requireForm(UserField field) {
      if (field.editability() != UserField.Editability.FORM) {
        throw new InvalidInputException(
            Problem.ofField(
                ErrorCode.INVALID_VALUE,
                field.key(),
                field.key() + " is not editable; it changes through the user lifecycle"));
      }
    }

    /**
     * The patch.
     *
     * @return the patch
     */
    public UserPatch build() {
      return fields.isEmpty() && attributes.isEmpty() ? EMPTY : new UserPatch(fields, attributes);
    }
  }
}
