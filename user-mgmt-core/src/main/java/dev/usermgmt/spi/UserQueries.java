package dev.usermgmt.spi;

import dev.usermgmt.TenantId;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.query.PreparedQuery;
import dev.usermgmt.query.QueryAttribute;
import dev.usermgmt.query.internal.QueryEvaluator;
import dev.usermgmt.user.User;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Querying users: filter, search, sort and keyset pages, counts and autocomplete. Results must be
 * exactly those of {@link QueryEvaluator} (the in-memory store's semantics), in the same order.
 */
public interface UserQueries {
  /**
   * A page: the users matching the query's condition and search, after its keyset, in its order, at
   * most its limit.
   *
   * @param tenant the tenant
   * @param query the prepared query
   * @return the users
   */
  List<User> query(TenantId tenant, PreparedQuery query);

  /**
   * A page of a query that is prepared from the tenant's custom attributes: reads the tenant's
   * attribute definitions, prepares the query from them, and reads its page ({@link
   * #query(TenantId, PreparedQuery)}). The default does exactly that, one read after the other. A
   * store that can read the definitions and the page in one request to its database overrides it;
   * it may prepare the query from definitions it read before, but only as a guess that the same
   * request checks: the schema it returns is the one the database held, and the page is that of the
   * query prepared from that schema.
   *
   * @param tenant the tenant
   * @param attributes the store of the tenant's attribute definitions
   * @param prepare the query for a schema; what it throws for the returned schema propagates
   * @return the schema, the query prepared from it, and the page
   */
  default SchemaPage query(
      TenantId tenant,
      AttributeDefinitionStore attributes,
      Function<AttributeSchema, PreparedQuery> prepare) {
    AttributeSchema schema = AttributeSchema.of(attributes.list(tenant));
    PreparedQuery query = prepare.apply(schema);
    return new SchemaPage(schema, query, query(tenant, query));
  }

  /**
   * A page of users read together with the attribute schema its query was prepared from.
   *
   * @param schema the tenant's attribute schema as the store held it
   * @param query the query prepared from that schema
   * @param users the page of that query
   */
  record SchemaPage(AttributeSchema schema, PreparedQuery query, List<User> users) {
    /** Checks the parts and copies the page. */
    public SchemaPage {
      Objects.requireNonNull(schema, "schema");
      Objects.requireNonNull(query, "query");
      users = List.copyOf(users);
    }
  }

  /**
   * How many users match the condition and search (keyset and limit ignored).
   *
   * @param tenant the tenant
   * @param query the prepared query
   * @return the count
   */
  long count(TenantId tenant, PreparedQuery query);

  /**
   * Distinct values of a single-valued text attribute (department, company, location…) whose folded
   * form starts with the folded prefix, ordered by folded form then value.
   *
   * @param tenant the tenant
   * @param attribute a single-valued text attribute backed by a user field
   * @param prefix the typed prefix (may be empty)
   * @param limit the most values to return
   * @return the values as stored
   */
  List<String> distinctValues(TenantId tenant, QueryAttribute attribute, String prefix, int limit);

  /**
   * Users whose display name (or any word of it), first name, last name or e-mail starts with the
   * prefix (folded), for user and manager pickers, ordered by folded display name then id.
   *
   * @param tenant the tenant
   * @param prefix the typed prefix
   * @param limit the most users to return
   * @return the users
   */
  List<User> suggestUsers(TenantId tenant, String prefix, int limit);
}
