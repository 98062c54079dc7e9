package dev.usermgmt.query;

import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.internal.Texts;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserId;
import dev.usermgmt.user.UserStatus;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The reference semantics of queries, evaluated over user values: what every store must return. The
 * in-memory store uses it directly; SQL stores translate the same rules.
 *
 * <ul>
 *   <li>Text compares folded (case- and accent-insensitive); ordering of text is by Unicode code
 *       point of the folded form.
 *   <li>{@code ne} and {@code not} are true for users without a value; {@code gt ge lt le co sw ew}
 *       are false for them; {@code eq null} means "no value".
 *   <li>Multi-valued attributes match when any value matches ({@code ne}: when none equals).
 *   <li>Sorting puts users without a value last ascending and first descending, then breaks ties by
 *       id.
 * </ul>
 */
public final class QueryEvaluator {
  private final PreparedQuery query;
  private final Function<UserId, List<UserId>> ancestors;
  private final Comparator<User> order;

  private QueryEvaluator(PreparedQuery query, Function<UserId, List<UserId>> ancestors) {
    this.query = query;
    this.ancestors = ancestors;
    this.order = buildOrder();
  }

  /**
   * An evaluator of a prepared query.
   *
   * @param query the query
   * @param ancestors a user's managers, nearest first (for {@code managers})
   * @return the evaluator
   */
  public static QueryEvaluator of(PreparedQuery query, Function<UserId, List<UserId>> ancestors) {
    return new QueryEvaluator(query, ancestors);
  }

  /**
   * Whether a user matches the filter and the search.
   *
   * @param u the user
   * @return true when it matches
   */
  public boolean matches(User u) {
    if (!query.searchWords().isEmpty()) {
      String text = SearchText.of(u);
      for (String w : query.searchWords()) {
        if (!text.contains(w)) {
          return false;
        }
      }
    }
    return query.condition().map(c -> test(c, u)).orElse(true);
  }

  /**
   * Whether a user comes after the page start (always, without one).
   *
   * @param u the user
   * @return true when it is after the keyset
   */
  public boolean isAfterStart(User u) {
    if (query.after().isEmpty()) {
      return true;
    }
    Keyset k = query.after().get();
    int c = compareValues(sortValues(u), k.values());
    return c > 0 || (c == 0 && u.id().compareTo(k.id()) > 0);
  }

  /**
   * The query's order: the sort keys, then id.
   *
   * @return the comparator
   */
  public Comparator<User> order() {
    return order;
  }

  /**
   * The keyset of a user: its sort values and id.
   *
   * @param u the user
   * @return the keyset
   */
  public Keyset keyset(User u) {
    return new Keyset(sortValues(u), u.id());
  }

  private List<Optional<Object>> sortValues(User u) {
    List<Optional<Object>> out = new ArrayList<>(query.sort().size());
    for (PreparedQuery.Sort s : query.sort()) {
      out.add(sortValue(s.attribute(), u));
    }
    return out;
  }

  private Comparator<User> buildOrder() {
    return (a, b) -> {
      int c = compareValues(sortValues(a), sortValues(b));
      return c != 0 ? c : a.id().compareTo(b.id());
    };
  }

  private int compareValues(List<Optional<Object>> a, List<Optional<Object>> b) {
    for (int i = 0; i < a.size(); i++) {
      int c = compareNullsGreatest(a.get(i), b.get(i));
      if (c != 0) {
        return query.sort().get(i).descending() ? -c : c;
      }
    }
    return 0;
  }

  private static int compareNullsGreatest(Optional<Object> a, Optional<Object> b) {
    if (a.isEmpty()) {
      return b.isEmpty() ? 0 : 1;
    }
    if (b.isEmpty()) {
      return -1;
    }
    return compare(a.get(), b.get());
  }

  /**
   * Compares two typed values of one attribute type: text by code point, the rest naturally.
   *
   * @param a a value
   * @param b a value of the same type
   * @return the comparison
   */
  @SuppressWarnings("unchecked")
  public static int compare(Object a, Object b) {
    if (a instanceof String s && b instanceof String t) {
      return compareCodePoints(s, t);
    }
    return ((Comparable<Object>) a).compareTo(b);
  }

  /**
   * Compares strings by Unicode code point (as UTF-8 bytes compare), not by UTF-16 unit.
   *
   * @param a a string
   * @param b a string
   * @return the comparison
   */
  public static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  // ------------------------------------------------------------------ conditions

  private boolean test(Condition c, User u) {
    if (c instanceof Condition.All all) {
      return all.conditions().stream().allMatch(x -> test(x, u));
    }
    if (c instanceof Condition.Any any) {
      return any.conditions().stream().anyMatch(x -> test(x, u));
    }
    if (c instanceof Condition.Negation n) {
      return !test(n.condition(), u);
    }
    if (c instanceof Condition.Presence p) {
      return !values(p.attribute(), u).isEmpty();
    }
    if (c instanceof Condition.Comparison cmp) {
      return compareTest(cmp, values(cmp.attribute(), u));
    }
    Condition.ContactPath path = (Condition.ContactPath) c;
    Optional<String> value =
        path.email()
            ? u.primaryEmail().map(e -> Texts.fold(e.value()))
            : u.phoneNumber().map(p -> p.e164());
    return value.isPresent() && testSub(path.condition(), value.get());
  }

  private static boolean testSub(Condition c, String value) {
    if (c instanceof Condition.All all) {
      return all.conditions().stream().allMatch(x -> testSub(x, value));
    }
    if (c instanceof Condition.Any any) {
      return any.conditions().stream().anyMatch(x -> testSub(x, value));
    }
    if (c instanceof Condition.Negation n) {
      return !testSub(n.condition(), value);
    }
    QueryAttribute a =
        c instanceof Condition.Presence p ? p.attribute() : ((Condition.Comparison) c).attribute();
    Object v =
        switch (a.name()) {
          case "type" -> "work";
          case "primary" -> true;
          default -> value;
        };
    if (c instanceof Condition.Presence) {
      return true;
    }
    return compareTest((Condition.Comparison) c, List.of(v));
  }

  private static boolean compareTest(Condition.Comparison c, List<Object> values) {
    if (c.value().isEmpty()) {
      return c.op() == Filter.Op.EQ ? values.isEmpty() : !values.isEmpty();
    }
    Object want = c.value().get();
    return switch (c.op()) {
      case EQ -> values.stream().anyMatch(v -> equal(v, want));
      case NE -> values.stream().noneMatch(v -> equal(v, want));
      case CO -> values.stream().anyMatch(v -> ((String) v).contains((String) want));
      case SW -> values.stream().anyMatch(v -> ((String) v).startsWith((String) want));
      case EW -> values.stream().anyMatch(v -> ((String) v).endsWith((String) want));
      case GT -> values.stream().anyMatch(v -> compare(v, want) > 0);
      case GE -> values.stream().anyMatch(v -> compare(v, want) >= 0);
      case LT -> values.stream().anyMatch(v -> compare(v, want) < 0);
      case LE -> values.stream().anyMatch(v -> compare(v, want) <= 0);
    };
  }

  private static boolean equal(Object v, Object want) {
    if (v instanceof BigDecimal a && want instanceof BigDecimal b) {
      return a.compareTo(b) == 0;
    }
    return v.equals(want);
  }

  // ------------------------------------------------------------------ values

  private Optional<Object> sortValue(QueryAttribute a, User u) {
    List<Object> v = values(a, u);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    Object o = v.get(0);
    return Optional.of(o instanceof UserStatus s ? (Object) s.rank() : o);
  }

  /**
   * The typed values of an attribute on a user (empty: no value): folded text, ids, role levels,
   * statuses, {@link BigDecimal} numbers, dates, instants, booleans.
   *
   * @param a the attribute
   * @param u the user
   * @return the values
   */
  public List<Object> values(QueryAttribute a, User u) {
    if (a.customKey().isPresent()) {
      AttributeValue v = u.attributes().get(a.customKey().get());
      if (v == null) {
        return List.of();
      }
      return List.of(
          switch (v.type()) {
            case TEXT -> Texts.fold(v.asText());
            case NUMBER -> v.asNumber();
            case DATE -> v.asDate();
            case BOOLEAN -> v.asBoolean();
            case USER_REF -> v.asUserRef().value();
          });
    }
    return switch (a.name()) {
      case "id" -> List.of(u.id().value());
      case "role" -> List.of(u.role().level());
      case "status" -> List.of(u.status());
      case "active" -> List.of(u.status() == UserStatus.ACTIVE);
      case "managers" -> List.copyOf(ancestors.apply(u.id()).stream().map(UserId::value).toList());
      case "updatedAt" -> List.of(u.updatedAt());
      case "neverLoggedIn" -> List.of(u.neverLoggedIn());
      case "passwordState" -> List.of(Texts.fold(u.passwordState().name()));
      case "primaryEmail" ->
          u.primaryEmail().map(e -> List.<Object>of(Texts.fold(e.value()))).orElse(List.of());
      case "phoneNumber" -> u.phoneNumber().map(p -> List.<Object>of(p.e164())).orElse(List.of());
      case "managerId" -> u.managerId().map(m -> List.<Object>of(m.value())).orElse(List.of());
      case "skillsCount" -> List.of(BigDecimal.valueOf(u.skillsCount()));
      case "emails.type" -> u.primaryEmail().isPresent() ? List.of("work") : List.of();
      case "emails.primary" -> u.primaryEmail().isPresent() ? List.of(true) : List.of();
      case "phoneNumbers.type" -> u.phoneNumber().isPresent() ? List.of("work") : List.of();
      case "phoneNumbers.primary" -> u.phoneNumber().isPresent() ? List.of(true) : List.of();
      default -> fieldValues(a, u);
    };
  }

  private static List<Object> fieldValues(QueryAttribute a, User u) {
    Optional<Object> v = a.field().orElseThrow().get(u);
    if (v.isEmpty()) {
      return List.of();
    }
    Object o = v.get();
    if (o instanceof String s) {
      return List.of(Texts.fold(s));
    }
    if (o instanceof java.util.Collection<?> col) {
      List<Object> out = new ArrayList<>();
      col.forEach(x -> out.add(Texts.fold(x.toString())));
      return out;
    }
    return List.of(o);
  }
}
