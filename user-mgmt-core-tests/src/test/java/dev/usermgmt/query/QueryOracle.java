package dev.usermgmt.query;

import dev.usermgmt.UserId;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.testkit.DomainGenerators;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserStatus;
import java.math.BigDecimal;
import java.text.Normalizer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A brute-force oracle of the query semantics, written from the documentation and independent of
 * the library's evaluator: a filter over the attributes {@link DomainGenerators#filters} uses, and
 * a sort over {@link DomainGenerators#SORT_ATTRIBUTES}.
 */
final class QueryOracle {
  private final Map<UserId, User> all;

  QueryOracle(Map<UserId, User> all) {
    this.all = all;
  }

  static String fold(String s) {
    return Normalizer.normalize(s, Normalizer.Form.NFKD)
        .replaceAll("\\p{Mn}", "")
        .toLowerCase(Locale.ROOT);
  }

  List<UserId> expected(Optional<String> search, Optional<Filter> filter, List<SortKey> sort) {
    List<User> out = new ArrayList<>();
    for (User u : all.values()) {
      if (search.map(s -> searchMatches(s, u)).orElse(true)
          && filter.map(f -> matches(f, u)).orElse(true)) {
        out.add(u);
      }
    }
    out.sort(order(sort));
    return out.stream().map(User::id).toList();
  }

  private static boolean searchMatches(String search, User u) {
    String text =
        String.join(
            " ",
            fold(u.displayName()),
            u.firstName().map(QueryOracle::fold).orElse(""),
            u.lastName().map(QueryOracle::fold).orElse(""),
            u.primaryEmail().map(e -> fold(e.value())).orElse(""),
            u.username().map(QueryOracle::fold).orElse(""),
            u.employeeId().map(QueryOracle::fold).orElse(""),
            u.jobTitle().map(QueryOracle::fold).orElse(""));
    for (String w : fold(search).trim().split("\\s+")) {
      if (!w.isEmpty() && !text.contains(w)) {
        return false;
      }
    }
    return true;
  }

  boolean matches(Filter f, User u) {
    if (f instanceof Filter.And a) {
      return matches(a.left(), u) && matches(a.right(), u);
    }
    if (f instanceof Filter.Or o) {
      return matches(o.left(), u) || matches(o.right(), u);
    }
    if (f instanceof Filter.Not n) {
      return !matches(n.filter(), u);
    }
    if (f instanceof Filter.Present p) {
      return !values(p.attribute(), u).isEmpty();
    }
    Filter.Compare c = (Filter.Compare) f;
    List<Object> vals = values(c.attribute(), u);
    if (c.value().kind() == Filter.Literal.Kind.NULL) {
      return c.op() == Filter.Op.EQ ? vals.isEmpty() : !vals.isEmpty();
    }
    Object want = literal(c.attribute(), c.value());
    switch (c.op()) {
      case NE:
        return vals.stream().noneMatch(v -> cmp(v, want) == 0);
      case EQ:
        return vals.stream().anyMatch(v -> cmp(v, want) == 0);
      case CO:
        return vals.stream().anyMatch(v -> ((String) v).contains((String) want));
      case SW:
        return vals.stream().anyMatch(v -> ((String) v).startsWith((String) want));
      case EW:
        return vals.stream().anyMatch(v -> ((String) v).endsWith((String) want));
      case GT:
        return vals.stream().anyMatch(v -> cmp(v, want) > 0);
      case GE:
        return vals.stream().anyMatch(v -> cmp(v, want) >= 0);
      case LT:
        return vals.stream().anyMatch(v -> cmp(v, want) < 0);
      default:
        return vals.stream().anyMatch(v -> cmp(v, want) <= 0);
    }
  }

  @SuppressWarnings("unchecked")
  private static int cmp(Object a, Object b) {
    if (a instanceof String s && b instanceof String t) {
      return Arrays.compare(s.codePoints().toArray(), t.codePoints().toArray());
    }
    if (a instanceof UserStatus s && b instanceof UserStatus t) {
      return s == t ? 0 : 1;
    }
    return ((Comparable<Object>) a).compareTo(b);
  }

  private static Object literal(String attribute, Filter.Literal lit) {
    String t = lit.text();
    return switch (attribute) {
      case "permission" ->
          lit.kind() == Filter.Literal.Kind.NUMBER
              ? Integer.parseInt(t)
              : RoleCatalog.defaultCatalog().parse(t).level();
      case "status" -> UserStatus.fromWord(t).orElseThrow();
      case "skills", "attributes.level" -> new BigDecimal(t);
      case "hireDate" -> LocalDate.parse(t);
      case "lastActivity" -> Instant.parse(t);
      case "neverLoggedIn", "active" -> Boolean.parseBoolean(t);
      case "managers", "managerId" -> t;
      default -> fold(t);
    };
  }

  private List<Object> values(String attribute, User u) {
    return switch (attribute) {
      case "department" -> opt(u.department().map(QueryOracle::fold));
      case "company" -> opt(u.company().map(QueryOracle::fold));
      case "location" -> opt(u.location().map(QueryOracle::fold));
      case "employeeId" -> opt(u.employeeId().map(QueryOracle::fold));
      case "displayName" -> List.of(fold(u.displayName()));
      case "permission" -> List.of(u.role().level());
      case "status" -> List.of(u.status());
      case "skills" -> List.of(BigDecimal.valueOf(u.skillsCount()));
      case "hireDate" -> opt(u.hireDate());
      case "lastActivity" -> opt(u.lastActivityAt());
      case "modules" -> new ArrayList<>(u.modules().stream().map(QueryOracle::fold).toList());
      case "managers" -> new ArrayList<>(ancestors(u));
      case "managerId" -> opt(u.managerId().map(UserId::value));
      case "attributes.level" ->
          opt(Optional.ofNullable(u.attributes().get("level")).map(AttributeValue::asNumber));
      case "neverLoggedIn" -> List.of(u.lastLoginAt().isEmpty());
      case "active" -> List.of(u.status() == UserStatus.ACTIVE);
      default -> throw new IllegalArgumentException(attribute);
    };
  }

  private List<Object> ancestors(User u) {
    List<Object> out = new ArrayList<>();
    Set<UserId> seen = new HashSet<>(List.of(u.id()));
    Optional<UserId> m = u.managerId();
    while (m.isPresent() && seen.add(m.get())) {
      out.add(m.get().value());
      User next = all.get(m.get());
      m = next == null ? Optional.empty() : next.managerId();
    }
    return out;
  }

  private static List<Object> opt(Optional<?> o) {
    return o.isPresent() ? List.of(o.get()) : List.of();
  }

  Comparator<User> order(List<SortKey> sort) {
    Comparator<User> c = (a, b) -> 0;
    for (SortKey k : sort) {
      Comparator<User> key =
          (a, b) -> {
            Object x = sortValue(k.attribute(), a);
            Object y = sortValue(k.attribute(), b);
            int r;
            if (x == null || y == null) {
              r = x == null ? (y == null ? 0 : 1) : -1;
            } else {
              r = cmp(x, y);
            }
            return k.descending() ? -r : r;
          };
      c = c.thenComparing(key);
    }
    // ties: id in the direction of the last sort key
    boolean descending = !sort.isEmpty() && sort.get(sort.size() - 1).descending();
    return c.thenComparing(
        descending ? Comparator.comparing(User::id).reversed() : Comparator.comparing(User::id));
  }

  private static @org.jspecify.annotations.Nullable Object sortValue(String attribute, User u) {
    return switch (attribute) {
      case "permission" -> u.role().level();
      case "lastActivity" -> u.lastActivityAt().orElse(null);
      case "skills" -> BigDecimal.valueOf(u.skillsCount());
      case "status" -> u.status().rank();
      case "department" -> u.department().map(QueryOracle::fold).orElse(null);
      case "company" -> u.company().map(QueryOracle::fold).orElse(null);
      case "location" -> u.location().map(QueryOracle::fold).orElse(null);
      case "employeeId" -> u.employeeId().map(QueryOracle::fold).orElse(null);
      case "name" -> fold(u.displayName());
      case "email" -> u.primaryEmail().map(e -> fold(e.value())).orElse(null);
      case "hireDate" -> u.hireDate().orElse(null);
      case "attributes.level" ->
          Optional.ofNullable(u.attributes().get("level"))
              .map(AttributeValue::asNumber)
              .orElse(null);
      default -> throw new IllegalArgumentException(attribute);
    };
  }
}
