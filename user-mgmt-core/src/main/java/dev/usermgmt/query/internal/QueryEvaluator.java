package dev.usermgmt.query.internal;

import dev.usermgmt.UserId;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.internal.Texts;
import dev.usermgmt.query.Condition;
import dev.usermgmt.query.Filter;
import dev.usermgmt.query.Keyset;
import dev.usermgmt.query.PreparedQuery;
import dev.usermgmt.query.QueryAttribute;
import dev.usermgmt.query.SearchText;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserField;
import dev.usermgmt.user.UserStatus;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The reference semantics of queries, evaluated over user values: what every store must return. The
 * in-memory store uses it directly; SQL stores translate the same rules.
 *
 * <ul>
 *   <li>Text compares folded (case- and accent-insensitive); ordering of text is by Unicode code
 *       point of the folded form. E-mail addresses are the exception: they compare by their
 *       identity {@link EmailAddress#key()} (case- and width-insensitive, never accent-folded), the
 *       one key uniqueness and lookups use, so the filter never matches an address uniqueness keeps
 *       apart.
 *   <li>{@code ne} and {@code not} are true for users without a value; {@code gt ge lt le co sw ew}
 *       are false for them; {@code eq null} means "no value".
 *   <li>Multi-valued attributes match when any value matches ({@code ne}: when none equals).
 *   <li>Sorting puts users without a value last ascending and first descending, then breaks ties by
 *       id in the direction of the last sort key (ascending without one): {@code ORDER BY col DESC,
 *       id DESC}, which an index on {@code (col, id)} serves by reading it backwards on every
 *       database, where a mixed {@code col DESC, id} made MariaDB sort all the matching rows for
 *       each page.
 * </ul>
 */
public final class QueryEvaluator {
  private final PreparedQuery query;
  private final Function<UserId, List<UserId>> ancestors;
  private final Predicate<User> predicate;
  private final List<Function<User, @Nullable Object>> sortExtractors;

  private QueryEvaluator(PreparedQuery query, Function<UserId, List<UserId>> ancestors) {
    this.query = query;
    this.ancestors = ancestors;
    this.predicate = query.condition().map(this::compile).orElse(u -> true);
    List<Function<User, @Nullable Object>> extractors = new ArrayList<>();
    for (PreparedQuery.Sort s : query.sort()) {
      Function<User, @Nullable Object> ex = extractor(s.attribute());
      extractors.add(
          u -> {
            Object v = ex.apply(u);
            return v instanceof UserStatus st ? (Object) st.rank() : v;
          });
    }
    this.sortExtractors = List.copyOf(extractors);
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
    return predicate.test(u);
  }

  /**
   * Whether a keyed user comes after the page start (always, without one).
   *
   * @param u the user with its sort values
   * @return true when it is after the keyset
   */
  public boolean isAfterStart(Keyed u) {
    if (query.after().isEmpty()) {
      return true;
    }
    Keyset k = query.after().get();
    int c = compareValues(u.values(), k.values());
    return c > 0 || (c == 0 && compareIds(u.user().id(), k.id()) > 0);
  }

  /**
   * A user with its sort values computed once, for sorting many users.
   *
   * @param user the user
   * @param values its sort values
   */
  public record Keyed(User user, List<Optional<Object>> values) {}

  /**
   * A user keyed for sorting.
   *
   * @param u the user
   * @return the user with its sort values
   */
  public Keyed keyed(User u) {
    return new Keyed(u, sortValues(u));
  }

  /**
   * The query's order over keyed users.
   *
   * @return the comparator
   */
  public Comparator<Keyed> keyedOrder() {
    return (a, b) -> {
      int c = compareValues(a.values(), b.values());
      return c != 0 ? c : compareIds(a.user().id(), b.user().id());
    };
  }

  /**
   * The query's order over keysets: the order of {@link #keyedOrder()} for the users they are
   * keysets of.
   *
   * @return the comparator
   */
  public Comparator<Keyset> keysetOrder() {
    return (a, b) -> {
      int c = compareValues(a.values(), b.values());
      return c != 0 ? c : compareIds(a.id(), b.id());
    };
  }

  /** Ids in the direction of the last sort key, ascending without one. */
  private int compareIds(UserId a, UserId b) {
    int c = a.compareTo(b);
    return idsDescending(query.sort()) ? -c : c;
  }

  /**
   * Whether ties are broken by descending id: when the last sort key is descending.
   *
   * @param sort the sort keys
   * @return true for descending ids
   */
  public static boolean idsDescending(List<PreparedQuery.Sort> sort) {
    return !sort.isEmpty() && sort.get(sort.size() - 1).descending();
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
    List<Optional<Object>> out = new ArrayList<>(sortExtractors.size());
    for (Function<User, @Nullable Object> ex : sortExtractors) {
      out.add(Optional.ofNullable(ex.apply(u)));
    }
    return out;
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
   * Compares strings by Unicode code point (as UTF-8 bytes compare), not by UTF-16 unit. Unit by
   * unit, without decoding code points: up to the first unit that differs both strings hold the
   * same code points, and at that unit UTF-16 order is code point order except for surrogates (the
   * halves of a code point above U+FFFF), which order below U+E000–U+FFFF as units and above them
   * as code points; the two differing units are moved into code point order before they are
   * compared (as ICU's {@code u_strCompare} in code point order does). A string holds no lone
   * surrogate ({@link dev.usermgmt.internal.ValueDomain#characterProblem} refuses one).
   *
   * @param a a string
   * @param b a string
   * @return the comparison
   */
  public static int compareCodePoints(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char ca = a.charAt(i);
      char cb = b.charAt(i);
      if (ca != cb) {
        return Integer.compare(inCodePointOrder(ca), inCodePointOrder(cb));
      }
    }
    return Integer.compare(a.length(), b.length());
  }

  /** A UTF-16 unit moved so that units compare as the code points they begin do. */
  private static int inCodePointOrder(char c) {
    if (c < 0xD800) {
      return c;
    }
    return c >= 0xE000 ? c - 0x800 : c + 0x2000;
  }

  // ------------------------------------------------------------------ compiled conditions

  private Predicate<User> compile(Condition c) {
    if (c instanceof Condition.All all) {
      List<Predicate<User>> parts = all.conditions().stream().map(this::compile).toList();
      return u -> {
        for (Predicate<User> p : parts) {
          if (!p.test(u)) {
            return false;
          }
        }
        return true;
      };
    }
    if (c instanceof Condition.Any any) {
      List<Predicate<User>> parts = any.conditions().stream().map(this::compile).toList();
      return u -> {
        for (Predicate<User> p : parts) {
          if (p.test(u)) {
            return true;
          }
        }
        return false;
      };
    }
    if (c instanceof Condition.Negation n) {
      return compile(n.condition()).negate();
    }
    if (c instanceof Condition.Presence p) {
      Function<User, @Nullable Object> ex = extractor(p.attribute());
      return u -> present(ex.apply(u));
    }
    if (c instanceof Condition.Comparison cmp) {
      Function<User, @Nullable Object> ex = extractor(cmp.attribute());
      return u -> compareTest(cmp, ex.apply(u));
    }
    Condition.ContactPath path = (Condition.ContactPath) c;
    Predicate<String> inner = compileSub(path.condition());
    return path.email()
        ? u -> u.primaryEmail().isPresent() && inner.test(u.primaryEmail().get().key())
        : u -> u.phoneNumber().isPresent() && inner.test(u.phoneNumber().get().e164());
  }

  private static Predicate<String> compileSub(Condition c) {
    if (c instanceof Condition.All all) {
      List<Predicate<String>> parts =
          all.conditions().stream().map(QueryEvaluator::compileSub).toList();
      return v -> parts.stream().allMatch(p -> p.test(v));
    }
    if (c instanceof Condition.Any any) {
      List<Predicate<String>> parts =
          any.conditions().stream().map(QueryEvaluator::compileSub).toList();
      return v -> parts.stream().anyMatch(p -> p.test(v));
    }
    if (c instanceof Condition.Negation n) {
      return compileSub(n.condition()).negate();
    }
    if (c instanceof Condition.Presence) {
      return v -> true;
    }
    Condition.Comparison cmp = (Condition.Comparison) c;
    return switch (cmp.attribute().name()) {
      case "type" -> v -> compareTest(cmp, "work");
      case "primary" -> v -> compareTest(cmp, true);
      default -> v -> compareTest(cmp, v);
    };
  }

  private static boolean present(@Nullable Object v) {
    return v != null && !(v instanceof List<?> l && l.isEmpty());
  }

  /** {@code value} is null (no value), one value, or a list of values (multi-valued). */
  private static boolean compareTest(Condition.Comparison c, @Nullable Object value) {
    if (c.value().isEmpty()) {
      return c.op() == Filter.Op.EQ ? !present(value) : present(value);
    }
    Object want = c.value().get();
    if (value instanceof List<?> list) {
      if (c.op() == Filter.Op.NE) {
        for (Object v : list) {
          if (equal(v, want)) {
            return false;
          }
        }
        return true;
      }
      for (Object v : list) {
        if (test(c.op(), v, want)) {
          return true;
        }
      }
      return false;
    }
    if (value == null) {
      return c.op() == Filter.Op.NE;
    }
    return c.op() == Filter.Op.NE ? !equal(value, want) : test(c.op(), value, want);
  }

  private static boolean test(Filter.Op op, Object v, Object want) {
    return switch (op) {
      case EQ -> equal(v, want);
      case NE -> !equal(v, want);
      case CO -> ((String) v).contains((String) want);
      case SW -> ((String) v).startsWith((String) want);
      case EW -> ((String) v).endsWith((String) want);
      case GT -> compareValue(v, want) > 0;
      case GE -> compareValue(v, want) >= 0;
      case LT -> compareValue(v, want) < 0;
      case LE -> compareValue(v, want) <= 0;
    };
  }

  /** Compares a value with a filter's value: role levels with numbers exactly, the rest by type. */
  private static int compareValue(Object v, Object want) {
    if (v instanceof Integer level && want instanceof BigDecimal d) {
      return decimal(level).compareTo(d);
    }
    return compare(v, want);
  }

  private static boolean equal(Object v, Object want) {
    if (v instanceof BigDecimal || want instanceof BigDecimal) {
      return v instanceof Number a
          && want instanceof Number b
          && decimal(a).compareTo(decimal(b)) == 0;
    }
    return v.equals(want);
  }

  /** A role level (an int) or a number as an exact decimal. */
  private static BigDecimal decimal(Number n) {
    return n instanceof BigDecimal d ? d : BigDecimal.valueOf(n.longValue());
  }

  // ------------------------------------------------------------------ values

  /**
   * How to read an attribute from a user, decided once per query: the function returns null (no
   * value), the value, or a list (multi-valued). Values are folded text, ids, role levels,
   * statuses, {@link BigDecimal} numbers, dates, instants, booleans.
   */
  private Function<User, @Nullable Object> extractor(QueryAttribute a) {
    if (a.customKey().isPresent()) {
      String key = a.customKey().get();
      return u -> {
        AttributeValue v = u.attributes().get(key);
        if (v == null) {
          return null;
        }
        return switch (v.type()) {
          case TEXT -> Texts.fold(v.asText());
          case NUMBER -> v.asNumber();
          case DATE -> v.asDate();
          case BOOLEAN -> v.asBoolean();
          case USER_REF -> v.asUserRef().value();
        };
      };
    }
    return switch (a.name()) {
      case "id" -> u -> u.id().value();
      case "role" -> u -> u.role().level();
      case "status" -> User::status;
      case "active" -> u -> u.status() == UserStatus.ACTIVE;
      case "managers" -> u -> ancestors.apply(u.id()).stream().map(UserId::value).toList();
      case "updatedAt" -> User::updatedAt;
      case "createdAt" -> User::createdAt;
      case "neverLoggedIn" -> User::neverLoggedIn;
      case "passwordState" -> u -> Texts.fold(u.passwordState().name());
      case "primaryEmail" -> u -> u.primaryEmail().map(EmailAddress::key).orElse(null);
      case "phoneNumber" -> u -> u.phoneNumber().map(p -> p.e164()).orElse(null);
      case "managerId" -> u -> u.managerId().map(UserId::value).orElse(null);
      case "skillsCount" -> u -> BigDecimal.valueOf(u.skillsCount());
      case "emails.type" -> u -> u.primaryEmail().isPresent() ? "work" : null;
      case "emails.primary" -> u -> u.primaryEmail().isPresent() ? Boolean.TRUE : null;
      case "phoneNumbers.type" -> u -> u.phoneNumber().isPresent() ? "work" : null;
      case "phoneNumbers.primary" -> u -> u.phoneNumber().isPresent() ? Boolean.TRUE : null;
      default -> fieldExtractor(a.field().orElseThrow());
    };
  }

  private static Function<User, @Nullable Object> fieldExtractor(UserField field) {
    return u -> {
      Optional<Object> v = field.get(u);
      if (v.isEmpty()) {
        return null;
      }
      Object o = v.get();
      if (o instanceof String s) {
        return Texts.fold(s);
      }
      if (o instanceof java.util.Collection<?> col) {
        List<Object> out = new ArrayList<>(col.size());
        col.forEach(x -> out.add(Texts.fold(x.toString())));
        return out;
      }
      return o;
    };
  }
}
