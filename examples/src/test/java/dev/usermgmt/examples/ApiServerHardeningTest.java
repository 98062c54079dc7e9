package dev.usermgmt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.usermgmt.TenantId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.jdbc.JdbcStores;
import dev.usermgmt.jdbc.UserMgmtSchema;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every bad request the issue found against the reference host: each gets a JSON problem with a
 * stable code and the right status, names no Java type, and — being the client's mistake — logs
 * nothing at error level, only the one request line.
 */
final class ApiServerHardeningTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Pattern TYPE_NAME =
      Pattern.compile("\\b(java|javax|com|dev|org)\\.[a-z]+\\.|Exception|\\$|`");
  private static final String DRY_RUN = "/api/users-management/deactivate-users-excel-dry-run";
  private static final String[] SUPPORT = {"X-Role", "support", "X-Support-Level", "2"};
  private static ApiServer server;
  private static final PrintStream REAL_ERR = System.err;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();

  @BeforeAll
  static void start() throws Exception {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:hardening-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    UserMgmtSchema.migrate(ds);
    Stores stores = JdbcStores.create(ds);
    UserDirectory directory = DemoData.directory(stores, RoleCatalog.defaultCatalog());
    Actor owner =
        Actor.builder().tenant(TenantId.of("acme")).role(directory.roles().parse("owner")).build();
    DemoData.create(directory, owner, 60, new PrintStream(OutputStream.nullOutputStream()));
    DemoData.referenceExamples(directory, owner);
    DemoHeaderActors demo = new DemoHeaderActors(stores.users(), directory.roles());
    ActorResolver failing =
        ex -> {
          if (ex.getRequestHeaders().containsKey("X-Fail")) {
            throw new IllegalStateException("a bug in java.util.Something$Inner");
          }
          return demo.resolve(ex);
        };
    server =
        ApiServer.start(
            directory,
            failing,
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            "allowInternalEmails",
            DemoData.VENDOR_FLAG_ALIASES,
            new ApiServer.Limits(4096, 64 * 1024, Duration.ofMillis(700)));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void captureTheLog() {
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreTheLog() {
    System.setErr(REAL_ERR);
    REAL_ERR.print(log.toString(StandardCharsets.UTF_8));
  }

  private String logText() {
    return log.toString(StandardCharsets.UTF_8);
  }

  private static HttpRequest.Builder request(String pathAndQuery, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pathAndQuery))
            .header("X-Tenant", "acme");
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b;
  }

  private static HttpResponse<String> send(HttpRequest r) throws Exception {
    return HTTP.send(r, HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> postJson(String path, String body) throws Exception {
    return send(
        request(path, SUPPORT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private static HttpResponse<String> get(String pathAndQuery) throws Exception {
    return send(request(pathAndQuery, "X-Role", "admin").GET().build());
  }

  /** Asserts the status, the JSON problem's code, and that its message names no Java type. */
  private JsonNode problem(HttpResponse<String> r, int status, String code) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
    JsonNode error = JSON.readTree(r.body()).get("error");
    assertThat(error.get("code").asText()).isEqualTo(code);
    assertThat(error.get("message").asText()).isNotBlank().doesNotContainPattern(TYPE_NAME);
    return error;
  }

  private void nothingLoggedAtErrorLevel() {
    assertThat(logText()).doesNotContain(" ERROR ");
  }

  @Test
  void aJsonNullBodyIsA400() throws Exception {
    problem(postJson(DRY_RUN, "null"), 400, "invalid_request");
    problem(postJson(DRY_RUN, ""), 400, "invalid_request");
    nothingLoggedAtErrorLevel();
  }

  @Test
  void jsonOfTheWrongShapeIsA400NamingTheFieldNotTheJavaType() throws Exception {
    for (String body :
        List.of(
            "{\"emails\": \"a@example.com\"}",
            "{\"emails\": [1, 2]}",
            "{\"emails\": [], \"allowInternalEmails\": \"yes\"}",
            "{\"emails\": [], \"surprise\": 1}",
            "{\"allowInternalEmails\": true}",
            "[1, 2]",
            "{\"emails\": [")) {
      problem(postJson(DRY_RUN, body), 400, "invalid_request");
    }
    assertThat(postJson(DRY_RUN, "{\"emails\": [], \"surprise\": 1}").body())
        .contains("unknown field \\\"surprise\\\"");
    nothingLoggedAtErrorLevel();
  }

  @Test
  void aDeeplyNestedFilterIsAnInvalidFilterNotADroppedConnection() throws Exception {
    String deep = "(".repeat(5000) + "department eq \"x\"" + ")".repeat(5000);
    problem(
        get("/api/users?filter=" + URLEncoder.encode(deep, StandardCharsets.UTF_8)),
        400,
        "invalid_filter");
    String chain = String.join(" or ", java.util.Collections.nCopies(2000, "department pr"));
    problem(
        get("/api/users?filter=" + URLEncoder.encode(chain, StandardCharsets.UTF_8)),
        400,
        "invalid_filter");
    nothingLoggedAtErrorLevel();
  }

  @Test
  void filtersAtTenTimesTheLimitsAreInvalidFiltersWellUnderASecondOnBothRoutes() throws Exception {
    String literal = "\"" + "x".repeat(10 * 1024 * 1024) + "\"";
    List<String> filters =
        List.of(
            "(".repeat(160) + "department pr" + ")".repeat(160),
            "not (".repeat(160) + "department pr" + ")".repeat(160),
            String.join(" and ", java.util.Collections.nCopies(1000, "department pr")),
            "department eq \"" + "x".repeat(20_000) + "\"",
            "department eq " + literal);
    for (String route : List.of("/api/users?filter=", "/api/users/export?format=csv&filter=")) {
      for (String filter : filters) {
        String uri = route + URLEncoder.encode(filter, StandardCharsets.UTF_8);
        HttpRequest request = request(uri, "X-Role", "admin").GET().build();
        problem(send(request), 400, "invalid_filter"); // warm-up
        long start = System.nanoTime();
        HttpResponse<String> r = send(request);
        long millis = (System.nanoTime() - start) / 1_000_000;
        problem(r, 400, "invalid_filter");
        // the round trip of a 10 MB request line is mostly the transfer over loopback (the
        // server's own share was 30-180 ms): it gets a bound that catches a hang or a drop
        // without failing on a loaded two-core machine
        assertThat(millis)
            .as("%s with a filter of %d chars", route, filter.length())
            .isLessThan(filter.length() > 1_000_000 ? 5000 : 1000);
      }
    }
    nothingLoggedAtErrorLevel();
  }

  @Test
  void aMalformedCursorIsAJson400() throws Exception {
    for (String cursor : List.of("garbage", "a.b", "%21%21.%21%21", "eyJ4IjoxfQ.AAAA")) {
      problem(get("/api/users?cursor=" + cursor), 400, "invalid_cursor");
    }
    nothingLoggedAtErrorLevel();
  }

  @Test
  void aWrongMethodIsA405WithAllow() throws Exception {
    HttpResponse<String> r = send(request(DRY_RUN, SUPPORT).GET().build());
    problem(r, 405, "method_not_allowed");
    assertThat(r.headers().firstValue("Allow")).hasValue("POST");
    HttpResponse<String> d = send(request("/api/users", SUPPORT).DELETE().build());
    problem(d, 405, "method_not_allowed");
    assertThat(d.headers().firstValue("Allow")).hasValue("GET");
    nothingLoggedAtErrorLevel();
  }

  @Test
  void anUnknownPathIsA404NotFound() throws Exception {
    problem(get("/api/nothing-here"), 404, "not_found");
    nothingLoggedAtErrorLevel();
  }

  @Test
  void noCredentialsIsA401AndABadSupportLevelA400() throws Exception {
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/users"))
                .GET()
                .build());
    problem(r, 401, "unauthenticated");
    problem(
        send(request("/api/users", "X-Role", "support", "X-Support-Level", "two").GET().build()),
        400,
        "invalid_request");
    nothingLoggedAtErrorLevel();
  }

  @Test
  void theDeactivationEndpointsNeedSupportLevelTwo() throws Exception {
    String body = "{\"emails\": [\"alex@example.com\"]}";
    HttpResponse<String> admin =
        send(
            request(DRY_RUN, "X-Role", "admin")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    problem(admin, 403, "access_denied");
    assertThat(postJson(DRY_RUN, body).statusCode()).isEqualTo(200);
    nothingLoggedAtErrorLevel();
  }

  @Test
  void aBodyOverTheLimitIsA413() throws Exception {
    String big = "{\"emails\": [\"" + "a".repeat(10_000) + "@example.com\"]}";
    problem(postJson(DRY_RUN, big), 413, "limit_exceeded");
    nothingLoggedAtErrorLevel();
  }

  @Test
  void aBodyThatDoesNotArriveInTimeIsA408() throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST "
                  + DRY_RUN
                  + " HTTP/1.1\r\nHost: localhost\r\nX-Tenant: acme\r\n"
                  + "X-Role: support\r\nX-Support-Level: 2\r\nContent-Type: application/json\r\n"
                  + "Content-Length: 100\r\n\r\n{\"emails\": [")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
        head.write(in.read());
      }
      String headers = head.toString(StandardCharsets.US_ASCII);
      assertThat(headers).startsWith("HTTP/1.1 408");
      int length =
          Integer.parseInt(
              headers.replaceAll("(?s).*[Cc]ontent-[Ll]ength: *([0-9]+).*", "$1").trim());
      String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
      JsonNode error = JSON.readTree(body).get("error");
      assertThat(error.get("code").asText()).isEqualTo("request_timeout");
    }
    nothingLoggedAtErrorLevel();
  }

  @Test
  void aBrowsersMultipartUploadWorks() throws Exception {
    String boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW";
    String form =
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"allowJunoInternalEmails\"\r\n\r\nfalse\r\n"
            + "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"deactivate.csv\"\r\n"
            + "Content-Type: text/csv\r\n\r\n"
            + "email\r\nalex@example.com\r\nsam@example.com\r\njordan@example.com\r\n"
            + "\r\n--"
            + boundary
            + "--\r\n";
    HttpResponse<String> r =
        send(
            request("/api/users-management/deactivate-users-file-dry-run", SUPPORT)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode plan = JSON.readTree(r.body());
    assertThat(plan.get("toDeactivate").get(0).get("_id").asText()).isEqualTo("ref-alex");
    assertThat(plan.get("alreadyInactive").get(0).get("primaryEmail").asText())
        .isEqualTo("sam@example.com");
    assertThat(plan.get("notFound").get(0).asText()).isEqualTo("jordan@example.com");

    String noFile =
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n--"
            + boundary
            + "--\r\n";
    problem(
        send(
            request("/api/users-management/deactivate-users-file-dry-run", SUPPORT)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(noFile))
                .build()),
        400,
        "invalid_request");
    nothingLoggedAtErrorLevel();
  }

  @Test
  void aServerFailureIsA500InternalErrorLoggedAtErrorLevelWithoutTypeNamesInTheResponse()
      throws Exception {
    JsonNode error =
        problem(send(request("/api/users", "X-Fail", "1").GET().build()), 500, "internal_error");
    String id = error.get("message").asText().replaceAll(".*error id ", "");
    assertThat(logText()).contains(" ERROR ").contains(id);
  }

  @Test
  void everyRequestIsOneLogLine() throws Exception {
    get("/api/users?pageSize=1");
    get("/api/nothing-here");
    postJson(DRY_RUN, "null");
    List<String> lines =
        logText().lines().filter(l -> l.contains("dev.usermgmt.examples.ApiServer")).toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).contains("INFO", "GET /api/users 200");
    assertThat(lines.get(1)).contains("GET /api/nothing-here 404");
    assertThat(lines.get(2)).contains("POST " + DRY_RUN + " 400");
  }
}
