package dev.usermgmt.attribute;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.internal.ValueDomain;
import java.util.regex.Pattern;
import org.immutables.value.Value;

/**
 * A custom user attribute a tenant defines under "Manage Custom Attributes": a stable key, the
 * label people read, a {@link AttributeType}, and the per-attribute flags of the reference (visible
 * to managers, editable by managers) plus those this library adds: required, personal (removed on
 * anonymisation) and sensitive (redacted in the change log for readers not allowed to see it).
 */
@Value.Immutable
public abstract class AttributeDefinition {
  private static final Pattern KEY = Pattern.compile("[a-zA-Z][a-zA-Z0-9_]{0,63}");

  AttributeDefinition() {}

  /**
   * The stable key; never changes once values exist. Letters, digits and underscores, starting with
   * a letter, at most 64 characters.
   *
   * @return the key
   */
  public abstract String key();

  /**
   * The label shown in forms and used as a column header ("Ready After 6 months?").
   *
   * @return the label
   */
  public abstract String label();

  /**
   * The type of the values.
   *
   * @return the type
   */
  public abstract AttributeType type();

  /**
   * Managers see the value on the records of their reports.
   *
   * @return the flag
   */
  @Value.Default
  public boolean visibleToManagers() {
    return false;
  }

  /**
   * Managers may change the value for their reports (implies visible).
   *
   * @return the flag
   */
  @Value.Default
  public boolean editableByManagers() {
    return false;
  }

  /**
   * A value must be present on every new user.
   *
   * @return the flag
   */
  @Value.Default
  public boolean required() {
    return false;
  }

  /**
   * The value is personal data, removed when a user is anonymised.
   *
   * @return the flag
   */
  @Value.Default
  public boolean personal() {
    return false;
  }

  /**
   * The value is sensitive: the change log shows it only to readers allowed to manage attributes.
   *
   * @return the flag
   */
  @Value.Default
  public boolean sensitive() {
    return false;
  }

  @Value.Check
  void check() {
    if (!KEY.matcher(key()).matches()) {
      throw new InvalidInputException(
          Problem.ofField(
              ErrorCode.INVALID_VALUE,
              "key",
              "attribute key must be letters, digits, _: " + key()));
    }
    if (label().isBlank() || ValueDomain.text("label", label(), ValueDomain.MAX_NAME).isPresent()) {
      throw new InvalidInputException(
          Problem.ofField(
              ErrorCode.INVALID_VALUE,
              "label",
              "attribute label must be 1-200 allowed characters (no controls or lone surrogates)"));
    }
    if (editableByManagers() && !visibleToManagers()) {
      throw new InvalidInputException(
          Problem.ofField(
              ErrorCode.INVALID_VALUE,
              "editableByManagers",
              "an attribute editable by managers must be visible to them"));
    }
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
   * A copy with another label.
   *
   * @param label the label
   * @return the copy
   */
  public AttributeDefinition withLabel(String label) {
    return toBuilder().label(label).build();
  }

  /**
   * A builder starting from this definition.
   *
   * @return the builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.from(this);
    return b;
  }

  /** Builds an {@link AttributeDefinition}. */
  public static final class Builder extends ImmutableAttributeDefinition.Builder {
    Builder() {}
  }
}
