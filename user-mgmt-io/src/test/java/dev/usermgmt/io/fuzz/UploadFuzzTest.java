package dev.usermgmt.io.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.attribute.AttributeSchema;
import dev.usermgmt.attribute.AttributeType;
import dev.usermgmt.bulk.BulkLimits;
import dev.usermgmt.io.mapping.ActionUpload;
import dev.usermgmt.io.mapping.DeactivationUpload;
import dev.usermgmt.io.mapping.MappingContext;
import dev.usermgmt.io.mapping.UpdateUpload;
import dev.usermgmt.io.table.TableReader;
import dev.usermgmt.role.RoleCatalog;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Set;

/**
 * Fuzzes the upload adapters (update, deactivation and action files) over {@link TableReader}:
 * layout detection, header mapping, value parsing and row shapes. Seeds under {@code
 * src/test/resources/dev/usermgmt/io/fuzz/UploadFuzzTestInputs/}.
 */
final class UploadFuzzTest {
  static final MappingContext CONTEXT =
      new MappingContext(
          AttributeSchema.of(
              List.of(
                  AttributeDefinition.builder()
                      .key("level")
                      .label("Level")
                      .type(AttributeType.NUMBER)
                      .build(),
                  AttributeDefinition.builder()
                      .key("start")
                      .label("Start")
                      .type(AttributeType.DATE)
                      .build())),
          RoleCatalog.defaultCatalog(),
          "GB",
          Set.of("LMS"));

  static TableReader open(byte[] data) {
    return TableReader.open(new ByteArrayInputStream(data), TableReaderFuzzTest.LIMITS);
  }

  @FuzzTest(maxDuration = "10m")
  void uploads(byte[] data) {
    FuzzInvariant.holds(
        () -> {
          try (UpdateUpload upload = UpdateUpload.open(open(data), CONTEXT)) {
            upload.collect(upload.suggested());
          }
        });
    FuzzInvariant.holds(
        () -> {
          try (TableReader r = open(data)) {
            DeactivationUpload d = DeactivationUpload.read(r, BulkLimits.DEFAULT);
            d.problems();
            d.request(false);
          }
        });
    FuzzInvariant.holds(
        () -> {
          try (TableReader r = open(data)) {
            ActionUpload.read(r);
          }
        });
  }
}
