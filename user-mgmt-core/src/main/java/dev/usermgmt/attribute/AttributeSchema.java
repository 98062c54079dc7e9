package dev.usermgmt.attribute;

import com.google.common.collect.ImmutableMap;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.Problem;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The custom attributes a tenant has defined, and the check that a user's values fit them: every
 * key defined, every value of its attribute's type, every required attribute present.
 */
public final class AttributeSchema {
  private static final AttributeSchema EMPTY = new AttributeSchema(List.of());

  private final ImmutableMap<String, AttributeDefinition> byKey;

  private AttributeSchema(Collection<AttributeDefinition> definitions) {
    ImmutableMap.Builder<String, AttributeDefinition> b = ImmutableMap.builder();
    definitions.forEach(d -> b.put(d.key(), d));
    this.byKey = b.buildOrThrow();
  }

  /**
   * A schema of the given definitions.
   *
   * @param definitions definitions with distinct keys
   * @return the schema
   * @throws IllegalArgumentException when two definitions share a key
   */
  public static AttributeSchema of(Collection<AttributeDefinition> definitions) {
    return new AttributeSchema(definitions);
  }

  /**
   * The schema with no attributes.
   *
   * @return the empty schema
   */
  public static AttributeSchema empty() {
    return EMPTY;
  }

  /**
   * The definitions, in definition order.
   *
   * @return the definitions
   */
  public Collection<AttributeDefinition> definitions() {
    return byKey.values();
  }

  /**
   * The definition of a key.
   *
   * @param key an attribute key
   * @return the definition, or empty
   */
  public Optional<AttributeDefinition> definition(String key) {
    return Optional.ofNullable(byKey.get(key));
  }

  /**
   * The field name problems use for an attribute: {@code attributes.<key>}.
   *
   * @param key an attribute key
   * @return the field name
   */
  public static String fieldOf(String key) {
    return "attributes." + key;
  }

  /**
   * The problem of removing an attribute's value from a user: none unless the attribute is
   * required, whose value no write removes.
   *
   * @param key an attribute key
   * @return the {@code missing_field} problem, or empty
   */
  public Optional<Problem> removal(String key) {
    return definition(key)
        .filter(AttributeDefinition::required)
        .map(
            d ->
                Problem.ofField(
                    ErrorCode.MISSING_FIELD,
                    fieldOf(key),
                    "'" + key + "' is required and cannot be removed"));
  }

  /**
   * Checks a set of values against the schema.
   *
   * @param values attribute values by key
   * @param requireAll whether required attributes must be present (true for new users)
   * @return every problem found; empty when the values fit
   */
  public List<Problem> validate(Map<String, AttributeValue> values, boolean requireAll) {
    List<Problem> problems = new ArrayList<>();
    values.forEach(
        (key, value) -> {
          AttributeDefinition d = byKey.get(key);
          if (d == null) {
            problems.add(
                Problem.ofField(
                    ErrorCode.UNKNOWN_ATTRIBUTE,
                    fieldOf(key),
                    "no custom attribute '" + key + "'"));
          } else if (d.type() != value.type()) {
            problems.add(
                Problem.ofField(
                    ErrorCode.INVALID_ATTRIBUTE_VALUE,
                    fieldOf(key),
                    "'" + d.label() + "' takes a " + d.type() + " value, not " + value.type()));
          } else {
            value.domainProblem(fieldOf(key)).ifPresent(problems::add);
          }
        });
    if (requireAll) {
      for (AttributeDefinition d : byKey.values()) {
        if (d.required() && !values.containsKey(d.key())) {
          problems.add(
              Problem.ofField(
                  ErrorCode.MISSING_FIELD, fieldOf(d.key()), "'" + d.label() + "' is required"));
        }
      }
    }
    return problems;
  }
}
