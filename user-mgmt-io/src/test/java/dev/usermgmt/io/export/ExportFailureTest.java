package dev.usermgmt.io.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.StoreException;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.UserMgmtException;
import dev.usermgmt.access.Actor;
import dev.usermgmt.bulk.BulkListener;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.io.table.ReadOptions;
import dev.usermgmt.io.table.TableReader;
import dev.usermgmt.io.table.TableRow;
import dev.usermgmt.memory.InMemoryStores;
import dev.usermgmt.query.UserQuery;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.testkit.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Exports of values the readers refuse, and exports to a full disk (issue 17). */
final class ExportFailureTest {
  final TenantId tenant = Fixtures.freshTenant();
  final Stores stores = InMemoryStores.create();
  final UserDirectory directory = UserDirectory.builder().stores(stores).build();
  final Actor admin =
      Actor.builder()
          .tenant(tenant)
          .userId(UserId.of("admin"))
          .role(RoleCatalog.defaultCatalog().adminRole())
          .build();

  void store(String department) {
    stores
        .users()
        .insert(
            tenant,
            List.of(Fixtures.user(tenant, "u1").toBuilder().department(department).build()));
  }

  byte[] export(ExportFormat format, OutputStream out) {
    UserExporter.of(directory)
        .export(
            admin,
            UserQuery.builder().build(),
            ExportSpec.defaults(),
            format,
            out,
            BulkListener.NONE);
    return out instanceof ByteArrayOutputStream b ? b.toByteArray() : new byte[0];
  }

  @Test
  void whatTheValueModelAcceptsACsvExportGivesBackUnchanged() {
    // the value model refuses NUL, the other C0 controls and lone surrogates at input, so no user
    // holds one; everything it accepts comes back from the library's own reader as it was
    assertThatThrownBy(() -> store("R\u0000&D"))
        .isInstanceOf(UserMgmtException.class)
        .satisfies(
            e -> assertThat(((UserMgmtException) e).code()).isEqualTo(ErrorCode.INVALID_VALUE));
    assertThatThrownBy(() -> store("R\u0001 \uD800team")).isInstanceOf(UserMgmtException.class);
    String department = "R&D\tnorth \"wing\", floor\r\n2 \uD83D\uDE00 \u00e9";
    store(department);
    byte[] csv = export(ExportFormat.CSV, new ByteArrayOutputStream());
    List<TableRow> rows;
    try (TableReader r = TableReader.open(new ByteArrayInputStream(csv), ReadOptions.defaults())) {
      rows = r.rows().toList();
    }
    assertThat(rows).hasSize(2);
    int column = rows.get(0).texts().indexOf("department");
    assertThat(column).isNotNegative();
    assertThat(rows.get(1).text(column)).isEqualTo(department);
  }

  @ParameterizedTest
  @EnumSource(ExportFormat.class)
  void aFullDiskIsAnIoFailure(ExportFormat format) {
    store("Sales");
    OutputStream full =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            throw new IOException("No space left on device");
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            throw new IOException("No space left on device");
          }
        };
    assertThatThrownBy(() -> export(format, full))
        .isInstanceOf(StoreException.class)
        .satisfies(e -> assertThat(((UserMgmtException) e).code()).isEqualTo(ErrorCode.IO_FAILURE))
        .hasMessageContaining("No space left on device");
  }
}
