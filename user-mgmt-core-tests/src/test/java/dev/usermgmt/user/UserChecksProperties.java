package dev.usermgmt.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
import dev.usermgmt.attribute.AttributeValue;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.testkit.DomainGenerators;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * {@link User}'s checks against an independent oracle: any set of fields, each put outside the
 * value model in one of several ways, is refused with one problem for each of exactly those fields,
 * and a user with none of them broken builds.
 */
final class UserChecksProperties {
  private static final RoleCatalog ROLES = RoleCatalog.defaultCatalog();

  /** Texts outside the domain of a text field: each is refused, whatever the field. */
  private static final List<String> BAD_TEXTS =
      List.of(" padded", "padded\t", "a\u0000b", "a\uD800b", "x".repeat(UserField.MAX_TEXT + 1));

  private static final List<Instant> BAD_INSTANTS =
      List.of(Instant.parse("1677-12-31T23:59:59Z"), Instant.parse("2262-01-01T00:00:00Z"));

  /** One way to break one field: the field the problem must name, and the change. */
  private record Breakage(String field, BiConsumer<User.Builder, Integer> apply) {}

  private static final List<Breakage> BREAKAGES = breakages();

  private static List<Breakage> breakages() {
    List<Breakage> out = new ArrayList<>();
    Map<String, BiConsumer<User.Builder, String>> texts = new LinkedHashMap<>();
    texts.put("displayName", User.Builder::displayName);
    texts.put("firstName", User.Builder::firstName);
    texts.put("lastName", User.Builder::lastName);
    texts.put("initials", User.Builder::initials);
    texts.put("username", User.Builder::username);
    texts.put("jobTitle", User.Builder::jobTitle);
    texts.put("position", User.Builder::position);
    texts.put("department", User.Builder::department);
    texts.put("company", User.Builder::company);
    texts.put("location", User.Builder::location);
    texts.put("office", User.Builder::office);
    texts.put("userType", User.Builder::userType);
    texts.put("employeeId", User.Builder::employeeId);
    texts.put("language", User.Builder::language);
    texts.forEach(
        (field, set) ->
            out.add(
                new Breakage(field, (b, k) -> set.accept(b, BAD_TEXTS.get(k % BAD_TEXTS.size())))));
    Map<String, BiConsumer<User.Builder, Instant>> instants = new LinkedHashMap<>();
    instants.put("deactivatedAt", User.Builder::deactivatedAt);
    instants.put("lastActivityAt", User.Builder::lastActivityAt);
    instants.put("lastLoginAt", User.Builder::lastLoginAt);
    instants.put("invitedAt", User.Builder::invitedAt);
    instants.put("inviteScheduledAt", User.Builder::inviteScheduledAt);
    instants.put("activationScheduledAt", User.Builder::activationScheduledAt);
    instants.put("createdAt", User.Builder::createdAt);
    instants.put("updatedAt", User.Builder::updatedAt);
    instants.forEach(
        (field, set) ->
            out.add(
                new Breakage(
                    field, (b, k) -> set.accept(b, BAD_INSTANTS.get(k % BAD_INSTANTS.size())))));
    // names: the text is refused whether or not it is trimmed (names are not), by its characters
    // or its length
    List<String> badNames = List.of("a\u0000b", "a\uFFFFb", "n".repeat(201));
    out.add(new Breakage("modules", (b, k) -> b.addModules(badNames.get(k % 3))));
    out.add(new Breakage("groups", (b, k) -> b.addGroups(badNames.get(k % 3))));
    out.add(new Breakage("permissionGrants", (b, k) -> b.addPermissionGrants(badNames.get(k % 3))));
    out.add(
        new Breakage(
            "permissionRevocations", (b, k) -> b.addPermissionRevocations(badNames.get(k % 3))));
    out.add(
        new Breakage("hireDate", (b, k) -> b.hireDate(LocalDate.of(k % 2 == 0 ? 0 : -5, 6, 1))));
    out.add(new Breakage("skillsCount", (b, k) -> b.skillsCount(-1 - k)));
    out.add(new Breakage("version", (b, k) -> b.version(-1 - k)));
    out.add(
        new Breakage(
            "attributes.costCentre",
            (b, k) ->
                b.putAttributes(
                    "costCentre",
                    k % 2 == 0
                        ? AttributeValue.text("a\u0000b")
                        : AttributeValue.number(new BigDecimal("1e40")))));
    out.add(
        new Breakage(
            "attributes.started",
            (b, k) -> b.putAttributes("started", AttributeValue.date(LocalDate.of(10000, 1, 1)))));
    return List.copyOf(out);
  }

  @Test
  void exactlyTheBrokenFieldsAreRefusedAndNothingElse() {
    qt().withExamples(400)
        .forAll(
            DomainGenerators.users(TenantId.of("t1"), ROLES),
            lists().of(integers().between(0, BREAKAGES.size() - 1)).ofSizeBetween(0, 6),
            integers().between(0, 100))
        .checkAssert(
            (u, chosen, variant) -> {
              User.Builder b = u.toBuilder();
              TreeSet<String> broken = new TreeSet<>();
              // each breakage once: a key put twice is its own refusal, tested below
              for (int i : new TreeSet<>(chosen)) {
                Breakage x = BREAKAGES.get(i);
                x.apply().accept(b, variant + i);
                broken.add(x.field());
              }
              InvalidInputException refused =
                  catchThrowableOfType(b::build, InvalidInputException.class);
              if (broken.isEmpty()) {
                assertThat(refused).isNull();
                return;
              }
              assertThat(refused).as("refused with %s broken", broken).isNotNull();
              assertThat(
                      refused.problems().stream()
                          .map(Problem::field)
                          .flatMap(Optional::stream)
                          .toList())
                  .as("one problem per broken field")
                  .containsExactlyInAnyOrderElementsOf(broken);
            });
  }

  @Test
  void aUserWithoutAddressOrPhoneIsRefusedUnlessAnonymised() {
    qt().withExamples(200)
        .forAll(DomainGenerators.users(TenantId.of("t1"), ROLES))
        .checkAssert(
            u -> {
              User.Builder b =
                  u.toBuilder().primaryEmail(Optional.empty()).phoneNumber(Optional.empty());
              if (u.status() == UserStatus.ANONYMISED) {
                assertThat(b.build().primaryEmail()).isEmpty();
              } else {
                assertThat(catchThrowableOfType(b::build, InvalidInputException.class).problems())
                    .extracting(p -> p.field().orElse(""))
                    .containsExactly("primaryEmail");
              }
            });
  }

  @Test
  void aUserWhoManagesThemselfIsRefused() {
    qt().withExamples(100)
        .forAll(DomainGenerators.users(TenantId.of("t1"), ROLES))
        .checkAssert(
            u ->
                assertThat(
                        catchThrowableOfType(
                                u.toBuilder().managerId(u.id())::build, InvalidInputException.class)
                            .problems())
                    .extracting(p -> p.field().orElse(""))
                    .containsExactly("managerId"));
  }

  @Test
  void aKeyPutTwiceIntoABuilderIsAnInputErrorNamingTheMapNotARawException() {
    qt().withExamples(100)
        .forAll(DomainGenerators.users(TenantId.of("t1"), ROLES))
        .checkAssert(
            u -> {
              User.Builder b =
                  u.toBuilder()
                      .putAttributes("salary", AttributeValue.text("90000"))
                      .putAttributes("salary", AttributeValue.text("95000"));
              assertThat(catchThrowableOfType(b::build, InvalidInputException.class).problems())
                  .singleElement()
                  .satisfies(
                      p -> {
                        assertThat(p.field()).contains("attributes");
                        assertThat(p.message()).doesNotContain("9");
                      });
              // the whole map replaces: the way to change a key the user holds
              java.util.Map<String, AttributeValue> changed = new LinkedHashMap<>(u.attributes());
              changed.put("salary", AttributeValue.text("95000"));
              assertThat(u.toBuilder().attributes(changed).build().attributes())
                  .containsEntry("salary", AttributeValue.text("95000"));
            });
  }
}
