package dev.usermgmt.examples;

import dev.usermgmt.AccessDeniedException;
import dev.usermgmt.ConflictException;
import dev.usermgmt.access.Actor;
import dev.usermgmt.audit.ChangeSet;
import dev.usermgmt.directory.CreationChannel;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.memory.InMemoryStores;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.user.TenantId;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserDraft;
import dev.usermgmt.user.UserField;
import dev.usermgmt.user.UserPatch;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The main demo: builds a tenant of generated people and walks through the directory's rules with
 * visible output. Run it with the README's first command.
 */
public final class QuickStart {
  private final PrintStream out;

  QuickStart(PrintStream out) {
    this.out = out;
  }

  /**
   * Entry point.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    new QuickStart(new PrintStream(System.out, true, StandardCharsets.UTF_8))
        .run(InMemoryStores.create(), 3000);
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

    step("5. Two admins edit the same user: one wins, the other gets a version conflict");
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
