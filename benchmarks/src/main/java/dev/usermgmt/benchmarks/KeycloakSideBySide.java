package dev.usermgmt.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.usermgmt.TenantId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.jdbc.JdbcStores;
import dev.usermgmt.jdbc.UserMgmtSchema;
import dev.usermgmt.query.Page;
import dev.usermgmt.query.SortKey;
import dev.usermgmt.query.UserQuery;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.user.EmailAddress;
import dev.usermgmt.user.User;
import dev.usermgmt.user.UserDraft;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.flywaydb.core.Flyway;

/**
 * The library beside its peer: bulk create, one-at-a-time create and a deep page, the same users
 * (username, e-mail, first and last name; no passwords) on the same PostgreSQL server, through the
 * library embedded in this JVM and through Keycloak's admin REST API. Long (minutes per size) and
 * it downloads and starts a server, so it is not part of {@code mvn verify}; one command runs it:
 *
 * <pre>
 * ./mvnw -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.usermgmt.benchmarks.Report keycloak
 * </pre>
 *
 * <p>or directly, with the library's database, its user, the sizes and Keycloak's database:
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.usermgmt.benchmarks.KeycloakSideBySide \
 *     [library-jdbc-url] [user] [sizes] [keycloak-jdbc-url]
 * </pre>
 *
 * <p>Defaults: {@code jdbc:postgresql://127.0.0.1:5432/test}, {@code postgres}, {@code
 * 10000,50000}, and the database {@code keycloak} on the library's server. Both databases are
 * EMPTIED: the library's is CLEANED and migrated before every bulk-create round, Keycloak's {@code
 * public} schema is dropped before the server starts (the server then creates its tables). The
 * Keycloak distribution ({@code org.keycloak:keycloak-quarkus-dist}, version {@value
 * KeycloakServer#DEFAULT_VERSION} unless {@code -Dkeycloak.version} says otherwise) is downloaded
 * from Maven Central once, into {@code ~/.cache/user-mgmt-bench} ({@code -Dkeycloak.cache}), and
 * started in production mode with a {@value KeycloakServer#DEFAULT_HEAP} heap ({@code
 * -Dkeycloak.heap}) on Java 21+ ({@code KEYCLOAK_JAVA_HOME}, else a JDK 21+ found on the machine).
 * The server is stopped at the end, also when the run fails. Sizes 10,000 and 50,000 take about 15
 * minutes on two cores ({@code KEYCLOAK_BATCHES=100,1000}; one request of 10,000 users runs into
 * Keycloak's 300 s transaction timeout).
 *
 * <p>Per size N, each line through {@link Pairs} (alternating pairs, both sides' results compared):
 *
 * <ol>
 *   <li><b>bulk create</b> of N users: the directory's create in calls of 1,000 (all or none per
 *       call, as the Employees page's "add users" does) on a freshly cleaned and migrated,
 *       never-analyzed schema (the library's worst case), against {@code POST
 *       /admin/realms/{realm}/partialImport} into a new realm on a Keycloak database with
 *       statistics (ANALYZEd before each import while the previous realm still held its users, as
 *       autovacuum keeps a running server's: without them PostgreSQL finds Keycloak's e-mail check
 *       through the realm index and reads every user of the realm for each one added, and the
 *       import slows with the square of its size). Keycloak gets the fastest of one request with
 *       all N users, requests of 1,000 and requests of 100 (each tried once per size first, and
 *       printed; one more than twice as slow as the best is not tried again at a larger size, and
 *       when one is left it is not tried first; {@code -Dkeycloak.batches} or {@code
 *       KEYCLOAK_BATCHES}, default {@code 100,1000,all}, names the batchings); three pairs, after a
 *       warm-up pair at the first size only; target at 50,000: at least 25× faster.
 *   <li><b>a page of 50 at depth 4/5 N</b> (40,000 of 50,000) after {@code ANALYZE} of both
 *       databases: Keycloak's {@code GET /users?first=…&max=50&briefRepresentation=true} (ordered
 *       by username) against the library's keyset page at the same depth (the cursor found by
 *       walking every page before it, the count checked) sorted by display name, which has an index
 *       and sorts these users as their usernames do, and again sorted by username (no index). Both
 *       sides must return the same 50 usernames.
 *   <li><b>one at a time</b>: 500 users created one per call, {@code POST
 *       /admin/realms/{realm}/users} against the directory's create of one draft, into the N users
 *       already there.
 * </ol>
 */
public final class KeycloakSideBySide {
  private static final String SUITE = "keycloak";
  private static final int CALL = 1_000;
  private static final int PAGE = 50;
  private static final int SINGLES = 500;
  private static final TenantId TENANT = TenantId.of("bench");

  /** The partial-import batchings found too slow at an earlier size ({@link #ALL}: one request). */
  private static final Set<Integer> SLOW = new HashSet<>();

  private static final int ALL = Integer.MAX_VALUE;

  private KeycloakSideBySide() {}

  /**
   * Entry point.
   *
   * @param args library url, user, sizes, Keycloak url
   * @throws Exception when a side fails; the server is stopped all the same
   */
  public static void main(String[] args) throws Exception {
    String url = args.length > 0 ? args[0] : "jdbc:postgresql://127.0.0.1:5432/test";
    String user = args.length > 1 ? args[1] : "postgres";
    List<Integer> sizes = new ArrayList<>();
    for (String s : (args.length > 2 ? args[2] : "10000,50000").split(",", -1)) {
      sizes.add(Integer.parseInt(s.strip()));
    }
    String kcUrl = args.length > 3 ? args[3] : sameServer(url, "keycloak");
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword("");
    config.setMaximumPoolSize(4);
    try (HikariDataSource ds = new HikariDataSource(config);
        KeycloakServer kc = KeycloakServer.start(kcUrl, user)) {
      for (int i = 0; i < sizes.size(); i++) {
        new KeycloakSideBySide.Size(ds, kc, kcUrl, user, sizes.get(i), i == 0).run();
      }
    }
  }

  /** The JDBC URL of another database on the same server. */
  static String sameServer(String url, String database) {
    int[] name = databaseName(url);
    return url.substring(0, name[0]) + database + url.substring(name[1]);
  }

  /** The database a JDBC URL names. */
  static String databaseOf(String url) {
    int[] name = databaseName(url);
    return url.substring(name[0], name[1]);
  }

  /** Where the database's name is in a JDBC URL: its first index and the index after it. */
  private static int[] databaseName(String url) {
    int slash = url.indexOf('/', url.indexOf("//") + 2);
    if (slash < 0) {
      throw new IllegalArgumentException("no database in " + url);
    }
    int query = url.indexOf('?', slash);
    return new int[] {slash + 1, query < 0 ? url.length() : query};
  }

  /** The username of user i: the order of the usernames is the order of i. */
  static String username(int i) {
    return String.format(Locale.ROOT, "user%07d", i);
  }

  /** The measurements at one size. */
  private static final class Size {
    private final HikariDataSource ds;
    private final KeycloakServer kc;
    private final String kcUrl;
    private final String user;
    private final int n;
    private final boolean first;
    private final Actor admin =
        Actor.builder().tenant(TENANT).role(RoleCatalog.defaultCatalog().adminRole()).build();
    private Optional<String> realm = Optional.empty();
    private int realms;
    private Optional<UserDirectory> directory = Optional.empty();

    Size(HikariDataSource ds, KeycloakServer kc, String kcUrl, String user, int n, boolean first) {
      this.first = first;
      this.ds = ds;
      this.kc = kc;
      this.kcUrl = kcUrl;
      this.user = user;
      this.n = n;
    }

    void run() throws Exception {
      System.out.printf(Locale.ROOT, "== %,d users%n", n);
      List<List<UserDraft>> drafts = new ArrayList<>();
      for (int from = 0; from < n; from += CALL) {
        List<UserDraft> call = new ArrayList<>(CALL);
        for (int i = from; i < Math.min(n, from + CALL); i++) {
          call.add(
              UserDraft.builder()
                  .username(username(i))
                  .firstName(String.format(Locale.ROOT, "First%07d", i))
                  .lastName("Last" + (i % 1000))
                  .primaryEmail(EmailAddress.parse("user" + i + "@example.com"))
                  .build());
        }
        drafts.add(call);
      }
      // Keycloak's batching: one request with all N users, requests of 1,000 and of 100, each
      // once into a new realm after a warm-up import; the fastest is measured. Keycloak flushes its
      // whole persistence context at every user it adds, so a request's cost grows with the square
      // of its users: a batching more than twice as slow as the best at one size is not tried
      // again at a larger one (it can only fall further behind). After the first size both sides
      // are warm (this JVM from the first size's rounds, the server from these imports), so the
      // pairs at later sizes need no warm-up pair: at 50,000 users one import takes minutes.
      List<Integer> candidates = new ArrayList<>();
      TreeSet<Integer> batchings = new TreeSet<>();
      for (String b : KeycloakServer.setting("keycloak.batches", "100,1000,all").split(",", -1)) {
        batchings.add(b.strip().equals("all") ? n : Integer.parseInt(b.strip()));
      }
      for (int per : batchings) {
        if (per > n) {
          continue;
        }
        if (SLOW.contains(per == n ? ALL : per)) {
          System.out.printf(
              Locale.ROOT,
              "Keycloak partialImport of %,d users, %s: not tried (more than twice as slow as the"
                  + " best at a smaller size)%n",
              n,
              per == n ? "one request" : String.format(Locale.ROOT, "requests of %,d", per));
        } else {
          candidates.add(per);
        }
      }
      Map<Integer, Double> tried = new LinkedHashMap<>();
      if (candidates.size() == 1) {
        tried.put(candidates.get(0), 0.0);
      } else {
        newRealm();
        importUsers(imports(drafts.subList(0, 1), 100));
      }
      for (int per : candidates.size() == 1 ? List.<Integer>of() : candidates) {
        List<byte[]> bodies = imports(drafts, per);
        newRealm();
        double ms = timed(() -> importUsers(bodies));
        tried.put(per, ms);
        System.out.printf(
            Locale.ROOT,
            "Keycloak partialImport of %,d users, %s: %.0f ms%n",
            n,
            per == n ? "one request" : String.format(Locale.ROOT, "requests of %,d", per),
            ms);
      }
      Map.Entry<Integer, Double> fastest =
          tried.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow();
      int bestPer = fastest.getKey();
      double bestMs = fastest.getValue();
      tried.forEach(
          (per, ms) -> {
            if (ms > 2 * bestMs) {
              SLOW.add(per == n ? ALL : per);
            }
          });
      List<byte[]> best = imports(drafts, bestPer);
      String how =
          bestPer == n ? "one request" : String.format(Locale.ROOT, "%,d per request", bestPer);
      int warmups = first ? 1 : 0;
      Pairs.rounds(
          SUITE,
          String.format(Locale.ROOT, "bulk create, %,d users (%,d per call)", n, CALL),
          round -> {
            freshSchema();
            UserDirectory d = directory.orElseThrow();
            return () -> {
              int created = 0;
              for (List<UserDraft> call : drafts) {
                created += d.create(admin, call).created().size();
              }
              return created;
            };
          },
          "Keycloak partialImport, " + how,
          round -> {
            unchecked(
                () -> {
                  newRealm();
                  return realm;
                });
            return () -> importUsers(best);
          },
          () -> {},
          n >= 50_000 ? 1.0 / 25 : 0,
          warmups,
          3,
          0);
      analyze();
      deepPages();
      singles();
      dropRealm();
    }

    /** The partial-import bodies: the users in requests of {@code per}, without credentials. */
    private static List<byte[]> imports(List<List<UserDraft>> drafts, int per) throws IOException {
      List<byte[]> bodies = new ArrayList<>();
      ObjectNode body = KeycloakServer.mapper().createObjectNode();
      ArrayNode users = body.put("ifResourceExists", "FAIL").putArray("users");
      for (List<UserDraft> call : drafts) {
        for (UserDraft d : call) {
          users.add(representation(d));
          if (users.size() == per) {
            bodies.add(KeycloakServer.mapper().writeValueAsBytes(body));
            users.removeAll();
          }
        }
      }
      if (!users.isEmpty()) {
        bodies.add(KeycloakServer.mapper().writeValueAsBytes(body));
      }
      return bodies;
    }

    /** Keycloak's representation of a draft: the same fields, enabled, no credentials. */
    private static ObjectNode representation(UserDraft d) {
      ObjectNode u = KeycloakServer.mapper().createObjectNode();
      u.put("username", d.username().orElseThrow());
      u.put("email", d.primaryEmail().orElseThrow().value());
      u.put("firstName", d.firstName().orElseThrow());
      u.put("lastName", d.lastName().orElseThrow());
      u.put("enabled", true);
      return u;
    }

    /** Sends the import requests; returns how many users Keycloak added. */
    private int importUsers(List<byte[]> bodies) throws IOException, InterruptedException {
      String path = "/admin/realms/" + realm.orElseThrow() + "/partialImport";
      int added = 0;
      for (byte[] body : bodies) {
        added += KeycloakServer.json(kc.sendBytes("POST", path, body, 200)).get("added").asInt();
      }
      return added;
    }

    /** Runs set-up work that may throw where the harness takes no checked exceptions. */
    private static void unchecked(Pairs.Work work) {
      try {
        work.run();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    /** The time some import takes, or infinity (printed) when Keycloak refuses it. */
    private static double timed(Pairs.Work work) throws Exception {
      long s = System.nanoTime();
      try {
        work.run();
      } catch (IOException e) {
        System.out.println("Keycloak failed: " + e.getMessage());
        return Double.POSITIVE_INFINITY;
      }
      return (System.nanoTime() - s) / 1e6;
    }

    /**
     * A new, empty realm (unmeasured): the Keycloak database ANALYZEd while the previous realm
     * still holds its users, then that realm deleted and the server checkpointed. Without
     * statistics PostgreSQL finds Keycloak's e-mail check ({@code EMAIL = ? AND REALM_ID = ?})
     * through its realm index and reads every user of the realm for each one it adds, so an import
     * slows with the square of its size; a server that has run a while has statistics (autovacuum),
     * and every measured import gets them. The checkpoint leaves the measured import none of the
     * deleted realm's unwritten pages, as the library's side starts from a new schema and a
     * checkpoint ({@link #freshSchema}). The deleted rows are not vacuumed: VACUUM sets each
     * table's row estimate ({@code pg_class.reltuples}, which VACUUM updates: PostgreSQL 15
     * documentation, "pg_class") to the rows it leaves, none of the realm's, and so undoes the
     * statistics; tried, Keycloak's import of 10,000 users took 18.3 s, where the last run without
     * it took 5.2 s.
     */
    private void newRealm() throws IOException, InterruptedException, SQLException {
      if (realm.isPresent()) {
        analyzeKeycloak();
      }
      dropRealm();
      try (Connection c = java.sql.DriverManager.getConnection(kcUrl, user, "");
          Statement st = c.createStatement()) {
        st.execute("CHECKPOINT");
      }
      String name = "bench" + n + "r" + realms++;
      kc.send("POST", "/admin/realms", "{\"realm\":\"" + name + "\",\"enabled\":true}", 201);
      realm = Optional.of(name);
      kc.renewToken();
    }

    private void dropRealm() throws IOException, InterruptedException {
      if (realm.isPresent()) {
        long s = System.nanoTime();
        kc.send("DELETE", "/admin/realms/" + realm.get(), null, 204);
        double ms = (System.nanoTime() - s) / 1e6;
        if (ms > 5_000) {
          System.out.printf(
              Locale.ROOT, "(deleting realm %s took %.0f s)%n", realm.get(), ms / 1e3);
        }
        realm = Optional.empty();
      }
    }

    /**
     * The library's database CLEANED and migrated, never analyzed, the server checkpointed; a
     * directory on it.
     */
    private void freshSchema() {
      Flyway.configure()
          .dataSource(ds)
          .locations(JdbcStores.detect(ds).migrationLocation())
          .cleanDisabled(false)
          .load()
          .clean();
      UserMgmtSchema.migrate(ds);
      try (Connection c = ds.getConnection();
          Statement st = c.createStatement()) {
        st.execute("CHECKPOINT");
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
      directory =
          Optional.of(
              UserDirectory.builder()
                  .stores(JdbcStores.create(ds))
                  .signingKey(JdbcBenchmarks.SIGNING_KEY)
                  .build());
    }

    /** Statistics for both databases, as a server that has run a while has them. */
    private void analyze() throws SQLException {
      try (Connection c = ds.getConnection();
          Statement st = c.createStatement()) {
        st.execute("ANALYZE");
      }
      analyzeKeycloak();
    }

    private void analyzeKeycloak() throws SQLException {
      try (Connection c = java.sql.DriverManager.getConnection(kcUrl, user, "");
          Statement st = c.createStatement()) {
        st.execute("ANALYZE");
      }
    }

    private void deepPages() throws Exception {
      int depth = n / 5 * 4 / PAGE * PAGE;
      String path =
          "/admin/realms/"
              + realm.orElseThrow()
              + "/users?first="
              + depth
              + "&max="
              + PAGE
              + "&briefRepresentation=true";
      Pairs.Work keycloak =
          () -> {
            List<String> names = new ArrayList<>(PAGE);
            for (JsonNode u : KeycloakServer.json(kc.send("GET", path, null, 200))) {
              names.add(u.get("username").asText());
            }
            return names;
          };
      for (String sort : List.of("displayName", "username")) {
        UserDirectory d = directory.orElseThrow();
        UserQuery first =
            UserQuery.builder().sort(List.of(SortKey.parse(sort))).pageSize(PAGE).build();
        Optional<String> cursor = Optional.empty();
        int seen = 0;
        while (seen < depth) {
          Page<User> p = d.search(admin, first.atCursor(cursor));
          seen += p.items().size();
          cursor = p.nextCursor();
          if (cursor.isEmpty()) {
            throw new IllegalStateException("the pages ended at " + seen + " users");
          }
        }
        if (seen != depth) {
          throw new IllegalStateException("not at depth " + depth + ": " + seen);
        }
        UserQuery deep = first.atCursor(cursor);
        Pairs.Work ours =
            () -> d.search(admin, deep).items().stream().map(u -> u.username().orElse("")).toList();
        List<String> expected = new ArrayList<>();
        for (int i = depth; i < depth + PAGE; i++) {
          expected.add(username(i));
        }
        if (!expected.equals(ours.run())) {
          throw new IllegalStateException("the page at depth " + depth + " is not users " + depth);
        }
        Pairs.pairs(
            SUITE,
            String.format(
                Locale.ROOT,
                "page of %d at depth %,d of %,d, by %s%s",
                PAGE,
                depth,
                n,
                sort,
                sort.equals("username") ? " (no index)" : ""),
            ours,
            String.format(Locale.ROOT, "Keycloak GET /users?first=%d (by username)", depth),
            keycloak,
            0,
            20,
            31);
      }
    }

    private void singles() throws Exception {
      UserDirectory d = directory.orElseThrow();
      String path = "/admin/realms/" + realm.orElseThrow() + "/users";
      Pairs.rounds(
          SUITE,
          String.format(Locale.ROOT, "create one at a time, %d users (into %,d)", SINGLES, n),
          round -> {
            List<UserDraft> drafts = singleDrafts(round);
            return () -> {
              int created = 0;
              for (UserDraft draft : drafts) {
                created += d.create(admin, List.of(draft)).created().size();
              }
              return created;
            };
          },
          "Keycloak POST /users, one at a time",
          round -> {
            List<byte[]> bodies = new ArrayList<>();
            for (UserDraft draft : singleDrafts(round)) {
              unchecked(
                  () ->
                      bodies.add(KeycloakServer.mapper().writeValueAsBytes(representation(draft))));
            }
            return () -> {
              int created = 0;
              for (byte[] body : bodies) {
                kc.sendBytes("POST", path, body, 201);
                created++;
              }
              return created;
            };
          },
          () -> {},
          0,
          1,
          3,
          0);
    }

    /** Round {@code round}'s users created one at a time (the same on both sides). */
    private static List<UserDraft> singleDrafts(int round) {
      List<UserDraft> drafts = new ArrayList<>(SINGLES);
      for (int i = 0; i < SINGLES; i++) {
        String name = String.format(Locale.ROOT, "one%d-%04d", round + 10, i);
        drafts.add(
            UserDraft.builder()
                .username(name)
                .firstName("One" + i)
                .lastName("Round" + (round + 10))
                .primaryEmail(EmailAddress.parse(name + "@example.com"))
                .build());
      }
      return drafts;
    }
  }
}
