package dev.usermgmt.examples;

import dev.usermgmt.TenantId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.access.FeatureFlag;
import dev.usermgmt.access.FeatureFlags;
import dev.usermgmt.bulk.BulkEngine;
import dev.usermgmt.bulk.BulkListener;
import dev.usermgmt.bulk.UpdateOptions;
import dev.usermgmt.bulk.UpdatePlan;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.io.export.ExportFormat;
import dev.usermgmt.io.export.ExportSpec;
import dev.usermgmt.io.export.UserExporter;
import dev.usermgmt.io.mapping.MappingContext;
import dev.usermgmt.io.mapping.UpdateUpload;
import dev.usermgmt.io.table.ReadOptions;
import dev.usermgmt.io.table.TableReader;
import dev.usermgmt.jdbc.JdbcStores;
import dev.usermgmt.jdbc.UserMgmtSchema;
import dev.usermgmt.query.Page;
import dev.usermgmt.query.UserQuery;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.tenant.TenantSettings;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserDraft;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The README's embedding example, compiled with the build and run by a test; the README quotes the
 * lines between the markers.
 */
final class Embedding {
  private Embedding() {}

  /** Migrates, creates a user, searches, applies an update file and exports the view. */
  static Page<User> embed(
      DataSource dataSource, byte[] signingKey, InputStream upload, OutputStream out) {
    // README:begin
    UserMgmtSchema.migrate(dataSource); // Flyway, with the library's own history table
    Stores stores = JdbcStores.create(dataSource); // the dialect is read from the connection
    UserDirectory directory =
        UserDirectory.builder()
            .stores(stores)
            .signingKey(signingKey) // the same secret on every instance, from the configuration
            .roles(RoleCatalog.defaultCatalog())
            .featureFlags(FeatureFlags.of(Map.of(FeatureFlag.DEACTIVATE_USERS_EXCEL, true)))
            .settings(
                t -> TenantSettings.builder().addInternalEmailDomains("staff.example").build())
            .build();
    Actor admin =
        Actor.builder().tenant(TenantId.of("acme")).role(directory.roles().adminRole()).build();
    directory.create(
        admin,
        List.of(UserDraft.builder().primaryEmail(EmailAddress.parse("alex@example.com")).build()));
    UserQuery sales =
        UserQuery.parse(
            "filter=department+eq+%22Sales%22&sortBy=name", directory.schema(admin.tenant()));
    Page<User> page = directory.search(admin, sales);
    BulkEngine bulk = BulkEngine.of(directory);
    try (TableReader file = TableReader.open(upload, ReadOptions.defaults());
        UpdateUpload update = UpdateUpload.open(file, MappingContext.of(directory, admin))) {
      var rows = update.collect(update.suggested()).rows(); // show and confirm the mapping first
      UpdatePlan plan = bulk.planUpdate(admin, rows, UpdateOptions.defaults(), BulkListener.NONE);
      bulk.applyUpdate(admin, plan, BulkListener.NONE); // plan.rows() is the preview
    }
    UserExporter.of(directory)
        .export(admin, sales, ExportSpec.defaults(), ExportFormat.XLSX, out, BulkListener.NONE);
    // README:end
    return page;
  }
}
