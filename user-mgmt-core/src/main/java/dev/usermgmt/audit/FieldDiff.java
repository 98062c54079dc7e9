package dev.usermgmt.audit;

import dev.usermgmt.attribute.AttributeType;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * One field of one user before and after a change, as canonical text ({@code UserField.format},
 * {@code AttributeValue.canonical}); empty means "no value". Custom attributes use the field name
 * {@code attributes.<key>} and carry their type.
 *
 * <p>A diff is {@link #redacted()} when its values were removed: by anonymisation (personal data
 * leaves the history too) or for a reader not allowed to see a sensitive attribute.
 */
@Value.Immutable
public abstract class FieldDiff {
  FieldDiff() {}

  /**
   * The field: a {@code UserField} key, or {@code attributes.<key>}.
   *
   * @return the field name
   */
  public abstract String field();

  /**
   * The value before, as canonical text.
   *
   * @return the value, or empty when there was none (or it was redacted)
   */
  public abstract Optional<String> before();

  /**
   * The value after, as canonical text.
   *
   * @return the value, or empty when there is none (or it was redacted)
   */
  public abstract Optional<String> after();

  /**
   * The attribute type, for {@code attributes.<key>} fields.
   *
   * @return the type
   */
  public abstract Optional<AttributeType> attributeType();

  /**
   * Whether the values were removed.
   *
   * @return true when redacted
   */
  @Value.Default
  public boolean redacted() {
    return false;
  }

  /**
   * Whether the values are of a custom attribute that was marked sensitive when they were written
   * (or when the attribute was deleted): they are read as a sensitive attribute's history whatever
   * the attribute's definition is now (deleted, defined again under the same key, or no longer
   * sensitive).
   *
   * @return true for a sensitive attribute's values
   */
  @Value.Default
  public boolean sensitive() {
    return false;
  }

  /**
   * Whether the values are of a custom attribute that was hidden from managers when they were
   * written (or when the attribute was deleted): managers do not read them in the change log
   * whatever the attribute's definition is now.
   *
   * @return true for values hidden from managers
   */
  @Value.Default
  public boolean hiddenFromManagers() {
    return false;
  }

  /**
   * Whether this is a custom attribute's diff.
   *
   * @return true for {@code attributes.<key>} fields
   */
  public boolean isAttribute() {
    return field().startsWith(ATTRIBUTE_PREFIX);
  }

  /** The prefix of custom attribute field names. */
  public static final String ATTRIBUTE_PREFIX = "attributes.";

  /**
   * A copy with both values removed and marked redacted.
   *
   * @return the redacted copy
   */
  public FieldDiff redact() {
    return builder()
        .field(field())
        .attributeType(attributeType())
        .sensitive(sensitive())
        .hiddenFromManagers(hiddenFromManagers())
        .redacted(true)
        .build();
  }

  /**
   * A new builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link FieldDiff}. */
  public static final class Builder extends ImmutableFieldDiff.Builder {
    Builder() {}
  }
}
