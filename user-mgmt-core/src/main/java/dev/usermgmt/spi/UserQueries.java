package dev.usermgmt.spi;

import dev.usermgmt.TenantId;
import dev.usermgmt.query.PreparedQuery;
import dev.usermgmt.query.QueryAttribute;
import dev.usermgmt.query.internal.QueryEvaluator;
import dev.usermgmt.user.User;
import java.util.List;

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
