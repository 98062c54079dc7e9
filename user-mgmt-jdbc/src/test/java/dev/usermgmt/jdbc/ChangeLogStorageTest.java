package dev.usermgmt.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.StoreException;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.audit.ChangeSet;
import dev.usermgmt.audit.FieldDiff;
import dev.usermgmt.audit.UserChange;
import dev.usermgmt.jdbc.dialect.Dialect;
import dev.usermgmt.spi.ChangeLog;
import dev.usermgmt.testkit.Fixtures;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * How the change log keeps change sets in the database (migration V3): short ones as text, long
 * ones deflated; rows written as text before V3 still read; a row that cannot be read is a store
 * failure, and the database itself refuses a row with neither form.
 */
final class ChangeLogStorageTest {

  private static ChangeSet changeSet(TenantId t, int users) {
    ChangeSet.Builder b =
        ChangeSet.builder()
            .id(UserId.generate(Fixtures.T0, new Random()).value())
            .tenant(t)
            .actorDescription("test")
            .at(Fixtures.T0)
            .correlationId("c")
            .operation("bulk.update");
    for (int i = 0; i < users; i++) {
      b.addChanges(
          UserChange.builder()
              .userId(UserId.of(String.format(java.util.Locale.ROOT, "u%07d", i)))
              .kind(UserChange.Kind.UPDATED)
              .addDiffs(
                  FieldDiff.builder()
                      .field("department")
                      .before("Dept " + (i % 50) + " 1234-1")
                      .after("Dept " + (i % 50) + " 1234-2")
                      .build())
              .versionBefore(1L)
              .versionAfter(2L)
              .build());
    }
    return b.build();
  }

  /** The text and the deflated size of a stored change set. */
  private record Row(String text, int deflatedLength) {}

  private static Row row(Dialect d, TenantId t, long seq) throws SQLException {
    try (Connection c = Databases.dataSource(d).getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT doc, doc_deflated FROM um_change_log WHERE tenant_id = ? AND seq = ?")) {
      ps.setString(1, t.value());
      ps.setLong(2, seq);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        byte[] deflated = rs.getBytes(2);
        String text = rs.getString(1);
        return new Row(text == null ? "" : text, deflated == null ? -1 : deflated.length);
      }
    }
  }

  private static void insertRaw(
      Dialect d, TenantId t, long seq, String id, String text, byte[] deflated)
      throws SQLException {
    try (Connection c = Databases.dataSource(d).getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO um_change_log (tenant_id, seq, id, doc, doc_deflated)"
                    + " VALUES (?, ?, ?, ?, ?)")) {
      ps.setString(1, t.value());
      ps.setLong(2, seq);
      ps.setString(3, id);
      if (text.isEmpty()) {
        ps.setNull(4, Types.VARCHAR);
      } else {
        ps.setString(4, text);
      }
      if (deflated.length == 0) {
        ps.setNull(5, Types.VARBINARY);
      } else {
        ps.setBytes(5, deflated);
      }
      ps.executeUpdate();
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void shortChangeSetsStayTextAndLongOnesAreDeflated(Dialect d) throws SQLException {
    ChangeLog log = Databases.stores(d).changeLog();
    TenantId t = Fixtures.freshTenant();
    ChangeSet one = log.append(changeSet(t, 1));
    ChangeSet chunk = log.append(changeSet(t, 1000));

    Row small = row(d, t, one.sequence());
    assertThat(small.text()).isEqualTo(ChangeSetCodec.encode(one));
    assertThat(small.deflatedLength()).isEqualTo(-1);

    Row large = row(d, t, chunk.sequence());
    assertThat(large.text()).isEmpty();
    int textLength = ChangeSetCodec.encode(chunk).length();
    assertThat(textLength).isGreaterThan(ChangeSetCodec.DEFLATE_ABOVE);
    // a bulk chunk's text repeats itself: deflated it is a small part of it
    assertThat(large.deflatedLength()).isPositive().isLessThan(textLength / 5);
    assertThat(log.get(t, chunk.id())).contains(chunk);
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aLongChangeSetStoredAsTextBeforeVersion3StillReads(Dialect d) throws SQLException {
    ChangeLog log = Databases.stores(d).changeLog();
    TenantId t = Fixtures.freshTenant();
    ChangeSet old = changeSet(t, 500).withSequence(1);
    insertRaw(d, t, 1, old.id(), ChangeSetCodec.encode(old), new byte[0]);
    // as the append of that version left it: the tenant's counter at the row's sequence
    try (Connection c = Databases.dataSource(d).getConnection();
        PreparedStatement ps =
            c.prepareStatement("INSERT INTO um_tenants (tenant_id, log_seq) VALUES (?, 1)")) {
      ps.setString(1, t.value());
      ps.executeUpdate();
    }
    assertThat(log.get(t, old.id())).contains(old);
    // appends go on after it, and the user index is not needed to read it
    ChangeSet next = log.append(changeSet(t, 2));
    assertThat(log.page(t, 0, 10)).containsExactly(old, next);
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void anUnreadableChangeSetIsAStoreFailure(Dialect d) throws SQLException {
    ChangeLog log = Databases.stores(d).changeLog();
    TenantId t = Fixtures.freshTenant();
    insertRaw(d, t, 1, "garbled", "", new byte[] {1, 2, 3, 4, 5});
    assertThatThrownBy(() -> log.get(t, "garbled"))
        .isInstanceOf(StoreException.class)
        .extracting(e -> ((StoreException) e).code())
        .isEqualTo(ErrorCode.STORE_FAILURE);
  }

  /**
   * A stored text that does not read as a change set (a record cut short, an unknown record, a
   * value of the wrong form, a diff before any user) is a store failure naming the change set, as
   * an undeflatable one is, never the parser's own exception.
   */
  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aGarbledChangeSetTextIsAStoreFailure(Dialect d) throws SQLException {
    ChangeLog log = Databases.stores(d).changeLog();
    TenantId t = Fixtures.freshTenant();
    String good = ChangeSetCodec.encode(changeSet(t, 1).withSequence(1));
    List<String> garbled =
        List.of(
            good.replace("\nc|", "\nc\n"),
            good + "zz|1\n",
            good.replace("|UPDATED|", "|TWEAKED|"),
            good.replace("|UPDATED|1|", "|UPDATED|one|"),
            good.substring(0, good.indexOf("\nc|") + 1) + "d|department|\\0|x|\\0|0\n",
            good.replace("at|", "at|yesterday"));
    for (int i = 0; i < garbled.size(); i++) {
      String id = "garbled-" + i;
      assertThat(garbled.get(i)).isNotEqualTo(good);
      insertRaw(d, t, i + 1, id, garbled.get(i), new byte[0]);
      assertThatThrownBy(() -> log.get(t, id))
          .as(garbled.get(i))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("change set " + (i + 1))
          .extracting(e -> ((StoreException) e).code())
          .isEqualTo(ErrorCode.STORE_FAILURE);
    }
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void theDatabaseRefusesARowWithNeitherOrBothForms(Dialect d) {
    TenantId t = Fixtures.freshTenant();
    assertThatThrownBy(() -> insertRaw(d, t, 1, "neither", "", new byte[0]))
        .isInstanceOf(SQLException.class);
    assertThatThrownBy(() -> insertRaw(d, t, 2, "both", "id|x\n", new byte[] {1}))
        .isInstanceOf(SQLException.class);
  }
}
