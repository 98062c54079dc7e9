package dev.usermgmt.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.jspecify.annotations.Nullable;

/**
 * A Keycloak server for the side-by-side benchmark: its distribution downloaded once from Maven
 * Central into a cache folder and unpacked there, started in production mode ({@code kc.sh start},
 * HTTP on a free loopback port, a local cache, PostgreSQL as its database) on a database it empties
 * first, with a bootstrap admin, and stopped by {@link #close()} (also from a shutdown hook).
 *
 * <p>Settings (system properties, or environment variables named like them: {@code
 * KEYCLOAK_VERSION}, …): {@code keycloak.version} (default {@value #DEFAULT_VERSION}), {@code
 * keycloak.cache} (default {@code ~/.cache/user-mgmt-bench}), {@code keycloak.heap} (the server's
 * heap options, default {@value #DEFAULT_HEAP}). The server needs Java 21 or later: the environment
 * variable {@code KEYCLOAK_JAVA_HOME} names it, else this JVM if it is recent enough, else {@code
 * JAVA_HOME}, else the newest JDK 21+ found under {@code /usr/lib/jvm}.
 */
final class KeycloakServer implements AutoCloseable {
  static final String DEFAULT_VERSION = "26.5.6";
  static final String DEFAULT_HEAP = "-Xms1g -Xmx2g";
  private static final String CENTRAL = "https://repo.maven.apache.org/maven2/";
  private static final String ADMIN = "admin";
  private static final Duration START_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(30);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path log;
  private final String base;
  private final String password;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private @Nullable String token;
  private long tokenAt;
  private boolean closed;

  private KeycloakServer(Process process, Path log, int port, String password) {
    this.process = process;
    this.log = log;
    this.base = "http://127.0.0.1:" + port;
    this.password = password;
  }

  /**
   * Downloads (once) and starts Keycloak on the given PostgreSQL database, which is emptied (its
   * {@code public} schema dropped and created again; the database created if missing) so that every
   * run starts from the same state.
   *
   * @param dbUrl the Keycloak database's JDBC URL
   * @param dbUser its user
   * @return the running server, with an admin token
   * @throws IOException when the distribution cannot be fetched or the server does not start
   * @throws InterruptedException when interrupted while waiting for it
   * @throws SQLException when the database cannot be emptied
   */
  static KeycloakServer start(String dbUrl, String dbUser)
      throws IOException, InterruptedException, SQLException {
    String version = setting("keycloak.version", DEFAULT_VERSION);
    Path cache =
        Path.of(
            setting(
                "keycloak.cache",
                Path.of(System.getProperty("user.home"), ".cache", "user-mgmt-bench").toString()));
    Path home = distribution(cache, version);
    Path java = javaHome();
    emptyDatabase(dbUrl, dbUser);
    int port = freePort();
    int management = freePort();
    String password = UUID.randomUUID().toString();
    List<String> cmd =
        List.of(
            "bash",
            home.resolve("bin").resolve("kc.sh").toString(),
            "start",
            "--http-enabled=true",
            "--http-host=127.0.0.1",
            "--http-port=" + port,
            "--http-management-port=" + management,
            "--hostname-strict=false",
            "--health-enabled=true",
            "--cache=local",
            "--db=postgres",
            "--db-url=" + dbUrl,
            "--db-username=" + dbUser);
    Path log = cache.resolve("keycloak-" + version + "-" + port + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.put("JAVA_HOME", java.toString());
    env.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN);
    env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", password);
    env.put("JAVA_OPTS_KC_HEAP", setting("keycloak.heap", DEFAULT_HEAP));
    // what its thread pools ask for on Java 24 and later (else an error at shutdown)
    env.merge(
        "JAVA_OPTS_APPEND", "--add-opens=java.base/java.lang=ALL-UNNAMED", (a, b) -> a + " " + b);
    System.out.printf(
        Locale.ROOT,
        "starting Keycloak %s (Java at %s) on port %d, database %s; log %s%n",
        version,
        java,
        port,
        dbUrl,
        log);
    long t0 = System.nanoTime();
    KeycloakServer server = new KeycloakServer(pb.start(), log, port, password);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "keycloak-stop"));
    try {
      server.awaitReady(management);
      System.out.printf(Locale.ROOT, "Keycloak ready in %.0f s%n", (System.nanoTime() - t0) / 1e9);
      // the master realm's tokens last a minute by default; a 50,000-user import takes longer
      server.send("PUT", "/admin/realms/master", "{\"accessTokenLifespan\":3600}", 204);
      server.token = null;
    } catch (IOException | InterruptedException | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /**
   * A setting: the system property {@code name}, else the environment variable named like it in
   * capitals with underscores ({@code keycloak.version}: {@code KEYCLOAK_VERSION}; the report's
   * child JVMs inherit the environment, not system properties), else the default.
   */
  static String setting(String name, String fallback) {
    String p = System.getProperty(name);
    if (p != null && !p.isBlank()) {
      return p;
    }
    String e = System.getenv(name.toUpperCase(Locale.ROOT).replace('.', '_'));
    return e != null && !e.isBlank() ? e : fallback;
  }

  /** The unpacked distribution, downloaded and checked against Central's SHA-1 if absent. */
  static Path distribution(Path cache, String version) throws IOException, InterruptedException {
    Path home = cache.resolve("keycloak-" + version);
    if (Files.isRegularFile(home.resolve("bin").resolve("kc.sh"))) {
      return home;
    }
    Files.createDirectories(cache);
    String name = "keycloak-quarkus-dist-" + version + ".zip";
    Path zip = cache.resolve(name);
    if (!Files.isRegularFile(zip)) {
      String url = CENTRAL + "org/keycloak/keycloak-quarkus-dist/" + version + "/" + name;
      System.out.println("downloading " + url);
      HttpClient client =
          HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
      Path part = cache.resolve(name + ".part");
      HttpResponse<Path> r =
          client.send(
              HttpRequest.newBuilder(URI.create(url)).build(),
              HttpResponse.BodyHandlers.ofFile(part));
      if (r.statusCode() != 200) {
        throw new IOException(url + ": HTTP " + r.statusCode());
      }
      String expected =
          client
              .send(
                  HttpRequest.newBuilder(URI.create(url + ".sha1")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body()
              .strip();
      String actual = sha1(part);
      if (!expected.startsWith(actual)) {
        Files.delete(part);
        throw new IOException(url + ": SHA-1 " + actual + ", Central says " + expected);
      }
      Files.move(part, zip, StandardCopyOption.REPLACE_EXISTING);
    }
    unzip(zip, cache);
    if (!Files.isRegularFile(home.resolve("bin").resolve("kc.sh"))) {
      throw new IOException(zip + " holds no keycloak-" + version + "/bin/kc.sh");
    }
    return home;
  }

  private static String sha1(Path file) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static void unzip(Path zip, Path into) throws IOException {
    Path root = into.toAbsolutePath().normalize();
    try (ZipFile z = new ZipFile(zip.toFile())) {
      for (ZipEntry e : z.stream().toList()) {
        Path target = root.resolve(e.getName()).normalize();
        if (!target.startsWith(root)) {
          throw new IOException("entry outside the folder: " + e.getName());
        }
        if (e.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          try (InputStream in = z.getInputStream(e)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
    }
  }

  /** A Java 21+ installation for the server. */
  static Path javaHome() throws IOException {
    String named = System.getenv("KEYCLOAK_JAVA_HOME");
    if (named != null && !named.isBlank()) {
      return Path.of(named);
    }
    if (Runtime.version().feature() >= 21) {
      return Path.of(System.getProperty("java.home"));
    }
    List<Path> candidates = new ArrayList<>();
    String javaHome = System.getenv("JAVA_HOME");
    if (javaHome != null && !javaHome.isBlank()) {
      candidates.add(Path.of(javaHome));
    }
    Path jvms = Path.of("/usr/lib/jvm");
    if (Files.isDirectory(jvms)) {
      try (Stream<Path> s = Files.list(jvms)) {
        s.sorted(Comparator.comparing(KeycloakServer::feature).reversed()).forEach(candidates::add);
      }
    }
    return candidates.stream()
        .filter(p -> feature(p) >= 21 && Files.isExecutable(p.resolve("bin").resolve("java")))
        .findFirst()
        .orElseThrow(
            () ->
                new IOException(
                    "Keycloak needs Java 21 or later: set KEYCLOAK_JAVA_HOME to such a JDK"));
  }

  /** The major Java version of an installation, from its {@code release} file, or 0. */
  private static int feature(Path home) {
    Path release = home.resolve("release");
    if (!Files.isRegularFile(release)) {
      return 0;
    }
    try {
      for (String line : Files.readAllLines(release, StandardCharsets.UTF_8)) {
        if (line.startsWith("JAVA_VERSION=")) {
          String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
          String major = v.startsWith("1.") ? v.substring(2) : v;
          int end = 0;
          while (end < major.length() && Character.isDigit(major.charAt(end))) {
            end++;
          }
          return end == 0 ? 0 : Integer.parseInt(major.substring(0, end));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }

  /** Drops and creates the {@code public} schema of the database, creating the database first. */
  private static void emptyDatabase(String url, String user) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, user, "")) {
      try (Statement st = c.createStatement()) {
        st.execute("DROP SCHEMA IF EXISTS public CASCADE");
        st.execute("CREATE SCHEMA public");
      }
    } catch (SQLException e) {
      if (!"3D000".equals(e.getSQLState())) { // invalid catalog name: no such database
        throw e;
      }
      int slash = url.indexOf('/', "jdbc:postgresql://".length());
      int end = url.indexOf('?', slash);
      String name = url.substring(slash + 1, end < 0 ? url.length() : end);
      String server = url.substring(0, slash + 1) + "postgres";
      try (Connection c = DriverManager.getConnection(server, user, "");
          Statement st = c.createStatement()) {
        st.execute("CREATE DATABASE \"" + name.replace("\"", "") + "\"");
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private void awaitReady(int management) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    URI health = URI.create("http://127.0.0.1:" + management + "/health/ready");
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(
            "Keycloak stopped with exit " + process.exitValue() + ":\n" + logTail());
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(1000);
    }
    throw new IOException("Keycloak not ready after " + START_TIMEOUT + ":\n" + logTail());
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(no log: " + e + ")";
    }
  }

  /**
   * An admin access token from the master realm (password grant on admin-cli), renewed after 20
   * minutes (the master realm's tokens are set to last an hour).
   */
  private String token() throws IOException, InterruptedException {
    String t = token;
    if (t != null && System.nanoTime() - tokenAt < Duration.ofMinutes(20).toNanos()) {
      return t;
    }
    String form =
        "grant_type=password&client_id=admin-cli&username="
            + ADMIN
            + "&password="
            + URLEncoder.encode(password, StandardCharsets.UTF_8);
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(base + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("token: HTTP " + r.statusCode() + " " + r.body());
    }
    t = JSON.readTree(r.body()).get("access_token").asText();
    token = t;
    tokenAt = System.nanoTime();
    return t;
  }

  /**
   * Fetches a token now, so that the next measured request finds one (a client keeps its token for
   * its lifetime).
   */
  void renewToken() throws IOException, InterruptedException {
    token = null;
    token();
  }

  /**
   * Sends an admin request and checks its status.
   *
   * @return the response body
   */
  String send(String method, String path, @Nullable String json, int expected)
      throws IOException, InterruptedException {
    return sendBytes(
        method, path, json == null ? null : json.getBytes(StandardCharsets.UTF_8), expected);
  }

  /** Sends an admin request with a body already encoded, and checks its status. */
  String sendBytes(String method, String path, byte @Nullable [] body, int expected)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(REQUEST_TIMEOUT)
            .header("Authorization", "Bearer " + token())
            .header("Accept", "application/json");
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != expected) {
      String text = r.body();
      throw new IOException(
          method
              + " "
              + path
              + ": HTTP "
              + r.statusCode()
              + " "
              + text.substring(0, Math.min(500, text.length())));
    }
    return r.body();
  }

  /** Reads a JSON response. */
  static JsonNode json(String body) throws IOException {
    return JSON.readTree(body);
  }

  /** The JSON writer the requests are encoded with. */
  static ObjectMapper mapper() {
    return JSON;
  }

  /** Stops the server (SIGTERM, which kc.sh passes on; then by force), once. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    process.destroy();
    try {
      if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    for (ProcessHandle h : all) {
      // the server's JVM, should it outlive the script
      if (h.isAlive()) {
        h.destroyForcibly();
      }
    }
    System.out.println("Keycloak stopped");
  }
}
