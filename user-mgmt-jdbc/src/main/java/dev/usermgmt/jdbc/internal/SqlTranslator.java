package dev.usermgmt.jdbc.internal;

import dev.usermgmt.TenantId;
import dev.usermgmt.internal.ValueDomain;
import dev.usermgmt.jdbc.dialect.Dialect;
import dev.usermgmt.query.Condition;
import dev.usermgmt.query.Filter;
import dev.usermgmt.query.Keyset;
import dev.usermgmt.query.PreparedQuery;
import dev.usermgmt.query.QueryAttribute;
import dev.usermgmt.query.internal.QueryEvaluator;
import dev.usermgmt.user.UserStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Translates a {@link PreparedQuery} into one parameterised SELECT over the store's tables, with
 * the semantics of the reference evaluator: every predicate is written so that it is never SQL NULL
 * (so {@code not} and {@code ne} match users without a value), text compares the folded {@code
 * *_key} columns byte-wise, {@code managers} walks the hierarchy with a recursive CTE, custom
 * attributes join their value rows, and keyset pages compare (keys…, id) with the position: a
 * row-value comparison on PostgreSQL where it is exact, otherwise expanded for the order's
 * nullness. Columns come from a fixed whitelist; nothing from a request is concatenated.
 */
public final class SqlTranslator {
  private static final Map<String, String> COLUMNS = new LinkedHashMap<>();

  static {
    COLUMNS.put("id", "u.id");
    COLUMNS.put("displayName", "u.display_key");
    COLUMNS.put("firstName", "u.first_key");
    COLUMNS.put("lastName", "u.last_key");
    COLUMNS.put("username", "u.username_key");
    COLUMNS.put("primaryEmail", "u.email_key");
    COLUMNS.put("phoneNumber", "u.phone");
    COLUMNS.put("emails.type", "(CASE WHEN u.email_key IS NOT NULL THEN 'work' END)");
    COLUMNS.put("emails.primary", "(CASE WHEN u.email_key IS NOT NULL THEN TRUE END)");
    COLUMNS.put("phoneNumbers.type", "(CASE WHEN u.phone IS NOT NULL THEN 'work' END)");
    COLUMNS.put("phoneNumbers.primary", "(CASE WHEN u.phone IS NOT NULL THEN TRUE END)");
    COLUMNS.put("role", "u.role_level");
    COLUMNS.put("status", "u.status");
    COLUMNS.put("active", "(u.status = 'ACTIVE')");
    COLUMNS.put("jobTitle", "u.job_title_key");
    COLUMNS.put("position", "u.job_position_key");
    COLUMNS.put("department", "u.department_key");
    COLUMNS.put("company", "u.company_key");
    COLUMNS.put("location", "u.location_key");
    COLUMNS.put("office", "u.office_key");
    COLUMNS.put("userType", "u.user_type_key");
    COLUMNS.put("employeeId", "u.employee_id_key");
    COLUMNS.put("language", "u.language_key");
    COLUMNS.put("passwordState", "u.password_state_key");
    COLUMNS.put("managerId", "u.manager_id");
    COLUMNS.put("hireDate", "u.hire_date");
    COLUMNS.put("lastActivityAt", "u.last_activity_at");
    COLUMNS.put("lastLoginAt", "u.last_login_at");
    COLUMNS.put("deactivatedAt", "u.deactivated_at");
    COLUMNS.put("invitedAt", "u.invited_at");
    COLUMNS.put("createdAt", "u.created_at");
    COLUMNS.put("updatedAt", "u.updated_at");
    COLUMNS.put("skillsCount", "u.skills_count");
    COLUMNS.put("neverLoggedIn", "(u.last_login_at IS NULL)");
    COLUMNS.put("takingABreak", "u.taking_a_break");
    COLUMNS.put("lockedOut", "u.locked_out");
    COLUMNS.put("mfaRequired", "u.mfa_required");
  }

  /** Sort columns declared {@code NOT NULL}: every user has a value in them. */
  private static final Set<String> NOT_NULL =
      Set.of(
          "u.id",
          "u.display_key",
          "u.role_level",
          "u.status_rank",
          "u.password_state_key",
          "u.created_at",
          "u.updated_at",
          "u.skills_count",
          "u.taking_a_break",
          "u.locked_out",
          "u.mfa_required");

  /**
   * Empties H2's sets of ids ({@code um_filter_ids}, a temporary table of the connection): run it
   * after the statements of a query whose {@link Sql#before} made them.
   */
  public static final String CLEAR_ID_SETS = "DELETE FROM um_filter_ids";

  /** The ids below a manager (tenant, manager, tenant), as {@code sub(id)}. */
  private static final String WALK_DOWN =
      "WITH RECURSIVE sub(id) AS (SELECT d.id FROM um_users d WHERE d.tenant_id = ? AND"
          + " d.manager_id = ? UNION SELECT c.id FROM um_users c JOIN sub ON c.manager_id = sub.id"
          + " WHERE c.tenant_id = ?)";

  private final TenantId tenant;
  private final Dialect dialect;
  private final List<Sql> before = new ArrayList<>();
  private int idSets;

  /**
   * The {@code managers eq} comparisons every match must pass (the filter itself, or a term of its
   * top-level {@code and}): on H2 they join the set of ids, so the page is read from the set, by
   * primary key, rather than by testing every user of the tenant against it.
   */
  private final Set<Condition> joinedSets = Collections.newSetFromMap(new IdentityHashMap<>(4));

  private final List<Object> params = new ArrayList<>();
  private final Map<String, String> joins = new LinkedHashMap<>();
  private final Map<String, String> aliases = new LinkedHashMap<>();
  private final List<Object> joinParams = new ArrayList<>();

  private SqlTranslator(TenantId tenant, Dialect dialect) {
    this.tenant = tenant;
    this.dialect = dialect;
  }

  /**
   * The page queries: {@code id, version, doc} of the matching users after the keyset, in order.
   * The page is the concatenation of what the statements return, in the order given, cut at the
   * page size; a later statement is needed only while the page is not full. Every statement is a
   * plain {@code SELECT … ORDER BY … LIMIT ?}: none puts a {@code LIMIT} inside a {@code UNION}, a
   * form whose result H2 2.3 caches with the first limit it saw.
   *
   * @param q the prepared query
   * @param tenant the tenant
   * @param dialect the database: PostgreSQL and H2 order with {@code NULLS FIRST / LAST}, which
   *     lets an index on the sort column serve the order; MariaDB and MySQL get a {@code CASE} on
   *     nullness first. On H2 the order also starts with the (constant) tenant_id: H2 serves an
   *     ORDER BY from an index only when it is a prefix of the index, and every index leads with
   *     tenant_id; without it H2 read and sorted every later row for each page. MariaDB must not
   *     get it: with the driver's connection collation it then sorts instead of reading the key in
   *     order.
   * @return the statements, one or two
   */
  public static List<Sql> select(PreparedQuery q, TenantId tenant, Dialect dialect) {
    if (q.sort().size() == 1
        && (dialect != Dialect.POSTGRESQL || pastNullableKeyInTwoParts(q, tenant, dialect))) {
      return selectSplitByNullness(q, tenant, dialect);
    }
    boolean nullsClause = dialect != Dialect.MARIADB;
    SqlTranslator t = new SqlTranslator(tenant, dialect);
    String where = t.where(q, true);
    StringBuilder order = new StringBuilder(dialect == Dialect.H2 ? "u.tenant_id, " : "");
    for (PreparedQuery.Sort s : q.sort()) {
      String col = t.sortColumn(s.attribute());
      String dir = s.descending() ? " DESC" : "";
      if (nullsClause) {
        // users without a value sort last ascending and first descending
        order.append(col).append(dir).append(s.descending() ? " NULLS FIRST, " : " NULLS LAST, ");
      } else {
        order.append("CASE WHEN ").append(col).append(" IS NULL THEN 1 ELSE 0 END").append(dir);
        order.append(", ").append(col).append(dir).append(", ");
      }
    }
    order.append(QueryEvaluator.idsDescending(q.sort()) ? "u.id DESC" : "u.id");
    String sql =
        "SELECT u.id, u.version, u.doc FROM um_users u"
            + String.join("", t.joins.values())
            + " WHERE "
            + where
            + " ORDER BY "
            + order
            + " LIMIT ?";
    List<Object> all = new ArrayList<>(t.joinParams);
    all.addAll(t.params);
    all.add(q.limit());
    return List.of(inKeyForm(dialect.sortingWholeKeys(sql), all, t.before, dialect));
  }

  /**
   * H2, MariaDB and MySQL keep NULL as the smallest value in their indexes, the opposite of the
   * query's order (users without a value last ascending, first descending); MariaDB also has no
   * {@code NULLS FIRST / LAST}, and the {@code CASE} on nullness standing in for it keeps it from
   * reading any index in order. Either way every page sorted all the matching rows (seconds a page
   * over a million users). With one sort key the page is instead two index-ordered reads, each at
   * most a page long: ascending the users with a value (by value, then id) and then those without
   * one (by id); descending the other way round. A part wholly before the keyset is left out.
   * PostgreSQL, whose indexes order as the query does, takes this form only past a keyset whose
   * later users are two ranges of the index (see {@link #pastNullableKeyInTwoParts}).
   */
  private static List<Sql> selectSplitByNullness(
      PreparedQuery q, TenantId tenant, Dialect dialect) {
    PreparedQuery.Sort sort = q.sort().get(0);
    String dir = sort.descending() ? " DESC" : "";
    // H2 reads an index in order only for an ORDER BY that is a prefix of it
    // (in the sort's direction: the tenant is the same in every row)
    String lead = dialect == Dialect.H2 ? "u.tenant_id" + dir + ", " : "";
    List<Sql> parts = new ArrayList<>(2);
    for (boolean withValue : sort.descending() ? List.of(false, true) : List.of(true, false)) {
      branch(q, tenant, withValue, lead, dir, dialect).ifPresent(parts::add);
    }
    return parts;
  }

  /**
   * Whether a PostgreSQL page by one sort key is read in two parts: past a keyset, on a column some
   * users have no value in, where the users after the position are not one range of the column's
   * index in the query's order. PostgreSQL orders as its indexes do (no value last ascending, first
   * descending), so a page is one statement except where the position's users after it include both
   * kinds: ascending at a value (the later values, then every user without one) and descending at
   * no value (the later users without one, then every value). As one statement, the condition has
   * an {@code OR} of a range and {@code IS NULL}, and the planner either filtered the index from
   * the tenant's first user or gathered and sorted every user after the position, whichever its
   * statistics favoured.
   */
  private static boolean pastNullableKeyInTwoParts(
      PreparedQuery q, TenantId tenant, Dialect dialect) {
    if (q.after().isEmpty()) {
      return false;
    }
    PreparedQuery.Sort s = q.sort().get(0);
    boolean atValue = q.after().get().values().get(0).isPresent();
    return atValue != s.descending()
        && !NOT_NULL.contains(new SqlTranslator(tenant, dialect).sortColumn(s.attribute()));
  }

  /**
   * One part of {@link #selectSplitByNullness}: the users with a value (sorted by it then id) or
   * without one (by id), at most a page; empty when the keyset is past every user of the part.
   */
  private static Optional<Sql> branch(
      PreparedQuery q,
      TenantId tenant,
      boolean withValue,
      String lead,
      String dir,
      Dialect dialect) {
    PreparedQuery.Sort sort = q.sort().get(0);
    SqlTranslator t = new SqlTranslator(tenant, dialect);
    String col = t.sortColumn(sort.attribute());
    String where = t.where(q, false);
    if (q.after().isPresent()) {
      Keyset k = q.after().get();
      boolean atValue = k.values().get(0).isPresent();
      if (withValue == atValue) {
        // the part holding the position: its users after it
        where += " AND " + (withValue ? t.afterWithin(sort, col, k) : t.afterId(List.of(sort), k));
      } else if (atValue == sort.descending()) {
        // the part is wholly before the position: ascending at no value, the users with one;
        // descending at a value, those without one (the other way round the part is wholly
        // after it, read from its start)
        return Optional.empty();
      }
    }
    String sql =
        "SELECT u.id, u.version, u.doc FROM um_users u"
            + String.join("", t.joins.values())
            + " WHERE "
            + where
            + " AND "
            + col
            + (withValue ? " IS NOT NULL" : " IS NULL")
            + " ORDER BY "
            + lead
            // the users without a value by id: on H2 and PostgreSQL ordered by the (constant)
            // column too, which makes the order a prefix of the column's index; MariaDB then
            // sorts, and reads the index in order without it
            + (withValue || dialect != Dialect.MARIADB ? col + dir + ", " : "")
            + "u.id"
            + dir
            + " LIMIT ?";
    List<Object> params = new ArrayList<>(t.joinParams);
    params.addAll(t.params);
    params.add(q.limit());
    return Optional.of(inKeyForm(dialect.sortingWholeKeys(sql), params, t.before, dialect));
  }

  /**
   * The count of matching users (keyset and limit ignored).
   *
   * @param q the prepared query
   * @param tenant the tenant
   * @param dialect the database
   * @return the statement
   */
  public static Sql count(PreparedQuery q, TenantId tenant, Dialect dialect) {
    SqlTranslator t = new SqlTranslator(tenant, dialect);
    String where = t.where(q, false);
    List<Object> all = new ArrayList<>(t.joinParams);
    all.addAll(t.params);
    return inKeyForm(
        "SELECT COUNT(*) FROM um_users u" + String.join("", t.joins.values()) + " WHERE " + where,
        all,
        t.before,
        dialect);
  }

  /**
   * A statement whose text parameters are in the dialect's key form ({@link Dialect#storedKey}), as
   * the key columns they are compared with are stored; ids, tenants and the other ASCII parameters
   * are the same in that form.
   */
  private static Sql inKeyForm(String sql, List<Object> params, List<Sql> before, Dialect dialect) {
    List<Object> out = new ArrayList<>(params.size());
    for (Object p : params) {
      out.add(p instanceof String s ? dialect.storedKey(s) : p);
    }
    List<Sql> first = new ArrayList<>(before.size());
    for (Sql b : before) {
      first.add(inKeyForm(b.text(), b.params(), List.of(), dialect));
    }
    return new Sql(sql, out, first);
  }

  private String where(PreparedQuery q, boolean keyset) {
    StringBuilder w = new StringBuilder("u.tenant_id = ?");
    params.add(tenant.value());
    for (String word : q.searchWords()) {
      w.append(" AND u.search_text LIKE ? ESCAPE '!'");
      params.add("%" + escapeLike(word) + "%");
    }
    if (q.condition().isPresent()) {
      Condition c = q.condition().get();
      if (dialect == Dialect.H2) {
        for (Condition term : c instanceof Condition.All all ? all.conditions() : List.of(c)) {
          if (term instanceof Condition.Comparison cmp
              && cmp.attribute().name().equals("managers")
              && cmp.op() == Filter.Op.EQ
              && cmp.value().isPresent()) {
            joinedSets.add(cmp);
          }
        }
      }
      w.append(" AND ").append(condition(c));
    }
    if (keyset && q.after().isPresent()) {
      w.append(" AND ").append(after(q.sort(), q.after().get()));
    } else if (keyset && dialect == Dialect.H2 && q.sort().isEmpty()) {
      // the first page in id order: a bound every id meets (ids are never empty), without which
      // H2 2.3 read the tenant by its e-mail index and sorted it whole (seconds at 100,000 users)
      // instead of reading the primary key in order as it does for the pages after
      w.append(" AND u.id > ?");
      params.add("");
    }
    return w.toString();
  }

  // ------------------------------------------------------------------ conditions

  private String condition(Condition c) {
    if (c instanceof Condition.All all) {
      return join(all.conditions(), " AND ");
    }
    if (c instanceof Condition.Any any) {
      return join(any.conditions(), " OR ");
    }
    if (c instanceof Condition.Negation n) {
      return "NOT (" + condition(n.condition()) + ")";
    }
    if (c instanceof Condition.Presence p) {
      return presence(p.attribute());
    }
    if (c instanceof Condition.Comparison cmp) {
      return comparison(cmp);
    }
    Condition.ContactPath path = (Condition.ContactPath) c;
    String value = path.email() ? "u.email_key" : "u.phone";
    return "(" + value + " IS NOT NULL AND " + sub(path.condition(), value) + ")";
  }

  private String join(List<Condition> parts, String op) {
    List<String> sql = new ArrayList<>();
    for (Condition p : parts) {
      sql.add(condition(p));
    }
    return "(" + String.join(op, sql) + ")";
  }

  private String sub(Condition c, String value) {
    if (c instanceof Condition.All all) {
      List<String> s = new ArrayList<>();
      all.conditions().forEach(x -> s.add(sub(x, value)));
      return "(" + String.join(" AND ", s) + ")";
    }
    if (c instanceof Condition.Any any) {
      List<String> s = new ArrayList<>();
      any.conditions().forEach(x -> s.add(sub(x, value)));
      return "(" + String.join(" OR ", s) + ")";
    }
    if (c instanceof Condition.Negation n) {
      return "NOT (" + sub(n.condition(), value) + ")";
    }
    if (c instanceof Condition.Presence) {
      return "1=1";
    }
    Condition.Comparison cmp = (Condition.Comparison) c;
    return switch (cmp.attribute().name()) {
      case "type" -> "(" + compareSingle("'work'", cmp) + ")";
      case "primary" -> "(" + compareSingle("TRUE", cmp) + ")";
      default -> compareSingle(value, cmp);
    };
  }

  private String presence(QueryAttribute a) {
    return switch (a.name()) {
      case "managers" -> "u.manager_id IS NOT NULL";
      case "modules", "groups" -> "EXISTS (" + valuesQuery(a.name()) + ")";
      default -> column(a) + " IS NOT NULL";
    };
  }

  private String valuesQuery(String kind) {
    params.add(kind);
    return "SELECT 1 FROM um_user_values v WHERE v.tenant_id = u.tenant_id AND v.user_id = u.id AND"
        + " v.kind = ?";
  }

  private String comparison(Condition.Comparison c) {
    QueryAttribute a = c.attribute();
    if (a.name().equals("managers")) {
      if (c.value().isEmpty()) {
        return c.op() == Filter.Op.EQ ? "u.manager_id IS NULL" : "u.manager_id IS NOT NULL";
      }
      if (joinedSets.contains(c)) {
        int set = idSet((String) c.value().get());
        joins.put(
            "\u0000set" + set,
            " JOIN um_filter_ids f" + set + " ON f" + set + ".q = ? AND f" + set + ".id = u.id");
        joinParams.add(set);
        return "TRUE";
      }
      String in = "u.id IN (" + descendants((String) c.value().get()) + ")";
      return c.op() == Filter.Op.NE ? "NOT (" + in + ")" : in;
    }
    if (a.multiValued()) {
      if (c.value().isEmpty()) {
        String exists = "EXISTS (" + valuesQuery(a.name()) + ")";
        return c.op() == Filter.Op.EQ ? "NOT " + exists : exists;
      }
      if (c.op() == Filter.Op.NE) {
        String q = valuesQuery(a.name()) + " AND v.val_key = ?";
        params.add(c.value().get());
        return "NOT EXISTS (" + q + ")";
      }
      String q = valuesQuery(a.name()) + " AND " + compareSingle("v.val_key", c);
      return "EXISTS (" + q + ")";
    }
    return compareSingle(column(a), c);
  }

  /** A predicate over one value that is TRUE or FALSE, never NULL. */
  private String compareSingle(String col, Condition.Comparison c) {
    if (c.value().isEmpty()) {
      return col + (c.op() == Filter.Op.EQ ? " IS NULL" : " IS NOT NULL");
    }
    Object v = c.value().get();
    if (v instanceof UserStatus s) {
      v = s.name();
    }
    String op;
    switch (c.op()) {
      case NE -> {
        params.add(param(v));
        return "(" + col + " IS NULL OR " + col + " <> ?)";
      }
      case CO -> {
        params.add("%" + escapeLike((String) v) + "%");
        return "(" + col + " IS NOT NULL AND " + col + " LIKE ? ESCAPE '!')";
      }
      case SW -> {
        PrefixMatch m = startsWith(dialect, col, (String) v);
        params.addAll(m.params());
        return "(" + col + " IS NOT NULL AND " + m.sql() + ")";
      }
      case EW -> {
        params.add("%" + escapeLike((String) v));
        return "(" + col + " IS NOT NULL AND " + col + " LIKE ? ESCAPE '!')";
      }
      case EQ -> op = "=";
      case GT -> op = ">";
      case GE -> op = ">=";
      case LT -> op = "<";
      default -> op = "<=";
    }
    params.add(param(v));
    return "(" + col + " IS NOT NULL AND " + col + " " + op + " ?)";
  }

  /**
   * The ids of everyone below a manager. On PostgreSQL and MariaDB a recursive query the planner
   * runs once; H2 runs a recursive query in a condition again for every row it tests (100 s for a
   * page over 20,000 users), so there the ids are first written to a set, a temporary table keyed
   * by id that the condition reads by index ({@link Sql#before}, emptied by {@link
   * #CLEAR_ID_SETS}).
   */
  private String descendants(String manager) {
    if (dialect == Dialect.H2) {
      params.add(idSet(manager));
      return "SELECT f.id FROM um_filter_ids f WHERE f.q = ?";
    }
    params.add(tenant.value());
    params.add(manager);
    params.add(tenant.value());
    return WALK_DOWN + " SELECT id FROM sub";
  }

  /** Writes the ids below a manager to a new set first (H2); returns the set's number. */
  private int idSet(String manager) {
    int set = ++idSets;
    if (before.isEmpty()) {
      before.add(
          new Sql(
              "CREATE LOCAL TEMPORARY TABLE IF NOT EXISTS um_filter_ids (q INT NOT NULL,"
                  + " id VARCHAR(64) NOT NULL, PRIMARY KEY (q, id)) TRANSACTIONAL",
              List.of()));
    }
    before.add(new Sql("DELETE FROM um_filter_ids WHERE q = ?", List.of(set)));
    before.add(
        new Sql(
            "INSERT INTO um_filter_ids (q, id) " + WALK_DOWN + " SELECT ?, id FROM sub",
            List.of(tenant.value(), manager, tenant.value(), set)));
    return set;
  }

  private String column(QueryAttribute a) {
    if (a.customKey().isPresent()) {
      String alias = attributeJoin(a.customKey().get());
      return alias
          + "."
          + switch (a.type()) {
            case TEXT -> "text_key";
            case NUMBER -> "num_value";
            case DATE -> "date_value";
            case BOOLEAN -> "bool_value";
            default -> "ref_value";
          };
    }
    String col = COLUMNS.get(a.name());
    if (col == null) {
      throw new IllegalArgumentException("no column for " + a.name());
    }
    return col;
  }

  private String sortColumn(QueryAttribute a) {
    return a.name().equals("status") ? "u.status_rank" : column(a);
  }

  private String attributeJoin(String key) {
    String known = aliases.get(key);
    if (known != null) {
      return known;
    }
    String alias = "a" + aliases.size();
    aliases.put(key, alias);
    joins.put(
        key,
        " LEFT JOIN um_user_attributes "
            + alias
            + " ON "
            + alias
            + ".tenant_id = u.tenant_id AND "
            + alias
            + ".user_id = u.id AND "
            + alias
            + ".attr_key = ?");
    joinParams.add(key);
    return alias;
  }

  // ------------------------------------------------------------------ keyset

  /**
   * Users strictly after the keyset in (keys…, id) order, nulls greatest: on PostgreSQL a row-value
   * comparison where it is exact (see {@link #rowComparison}), otherwise expanded by hand because
   * row-value comparison does not know nulls.
   */
  private String after(List<PreparedQuery.Sort> sort, Keyset k) {
    Optional<String> row = rowComparison(sort, k, Set.of());
    if (row.isPresent()) {
      return row.get();
    }
    if (!sort.isEmpty() && k.values().get(0).isPresent()) {
      // a bound implied by the expansion below, written so an index on the first key can start
      // the scan at the page's position instead of filtering from the first row
      PreparedQuery.Sort s = sort.get(0);
      String col = sortColumn(s.attribute());
      params.add(param(k.values().get(0).get()));
      String bound = s.descending() ? col + " <= ?" : "(" + col + " >= ? OR " + col + " IS NULL)";
      return bound + " AND " + after(sort, k, 0);
    }
    return after(sort, k, 0);
  }

  /**
   * Users of one part of a page split by nullness, all with a value in the sort column, strictly
   * after a keyset at a value.
   */
  private String afterWithin(PreparedQuery.Sort sort, String col, Keyset k) {
    return rowComparison(List.of(sort), k, Set.of(col)).orElseGet(() -> after(List.of(sort), k));
  }

  /**
   * On PostgreSQL, users strictly after the keyset as one row-value comparison, {@code (keys…, id)
   * < (…)} or {@code >}: a condition PostgreSQL uses as one range of an index on {@code (tenant_id,
   * keys…, id)}, read in order (PostgreSQL 15 documentation, 11.3 and 9.24.5), where the expanded
   * {@code OR} form left the planner to filter or sort, as its statistics made it choose. It is
   * exact only when every key runs in one direction, the keyset has a value for each, and, for an
   * ascending order, no key column may lack a value: a comparison reaching a missing value is
   * unknown, which leaves the user out, as a descending order (no value first) must and an
   * ascending one (no value last) must not.
   *
   * @param nonNull sort columns known to hold a value in every user the statement reads
   */
  private Optional<String> rowComparison(
      List<PreparedQuery.Sort> sort, Keyset k, Set<String> nonNull) {
    if (dialect != Dialect.POSTGRESQL || sort.isEmpty()) {
      return Optional.empty();
    }
    boolean descending = sort.get(0).descending();
    List<String> cols = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < sort.size(); i++) {
      PreparedQuery.Sort s = sort.get(i);
      String col = sortColumn(s.attribute());
      Optional<Object> v = k.values().get(i);
      if (s.descending() != descending
          || v.isEmpty()
          || (!descending && !NOT_NULL.contains(col) && !nonNull.contains(col))) {
        return Optional.empty();
      }
      cols.add(col);
      values.add(param(v.get()));
    }
    params.addAll(values);
    params.add(k.id().value());
    return Optional.of(
        "("
            + String.join(", ", cols)
            + ", u.id) "
            + (descending ? "<" : ">")
            + " ("
            + "?, ".repeat(cols.size())
            + "?)");
  }

  /** Users strictly after the keyset's id, in the last key's direction. */
  private String afterId(List<PreparedQuery.Sort> sort, Keyset k) {
    params.add(k.id().value());
    return QueryEvaluator.idsDescending(sort) ? "u.id < ?" : "u.id > ?";
  }

  private String after(List<PreparedQuery.Sort> sort, Keyset k, int i) {
    if (i == sort.size()) {
      return afterId(sort, k);
    }
    PreparedQuery.Sort s = sort.get(i);
    String col = sortColumn(s.attribute());
    Optional<Object> v = k.values().get(i);
    if (v.isEmpty()) {
      // position is at "no value"
      String rest = after(sort, k, i + 1);
      return s.descending()
          ? "(" + col + " IS NOT NULL OR (" + col + " IS NULL AND " + rest + "))"
          : "(" + col + " IS NULL AND " + rest + ")";
    }
    Object p = param(v.get());
    String cmp = s.descending() ? "<" : ">";
    params.add(p);
    String beyond =
        s.descending()
            ? "(" + col + " IS NOT NULL AND " + col + " " + cmp + " ?)"
            : "(" + col + " IS NULL OR " + col + " " + cmp + " ?)";
    params.add(p);
    String rest = after(sort, k, i + 1);
    return "(" + beyond + " OR (" + col + " = ? AND " + rest + "))";
  }

  // ------------------------------------------------------------------ values

  private static Object param(Object v) {
    if (v instanceof Instant t) {
      // a filter may name a time beyond what a column holds (its years run 0001 to 9999):
      // it compares as the nearest end of the column's range, which no stored time passes
      try {
        return Times.nanos(t);
      } catch (ArithmeticException e) {
        return t.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
      }
    }
    return v;
  }

  /**
   * A condition that a key column starts with a prefix, and the parameters it takes, in order (each
   * still to be put in the dialect's key form, {@link Dialect#storedKey}).
   *
   * @param sql the condition
   * @param params its parameters
   */
  public record PrefixMatch(String sql, List<String> params) {}

  /**
   * The condition that a key column starts with a prefix. PostgreSQL and H2 take {@code LIKE 'p%'}
   * and read it as the index range of the keys starting with {@code p}. MariaDB 10.11 ends that
   * range at {@code p} followed by U+FFFF, so under the keys' code point order ({@code
   * utf8mb4_nopad_bin}) a key whose character after {@code p} is supplementary (an emoji) was not
   * found: there the condition is the range itself, from {@code p} up to the least string greater
   * than every string starting with {@code p} ({@link #pastPrefix}), which is exactly the keys
   * starting with {@code p}.
   *
   * @param dialect the database
   * @param column the key column
   * @param prefix the folded prefix
   * @return the condition
   */
  public static PrefixMatch startsWith(Dialect dialect, String column, String prefix) {
    if (ValueDomain.characterProblem(prefix).isPresent()) {
      // no stored key holds a lone surrogate or a control character, and a driver would send
      // something else in its place (a lone surrogate as '?')
      return new PrefixMatch("1 = 0", List.of());
    }
    if (dialect != Dialect.MARIADB || !COLUMN.matcher(column).matches()) {
      // the range is for a column's index; a text compared in the query (an e-mail's type) takes
      // the connection's collation, which pads, where LIKE compares character by character
      return new PrefixMatch(column + " LIKE ? ESCAPE '!'", List.of(escapeLike(prefix) + "%"));
    }
    return pastPrefix(prefix)
        .map(
            end ->
                new PrefixMatch(
                    "(" + column + " >= ? AND " + column + " < ?)", List.of(prefix, end)))
        .orElseGet(() -> new PrefixMatch(column + " >= ?", List.of(prefix)));
  }

  /** A column of a table, as opposed to an expression. */
  private static final java.util.regex.Pattern COLUMN =
      java.util.regex.Pattern.compile("(?:[a-z]+\\.)?[a-z_]+");

  /**
   * The least string, in code point order, greater than every string starting with a prefix: the
   * prefix without its trailing U+10FFFF, its last code point then the next one (past the
   * surrogates, which no string holds); empty when the prefix is all U+10FFFF (nothing is greater).
   *
   * @param prefix a prefix
   * @return the bound
   */
  static Optional<String> pastPrefix(String prefix) {
    int[] cps = prefix.codePoints().toArray();
    for (int i = cps.length - 1; i >= 0; i--) {
      if (cps[i] < Character.MAX_CODE_POINT) {
        int next = cps[i] + 1;
        if (next >= Character.MIN_SURROGATE && next <= Character.MAX_SURROGATE) {
          next = Character.MAX_SURROGATE + 1;
        }
        return Optional.of(new String(cps, 0, i) + Character.toString(next));
      }
    }
    return Optional.empty();
  }

  /**
   * Escapes {@code ! % _} for {@code LIKE … ESCAPE '!'}.
   *
   * @param s text
   * @return the escaped text
   */
  public static String escapeLike(String s) {
    return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
  }
}
