package dev.usermgmt.examples;

import dev.usermgmt.AccessDeniedException;
import dev.usermgmt.ConflictException;
import dev.usermgmt.access.Actor;
import dev.usermgmt.audit.ChangeSet;
import dev.usermgmt.directory.CreationChannel;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.jdbc.JdbcStores;
import dev.usermgmt.jdbc.dialect.Dialect;
import dev.usermgmt.query.Page;
import dev.usermgmt.query.UserQuery;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.user.TenantId;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserDraft;
import dev.usermgmt.user.UserField;
import dev.usermgmt.user.UserPatch;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
    UserDirectory directory = UserDirectory.builder().stores(stores).roles(roles).build();
    TenantId tenant = TenantId.of("acme");
    Actor setup = Actor.builder().tenant(tenant).role(roles.parse("owner")).build();

    step("1. Create " + people + " people across departments, with a manager hierarchy");
    List<UserDraft> drafts = DemoData.people(people, roles);
    for (int i = 0; i < drafts.size(); i += 500) {
      directory.create(
          setup,
          drafts.subList(i, Math.min(drafts.size(), i + 500)),
          CreationChannel.MANUAL,
          false);
      out.printf("   created %d / %d%n", Math.min(drafts.size(), i + 500), drafts.size());
    }
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
    out.println("\nDone.");
  }

  private void step(String title) {
    out.println();
    out.println(title);
  }
}
