package dev.usermgmt.query;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.user.EmailAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@link UserQuery} resolved for one tenant and ready for a store: the filter as a typed {@link
 * Condition}, the search words, the sort with resolved attributes, where the page starts and how
 * many users to return. Stores answer it exactly as the in-memory evaluator does.
 *
 * @param condition the filter, if any
 * @param searchWords the folded search words, all of which must match
 * @param sort the sort keys (ties broken by id in the direction of the last key)
 * @param after the position the page starts after
 * @param limit the most users to return
 */
public record PreparedQuery(
    Optional<Condition> condition,
    List<String> searchWords,
    List<Sort> sort,
    Optional<Keyset> after,
    int limit) {

  /**
   * A resolved sort key.
   *
   * @param attribute the attribute
   * @param descending the direction
   */
  public record Sort(QueryAttribute attribute, boolean descending) {}

  /**
   * Resolves a query.
   *
   * @param query the query
   * @param schema the tenant's custom attributes
   * @param roles the tenant's roles, for role names in filters
   * @param after the decoded cursor position
   * @param limit the most users to return
   * @return the prepared query
   * @throws InvalidFilterException for unknown attributes, bad operators or values, unsortable
   *     attributes
   */
  public static PreparedQuery prepare(
      UserQuery query,
      AttributeSchema schema,
      RoleCatalog roles,
      Optional<Keyset> after,
      int limit) {
    Optional<Condition> condition = query.filter().map(f -> resolve(f, schema, roles, false));
    List<Sort> sort = new ArrayList<>();
    for (SortKey k : query.sort()) {
      QueryAttribute a = QueryAttributes.require(k.attribute(), schema);
      if (!a.sortable()) {
        throw new InvalidInputException(
            Problem.ofField(ErrorCode.INVALID_QUERY, "sortBy", "cannot sort by " + k.attribute()));
      }
      sort.add(new Sort(a, k.descending()));
    }
    List<String> words = query.search().map(SearchText::words).orElse(List.of());
    return new PreparedQuery(condition, words, sort, after, limit);
  }

  private static Condition resolve(
      Filter f, AttributeSchema schema, RoleCatalog roles, boolean sub) {
    return resolve(f, schema, roles, sub, false);
  }

  private static boolean emailValue(QueryAttribute a, boolean sub, boolean email) {
    return sub ? email && a.name().equals("value") : a.name().equals("primaryEmail");
  }

  private static Condition resolve(
      Filter f, AttributeSchema schema, RoleCatalog roles, boolean sub, boolean email) {
    if (f instanceof Filter.And a) {
      return new Condition.All(
          List.of(
              resolve(a.left(), schema, roles, sub, email),
              resolve(a.right(), schema, roles, sub, email)));
    }
    if (f instanceof Filter.Or o) {
      return new Condition.Any(
          List.of(
              resolve(o.left(), schema, roles, sub, email),
              resolve(o.right(), schema, roles, sub, email)));
    }
    if (f instanceof Filter.Not n) {
      return new Condition.Negation(resolve(n.filter(), schema, roles, sub, email));
    }
    if (f instanceof Filter.Present p) {
      return new Condition.Presence(attribute(p.attribute(), schema, sub));
    }
    if (f instanceof Filter.Compare c) {
      QueryAttribute a = attribute(c.attribute(), schema, sub);
      Optional<Object> v = QueryAttributes.coerce(a, c.op(), c.value());
      if (v.isPresent() && v.get() instanceof String && emailValue(a, sub, email)) {
        // e-mail literals take the identity key's form, never the accent-folded one
        v = Optional.of(EmailAddress.keyOf(c.value().text()));
      }
      if (v.isPresent() && v.get() instanceof QueryAttributes.RoleName name) {
        try {
          v = Optional.of(roles.parse(name.text()).level());
        } catch (InvalidInputException e) {
          throw new InvalidFilterException(
              -1, "a role of the catalog", "unknown role '" + name.text() + "'");
        }
      }
      return new Condition.Comparison(a, c.op(), v);
    }
    Filter.ValuePath v = (Filter.ValuePath) f;
    QueryAttributes.check(v, schema);
    boolean inEmails = FilterParser.stripUrn(v.attribute()).equalsIgnoreCase("emails");
    return new Condition.ContactPath(inEmails, resolve(v.filter(), schema, roles, true, inEmails));
  }

  private static QueryAttribute attribute(String name, AttributeSchema schema, boolean sub) {
    return sub ? QueryAttributes.subAttribute(name) : QueryAttributes.require(name, schema);
  }
}
