package dev.usermgmt.examples;

import dev.usermgmt.TenantId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.access.FeatureFlag;
import dev.usermgmt.access.FeatureFlags;
import dev.usermgmt.bulk.BulkEngine;
import dev.usermgmt.bulk.BulkListener;
import dev.usermgmt.bulk.UpdateOptions;
import dev.usermgmt.bulk.UpdatePlan;
import dev.usermgmt.directory.CreateOptions;
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
import dev.usermgmt.query.FilterParser;
import dev.usermgmt.query.Page;
import dev.usermgmt.query.SortKey;
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

/** The README's embedding example: a test runs it, and checks the README shows this whole file. */
public final class Embedding {
  private Embedding() {}

  /**
   * Migrates, creates a user, searches, applies an update file and exports the view.
   *
   * @param dataSource the host's database
   * @param signingKey the host's secret for cursors and plans, the same on every instance
   * @param upload an update file (CSV, XLSX or XLS) as uploaded
   * @param out where the XLSX export goes
   * @return the first page of the Sales view, read before the update
   */
  public static Page<User> embed(
      DataSource dataSource, byte[] signingKey, InputStream upload, OutputStream out) {
    UserMgmtSchema.migrate(dataSource); // Flyway, with the library's own history table
    Stores stores = JdbcStores.create(dataSource); // the dialect is read from the connection
    UserDirectory directory =
        UserDirectory.builder()
            .stores(stores)
            .signingKey(signingKey) // required over a database: the same on every instance
            .roles(RoleCatalog.defaultCatalog())
            .featureFlags(FeatureFlags.of(Map.of(FeatureFlag.DEACTIVATE_USERS_EXCEL, true)))
            .settings(
                t -> TenantSettings.builder().addInternalEmailDomains("staff.example").build())
            .build();
    // Each call below needs the actor's rights (README, "Permissions"): creating needs
    // ADD_USERS, searching VIEW_USERS, the update file UPDATE_FROM_FILE and EDIT_USER, the
    // export EXPORT; the admin role holds them all.
    Actor admin =
        Actor.builder().tenant(TenantId.of("acme")).role(directory.roles().adminRole()).build();
    directory.create(
        admin,
        List.of(UserDraft.builder().primaryEmail(EmailAddress.parse("alex@example.com")).build()),
        CreateOptions.builder().sendInvitations(false).build());
    UserQuery sales =
        UserQuery.builder()
            .filter(FilterParser.parse("department eq \"Sales\"", directory.schema(admin.tenant())))
            .addSort(SortKey.asc("name"))
            .pageSize(25)
            .build(); // sales.toQueryString() and UserQuery.parse(…) carry it in a URL
    Page<User> page = directory.search(admin, sales); // page.nextCursor() for the next page
    BulkEngine bulk = BulkEngine.of(directory);
    try (TableReader file = TableReader.open(upload, ReadOptions.defaults());
        UpdateUpload update = UpdateUpload.open(file, MappingContext.of(directory, admin))) {
      var rows = update.collect(update.suggested()).rows(); // show and confirm the mapping first
      UpdatePlan plan = bulk.planUpdate(admin, rows, UpdateOptions.defaults(), BulkListener.NONE);
      bulk.applyUpdate(admin, plan, BulkListener.NONE); // plan.rows() is the preview
    }
    UserExporter.of(directory)
        .export(admin, sales, ExportSpec.defaults(), ExportFormat.XLSX, out, BulkListener.NONE);
    return page;
  }
}
