package dev.usermgmt.query;

import java.util.List;
import java.util.Optional;

/**
 * A filter resolved against a tenant: attributes resolved, values typed (folded text, numbers,
 * dates, instants, booleans, statuses, role levels, ids). What stores evaluate; built by {@link
 * PreparedQuery#prepare}.
 */
public sealed interface Condition
    permits Condition.All,
        Condition.Any,
        Condition.Negation,
        Condition.Comparison,
        Condition.Presence,
        Condition.ContactPath {

  /**
   * Every condition holds.
   *
   * @param conditions the conditions
   */
  record All(List<Condition> conditions) implements Condition {}

  /**
   * At least one condition holds.
   *
   * @param conditions the conditions
   */
  record Any(List<Condition> conditions) implements Condition {}

  /**
   * The condition does not hold.
   *
   * @param condition the negated condition
   */
  record Negation(Condition condition) implements Condition {}

  /**
   * {@code attribute op value}; an empty value means {@code null} ({@code eq null}: no value).
   *
   * @param attribute the attribute
   * @param op the operator
   * @param value the typed value
   */
  record Comparison(QueryAttribute attribute, Filter.Op op, Optional<Object> value)
      implements Condition {}

  /**
   * The attribute has a value.
   *
   * @param attribute the attribute
   */
  record Presence(QueryAttribute attribute) implements Condition {}

  /**
   * A condition over the single e-mail or phone element of a user (the SCIM multi-valued contact
   * attributes); false for users without that contact. Inside, attributes are the sub-attributes
   * {@code value}, {@code type} and {@code primary}.
   *
   * @param email true for e-mail, false for phone
   * @param condition the condition over the element
   */
  record ContactPath(boolean email, Condition condition) implements Condition {}
}
