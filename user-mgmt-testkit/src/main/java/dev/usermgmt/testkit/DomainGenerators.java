package dev.usermgmt.testkit;

import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.query.Filter;
import dev.usermgmt.query.SortKey;
import dev.usermgmt.query.UserQuery;
import dev.usermgmt.role.Role;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.PasswordState;
import dev.usermgmt.user.PhoneNumber;
import dev.usermgmt.user.Transition;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserField;
import dev.usermgmt.user.UserStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * QuickTheories generators of domain values, for the library's own properties and for hosts that
 * test code built on it. Every generator is deterministic for a given seed.
 */
public final class DomainGenerators {
  private static final String LOCAL_CHARS =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  private static final String LOCAL_SPECIALS = "!#$%&'*+-/=?^_`{|}~";
  private static final List<String> TLDS = List.of("com", "org", "io", "co.uk", "de", "example");

  /** Departments used by {@link #users}; few, so that filters match several users. */
  public static final List<String> DEPARTMENTS =
      List.of("Sales", "Engineering", "Support", "Finance", "Légal", "People Ops");

  /** Companies used by {@link #users}. */
  public static final List<String> COMPANIES = List.of("Acme", "Globex", "Initech");

  /** Locations used by {@link #users}. */
  public static final List<String> LOCATIONS = List.of("London", "Berlin", "São Paulo", "Austin");

  /** Modules used by {@link #users}. */
  public static final List<String> MODULES = List.of("LMS", "LXP", "DEVELOPMENT", "360 FEEDBACK");

  private static final List<PhoneCase> PHONE_CASES = phoneCases();
  private static final List<PasswordState> PASSWORD_STATES =
      List.of(
          PasswordState.NONE, PasswordState.PENDING, PasswordState.ACTIVE, PasswordState.EXPIRED);

  private DomainGenerators() {}

  /**
   * Valid e-mail addresses as typed: random letter case anywhere, sometimes surrounding spaces,
   * sometimes specials or dots in the local part.
   *
   * @return the generator of address texts
   */
  public static Gen<String> emailTexts() {
    Gen<String> atom = chars(LOCAL_CHARS, 1, 8);
    Gen<String> special = chars(LOCAL_CHARS + LOCAL_SPECIALS, 1, 4);
    Gen<String> local =
        Generate.oneOf(
            atom, atom.zip(atom, (a, b) -> a + "." + b), atom.zip(special, (a, b) -> a + b));
    Gen<String> label =
        chars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 1, 10);
    Gen<String> domain = label.zip(Generate.pick(TLDS), (l, t) -> l + "." + t);
    Gen<String> pad = Generate.pick(List.of("", "", "", " ", "\t", "\u00a0"));
    return local.zip(domain, pad, (l, d, p) -> p + l + "@" + d + p);
  }

  /**
   * Valid addresses.
   *
   * @return the generator
   */
  public static Gen<EmailAddress> emails() {
    return emailTexts().map(EmailAddress::parse);
  }

  /**
   * Any text at all that bulk files might hold in an e-mail column: valid addresses, near misses
   * and noise.
   *
   * @return the generator of texts
   */
  public static Gen<String> emailLikeTexts() {
    Gen<String> noise = strings().ascii().ofLengthBetween(0, 20);
    Gen<String> nearMiss =
        emailTexts()
            .zip(
                Generate.pick(List.of("@", ".", " ", "..", "@@", "-")),
                integers().between(0, 30),
                (e, junk, at) -> {
                  int i = Math.min(at, e.length());
                  return e.substring(0, i) + junk + e.substring(i);
                });
    return Generate.frequency(
        List.of(
            org.quicktheories.api.Pair.of(5, emailTexts()),
            org.quicktheories.api.Pair.of(3, nearMiss),
            org.quicktheories.api.Pair.of(2, noise)));
  }

  /**
   * Texts built from pieces that make look-alike addresses: case, width, accent, decomposition,
   * compatibility and confusable variants of a few letters (full-width, NFD {@code e}+U+0301, the
   * dotless {@code ı}, the Kelvin sign, {@code ß} and {@code ss}, the {@code ﬀ} ligature, Cyrillic
   * and Greek look-alikes, {@code 1} and {@code l}), invisible characters (soft hyphen, LRM,
   * U+2063, CGJ, a variation selector) and domains in several forms; so two of them are often the
   * same identity, often confusable, and often not addresses at all.
   *
   * @return the generator of texts
   */
  public static Gen<String> lookAlikeEmailTexts() {
    List<String> pieces =
        List.of(
            "a", "A", "\uFF41", "\u0430", "d", "\uFF44", "m", "M", "rn", "i", "I", "\u0131",
            "\u0130", "n", "e", "\u00E9", "e\u0301", "\u00C9", "k", "\u212A", "s", "ss", "\u00DF",
            "f", "ff", "\uFB00", "o", "\u03BF", "0", "l", "1", "\u00AD", "\u200E", "\u2063",
            "\u034F", "\uFE0F", ".", "+");
    Gen<String> local =
        lists().of(Generate.pick(pieces)).ofSizeBetween(1, 5).map(l -> String.join("", l));
    Gen<String> domain =
        Generate.pick(
            List.of(
                "example.com",
                "EXAMPLE.com",
                "\uFF45xample.com",
                "ex\u00E1mple.com",
                "exa\u0301mple.com",
                "ex\u0430mple.com",
                "\u0435\u0445\u0430\u043C\u0440\u04CF\u0435.com"));
    return local.zip(domain, (l, d) -> l + "@" + d);
  }

  /**
   * Copies of a text with the letter case of each character flipped at random.
   *
   * @param text the text
   * @return the generator of case variants
   */
  public static Gen<String> caseVariants(String text) {
    return lists()
        .of(Generate.booleans())
        .ofSize(text.length())
        .map(
            flips -> {
              StringBuilder b = new StringBuilder(text.length());
              for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                b.append(
                    flips.get(i)
                        ? (Character.isUpperCase(c)
                            ? Character.toLowerCase(c)
                            : Character.toUpperCase(c))
                        : c);
              }
              return b.toString();
            });
  }

  /**
   * A valid phone number as people write it, with the region to read it in: E.164, international,
   * national and RFC 3966 forms of libphonenumber's example numbers.
   *
   * @return the generator of (text, region) pairs
   */
  public static Gen<PhoneText> phoneTexts() {
    return Generate.pick(PHONE_CASES)
        .zip(
            Generate.enumValues(PhoneNumberUtil.PhoneNumberFormat.class),
            (c, f) -> new PhoneText(PhoneNumberUtil.getInstance().format(c.number, f), c.region));
  }

  /**
   * A phone number as written, and the region it is to be read in.
   *
   * @param text the number as written
   * @param region the ISO 3166 region for numbers without a country code
   */
  public record PhoneText(String text, String region) {}

  private record PhoneCase(String region, Phonenumber.PhoneNumber number) {}

  private static List<PhoneCase> phoneCases() {
    PhoneNumberUtil util = PhoneNumberUtil.getInstance();
    List<PhoneCase> out = new ArrayList<>();
    for (String region : new java.util.TreeSet<>(util.getSupportedRegions())) {
      for (PhoneNumberUtil.PhoneNumberType t :
          List.of(
              PhoneNumberUtil.PhoneNumberType.MOBILE, PhoneNumberUtil.PhoneNumberType.FIXED_LINE)) {
        Phonenumber.PhoneNumber n = util.getExampleNumberForType(region, t);
        if (n != null && util.isValidNumber(n)) {
          out.add(new PhoneCase(region, n));
        }
      }
    }
    return List.copyOf(out);
  }

  /**
   * Valid phone numbers.
   *
   * @return the generator
   */
  public static Gen<PhoneNumber> phones() {
    return phoneTexts().map(p -> PhoneNumber.parse(p.text(), p.region()));
  }

  /**
   * Lifecycle statuses.
   *
   * @return the generator
   */
  public static Gen<UserStatus> statuses() {
    return Generate.enumValues(UserStatus.class);
  }

  /**
   * Lifecycle transitions.
   *
   * @return the generator
   */
  public static Gen<Transition> transitions() {
    return Generate.enumValues(Transition.class);
  }

  /**
   * Sequences of transitions.
   *
   * @param maxLength the longest sequence
   * @return the generator
   */
  public static Gen<List<Transition>> transitionSequences(int maxLength) {
    return lists().of(transitions()).ofSizeBetween(0, maxLength);
  }

  /**
   * Roles of a catalog.
   *
   * @param catalog the catalog
   * @return the generator
   */
  public static Gen<Role> roles(RoleCatalog catalog) {
    return Generate.pick(catalog.roles());
  }

  /**
   * Role catalogs with random keys and distinct random levels (3 to 12 roles), the blocked role
   * highest.
   *
   * @return the generator
   */
  public static Gen<RoleCatalog> roleCatalogs() {
    return lists()
        .of(integers().between(-1000, 1000))
        .ofSizeBetween(3, 12)
        .map(
            levels -> {
              java.util.TreeSet<Integer> distinct = new java.util.TreeSet<>(levels);
              RoleCatalog.Builder b = RoleCatalog.builder();
              int i = 0;
              for (int level : distinct) {
                b.role("r" + i, "Role " + i, level);
                i++;
              }
              b.role("blocked", "Blocked", distinct.last() + 1000);
              return b.defaultRole("r0").adminRole("r" + (i - 1)).blockedRole("blocked").build();
            });
  }

  /**
   * Custom attribute values of a type.
   *
   * @param type the type
   * @return the generator
   */
  public static Gen<AttributeValue> attributeValues(AttributeType type) {
    return switch (type) {
      case TEXT -> strings().basicLatinAlphabet().ofLengthBetween(1, 12).map(AttributeValue::text);
      case NUMBER ->
          integers()
              .between(-100_000, 100_000)
              .zip(integers().between(0, 3), (n, scale) -> BigDecimal.valueOf(n, scale))
              .map(AttributeValue::number);
      case DATE ->
          integers()
              .between(0, 20_000)
              .map(d -> AttributeValue.date(LocalDate.of(1980, 1, 1).plusDays(d)));
      case BOOLEAN -> Generate.booleans().map(AttributeValue::bool);
      case USER_REF ->
          integers().between(0, 999).map(i -> AttributeValue.userRef(UserId.of("u" + i)));
    };
  }

  /**
   * Users of a tenant with ids {@code u0..u(n-1)} style random ids, realistic field spreads (few
   * departments, some empty fields, random statuses, managers among the ids {@code u0..u49} for
   * users from {@code u50} on).
   *
   * @param tenant the tenant
   * @param catalog the role catalog
   * @return the generator
   */
  public static Gen<User> users(TenantId tenant, RoleCatalog catalog) {
    Gen<Integer> idNum = integers().between(0, 100_000);
    Gen<String> first =
        Generate.pick(List.of("Alex", "Sam", "Jordan", "Zoë", "Émile", "Kim", "Lee"));
    Gen<String> last =
        Generate.pick(List.of("Doe", "Lee", "Smith", "Ångström", "O'Neil", "Nguyen"));
    return idNum.zip(
        first,
        last,
        statuses(),
        (n, f, l, status) -> {
          User.Builder b =
              User.builder()
                  .id(UserId.of("u" + n))
                  .tenant(tenant)
                  .firstName(f)
                  .lastName(l)
                  .primaryEmail(
                      EmailAddress.parse(
                          f.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "x")
                              + "."
                              + n
                              + "@example.com"))
                  .role(catalog.roles().get(n % (catalog.roles().size() - 1)))
                  .status(status)
                  .createdAt(Instant.ofEpochSecond(1_600_000_000L + n))
                  .updatedAt(Instant.ofEpochSecond(1_600_000_000L + n));
          if (n % 3 != 0) {
            b.department(DEPARTMENTS.get(n % DEPARTMENTS.size()));
          }
          if (n % 4 != 0) {
            b.company(COMPANIES.get(n % COMPANIES.size()));
          }
          if (n % 5 != 0) {
            b.location(LOCATIONS.get(n % LOCATIONS.size()));
          }
          if (n % 2 == 0) {
            b.employeeId(String.format(Locale.ROOT, "%06d", n));
          }
          if (n % 7 != 0) {
            b.lastActivityAt(Instant.ofEpochSecond(1_700_000_000L + (long) n * 997));
            b.lastLoginAt(Instant.ofEpochSecond(1_700_000_000L + (long) n * 991));
          }
          if (n % 6 == 1 && n >= 50) {
            b.managerId(UserId.of("u" + (n % 50)));
          }
          b.hireDate(LocalDate.of(2000, 1, 1).plusDays(n % 9000));
          b.skillsCount(n % 13);
          b.addModules(MODULES.get(n % MODULES.size()));
          b.passwordState(PASSWORD_STATES.get(n % PASSWORD_STATES.size()));
          Map<String, AttributeValue> attrs = new TreeMap<>();
          if (n % 2 == 1) {
            attrs.put("level", AttributeValue.number(n % 10));
          }
          b.attributes(attrs);
          return b.build();
        });
  }

  // ------------------------------------------------------------------ queries

  private record AttrGen(String path, List<String> ops, Gen<Filter.Literal> literal) {}

  private static final List<AttrGen> FILTER_ATTRIBUTES = filterAttributes();

  private static List<AttrGen> filterAttributes() {
    List<String> text = List.of("eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le");
    List<String> ordered = List.of("eq", "ne", "gt", "ge", "lt", "le");
    List<String> equality = List.of("eq", "ne");
    List<String> multi = List.of("eq", "ne", "co", "sw", "ew");
    Gen<String> deptText =
        Generate.pick(DEPARTMENTS)
            .zip(
                integers().between(0, 3),
                integers().between(0, 8),
                (d, mode, cut) ->
                    switch (mode) {
                      case 0 -> d;
                      case 1 -> d.toUpperCase(Locale.ROOT);
                      case 2 -> d.substring(0, Math.min(d.length(), 1 + cut % d.length()));
                      default -> d.substring(Math.min(d.length() - 1, cut % d.length()));
                    });
    Gen<Filter.Literal> deptLit = deptText.map(Filter.Literal::string);
    Gen<Filter.Literal> companyLit =
        Generate.pick(List.of("Acme", "GLOBEX", "init", "ech", "Zed")).map(Filter.Literal::string);
    Gen<Filter.Literal> locationLit =
        Generate.pick(List.of("London", "sao paulo", "São", "Berlin", "aus"))
            .map(Filter.Literal::string);
    Gen<Filter.Literal> employeeLit =
        integers()
            .between(0, 120)
            .map(n -> Filter.Literal.string(String.format(Locale.ROOT, "%06d", n * 10)));
    Gen<Filter.Literal> roleLit =
        Generate.oneOf(
            integers().between(1, 10).map(n -> Filter.Literal.number(Integer.toString(n))),
            Generate.pick(List.of("Learner", "manager", "Admin", "owner_impersonate"))
                .map(Filter.Literal::string));
    Gen<Filter.Literal> statusLit =
        Generate.pick(
                List.of("active", "inactive", "invited", "Staged", "Suspended", "Not Yet Invited"))
            .map(Filter.Literal::string);
    Gen<Filter.Literal> skillsLit =
        integers().between(-1, 14).map(n -> Filter.Literal.number(Integer.toString(n)));
    Gen<Filter.Literal> hireLit =
        integers()
            .between(0, 9100)
            .map(d -> Filter.Literal.string(LocalDate.of(2000, 1, 1).plusDays(d).toString()));
    Gen<Filter.Literal> activityLit =
        Generate.longRange(1_690_000_000L, 1_800_000_000L)
            .map(sec -> Filter.Literal.string(Instant.ofEpochSecond(sec).toString()));
    Gen<Filter.Literal> moduleLit =
        Generate.pick(List.of("LMS", "lxp", "360", "DEV", "FEEDBACK", "x"))
            .map(Filter.Literal::string);
    Gen<Filter.Literal> managerLit =
        integers().between(0, 55).map(n -> Filter.Literal.string("u" + n));
    Gen<Filter.Literal> levelLit =
        integers()
            .between(-1, 10)
            .zip(
                integers().between(0, 1),
                (n, half) -> Filter.Literal.number(n + (half == 1 ? ".5" : "")));
    Gen<Filter.Literal> boolLit = Generate.booleans().map(Filter.Literal::bool);
    Gen<Filter.Literal> nameLit =
        Generate.pick(List.of("alex", "Zoe", "ZOË", "émile", "kim lee", "o'neil", "ngu"))
            .map(Filter.Literal::string);
    return List.of(
        new AttrGen("department", text, deptLit),
        new AttrGen("company", text, companyLit),
        new AttrGen("location", text, locationLit),
        new AttrGen("employeeId", text, employeeLit),
        new AttrGen("displayName", text, nameLit),
        new AttrGen("permission", ordered, roleLit),
        new AttrGen("status", equality, statusLit),
        new AttrGen("skills", ordered, skillsLit),
        new AttrGen("hireDate", ordered, hireLit),
        new AttrGen("lastActivity", ordered, activityLit),
        new AttrGen("modules", multi, moduleLit),
        new AttrGen("managers", equality, managerLit),
        new AttrGen("managerId", equality, managerLit),
        new AttrGen("attributes.level", ordered, levelLit),
        new AttrGen("neverLoggedIn", equality, boolLit),
        new AttrGen("active", equality, boolLit));
  }

  /** The attribute keys sortable in generated queries. */
  public static final List<String> SORT_ATTRIBUTES =
      List.of(
          "permission",
          "lastActivity",
          "skills",
          "status",
          "department",
          "company",
          "name",
          "email",
          "hireDate",
          "attributes.level",
          "employeeId",
          "location");

  /**
   * Filters over the attributes of {@link #users}, well typed for a schema with the NUMBER custom
   * attribute {@code level}: comparisons, presence, {@code eq null}, and, or, not, to a depth.
   *
   * @param depth the deepest nesting of and / or / not
   * @return the generator
   */
  public static Gen<Filter> filters(int depth) {
    Gen<Filter> atom =
        Generate.pick(FILTER_ATTRIBUTES)
            .flatMap(
                a ->
                    Generate.pick(a.ops())
                        .zip(
                            a.literal(),
                            integers().between(0, 19),
                            (op, lit, roll) -> {
                              if (roll == 0) {
                                return (Filter) new Filter.Present(a.path());
                              }
                              if (roll == 1 && (op.equals("eq") || op.equals("ne"))) {
                                return new Filter.Compare(
                                    a.path(),
                                    Filter.Op.valueOf(op.toUpperCase(Locale.ROOT)),
                                    new Filter.Literal(Filter.Literal.Kind.NULL, "null"));
                              }
                              return new Filter.Compare(
                                  a.path(), Filter.Op.valueOf(op.toUpperCase(Locale.ROOT)), lit);
                            }));
    if (depth <= 0) {
      return atom;
    }
    Gen<Filter> sub = filters(depth - 1);
    return Generate.frequency(
        List.of(
            org.quicktheories.api.Pair.of(4, atom),
            org.quicktheories.api.Pair.of(2, sub.zip(sub, (l, r) -> (Filter) new Filter.And(l, r))),
            org.quicktheories.api.Pair.of(2, sub.zip(sub, (l, r) -> (Filter) new Filter.Or(l, r))),
            org.quicktheories.api.Pair.of(1, sub.map(f -> (Filter) new Filter.Not(f)))));
  }

  /**
   * Filter syntax with arbitrary attribute names and string contents (quotes, backslashes, control
   * characters, non-ASCII), for print / parse round trips.
   *
   * @param depth the deepest nesting
   * @return the generator
   */
  public static Gen<Filter> filterSyntax(int depth) {
    Gen<String> attr =
        Generate.pick(
            List.of(
                "userName",
                "name.familyName",
                "urn:ietf:params:scim:schemas:core:2.0:User:title",
                "x",
                "attributes.k_1"));
    Gen<Filter.Literal> lit =
        Generate.oneOf(
            strings().betweenCodePoints(0, 0x24F).ofLengthBetween(0, 8).map(Filter.Literal::string),
            integers().between(-1000, 1000).map(n -> Filter.Literal.number(Integer.toString(n))),
            Generate.pick(List.of("1.5", "-0.25", "2e10", "3E-2")).map(Filter.Literal::number),
            Generate.booleans().map(Filter.Literal::bool),
            Generate.constant(new Filter.Literal(Filter.Literal.Kind.NULL, "null")));
    Gen<Filter> compare =
        attr.zip(
            Generate.enumValues(Filter.Op.class),
            lit,
            (a, op, l) -> (Filter) new Filter.Compare(a, op, l));
    Gen<Filter> atom = Generate.oneOf(compare, attr.map(a -> (Filter) new Filter.Present(a)));
    Gen<Filter> valuePath =
        Generate.pick(List.of("emails", "phoneNumbers"))
            .zip(atom, (a, f) -> (Filter) new Filter.ValuePath(a, f));
    if (depth <= 0) {
      return Generate.oneOf(atom, valuePath);
    }
    Gen<Filter> sub = filterSyntax(depth - 1);
    return Generate.frequency(
        List.of(
            org.quicktheories.api.Pair.of(3, atom),
            org.quicktheories.api.Pair.of(1, valuePath),
            org.quicktheories.api.Pair.of(2, sub.zip(sub, (l, r) -> (Filter) new Filter.And(l, r))),
            org.quicktheories.api.Pair.of(2, sub.zip(sub, (l, r) -> (Filter) new Filter.Or(l, r))),
            org.quicktheories.api.Pair.of(1, sub.map(f -> (Filter) new Filter.Not(f)))));
  }

  /**
   * Sort keys over {@link #SORT_ATTRIBUTES}.
   *
   * @return the generator of zero to three keys
   */
  public static Gen<List<SortKey>> sorts() {
    return lists()
        .of(Generate.pick(SORT_ATTRIBUTES).zip(Generate.booleans(), SortKey::new))
        .ofSizeBetween(0, 3);
  }

  /**
   * Whole queries: search, filter, sort, page size, columns, total.
   *
   * @return the generator
   */
  public static Gen<UserQuery> userQueries() {
    Gen<java.util.Optional<String>> search =
        Generate.pick(List.of("", "alex", "ZOË doe", "example.com", "0000", "o'neil smith"))
            .map(s -> s.isEmpty() ? java.util.Optional.<String>empty() : java.util.Optional.of(s));
    Gen<java.util.Optional<Filter>> filter =
        Generate.oneOf(
            Generate.constant(java.util.Optional.<Filter>empty()),
            filters(2).map(java.util.Optional::of));
    return search.zip(
        filter,
        sorts(),
        integers()
            .between(1, 200)
            .zip(Generate.booleans(), (size, total) -> new int[] {size, total ? 1 : 0}),
        (q, f, sort, page) ->
            UserQuery.builder()
                .search(q)
                .filter(f)
                .sort(sort)
                .pageSize(page[0])
                .includeTotal(page[1] == 1)
                .columns(page[0] % 3 == 0 ? List.of("User", "Department") : List.of())
                .build());
  }

  private static Gen<String> chars(String alphabet, int min, int max) {
    return lists()
        .of(integers().between(0, alphabet.length() - 1))
        .ofSizeBetween(min, max)
        .map(
            idx -> {
              StringBuilder b = new StringBuilder(idx.size());
              idx.forEach(i -> b.append(alphabet.charAt(i)));
              return b.toString();
            });
  }

  /** Text values, empty among them, that a fold changes or keeps. */
  private static final List<Optional<?>> TEXTS =
      List.of(
          Optional.empty(),
          Optional.of("Zoë Ærø"),
          Optional.of("sales"),
          Optional.of("SALES"),
          Optional.of("Straße 5"));

  /**
   * A few values of a field, empty among them where the field may be cleared, for tests that change
   * fields the users of {@link #users} leave alone (or hold one value of): texts a fold changes or
   * keeps, phone numbers, times, dates, flags, counts, zones, password states and sets of group
   * ids. Empty for the fields whose values depend on more than the field (address, role, status,
   * manager, domain roles): a test takes those from another generated user.
   *
   * @param field the field
   * @return its values, or an empty list
   */
  public static List<Optional<?>> valuesOf(UserField field) {
    return switch (field.kind()) {
      case TEXT -> TEXTS;
      case PHONE ->
          List.of(
              Optional.empty(),
              Optional.of(PhoneNumber.parse("+442079460000")),
              Optional.of(PhoneNumber.parse("+14155550123")));
      case DATE ->
          List.of(
              Optional.empty(),
              Optional.of(LocalDate.of(2001, 2, 3)),
              Optional.of(LocalDate.of(1999, 12, 31)));
      case INSTANT ->
          List.of(
              Optional.empty(),
              Optional.of(Instant.parse("2024-01-02T03:04:05Z")),
              Optional.of(Instant.ofEpochSecond(1_700_000_000L, 123_456_789)));
      case BOOLEAN -> List.of(Optional.of(false), Optional.of(true));
      case INTEGER -> List.of(Optional.of(0), Optional.of(3), Optional.of(17));
      case ZONE ->
          List.of(
              Optional.empty(),
              Optional.of(ZoneId.of("Europe/Berlin")),
              Optional.of(ZoneId.of("UTC")));
      case PASSWORD_STATE ->
          List.of(PasswordState.values()).stream().<Optional<?>>map(Optional::of).toList();
      case TEXT_SET ->
          List.of(
              Optional.empty(),
              Optional.of(new TreeSet<>(List.of("g1"))),
              Optional.of(new TreeSet<>(List.of("g1", "g2"))));
      case EMAIL, ROLE, STATUS, USER_ID, DOMAIN_ROLES -> List.of();
    };
  }
}
