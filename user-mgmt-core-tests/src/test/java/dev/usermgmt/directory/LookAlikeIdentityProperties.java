package dev.usermgmt.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.UserMgmtException;
import dev.usermgmt.access.Actor;
import dev.usermgmt.bulk.BulkEngine;
import dev.usermgmt.bulk.BulkListener;
import dev.usermgmt.bulk.UpdateOptions;
import dev.usermgmt.bulk.UpdatePlan;
import dev.usermgmt.bulk.UpdateRow;
import dev.usermgmt.memory.InMemoryStores;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.DomainGenerators;
import dev.usermgmt.testkit.Fixtures;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserDraft;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/**
 * For random look-alike addresses created one by one, several at once, or from update files: no two
 * users of a tenant ever have confusable addresses (the same skeleton, other identities) unless the
 * creation allowed it.
 */
final class LookAlikeIdentityProperties {
  static final RoleCatalog ROLES = RoleCatalog.defaultCatalog();

  @Test
  void noTwoUsersOfATenantHaveConfusableAddressesUnlessAllowed() {
    Gen<List<String>> batch =
        SourceDSL.lists().of(DomainGenerators.lookAlikeEmailTexts()).ofSizeBetween(1, 4);
    Gen<List<List<String>>> batches = SourceDSL.lists().of(batch).ofSizeBetween(1, 8);
    Gen<List<Boolean>> viaFile = SourceDSL.lists().of(Generate.booleans()).ofSize(8);
    qt().withExamples(150)
        .forAll(batches, viaFile)
        .checkAssert(
            (texts, files) -> {
              TenantId tenant = TenantId.of("acme");
              Stores stores = InMemoryStores.create();
              stores
                  .users()
                  .insert(
                      tenant,
                      List.of(
                          Fixtures.user(tenant, "owner").toBuilder()
                              .role(ROLES.parse("owner"))
                              .build()));
              UserDirectory directory = UserDirectory.builder().stores(stores).build();
              BulkEngine engine = BulkEngine.of(directory);
              Actor owner =
                  Actor.builder()
                      .tenant(tenant)
                      .userId(UserId.of("owner"))
                      .role(ROLES.parse("owner"))
                      .build();
              for (int i = 0; i < texts.size(); i++) {
                List<EmailAddress> emails = new ArrayList<>();
                texts.get(i).forEach(t -> EmailAddress.tryParse(t).ifPresent(emails::add));
                if (emails.isEmpty()) {
                  continue;
                }
                if (files.get(i)) {
                  List<UpdateRow> rows = new ArrayList<>();
                  for (int r = 0; r < emails.size(); r++) {
                    rows.add(
                        new UpdateRow(
                            r + 2,
                            Map.of("primaryEmail", emails.get(r).value(), "firstName", "F")));
                  }
                  UpdatePlan plan =
                      engine.planUpdate(
                          owner,
                          rows,
                          new UpdateOptions(
                              UpdateOptions.MatchKey.EMAIL,
                              Map.of(),
                              Optional.empty(),
                              true,
                              UpdateOptions.ApplyMode.VALID_ROWS,
                              0),
                          BulkListener.NONE);
                  engine.applyUpdate(owner, plan, BulkListener.NONE);
                } else {
                  List<UserDraft> drafts = new ArrayList<>();
                  emails.forEach(
                      e ->
                          drafts.add(
                              UserDraft.builder()
                                  .firstName("F")
                                  .lastName("L")
                                  .primaryEmail(e)
                                  .build()));
                  try {
                    directory.create(owner, drafts);
                  } catch (UserMgmtException refused) {
                    // taken or confusable: nothing written, which the check below sees
                  }
                }
              }
              Map<String, String> keyBySkeleton = new HashMap<>();
              for (User u : stores.users().scan(tenant, Optional.empty(), 10_000)) {
                EmailAddress e = u.primaryEmail().orElseThrow();
                String other = keyBySkeleton.putIfAbsent(e.skeleton(), e.key());
                assertThat(other == null || other.equals(e.key()))
                    .as("%s is confusable with %s", e.key(), other)
                    .isTrue();
              }
            });
  }
}
