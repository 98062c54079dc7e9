package dev.usermgmt.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.UserMgmtException;
import dev.usermgmt.access.Actor;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.bulk.ActionImportPlan;
import dev.usermgmt.bulk.BulkEngine;
import dev.usermgmt.bulk.BulkLimits;
import dev.usermgmt.bulk.BulkListener;
import dev.usermgmt.bulk.RowPreview;
import dev.usermgmt.bulk.UpdateOptions;
import dev.usermgmt.bulk.UpdatePlan;
import dev.usermgmt.bulk.UpdateRow;
import dev.usermgmt.memory.InMemoryStores;
import dev.usermgmt.query.FilterParser;
import dev.usermgmt.query.UserQuery;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.Fixtures;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserDraft;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Next to an existing {@code admin@example.com}, every look-alike the issue found is refused or is
 * the same identity: through the directory, through an update file and through the e-mail filter.
 */
final class LookAlikeIdentityTest {
  static final RoleCatalog ROLES = RoleCatalog.defaultCatalog();
  final TenantId tenant = TenantId.of("acme");
  final Stores stores = InMemoryStores.create();
  final UserDirectory directory = UserDirectory.builder().stores(stores).build();
  final BulkEngine engine = BulkEngine.of(directory);
  final Actor owner =
      Actor.builder().tenant(tenant).userId(UserId.of("owner")).role(ROLES.parse("owner")).build();

  @BeforeEach
  void people() {
    stores
        .users()
        .insert(
            tenant,
            List.of(
                Fixtures.user(tenant, "owner").toBuilder().role(ROLES.parse("owner")).build(),
                Fixtures.user(tenant, "admin"),
                Fixtures.user(tenant, "paypal"),
                Fixtures.user(tenant, "sam"),
                Fixtures.user(tenant, "rene").toBuilder()
                    .primaryEmail(EmailAddress.parse("ren\u00E9@example.com"))
                    .build()));
  }

  private UserDraft draft(String email) {
    return UserDraft.builder()
        .firstName("New")
        .lastName("Person")
        .primaryEmail(EmailAddress.parse(email))
        .build();
  }

  private static ErrorCode codeOf(Throwable e) {
    return ((UserMgmtException) e).problems().get(0).code();
  }

  /** Invisible characters and mixed scripts are not addresses: nothing to create. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "ad\u00ADmin@example.com", // soft hyphen
        "ad\u200Emin@example.com", // left-to-right mark
        "ad\u2063min@example.com", // invisible separator
        "ad\u034Fmin@example.com", // combining grapheme joiner
        "ad\uFE0Fmin@example.com", // variation selector
        "\u0430dmin@example.com", // Cyrillic а in the local part
        "admin@ex\u0430mple.com", // Cyrillic а in the domain
      })
  void invisibleAndMixedScriptLookAlikesAreInvalidEverywhere(String text) {
    assertThatThrownBy(() -> EmailAddress.parse(text))
        .isInstanceOf(InvalidInputException.class)
        .extracting(LookAlikeIdentityTest::codeOf)
        .isEqualTo(ErrorCode.INVALID_EMAIL);
    UpdatePlan plan = plan(text, UpdateOptions.defaults());
    assertThat(plan.rows().get(0).kind()).isEqualTo(RowPreview.Kind.ERROR);
    assertThat(plan.rows().get(0).problems())
        .extracting(Problem::code)
        .containsExactly(ErrorCode.INVALID_EMAIL);
  }

  @Test
  void fullWidthAndDecomposedLookAlikesAreTheSameIdentity() {
    String wide = "\uFF41\uFF44\uFF4D\uFF49\uFF4E@example.com";
    assertThatThrownBy(() -> directory.create(owner, List.of(draft(wide))))
        .extracting(LookAlikeIdentityTest::codeOf)
        .isEqualTo(ErrorCode.EMAIL_TAKEN);
    assertThatThrownBy(() -> directory.create(owner, List.of(draft("rene\u0301@example.com"))))
        .extracting(LookAlikeIdentityTest::codeOf)
        .isEqualTo(ErrorCode.EMAIL_TAKEN);
    RowPreview row = plan(wide, creating()).rows().get(0);
    assertThat(row.kind()).isEqualTo(RowPreview.Kind.CHANGED);
    assertThat(row.user().orElseThrow().id()).isEqualTo(UserId.of("admin"));
  }

  @Test
  void confusableAddressesAreRefusedNamingTheUserUnlessAllowed() {
    for (String lookAlike :
        List.of(
            "adm\u0131n@example.com", // dotless ı
            "\u0440\u0430\u0443\u0440\u0430\u04CF@example.com")) { // all-Cyrillic раураӏ
      assertThatThrownBy(() -> directory.create(owner, List.of(draft(lookAlike))))
          .satisfies(
              e -> {
                Problem p = ((UserMgmtException) e).problems().get(0);
                assertThat(p.code()).isEqualTo(ErrorCode.CONFUSABLE_IDENTITY);
                assertThat(p.field()).contains("primaryEmail");
                assertThat(p.message()).contains("(user ");
              });
    }
    assertThatThrownBy(() -> directory.create(owner, List.of(draft("adm\u0131n@example.com"))))
        .hasMessageContaining("admin@example.com")
        .hasMessageContaining("user admin");
    User allowed =
        directory
            .create(
                owner,
                List.of(draft("adm\u0131n@example.com")),
                CreateOptions.builder().allowConfusableEmails(true).build())
            .created()
            .get(0);
    assertThat(allowed.primaryEmail().orElseThrow().key()).isEqualTo("adm\u0131n@example.com");
  }

  @Test
  void aDeactivationFileFlagsALookAlikeOfAnExistingAddress() {
    UserDirectory flagged =
        UserDirectory.builder()
            .stores(stores)
            .featureFlags(
                dev.usermgmt.access.FeatureFlags.of(
                    Map.of(dev.usermgmt.access.FeatureFlag.DEACTIVATE_USERS_EXCEL, true)))
            .build();
    Actor support =
        Actor.builder()
            .tenant(tenant)
            .userId(UserId.of("owner"))
            .role(ROLES.parse("owner"))
            .supportLevel(2)
            .build();
    dev.usermgmt.bulk.DeactivationPlan plan =
        BulkEngine.of(flagged)
            .planDeactivation(
                support,
                dev.usermgmt.bulk.DeactivationRequest.of(
                    List.of(
                        "sam@example.com", // found
                        "adm\u0131n@example.com", // dotless ı: looks like admin@
                        "nobody@example.com")), // simply unknown
                dev.usermgmt.bulk.BulkListener.NONE);
    assertThat(plan.toDeactivate()).hasSize(1);
    assertThat(plan.notFound()).containsExactly("adm\u0131n@example.com", "nobody@example.com");
    assertThat(plan.flagged())
        .containsExactly(
            new dev.usermgmt.bulk.FlaggedAddress(
                2,
                "adm\u0131n@example.com",
                dev.usermgmt.bulk.FlaggedAddress.Reason.LOOK_ALIKE,
                java.util.OptionalLong.empty()));
    assertThat(plan.counts().lookAlikes()).isEqualTo(1);
  }

  @Test
  void twoNewUsersOfOneBatchMayNotLookAlike() {
    assertThatThrownBy(
            () ->
                directory.create(owner, List.of(draft("x1@example.com"), draft("xl@example.com"))))
        .extracting(LookAlikeIdentityTest::codeOf)
        .isEqualTo(ErrorCode.CONFUSABLE_IDENTITY);
  }

  /**
   * Two users a unit gives alike addresses find each other, checked over the users as it leaves
   * them: an undo of the undo of their allowed creation gives both back in one unit, with no
   * allowance of its own.
   */
  @Test
  void aUnitGivingTwoUsersAlikeAddressesIsRefusedWhateverItsPath() {
    CreateResult both =
        directory.create(
            owner,
            List.of(draft("x1@example.com"), draft("xl@example.com")),
            CreateOptions.builder().allowConfusableEmails(true).build());
    String removal = directory.undo(owner, both.changeSetId()).id();
    // an undo names what stops it as an undo conflict, each address with the one it looks like
    UserMgmtException refused =
        catchThrowableOfType(() -> directory.undo(owner, removal), UserMgmtException.class);
    assertThat(refused).as("the undo giving both back is refused").isNotNull();
    assertThat(refused.problems()).extracting(Problem::code).containsOnly(ErrorCode.UNDO_CONFLICT);
    assertThat(refused.problems())
        .extracting(Problem::message)
        .anySatisfy(m -> assertThat(m).contains("x1@example.com looks like xl@example.com"))
        .anySatisfy(m -> assertThat(m).contains("xl@example.com looks like x1@example.com"));
    assertThat(stores.users().findByEmails(tenant, List.of(EmailAddress.parse("x1@example.com"))))
        .isEmpty();
  }

  @Test
  void anUpdateRowWithACyrillicLookAlikeIsFlaggedNotSilentlyToCreate() {
    String cyrillic = "\u0440\u0430\u0443\u0440\u0430\u04CF@example.com";
    RowPreview toCreate = plan(cyrillic, creating()).rows().get(0);
    assertThat(toCreate.kind()).isEqualTo(RowPreview.Kind.ERROR);
    assertThat(toCreate.problems())
        .extracting(p -> p.code() + "@" + p.row().orElse(0) + ":" + p.column().orElse(""))
        .containsExactly("CONFUSABLE_IDENTITY@2:primaryEmail");
    assertThat(toCreate.problems().get(0).message()).contains("paypal@example.com");
    RowPreview notFound = plan(cyrillic, UpdateOptions.defaults()).rows().get(0);
    assertThat(notFound.kind()).isEqualTo(RowPreview.Kind.NOT_FOUND);
    assertThat(notFound.problems())
        .extracting(Problem::code)
        .containsExactly(ErrorCode.CONFUSABLE_IDENTITY);
    RowPreview overridden =
        plan(cyrillic, creating().withConfusableEmailsAllowed(true)).rows().get(0);
    assertThat(overridden.kind()).isEqualTo(RowPreview.Kind.TO_CREATE);
    // a row changing sam's address to a look-alike of admin's
    UpdatePlan change =
        engine.planUpdate(
            owner,
            List.of(
                new UpdateRow(2, Map.of("id", "sam", "primaryEmail", "adm\u0131n@example.com"))),
            new UpdateOptions(
                UpdateOptions.MatchKey.ID,
                Map.of(),
                Optional.empty(),
                false,
                UpdateOptions.ApplyMode.VALID_ROWS,
                0),
            BulkListener.NONE);
    assertThat(change.rows().get(0).kind()).isEqualTo(RowPreview.Kind.ERROR);
    assertThat(change.rows().get(0).problems())
        .extracting(Problem::code)
        .containsExactly(ErrorCode.CONFUSABLE_IDENTITY);
  }

  @Test
  void anActionFileMayNotAddALookAlike() {
    ActionImportPlan plan =
        engine.planActionImport(
            owner,
            List.of(
                List.of("add-user", "adm\u0131n@example.com", "Ad", "Min"),
                List.of("add-user", "carl@example.com", "Carl", "C"),
                List.of("add-user", "car1@example.com", "Carl", "One")),
            false);
    assertThat(plan.rows())
        .extracting(r -> r.kind().name())
        .containsExactly("ERROR", "ADD", "ERROR");
    assertThat(plan.rows().get(0).problems())
        .extracting(p -> p.code() + ":" + p.field().orElse("") + ":" + p.column().orElse(""))
        .containsExactly("CONFUSABLE_IDENTITY:username:B");
    assertThat(plan.rows().get(0).problems().get(0).message()).contains("user admin");
  }

  /**
   * A streamed file planned two rows a chunk: each chunk looks up its own addresses' look-alikes,
   * and an address an earlier chunk gives is still remembered by a later one.
   */
  @Test
  void lookAlikesAreFoundAcrossChunksOfAStreamedFile() {
    BulkEngine small = BulkEngine.of(directory, new BulkLimits(1, 5000, 2));
    UpdatePlan plan =
        small.planUpdate(
            owner,
            Stream.of(
                new UpdateRow(2, Map.of("primaryEmail", "carl@example.com")),
                new UpdateRow(3, Map.of("primaryEmail", "dora@example.com")),
                new UpdateRow(4, Map.of("primaryEmail", "eve@example.com")),
                new UpdateRow(5, Map.of("primaryEmail", "car1@example.com")),
                new UpdateRow(6, Map.of("primaryEmail", "adm\u0131n@example.com")),
                new UpdateRow(7, Map.of("primaryEmail", "carl@example.com"))),
            creating(),
            BulkListener.NONE);
    assertThat(plan.rows())
        .extracting(r -> r.row() + ":" + r.kind())
        .containsExactly(
            "2:TO_CREATE", "3:TO_CREATE", "4:TO_CREATE", "5:ERROR", "6:ERROR", "7:DUPLICATE_KEY");
    assertThat(plan.rows().get(3).problems())
        .extracting(p -> p.code() + "@" + p.row().orElse(0) + ":" + p.column().orElse(""))
        .containsExactly("CONFUSABLE_IDENTITY@5:primaryEmail");
    assertThat(plan.rows().get(3).problems().get(0).message())
        .contains("carl@example.com of an earlier row");
    assertThat(plan.rows().get(4).problems().get(0).message()).contains("user admin");
    // not found in a later chunk: flagged against the store's users only
    UpdatePlan unknown =
        small.planUpdate(
            owner,
            Stream.of(
                new UpdateRow(2, Map.of("primaryEmail", "x@example.com")),
                new UpdateRow(3, Map.of("primaryEmail", "y@example.com")),
                new UpdateRow(4, Map.of("primaryEmail", "paypa1@example.com"))),
            UpdateOptions.defaults(),
            BulkListener.NONE);
    assertThat(unknown.rows())
        .extracting(r -> r.row() + ":" + r.kind() + ":" + r.problems().size())
        .containsExactly("2:NOT_FOUND:0", "3:NOT_FOUND:0", "4:NOT_FOUND:1");
    UpdatePlan allowed =
        small.planUpdate(
            owner,
            Stream.of(
                new UpdateRow(2, Map.of("primaryEmail", "carl@example.com")),
                new UpdateRow(3, Map.of("primaryEmail", "dora@example.com")),
                new UpdateRow(4, Map.of("primaryEmail", "car1@example.com"))),
            creating().withConfusableEmailsAllowed(true),
            BulkListener.NONE);
    assertThat(allowed.rows()).extracting(r -> r.kind().name()).containsOnly("TO_CREATE");
  }

  @Test
  void twoRowsOfOneFileMayNotCreateLookAlikes() {
    UpdatePlan plan =
        engine.planUpdate(
            owner,
            List.of(
                new UpdateRow(2, Map.of("primaryEmail", "carl@example.com")),
                new UpdateRow(3, Map.of("primaryEmail", "cari@example.com")),
                new UpdateRow(4, Map.of("primaryEmail", "car1@example.com"))),
            creating(),
            BulkListener.NONE);
    assertThat(plan.rows())
        .extracting(r -> r.row() + ":" + r.kind())
        .containsExactly("2:TO_CREATE", "3:TO_CREATE", "4:ERROR");
  }

  @Test
  void theEmailFilterMatchesExactlyWhatUniquenessCallsOneIdentity() {
    stores
        .users()
        .insert(
            tenant,
            List.of(
                Fixtures.user(tenant, "jose"),
                Fixtures.user(tenant, "jose2").toBuilder()
                    .primaryEmail(EmailAddress.parse("jos\u00E9@example.com"))
                    .build()));
    assertThat(ids("primaryEmail eq \"jose@example.com\"")).containsExactly("jose");
    assertThat(ids("primaryEmail eq \"JOSE\u0301@example.com\"")).containsExactly("jose2");
    assertThat(ids("emails[value co \"jos\u00E9\"]")).containsExactly("jose2");
    assertThat(ids("primaryEmail sw \"jos\"")).containsExactlyInAnyOrder("jose", "jose2");
    assertThat(ids("primaryEmail eq \"\uFF41\uFF44\uFF4D\uFF49\uFF4E@example.com\""))
        .containsExactly("admin");
    assertThat(ids("primaryEmail co \"ren\u00E9\"")).containsExactly("rene");
    assertThat(ids("primaryEmail co \"rene\"")).isEmpty();
  }

  private List<String> ids(String filter) {
    return directory
        .search(
            owner,
            UserQuery.builder().filter(FilterParser.parse(filter, AttributeSchema.empty())).build())
        .items()
        .stream()
        .map(u -> u.id().value())
        .toList();
  }

  private static UpdateOptions creating() {
    return new UpdateOptions(
        UpdateOptions.MatchKey.EMAIL,
        Map.of(),
        Optional.empty(),
        true,
        UpdateOptions.ApplyMode.VALID_ROWS,
        0);
  }

  private UpdatePlan plan(String email, UpdateOptions options) {
    return engine.planUpdate(
        owner,
        List.of(new UpdateRow(2, Map.of("primaryEmail", email, "department", "Sales"))),
        options,
        BulkListener.NONE);
  }
}
