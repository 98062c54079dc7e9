package dev.usermgmt.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.usermgmt.InvalidInputException;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.jdbc.dialect.Dialect;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.DomainGenerators;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserField;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

/**
 * An update that knows the stored users sets only the columns whose sources changed. For random
 * users and random mixes of their fields with another user's (the address among them, also written
 * with ß for ss, which keeps its identity key but not its folded form), every column of the updated
 * row must equal what an insert of the same user writes, and the user must read back as written, on
 * every database.
 */
final class ChangedColumnsProperties {
  private static final RoleCatalog ROLES = RoleCatalog.defaultCatalog();
  private static final TenantId GEN = TenantId.of("gen");

  /** Columns that differ between the two tenants' rows by design. */
  private static final Set<String> NOT_COMPARED = Set.of("tenant_id", "write_token", "doc");

  /**
   * One user's change: the stored user, a donor of new values, which fields change, a seed for
   * their new values, and what happens to the address.
   */
  private record Change(User stored, User donor, long fields, long values, int email) {}

  private static Gen<List<Change>> changes() {
    Gen<Change> one =
        DomainGenerators.users(GEN, ROLES)
            .zip(
                DomainGenerators.users(GEN, ROLES),
                SourceDSL.longs().all(),
                SourceDSL.longs().all(),
                SourceDSL.integers().between(0, 2),
                Change::new);
    return SourceDSL.lists().of(one).ofSizeBetween(1, 6);
  }

  /** {@code before} with the chosen fields of the donor; the address kept, respelt or replaced. */
  private static User mix(Change ch, User before, int index) {
    User after = before;
    UserField[] fields = UserField.values();
    for (int k = 0; k < fields.length; k++) {
      UserField f = fields[k];
      if (f == UserField.PRIMARY_EMAIL || (ch.fields() & (1L << k)) == 0) {
        continue;
      }
      try {
        after = f.set(after, value(f, ch));
      } catch (InvalidInputException e) {
        // a combination the user's own checks refuse (a required contact cleared): keep the field
      }
    }
    if ((ch.fields() & (1L << 62)) != 0) {
      after = after.toBuilder().attributes(ch.donor().attributes()).build();
    }
    String address = before.primaryEmail().orElseThrow().value();
    after =
        switch (ch.email()) {
          case 1 ->
              after.toBuilder()
                  .primaryEmail(EmailAddress.parse(address.replace("strasse", "straße")))
                  .build();
          case 2 ->
              after.toBuilder()
                  .primaryEmail(EmailAddress.parse("moved." + index + "@example.org"))
                  .build();
          default -> after;
        };
    return after.toBuilder()
        .version(before.version() + 1)
        .updatedAt(ch.donor().updatedAt())
        .build();
  }

  /**
   * The new value of a field: one of a few values of its kind ({@link DomainGenerators#valuesOf}),
   * or the donor's.
   */
  private static Optional<?> value(UserField f, Change ch) {
    List<Optional<?>> values = DomainGenerators.valuesOf(f);
    if (values.isEmpty()) {
      return f.get(ch.donor());
    }
    return values.get(new java.util.Random(ch.values() * 31 + f.ordinal()).nextInt(values.size()));
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void updatedRowsHoldTheColumnsAnInsertWrites(Dialect dialect) {
    Stores stores = Databases.stores(dialect);
    DataSource ds = Databases.dataSource(dialect);
    AtomicInteger run = new AtomicInteger();
    qt().withExamples(dialect == Dialect.H2 ? 100 : 50)
        .forAll(changes())
        .checkAssert(
            changes -> {
              int n = run.incrementAndGet();
              TenantId updated = TenantId.of("cols-" + dialect + "-u" + n);
              TenantId inserted = TenantId.of("cols-" + dialect + "-i" + n);
              List<User> before = new ArrayList<>();
              List<User> after = new ArrayList<>();
              for (int i = 0; i < changes.size(); i++) {
                Change ch = changes.get(i);
                User b =
                    ch.stored().toBuilder()
                        .tenant(updated)
                        .id(UserId.of("u" + i))
                        .managerId(Optional.empty()) // the generated one may be the new id
                        .version(1)
                        .primaryEmail(EmailAddress.parse("strasse." + i + "@example.com"))
                        .build();
                before.add(b);
                after.add(mix(ch, b, i));
              }
              stores.users().insert(updated, before);
              stores.users().update(updated, before, after);
              stores
                  .users()
                  .insert(
                      inserted,
                      after.stream().map(u -> u.toBuilder().tenant(inserted).build()).toList());

              assertThat(StoredRows.users(ds, updated, NOT_COMPARED))
                  .isEqualTo(StoredRows.users(ds, inserted, NOT_COMPARED));
              for (User u : after) {
                assertThat(stores.users().get(updated, u.id())).contains(u);
              }
            });
  }
}
