package dev.usermgmt.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import dev.usermgmt.TenantId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.internal.Texts;
import dev.usermgmt.internal.ValueDomain;
import dev.usermgmt.jdbc.dialect.Dialect;
import dev.usermgmt.memory.InMemoryStores;
import dev.usermgmt.query.Filter;
import dev.usermgmt.query.Page;
import dev.usermgmt.query.SortKey;
import dev.usermgmt.query.UserQuery;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.Fixtures;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/**
 * The one value model, differentially: random users whose values sit at the documented bounds of
 * their domains (text of 500 and custom text of 2,000 units sharing long prefixes, mixed case,
 * accents, CJK, supplementary characters, ligatures, tabs and line feeds; exact decimals of 35
 * integer and 30 fraction digits; dates in years 1 and 9999; instants at 1678 and 2261; missing
 * values), random filters and sorts (several keys, both directions) and page sizes 1 to 50. On
 * every store (in memory, H2, PostgreSQL, MariaDB) the pages walked by cursor, one large page,
 * {@code walk} and the total give exactly the ids an oracle written here gives, in its order:
 * matching and ordering by the code points of the folded text, nulls last ascending and first
 * descending, ties by id in the direction of the last key.
 */
final class ValueModelProperties {
  private static final RoleCatalog ROLES = RoleCatalog.defaultCatalog();
  private static final byte[] KEY =
      "value-model-cursor-key-0123456789".getBytes(StandardCharsets.UTF_8);
  private static final AttributeDefinition NOTE =
      AttributeDefinition.builder().key("note").label("Note").type(AttributeType.TEXT).build();
  private static final AttributeDefinition AMOUNT =
      AttributeDefinition.builder()
          .key("amount")
          .label("Amount")
          .type(AttributeType.NUMBER)
          .build();
  private static final AttributeDefinition SINCE =
      AttributeDefinition.builder().key("since").label("Since").type(AttributeType.DATE).build();

  /** Short texts: case, accents, padding, controls, CJK, supplementary characters, ligatures. */
  static final List<String> TEXTS =
      List.of(
          "Sales",
          "sales",
          "SALES",
          "Sales Team",
          "Smith",
          "Smith\nJr",
          "Smith\tJr",
          "Smith Jr",
          "Émile",
          "emile",
          "Ångström",
          "東京",
          "東京都",
          "\uD835\uDC9Clpha", // MATHEMATICAL SCRIPT CAPITAL A, supplementary
          "\uD83D\uDE00 smile",
          "\uFFFD",
          "\uE000 private",
          "\uFB01le", // the fi ligature: folds to "file"
          "file",
          "Zoë",
          "zoe",
          "a");

  /** Text fields at their bound: 500 units, sharing a 498-unit prefix. */
  static final List<String> LONG_TEXTS =
      List.of(
          "x".repeat(499) + "y",
          "x".repeat(500),
          "x".repeat(498) + "\uD83D\uDE00",
          "x".repeat(498) + "\uFFFD",
          "X".repeat(499) + "z");

  /**
   * Custom texts at their bound: 2,000 units, equal in their first 1,998 (past max_sort_length).
   */
  static final List<String> LONG_NOTES =
      List.of(
          "n".repeat(1999) + "a",
          "n".repeat(1999) + "b",
          "n".repeat(2000),
          "n".repeat(1998) + "\uD83D\uDE00",
          "N".repeat(1998) + "\uE000a");

  static final List<BigDecimal> NUMBERS =
      List.of(
          new BigDecimal("0.30000000000000004"),
          new BigDecimal("0.3"),
          new BigDecimal("0.30000000000000005"),
          new BigDecimal("-0.30000000000000004"),
          new BigDecimal("9".repeat(35) + "." + "9".repeat(30)),
          new BigDecimal("-" + "9".repeat(35) + "." + "9".repeat(30)),
          new BigDecimal("0." + "0".repeat(29) + "1"),
          new BigDecimal("12345678901234567890123456789012345"),
          BigDecimal.ZERO,
          new BigDecimal("1.5"));

  static final List<LocalDate> DATES =
      List.of(
          ValueDomain.MIN_DATE,
          ValueDomain.MAX_DATE,
          LocalDate.of(1677, 9, 21),
          LocalDate.of(2262, 4, 12),
          LocalDate.of(2026, 1, 1));

  static final List<Instant> INSTANTS =
      List.of(
          ValueDomain.MIN_INSTANT,
          ValueDomain.MAX_INSTANT,
          Instant.EPOCH,
          Instant.parse("2026-01-01T00:00:00.000000001Z"));

  private static final List<String> SORTABLE =
      List.of(
          "department",
          "lastName",
          "jobTitle",
          "attributes.note",
          "attributes.amount",
          "attributes.since",
          "hireDate",
          "lastActivityAt");

  // ------------------------------------------------------------------ generators

  private static <T> Gen<@Nullable T> maybe(Gen<T> g) {
    return Generate.booleans().zip(g, (absent, v) -> absent ? null : v);
  }

  private static Gen<User> user(int n) {
    Gen<String> text = Generate.pick(TEXTS);
    Gen<String> anyText = Generate.oneOf(text, text, Generate.pick(LONG_TEXTS));
    Gen<String> note = Generate.oneOf(text, Generate.pick(LONG_NOTES));
    return maybe(anyText)
        .zip(
            maybe(anyText),
            maybe(text),
            maybe(note),
            (dept, last, title, noteText) -> {
              User.Builder b =
                  Fixtures.user(TenantId.of("gen"), String.format(Locale.ROOT, "v%03d", n))
                      .toBuilder()
                      .primaryEmail(EmailAddress.parse("v" + n + "@example.com"))
                      .version(1);
              if (dept != null) {
                b.department(dept);
              }
              if (last != null) {
                b.lastName(last);
              }
              if (title != null) {
                b.jobTitle(title);
              }
              if (noteText != null) {
                b.putAttributes("note", AttributeValue.text(noteText));
              }
              return b.build();
            })
        .zip(
            maybe(Generate.pick(NUMBERS)),
            maybe(Generate.pick(DATES)),
            maybe(Generate.pick(INSTANTS)),
            (u, amount, date, instant) -> {
              User.Builder b = u.toBuilder();
              if (amount != null) {
                b.putAttributes("amount", AttributeValue.number(amount));
              }
              if (date != null) {
                b.putAttributes("since", AttributeValue.date(date));
                b.hireDate(date);
              }
              if (instant != null) {
                b.lastActivityAt(instant);
              }
              return b.build();
            });
  }

  private static Gen<List<User>> population() {
    return SourceDSL.integers()
        .between(0, 30)
        .flatMap(
            size -> {
              Gen<List<User>> all = Generate.constant(List.of());
              for (int i = 0; i < size; i++) {
                Gen<User> one = user(i);
                all =
                    all.zip(
                        one,
                        (list, u) -> {
                          List<User> out = new ArrayList<>(list);
                          out.add(u);
                          return out;
                        });
              }
              return all;
            });
  }

  private static Gen<Filter.Literal> literal(String attribute) {
    return switch (attribute) {
      case "attributes.amount" ->
          Generate.pick(NUMBERS).map(n -> Filter.Literal.number(n.toPlainString()));
      case "attributes.since", "hireDate" ->
          Generate.pick(DATES).map(d -> Filter.Literal.string(d.toString()));
      case "lastActivityAt" ->
          Generate.pick(INSTANTS).map(t -> Filter.Literal.string(t.toString()));
      default ->
          Generate.oneOf(
                  Generate.pick(TEXTS),
                  Generate.pick(
                      List.of("sales ", "smith", "SMITH\nJR", "x".repeat(498), "n".repeat(1999))),
                  Generate.pick(attribute.equals("attributes.note") ? LONG_NOTES : LONG_TEXTS))
              .map(Filter.Literal::string);
    };
  }

  private static Gen<Filter> atom() {
    return Generate.pick(SORTABLE)
        .flatMap(
            a -> {
              boolean text =
                  a.equals("department")
                      || a.equals("lastName")
                      || a.equals("jobTitle")
                      || a.equals("attributes.note");
              List<Filter.Op> ops =
                  text
                      ? List.of(Filter.Op.values())
                      : List.of(
                          Filter.Op.EQ,
                          Filter.Op.NE,
                          Filter.Op.GT,
                          Filter.Op.GE,
                          Filter.Op.LT,
                          Filter.Op.LE);
              return Generate.pick(ops)
                  .zip(literal(a), (op, lit) -> (Filter) new Filter.Compare(a, op, lit));
            });
  }

  private static Gen<Optional<Filter>> filters() {
    Gen<Filter> atom = atom();
    return Generate.frequency(
        List.of(
            org.quicktheories.api.Pair.of(1, Generate.constant(Optional.<Filter>empty())),
            org.quicktheories.api.Pair.of(3, atom.map(Optional::of)),
            org.quicktheories.api.Pair.of(
                1, atom.zip(atom, (l, r) -> Optional.<Filter>of(new Filter.Or(l, r))))));
  }

  private static Gen<List<SortKey>> sorts() {
    return SourceDSL.lists()
        .of(Generate.pick(SORTABLE).zip(Generate.booleans(), SortKey::new))
        .ofSizeBetween(1, 3);
  }

  // ------------------------------------------------------------------ the oracle

  /** The value a query compares for an attribute: folded text, a number, a date, an instant. */
  private static @Nullable Comparable<?> value(User u, String attribute) {
    return switch (attribute) {
      case "department" -> u.department().map(Texts::fold).orElse(null);
      case "lastName" -> u.lastName().map(Texts::fold).orElse(null);
      case "jobTitle" -> u.jobTitle().map(Texts::fold).orElse(null);
      case "attributes.note" ->
          Optional.ofNullable(u.attributes().get("note"))
              .map(v -> Texts.fold(v.asText()))
              .orElse(null);
      case "attributes.amount" ->
          Optional.ofNullable(u.attributes().get("amount"))
              .map(AttributeValue::asNumber)
              .orElse(null);
      case "attributes.since" ->
          Optional.ofNullable(u.attributes().get("since")).map(AttributeValue::asDate).orElse(null);
      case "hireDate" -> u.hireDate().orElse(null);
      case "lastActivityAt" -> u.lastActivityAt().orElse(null);
      default -> throw new IllegalArgumentException(attribute);
    };
  }

  /** Code point order, written out (not the store's helper). */
  @SuppressWarnings("unchecked")
  private static int compare(Comparable<?> a, Comparable<?> b) {
    if (a instanceof String s && b instanceof String t) {
      int[] x = s.codePoints().toArray();
      int[] y = t.codePoints().toArray();
      return java.util.Arrays.compare(x, y);
    }
    return ((Comparable<Object>) a).compareTo(b);
  }

  private static Comparable<?> literalValue(String attribute, Filter.Literal lit) {
    return switch (attribute) {
      case "attributes.amount" -> new BigDecimal(lit.text());
      case "attributes.since", "hireDate" -> LocalDate.parse(lit.text());
      case "lastActivityAt" -> Instant.parse(lit.text());
      default -> Texts.fold(lit.text());
    };
  }

  private static Predicate<User> matches(Filter f) {
    if (f instanceof Filter.Or or) {
      return matches(or.left()).or(matches(or.right()));
    }
    Filter.Compare c = (Filter.Compare) f;
    Comparable<?> want = literalValue(c.attribute(), c.value());
    return u -> {
      Comparable<?> v = value(u, c.attribute());
      if (v == null) {
        return c.op() == Filter.Op.NE;
      }
      int cmp = compare(v, want);
      return switch (c.op()) {
        case EQ -> cmp == 0;
        case NE -> cmp != 0;
        case CO -> ((String) v).contains((String) want);
        case SW -> ((String) v).startsWith((String) want);
        case EW -> ((String) v).endsWith((String) want);
        case GT -> cmp > 0;
        case GE -> cmp >= 0;
        case LT -> cmp < 0;
        case LE -> cmp <= 0;
      };
    };
  }

  private static Comparator<User> order(List<SortKey> sort) {
    Comparator<User> c = (a, b) -> 0;
    for (SortKey k : sort) {
      Comparator<User> one =
          (a, b) -> {
            Comparable<?> x = value(a, k.attribute());
            Comparable<?> y = value(b, k.attribute());
            if (x == null || y == null) {
              return x == null ? (y == null ? 0 : 1) : -1; // nulls greatest
            }
            return compare(x, y);
          };
      c = c.thenComparing(k.descending() ? one.reversed() : one);
    }
    Comparator<User> ids = Comparator.comparing(u -> u.id().value());
    boolean down = sort.get(sort.size() - 1).descending();
    return c.thenComparing(down ? ids.reversed() : ids);
  }

  static List<String> oracle(List<User> users, Optional<Filter> filter, List<SortKey> sort) {
    return users.stream()
        .filter(filter.map(ValueModelProperties::matches).orElse(u -> true))
        .sorted(order(sort))
        .map(u -> u.id().value())
        .toList();
  }

  // ------------------------------------------------------------------ the property

  private static UserQuery.Builder filtered(String filter) {
    return UserQuery.builder()
        .filter(
            dev.usermgmt.query.FilterParser.parse(
                filter, dev.usermgmt.attribute.AttributeSchema.empty()));
  }

  private static List<String> walkByCursor(UserDirectory d, Actor a, UserQuery q) {
    List<String> out = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    int pages = 0;
    do {
      Page<User> p = d.search(a, q.atCursor(cursor));
      p.items().forEach(u -> out.add(u.id().value()));
      cursor = p.nextCursor();
      assertThat(++pages).as("pages of %s", q.toQueryString()).isLessThan(100);
    } while (cursor.isPresent());
    return out;
  }

  /**
   * Keys whose character after a prefix is supplementary (an emoji) start with that prefix in every
   * way a prefix is asked: a starts-with filter (at the text's bound too, the case the property
   * below found on MariaDB, whose {@code LIKE 'p%'} range ended at U+FFFF), the values suggested
   * for a column and the users suggested for a name.
   */
  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aPrefixFindsTheKeysWhoseNextCharacterIsSupplementary(Dialect dialect) {
    Stores sql = Databases.stores(dialect);
    TenantId t = Fixtures.freshTenant();
    String smile = "\uD83D\uDE00";
    List<String> departments = List.of("Sales", "ab" + smile, "x".repeat(498) + smile);
    List<User> users = new ArrayList<>();
    for (int n = 0; n < departments.size(); n++) {
      User.Builder b =
          Fixtures.user(t, String.format(Locale.ROOT, "v%03d", n)).toBuilder()
              .primaryEmail(EmailAddress.parse("v" + n + "@example.com"))
              .department(departments.get(n))
              .version(1);
      if (n == 1) {
        b.firstName("Zo" + smile + "e");
      }
      users.add(b.build());
    }
    sql.users().insert(t, users);
    UserDirectory d = UserDirectory.builder().stores(sql).signingKey(KEY).build();
    Actor admin = Actor.builder().tenant(t).role(ROLES.parse("support")).build();
    for (int pageSize : new int[] {1, 50}) {
      for (String prefix : List.of("x".repeat(498), "ab", "AB")) {
        UserQuery q =
            filtered("department sw \"" + prefix + "\"")
                .sort(List.of(SortKey.parse("department")))
                .pageSize(pageSize)
                .build();
        assertThat(walkByCursor(d, admin, q))
            .as("%s, department sw %s, page size %d", dialect, prefix, pageSize)
            .containsExactly(prefix.startsWith("x") ? "v002" : "v001");
      }
    }
    assertThat(d.distinctValues(admin, "department", "ab", 5))
        .as("%s, suggested departments", dialect)
        .containsExactly("ab" + smile);
    assertThat(d.suggestUsers(admin, "zo", 7).stream().map(u -> u.id().value()).toList())
        .as("%s, suggested users", dialect)
        .containsExactly("v001");
    // a prefix compared with a text of the query, not a column: no padding there either
    for (String prefix : List.of("wo", "work", "work ")) {
      UserQuery q = filtered("emails[type sw \"" + prefix + "\"]").build();
      assertThat(walkByCursor(d, admin, q))
          .as("%s, emails[type sw \"%s\"]", dialect, prefix)
          .hasSize(prefix.endsWith(" ") ? 0 : 3);
    }
    // half an emoji starts no stored text; a driver would send it as '?'
    for (Runnable ask :
        List.<Runnable>of(
            () -> d.distinctValues(admin, "department", "ab\uD83D", 5),
            () -> d.suggestUsers(admin, "zo\uD83D", 7))) {
      assertThatThrownBy(ask::run)
          .isInstanceOfSatisfying(
              dev.usermgmt.InvalidInputException.class,
              e ->
                  assertThat(e.problems())
                      .anySatisfy(
                          p -> {
                            assertThat(p.code()).isEqualTo(dev.usermgmt.ErrorCode.INVALID_QUERY);
                            assertThat(p.field()).contains("prefix");
                          }));
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void everyStoreAnswersAsTheOracleOverValuesAtTheirBounds(Dialect dialect) {
    Stores sql = Databases.stores(dialect);
    qt().withExamples(30)
        .forAll(population(), filters(), sorts(), SourceDSL.integers().between(1, 50))
        .checkAssert(
            (users, filter, sort, pageSize) -> {
              TenantId t = Fixtures.freshTenant();
              List<User> mine = users.stream().map(u -> u.toBuilder().tenant(t).build()).toList();
              List<String> expected = oracle(mine, filter, sort);
              Stores memory = InMemoryStores.create();
              for (Stores s : List.of(memory, sql)) {
                s.attributes().put(t, Optional.empty(), NOTE);
                s.attributes().put(t, Optional.empty(), AMOUNT);
                s.attributes().put(t, Optional.empty(), SINCE);
                s.users().insert(t, mine);
                UserDirectory d = UserDirectory.builder().stores(s).signingKey(KEY).build();
                Actor admin = Actor.builder().tenant(t).role(ROLES.parse("support")).build();
                UserQuery q =
                    UserQuery.builder()
                        .filter(filter)
                        .sort(sort)
                        .pageSize(pageSize)
                        .includeTotal(true)
                        .build();
                String store = s == memory ? "memory" : dialect.name();
                assertThat(walkByCursor(d, admin, q))
                    .as("%s, cursor walk of %s", store, q.toQueryString())
                    .isEqualTo(expected);
                Page<User> all = d.search(admin, UserQuery.builder().from(q).pageSize(200).build());
                assertThat(all.items().stream().map(u -> u.id().value()).toList())
                    .as("%s, one page of %s", store, q.toQueryString())
                    .isEqualTo(expected);
                assertThat(all.total()).as("%s, total", store).hasValue(expected.size());
                List<String> walked = new ArrayList<>();
                d.walk(admin, q, page -> page.forEach(u -> walked.add(u.id().value())));
                assertThat(walked)
                    .as("%s, walk of %s", store, q.toQueryString())
                    .isEqualTo(expected);
                for (User u : mine) {
                  assertThat(s.users().get(t, u.id()))
                      .as("%s returns %s unchanged", store, u.id())
                      .contains(u);
                }
              }
            });
  }
}
