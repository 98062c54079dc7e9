package dev.usermgmt.examples;

import dev.usermgmt.AccessDeniedException;
import dev.usermgmt.ConflictException;
import dev.usermgmt.TenantId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.audit.ChangeSet;
import dev.usermgmt.bulk.BulkEngine;
import dev.usermgmt.bulk.BulkLimits;
import dev.usermgmt.bulk.BulkListener;
import dev.usermgmt.bulk.DeactivationPlan;
import dev.usermgmt.bulk.DeactivationResult;
import dev.usermgmt.bulk.PlannedUser;
import dev.usermgmt.bulk.RowPreview;
import dev.usermgmt.bulk.UpdateOptions;
import dev.usermgmt.bulk.UpdatePlan;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.io.export.ExportColumn;
import dev.usermgmt.io.export.ExportFormat;
import dev.usermgmt.io.export.ExportSpec;
import dev.usermgmt.io.export.UserExporter;
import dev.usermgmt.io.mapping.ColumnMapping;
import dev.usermgmt.io.mapping.DeactivationUpload;
import dev.usermgmt.io.mapping.EmailColumns;
import dev.usermgmt.io.mapping.MappingContext;
import dev.usermgmt.io.mapping.UpdateUpload;
import dev.usermgmt.io.table.ReadOptions;
import dev.usermgmt.io.table.TableReader;
import dev.usermgmt.jdbc.JdbcStores;
import dev.usermgmt.jdbc.dialect.Dialect;
import dev.usermgmt.query.Page;
import dev.usermgmt.query.UserQuery;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserField;
import dev.usermgmt.user.UserPatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The main demo: opens an embedded H2 database file, applies the migrations, builds a tenant of
 * generated people and walks through the directory's rules with visible output. Run it with the
 * README's first command.
 */
public final class QuickStart {
  private final PrintStream out;

  QuickStart(PrintStream out) {
    this.out = out;
  }

  /**
   * Entry point.
   *
   * @param args optionally the database file (without {@code .mv.db})
   */
  @SuppressWarnings("try") // the connection is held open, not used
  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    Path file = Path.of(args.length > 0 ? args[0] : "target/quickstart/usermgmt").toAbsolutePath();
    out.println("Embedded H2 database: " + file + ".mv.db (recreated on every run)");
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:" + file);
    ds.setUser("sa");
    Flyway flyway =
        Flyway.configure()
            .dataSource(ds)
            .locations(Dialect.H2.migrationLocation())
            .cleanDisabled(false)
            .load();
    flyway.clean();
    flyway.migrate();
    out.println("Migrations applied: " + Dialect.H2.migrationLocation());
    // H2 closes a file database with its last connection: keep one open while the demo runs
    try (java.sql.Connection keepOpen = ds.getConnection()) {
      new QuickStart(out).run(JdbcStores.create(ds), 3000);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("cannot open the demo database", e);
    }
  }

  void run(Stores stores, int people) {
    RoleCatalog roles = RoleCatalog.defaultCatalog();
    UserDirectory directory = DemoData.directory(stores, roles);
    TenantId tenant = TenantId.of("acme");
    Actor setup = Actor.builder().tenant(tenant).role(roles.parse("owner")).build();

    step("1. Create " + people + " people across departments, with a manager hierarchy");
    DemoData.create(directory, setup, people, out);
    User ceo = stores.users().get(tenant, DemoData.id(0)).orElseThrow();
    User head = stores.users().get(tenant, DemoData.id(1)).orElseThrow();
    User someone = stores.users().get(tenant, DemoData.id(42)).orElseThrow();
    out.printf(
        "   %s reports to %s%n",
        someone.displayName(),
        directory.ancestors(Actor.forUser(ceo, roles).build(), someone.id()).stream()
            .map(User::displayName)
            .toList());

    step("2. A learner may not deactivate anyone: the policy says which rule");
    Actor learner = Actor.forUser(someone, roles).build();
    try {
      directory.deactivate(learner, head.id());
    } catch (AccessDeniedException e) {
      out.println("   denied: " + e.decision());
    }

    step("3. The owner deactivates a user (sign-in blocked, data kept, role Blocked)");
    Actor owner = Actor.forUser(ceo, roles).build();
    User off = directory.deactivate(owner, someone.id());
    out.printf(
        "   %s is %s, effective role %s%n",
        off.displayName(), off.status(), off.effectiveRole(roles));

    step("4. Every change is a change set; undo restores it");
    List<ChangeSet> log = directory.changeLog(owner, 0, Integer.MAX_VALUE);
    ChangeSet last = log.get(log.size() - 1);
    out.printf(
        "   %d change sets; the last: %s by %s, %s%n",
        log.size(), last.operation(), last.actorDescription(), last.changes().get(0).diffs());
    directory.undo(owner, last.id());
    out.println(
        "   after undo: " + stores.users().get(tenant, someone.id()).orElseThrow().status());

    step("5. A filtered, sorted page, as the users table asks for it in its URL");
    UserQuery query =
        UserQuery.parse(
            "filter=department+eq+%22Sales%22+and+location+eq+%22London%22&sortBy=-hireDate&pageSize=5&total=true",
            directory.schema(tenant));
    Page<User> page = directory.search(owner, query);
    out.printf(
        "   %s → %d matches; first page:%n", query.filter().orElseThrow(), page.total().orElse(0));
    page.items()
        .forEach(
            u ->
                out.printf(
                    "   %-24s %-12s hired %s%n",
                    u.displayName(), u.department().orElse(""), u.hireDate().orElseThrow()));
    out.println(
        "   next page cursor: "
            + page.nextCursor().map(c -> c.substring(0, 12) + "…").orElse("(none)"));

    step("6. Two admins edit the same user: one wins, the other gets a version conflict");
    User current = stores.users().get(tenant, head.id()).orElseThrow();
    directory.edit(
        owner,
        head.id(),
        current.version(),
        UserPatch.builder().set(UserField.JOB_TITLE, "VP Sales").build());
    try {
      directory.edit(
          owner,
          head.id(),
          current.version(),
          UserPatch.builder().set(UserField.JOB_TITLE, "CRO").build());
    } catch (ConflictException e) {
      out.println("   second edit refused: " + e.getMessage());
    }
    files(stores, directory, owner, tenant);
    out.println("\nDone.");
  }

  /** The file wizards: deactivate from a file, update from a file, export. */
  private void files(Stores stores, UserDirectory directory, Actor owner, TenantId tenant) {
    RoleCatalog roles = directory.roles();
    BulkEngine bulk = BulkEngine.of(directory);
    Actor support =
        Actor.builder().tenant(tenant).role(roles.parse("support")).supportLevel(2).build();
    directory.deactivate(owner, DemoData.id(9)); // Mia left last month

    step("7. Deactivate from a file: the dry run of demo/deactivate.csv");
    DeactivationPlan plan;
    try (TableReader reader =
        TableReader.open(resource("demo/deactivate.csv"), ReadOptions.defaults())) {
      DeactivationUpload upload = DeactivationUpload.read(reader, BulkLimits.DEFAULT);
      EmailColumns.Candidate column = upload.emailColumns().require();
      out.printf(
          "   e-mail column detected: '%s' (%d of %d cells are addresses)%n",
          column.header(), column.valid(), column.nonBlank());
      plan =
          bulk.planDeactivation(support, upload.request(column.index(), false), BulkListener.NONE);
    }
    out.println("   to deactivate:    " + names(plan.toDeactivate()));
    out.println("   already inactive: " + names(plan.alreadyInactive()));
    out.println("   not found:        " + plan.notFound());
    out.println("   invalid:          " + plan.invalid());
    out.println("   internal (kept):  " + plan.excludedInternal());

    step("8. Apply the plan");
    DeactivationResult result = bulk.applyDeactivation(support, plan, BulkListener.NONE);
    out.printf(
        "   deactivatedCount %d, failedEmails %s%n",
        result.deactivatedCount(), result.failedEmails());

    step("9. Undo the whole apply");
    bulk.undo(owner, result.changeSetIds());
    out.println(
        "   Alex Okafor is " + stores.users().get(tenant, DemoData.id(7)).orElseThrow().status());

    step("10. Update from a file: the preview of demo/update.csv (semicolons, day-first dates)");
    UpdatePlan update;
    try (TableReader reader =
            TableReader.open(resource("demo/update.csv"), ReadOptions.defaults());
        UpdateUpload upload = UpdateUpload.open(reader, MappingContext.of(directory, owner))) {
      ColumnMapping mapping = upload.suggested();
      mapping
          .columns()
          .forEach(
              c ->
                  out.printf(
                      "   column %s '%s' -> %s%n",
                      c.letter(), c.header(), c.field().orElse("(unmapped)")));
      UpdateUpload.MappedRows rows = upload.collect(mapping);
      update = bulk.planUpdate(owner, rows.rows(), UpdateOptions.defaults(), BulkListener.NONE);
    }
    for (RowPreview r : update.rows()) {
      String detail =
          switch (r.kind()) {
            case CHANGED ->
                r.diffs().stream()
                    .map(
                        d ->
                            d.field()
                                + ": "
                                + d.before().orElse("")
                                + " -> "
                                + d.after().orElse(""))
                    .toList()
                    .toString();
            case ERROR -> r.problems().stream().map(p -> p.message()).toList().toString();
            default -> "";
          };
      out.printf("   row %d %-10s %s %s%n", r.row(), r.kind(), r.key(), detail);
    }

    step("11. Export the Sales view to XLSX (the User column expanded)");
    Path file = Path.of("target/quickstart/sales.xlsx").toAbsolutePath();
    UserQuery view =
        UserQuery.parse(
            "filter=department+eq+%22Sales%22&sortBy=name&pageSize=250", directory.schema(tenant));
    try (OutputStream os = newFile(file)) {
      long n =
          UserExporter.of(directory)
              .export(
                  owner,
                  view,
                  ExportSpec.of(ExportColumn.USER, ExportColumn.PERMISSION),
                  ExportFormat.XLSX,
                  os,
                  (stage, done, total) -> out.printf("   %s: %d users written%n", stage, done));
      out.printf("   %d users exported to %s%n", n, file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static OutputStream newFile(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.newOutputStream(file);
  }

  private static List<String> names(List<PlannedUser> users) {
    return users.stream()
        .map(u -> u.displayName() + " <" + u.primaryEmail().orElse("") + ">")
        .toList();
  }

  private static InputStream resource(String name) {
    InputStream in = QuickStart.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException("missing demo file " + name);
    }
    return in;
  }

  private void step(String title) {
    out.println();
    out.println(title);
  }
}
