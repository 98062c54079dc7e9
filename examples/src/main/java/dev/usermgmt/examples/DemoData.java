package dev.usermgmt.examples;

import dev.usermgmt.UserId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.access.FeatureFlag;
import dev.usermgmt.access.FeatureFlags;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.tenant.TenantSettings;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.UserDraft;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/** Deterministic generated people: departments, locations, a manager tree. */
final class DemoData {
  static final List<String> DEPARTMENTS =
      List.of("Sales", "Engineering", "Support", "Finance", "People Ops", "Marketing");
  static final List<String> LOCATIONS = List.of("London", "Berlin", "Austin", "São Paulo");
  private static final List<String> FIRST =
      List.of(
          "Alex", "Sam", "Jordan", "Kim", "Lee", "Zoë", "Max", "Noor", "Ana", "Ravi", "Mia", "Tom");
  private static final List<String> LAST =
      List.of("Doe", "Lee", "Smith", "Nguyen", "García", "Okafor", "Müller", "Rossi", "Kowalski");

  /** The vendor's internal e-mail domain in the demos (configuration, never a constant). */
  static final String INTERNAL_DOMAIN = "support.vendor.example";

  /**
   * The other JSON and form names the demo host accepts for the deactivation request's "allow
   * internal e-mails" flag: the reference product's own, named after its vendor (configuration of
   * this host, never a constant of the library).
   */
  static final List<String> VENDOR_FLAG_ALIASES = List.of("allowJunoInternalEmails");

  /**
   * The demos' signing key for page cursors and plans. A host keeps its own secret in its
   * configuration and gives every instance the same one; this constant is for the demos only.
   */
  static final byte[] SIGNING_KEY =
      "demo key: never use a published key".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  private DemoData() {}

  /**
   * The demos' directory: the given stores, the default role catalog, deactivation from files
   * switched on, and the vendor's internal domain configured.
   */
  static UserDirectory directory(Stores stores, RoleCatalog roles) {
    return UserDirectory.builder()
        .stores(stores)
        .signingKey(SIGNING_KEY)
        .roles(roles)
        .featureFlags(FeatureFlags.of(Map.of(FeatureFlag.DEACTIVATE_USERS_EXCEL, true)))
        .settings(t -> TenantSettings.builder().addInternalEmailDomains(INTERNAL_DOMAIN).build())
        .build();
  }

  /**
   * The reference's example users, so that its example requests get its example answers: Alex Doe
   * (active, to deactivate) and Sam Lee (already inactive); jordan@example.com is not a user.
   */
  static void referenceExamples(UserDirectory directory, Actor setup) {
    directory.create(
        setup,
        List.of(
            UserDraft.builder()
                .id(UserId.of("ref-alex"))
                .firstName("Alex")
                .lastName("Doe")
                .primaryEmail(EmailAddress.parse("alex@example.com"))
                .build(),
            UserDraft.builder()
                .id(UserId.of("ref-sam"))
                .firstName("Sam")
                .lastName("Lee")
                .primaryEmail(EmailAddress.parse("sam@example.com"))
                .build()));
    directory.deactivate(setup, UserId.of("ref-sam"));
  }

  /** Creates the people in batches of 500, reporting progress. */
  static void create(UserDirectory directory, Actor setup, int n, java.io.PrintStream out) {
    List<UserDraft> drafts = people(n, directory.roles());
    for (int i = 0; i < drafts.size(); i += 500) {
      directory.create(setup, drafts.subList(i, Math.min(drafts.size(), i + 500)));
      out.printf("   created %d / %d%n", Math.min(drafts.size(), i + 500), drafts.size());
    }
  }

  /**
   * Drafts of {@code n} people: user 0 is the CEO, each department has a head reporting to the CEO,
   * everyone else reports to a head or to a team lead.
   */
  static List<UserDraft> people(int n, RoleCatalog roles) {
    Random random = new Random(7);
    List<UserDraft> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String first = FIRST.get(random.nextInt(FIRST.size()));
      String last = LAST.get(random.nextInt(LAST.size()));
      String dept = DEPARTMENTS.get(i % DEPARTMENTS.size());
      UserDraft.Builder b =
          UserDraft.builder()
              .id(id(i))
              .firstName(first)
              .lastName(last)
              .primaryEmail(
                  EmailAddress.parse(ascii(first) + "." + ascii(last) + "." + i + "@example.com"))
              .department(dept)
              .location(LOCATIONS.get(random.nextInt(LOCATIONS.size())))
              .jobTitle(i == 0 ? "CEO" : i <= DEPARTMENTS.size() ? "Head of " + dept : "Specialist")
              .employeeId(String.format(Locale.ROOT, "%06d", i))
              .hireDate(LocalDate.of(2015, 1, 1).plusDays(random.nextInt(3500)))
              .role(
                  i == 0
                      ? roles.parse("owner")
                      : i <= DEPARTMENTS.size() ? roles.parse("manager") : roles.defaultRole());
      if (i > 0) {
        b.managerId(i <= DEPARTMENTS.size() ? id(0) : id(1 + i % DEPARTMENTS.size()));
      }
      out.add(b.build());
    }
    return out;
  }

  static UserId id(int i) {
    return UserId.of(String.format(Locale.ROOT, "emp-%05d", i));
  }

  private static String ascii(String s) {
    return java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFKD)
        .replaceAll("[^A-Za-z]", "")
        .toLowerCase(Locale.ROOT);
  }
}
