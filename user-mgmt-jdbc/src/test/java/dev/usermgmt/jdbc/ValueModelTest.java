package dev.usermgmt.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserMgmtException;
import dev.usermgmt.access.Actor;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.group.Group;
import dev.usermgmt.jdbc.dialect.Dialect;
import dev.usermgmt.memory.InMemoryStores;
import dev.usermgmt.query.Page;
import dev.usermgmt.query.UserQuery;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.Fixtures;
import dev.usermgmt.user.User;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The cases of "the same answers on every store" by name: each store (in memory, H2, PostgreSQL,
 * MariaDB) keeps exact decimals, whole long texts, code point order without padding, and refuses up
 * front, as invalid input naming the field, what the value model does not hold.
 */
final class ValueModelTest {
  private static final RoleCatalog ROLES = RoleCatalog.defaultCatalog();
  private static final byte[] KEY =
      "value-model-example-key-0123456789".getBytes(StandardCharsets.UTF_8);

  /** One store with a fresh tenant, its directory and an admin. */
  private record Store(Stores stores, TenantId t, UserDirectory directory, Actor admin) {
    static Store of(String which) {
      Stores s =
          which.equals("MEMORY")
              ? InMemoryStores.create()
              : Databases.stores(Dialect.valueOf(which));
      TenantId t = Fixtures.freshTenant();
      for (AttributeType type : List.of(AttributeType.TEXT, AttributeType.NUMBER)) {
        s.attributes()
            .put(
                t,
                java.util.Optional.empty(),
                AttributeDefinition.builder()
                    .key(type == AttributeType.TEXT ? "note" : "amount")
                    .label(type.name())
                    .type(type)
                    .build());
      }
      return new Store(
          s,
          t,
          UserDirectory.builder().stores(s).signingKey(KEY).build(),
          Actor.builder().tenant(t).role(ROLES.parse("support")).build());
    }

    /** Inserts users r1, r2… changed by the functions, and returns them. */
    @SafeVarargs
    final List<User> insert(UnaryOperator<User.Builder>... changes) {
      List<User> users = new ArrayList<>();
      for (int i = 0; i < changes.length; i++) {
        users.add(changes[i].apply(Fixtures.user(t, "r" + (i + 1)).toBuilder()).build());
      }
      stores.users().insert(t, users);
      return users;
    }

    /** The ids of every page walked by cursor. */
    List<String> walk(String filter, String sortBy, int pageSize) {
      UserQuery q =
          UserQuery.parse(
              (filter.isEmpty() ? "" : "filter=" + encode(filter) + "&")
                  + "sortBy="
                  + sortBy
                  + "&pageSize="
                  + pageSize,
              dev.usermgmt.attribute.AttributeSchema.of(stores.attributes().list(t)));
      List<String> out = new ArrayList<>();
      Optional<String> cursor = Optional.empty();
      do {
        Page<User> p = directory.search(admin, q.atCursor(cursor));
        p.items().forEach(u -> out.add(u.id().value()));
        cursor = p.nextCursor();
        assertThat(out.size()).as("pages end").isLessThan(50);
      } while (cursor.isPresent());
      return out;
    }
  }

  private static String encode(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(strings = {"MEMORY", "H2", "POSTGRESQL", "MARIADB"})
  void pointThreeAndItsDoubleNeighbourStayApartAndPageBothWays(String which) {
    Store s = Store.of(which);
    s.insert(
        b -> b.putAttributes("amount", AttributeValue.number(new BigDecimal("0.1"))),
        b -> b.putAttributes("amount", AttributeValue.number(new BigDecimal("0.3"))),
        b ->
            b.putAttributes(
                "amount", AttributeValue.number(new BigDecimal("0.30000000000000004"))));
    assertThat(s.stores().users().get(s.t(), dev.usermgmt.UserId.of("r3")))
        .map(u -> java.util.Objects.requireNonNull(u.attributes().get("amount")).asNumber())
        .contains(new BigDecimal("0.30000000000000004"));
    assertThat(s.walk("", "-attributes.amount", 1)).containsExactly("r3", "r2", "r1");
    assertThat(s.walk("", "attributes.amount", 1)).containsExactly("r1", "r2", "r3");
    assertThat(s.walk("attributes.amount eq 0.30000000000000004", "id", 20)).containsExactly("r3");
    assertThat(s.walk("attributes.amount gt 0.3", "id", 20)).containsExactly("r3");
  }

  @ParameterizedTest
  @ValueSource(strings = {"MEMORY", "H2", "POSTGRESQL", "MARIADB"})
  void customTextOfTwoThousandCharactersIsMatchedAtItsEnd(String which) {
    Store s = Store.of(which);
    s.insert(
        b -> b.putAttributes("note", AttributeValue.text("n".repeat(1999) + "z")),
        b -> b.putAttributes("note", AttributeValue.text("n".repeat(1999) + "a")));
    assertThat(s.walk("attributes.note ew \"z\"", "id", 20)).containsExactly("r1");
    // equal in their first 1,999 characters, well past MariaDB's default max_sort_length
    assertThat(s.walk("", "attributes.note", 1)).containsExactly("r2", "r1");
    assertThat(s.walk("", "-attributes.note", 1)).containsExactly("r1", "r2");
  }

  @ParameterizedTest
  @ValueSource(strings = {"MEMORY", "H2", "POSTGRESQL", "MARIADB"})
  void salesWithATrailingSpaceIsNotSales(String which) {
    Store s = Store.of(which);
    s.insert(b -> b.department("Sales"), b -> b.department("Sales Team"));
    assertThat(s.walk("department eq \"sales \"", "id", 20)).isEmpty();
    assertThat(s.walk("department eq \"sales\"", "id", 20)).containsExactly("r1");
    assertThat(s.walk("department gt \"sales \"", "id", 20)).containsExactly("r2");
  }

  @ParameterizedTest
  @ValueSource(strings = {"MEMORY", "H2", "POSTGRESQL", "MARIADB"})
  void smithLineFeedJrSortsAfterSmithAndBeforeSmithSpaceJr(String which) {
    Store s = Store.of(which);
    s.insert(b -> b.lastName("Smith Jr"), b -> b.lastName("Smith\nJr"), b -> b.lastName("Smith"));
    assertThat(s.walk("", "lastName", 1)).containsExactly("r3", "r2", "r1");
    assertThat(s.walk("", "-lastName", 2)).containsExactly("r1", "r2", "r3");
    assertThat(s.walk("lastName gt \"smith\" and lastName lt \"smith jr\"", "id", 20))
        .containsExactly("r2");
  }

  @ParameterizedTest
  @ValueSource(strings = {"MEMORY", "H2", "POSTGRESQL", "MARIADB"})
  void supplementaryCharactersSortAfterTheRestOfTheBasicPlane(String which) {
    Store s = Store.of(which);
    s.insert(
        b -> b.department("\uD83D\uDE00"), // U+1F600
        b -> b.department("\uFFFD"),
        b -> b.department("\uE000"),
        b -> b.department("\uD7FF"));
    assertThat(s.walk("", "department", 1)).containsExactly("r4", "r3", "r2", "r1");
    assertThat(s.walk("", "-department", 3)).containsExactly("r1", "r2", "r3", "r4");
    assertThat(s.walk("department gt \"\uFFFD\"", "id", 20)).containsExactly("r1");
    assertThat(s.walk("department lt \"\uE000\"", "id", 20)).containsExactly("r4");
  }

  @ParameterizedTest
  @ValueSource(strings = {"MEMORY", "H2", "POSTGRESQL", "MARIADB"})
  void timesAndNumbersOutsideTheDomainAreInvalidNotArithmetic(String which) {
    Store s = Store.of(which);
    s.insert(b -> b.lastActivityAt(Instant.parse("2026-01-01T00:00:00Z")));
    for (String filter :
        List.of(
            "lastActivityAt lt \"+10000-01-01T00:00:00Z\"",
            "lastActivityAt gt \"1600-01-01T00:00:00Z\"",
            "hireDate lt \"+10000-01-01\"",
            "skillsCount lt 1e999999999",
            "attributes.amount eq 0.0000000000000000000000000000001")) {
      assertThatThrownBy(() -> s.walk(filter, "id", 20))
          .as(filter)
          .isInstanceOfSatisfying(
              UserMgmtException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FILTER));
    }
    // at the bounds they are answered
    assertThat(s.walk("lastActivityAt lt \"2261-12-31T23:59:59.999999999Z\"", "id", 20))
        .containsExactly("r1");
    assertThat(s.walk("hireDate lt \"9999-12-31\"", "id", 20))
        .isEqualTo(s.walk("hireDate pr", "id", 20));
  }

  @ParameterizedTest
  @ValueSource(strings = {"MEMORY", "H2", "POSTGRESQL", "MARIADB"})
  void loneSurrogatesAndNulAreRefusedInValuesAndLiterals(String which) {
    Store s = Store.of(which);
    s.insert(b -> b.department("a\tb"));
    // as the filter language's escapes: raw control characters are refused by its syntax
    for (String bad :
        List.of("a\\uD800b", "a\\uDC00", "a\\u0000b", "a\\u0007b", "\\uFFFF", "\\uD83D")) {
      assertThatThrownBy(() -> s.walk("department eq \"" + bad + "\"", "id", 20))
          .isInstanceOfSatisfying(
              UserMgmtException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FILTER));
    }
    assertThat(s.walk("department eq \"A\\tB\"", "id", 20)).containsExactly("r1");
  }

  @Test
  void loneSurrogatesNulAndOtherControlsCannotBeAValue() {
    TenantId t = TenantId.of("v");
    for (String bad : List.of("a\uD800b", "a\uDC00", "a\u0000b", "a\u001Fb", "\uFFFE")) {
      refused(() -> Fixtures.user(t, "x").toBuilder().department(bad).build(), "department");
      refused(
          () ->
              Fixtures.user(t, "x").toBuilder()
                  .putAttributes("note", AttributeValue.text(bad))
                  .build(),
          "attributes.note");
      refused(() -> Fixtures.user(t, "x").toBuilder().addGroups(bad).build(), "groups");
    }
  }

  @Test
  void datesAndTimesOutsideTheDomainCannotBeAValue() {
    TenantId t = TenantId.of("v");
    refused(
        () ->
            Fixtures.user(t, "x").toBuilder()
                .lastActivityAt(Instant.parse("1600-01-01T00:00:00Z"))
                .build(),
        "lastActivityAt");
    refused(
        () ->
            Fixtures.user(t, "x").toBuilder()
                .inviteScheduledAt(Instant.parse("2262-04-12T00:00:00Z"))
                .build(),
        "inviteScheduledAt");
    refused(
        () -> Fixtures.user(t, "x").toBuilder().hireDate(LocalDate.of(10000, 1, 1)).build(),
        "hireDate");
    refused(
        () ->
            Fixtures.user(t, "x").toBuilder()
                .putAttributes("amount", AttributeValue.number(new BigDecimal("1e35")))
                .build(),
        "attributes.amount");
  }

  @Test
  void valuesThatFitTheDomainButNotAColumnCannotExist() {
    TenantId t = TenantId.of("v");
    // 30 characters whose folded form is 540 (U+FDFA decomposes into 18)
    refused(
        () -> Fixtures.user(t, "x").toBuilder().lastName("\uFDFA".repeat(30)).build(), "lastName");
    refused(() -> Fixtures.user(t, "x").toBuilder().addGroups("g".repeat(201)).build(), "groups");
    refused(
        () ->
            Fixtures.user(t, "x").toBuilder()
                .putAttributes("note", AttributeValue.text("n".repeat(2001)))
                .build(),
        "attributes.note");
    assertThatThrownBy(() -> Group.of("g".repeat(201), "G"))
        .isInstanceOf(InvalidInputException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"MEMORY", "H2", "POSTGRESQL", "MARIADB"})
  void valuesAtTheBoundsAreStoredAndReturnedUnchanged(String which) {
    Store s = Store.of(which);
    List<User> users =
        s.insert(
            b ->
                b.lastName("\uFB01".repeat(250)) // folds to 500 characters
                    .department("x".repeat(498) + "\uD83D\uDE00")
                    .addGroups("g".repeat(200))
                    .hireDate(LocalDate.of(1, 1, 1))
                    .lastActivityAt(Instant.parse("1678-01-01T00:00:00Z"))
                    .putAttributes("note", AttributeValue.text("\uD835\uDC9C".repeat(1000)))
                    .putAttributes(
                        "amount",
                        AttributeValue.number(
                            new BigDecimal("-" + "9".repeat(35) + "." + "9".repeat(30)))),
            b ->
                b.hireDate(LocalDate.of(9999, 12, 31))
                    .lastActivityAt(Instant.parse("2261-12-31T23:59:59.999999999Z"))
                    .department("Smith\r\nJr")
                    .putAttributes(
                        "amount",
                        AttributeValue.number(new BigDecimal("0." + "0".repeat(29) + "1"))));
    for (User u : users) {
      assertThat(s.stores().users().get(s.t(), u.id())).contains(u);
    }
    assertThat(s.walk("lastName sw \"fifi\"", "id", 20)).containsExactly("r1");
    assertThat(s.walk("", "-hireDate", 1)).containsExactly("r2", "r1");
    assertThat(s.walk("", "attributes.amount", 1)).containsExactly("r1", "r2");
  }

  private static void refused(ThrowingCallable build, String field) {
    assertThatThrownBy(build)
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> assertThat(e.problems()).anySatisfy(p -> assertThat(p.field()).contains(field)));
  }
}
