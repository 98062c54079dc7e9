package dev.usermgmt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.usermgmt.TenantId;
import dev.usermgmt.access.Actor;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.io.table.ReadOptions;
import dev.usermgmt.io.table.TableReader;
import dev.usermgmt.io.table.TableRow;
import dev.usermgmt.jdbc.JdbcStores;
import dev.usermgmt.jdbc.UserMgmtSchema;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Drives {@link ApiServer} over loopback HTTP with the JDK's client. */
final class ApiServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static ApiServer server;
  private static UserDirectory directory;

  @BeforeAll
  static void start() throws IOException {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:api-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    UserMgmtSchema.migrate(ds);
    Stores stores = JdbcStores.create(ds);
    directory = DemoData.directory(stores, RoleCatalog.defaultCatalog());
    Actor owner =
        Actor.builder().tenant(TenantId.of("acme")).role(directory.roles().parse("owner")).build();
    DemoData.create(
        directory, owner, 300, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
    directory.deactivate(owner, DemoData.id(9));
    DemoData.referenceExamples(directory, owner);
    server =
        ApiServer.start(
            directory,
            new DemoHeaderActors(stores.users(), directory.roles()),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            "allowAcmeInternalEmails",
            DemoData.VENDOR_FLAG_ALIASES,
            ApiServer.Limits.DEFAULT);
  }

  @AfterAll
  static void stop() {
    server.close();
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

  private static final String[] SUPPORT = {"X-Role", "support", "X-Support-Level", "2"};

  private static HttpResponse<String> postJson(String path, String body, String... headers)
      throws Exception {
    return HTTP.send(
        request(path, headers)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> postFile(String path, byte[] file, String... headers)
      throws Exception {
    return HTTP.send(
        request(path, headers).POST(HttpRequest.BodyPublishers.ofByteArray(file)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theReferenceExampleDryRunAndApply() throws Exception {
    String body =
        "{\"emails\": [\"alex.okafor.7@example.com\", \"mia.nguyen.9@example.com\","
            + " \"jordan@example.com\"], \"allowAcmeInternalEmails\": false}";
    HttpResponse<String> dry =
        postJson("/api/users-management/deactivate-users-excel-dry-run", body, SUPPORT);
    assertThat(dry.statusCode()).isEqualTo(200);
    JsonNode plan = JSON.readTree(dry.body());
    assertThat(plan.properties())
        .extracting(java.util.Map.Entry::getKey)
        .containsExactly("toDeactivate", "alreadyInactive", "notFound");
    assertThat(plan.get("toDeactivate").get(0).properties())
        .extracting(java.util.Map.Entry::getKey)
        .containsExactly("_id", "primaryEmail", "firstName", "lastName");
    assertThat(plan.get("toDeactivate").get(0).get("_id").asText()).isEqualTo("emp-00007");
    assertThat(plan.get("alreadyInactive").get(0).properties())
        .extracting(java.util.Map.Entry::getKey)
        .containsExactly("primaryEmail", "firstName", "lastName");
    assertThat(plan.get("notFound").get(0).asText()).isEqualTo("jordan@example.com");

    HttpResponse<String> apply =
        postJson("/api/users-management/deactivate-users-excel", body, SUPPORT);
    assertThat(apply.statusCode()).isEqualTo(200);
    JsonNode result = JSON.readTree(apply.body());
    assertThat(result.properties())
        .extracting(java.util.Map.Entry::getKey)
        .containsExactly(
            "toDeactivate", "alreadyInactive", "notFound", "deactivatedCount", "failedEmails");
    assertThat(result.get("deactivatedCount").asInt()).isEqualTo(1);
    assertThat(result.get("failedEmails")).isEmpty();
    // undo for the other tests
    Actor owner =
        Actor.builder().tenant(TenantId.of("acme")).role(directory.roles().parse("owner")).build();
    directory.reactivate(owner, DemoData.id(7));
  }

  /** The reference's exact request body and example users give the reference's answer. */
  @Test
  void theReferenceRequestAsWrittenGetsTheReferenceAnswer() throws Exception {
    String body =
        "{\n  \"emails\": [\"alex@example.com\", \"sam@example.com\", \"jordan@example.com\"],\n"
            + "  \"allowJunoInternalEmails\": false\n}";
    HttpResponse<String> dry =
        postJson("/api/users-management/deactivate-users-excel-dry-run", body, SUPPORT);
    assertThat(dry.statusCode()).as(dry.body()).isEqualTo(200);
    JsonNode plan = JSON.readTree(dry.body());
    assertThat(plan.get("toDeactivate")).hasSize(1);
    JsonNode alex = plan.get("toDeactivate").get(0);
    assertThat(alex.get("_id").asText()).isEqualTo("ref-alex");
    assertThat(alex.get("primaryEmail").asText()).isEqualTo("alex@example.com");
    assertThat(alex.get("firstName").asText()).isEqualTo("Alex");
    assertThat(alex.get("lastName").asText()).isEqualTo("Doe");
    assertThat(plan.get("alreadyInactive")).hasSize(1);
    assertThat(plan.get("alreadyInactive").get(0).get("lastName").asText()).isEqualTo("Lee");
    assertThat(plan.get("notFound")).hasSize(1);
    assertThat(plan.get("notFound").get(0).asText()).isEqualTo("jordan@example.com");
  }

  @Test
  void malformedJsonIsA400WithItsCode() throws Exception {
    HttpResponse<String> r =
        postJson("/api/users-management/deactivate-users-excel-dry-run", "{\"emails\": [", SUPPORT);
    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode error = JSON.readTree(r.body()).get("error");
    assertThat(error.get("code").asText()).isEqualTo("invalid_request");
    assertThat(error.get("message").asText()).startsWith("malformed JSON");
    HttpResponse<String> wrongType =
        postJson(
            "/api/users-management/deactivate-users-excel-dry-run",
            "{\"emails\": \"a@b.c\"}",
            SUPPORT);
    assertThat(wrongType.statusCode()).isEqualTo(400);
  }

  @Test
  void aForbiddenActorIsA403WithTheRule() throws Exception {
    HttpResponse<String> r =
        postJson(
            "/api/users-management/deactivate-users-excel-dry-run",
            "{\"emails\": [\"alex.okafor.7@example.com\"]}",
            "X-Role",
            "admin");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(r.body()).get("error").get("code").asText())
        .isEqualTo("access_denied");
    HttpResponse<String> learner =
        HTTP.send(
            request("/api/users/export?format=csv", "X-User-Id", "emp-00042").GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(learner.statusCode()).as(learner.body()).isEqualTo(403);
  }

  @Test
  void anUnsupportedFileIsA400() throws Exception {
    byte[] pdf = "%PDF-1.7\n1 0 obj\n".getBytes(StandardCharsets.US_ASCII);
    HttpResponse<String> r =
        postFile("/api/users-management/deactivate-users-file-dry-run", pdf, SUPPORT);
    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode error = JSON.readTree(r.body()).get("error");
    assertThat(error.get("code").asText()).isEqualTo("unsupported_file");
    assertThat(error.get("message").asText()).contains("unsupported or corrupt file");
  }

  @Test
  void fileUploadsGiveTheDryRuns() throws Exception {
    byte[] deactivate =
        QuickStart.class.getClassLoader().getResourceAsStream("demo/deactivate.csv").readAllBytes();
    HttpResponse<String> r =
        postFile("/api/users-management/deactivate-users-file-dry-run", deactivate, SUPPORT);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode plan = JSON.readTree(r.body());
    assertThat(plan.get("notFound").get(0).asText()).isEqualTo("former.contractor@example.com");
    assertThat(plan.get("alreadyInactive").get(0).get("primaryEmail").asText())
        .isEqualTo("mia.nguyen.9@example.com");
    // the file's dry run gives the row of every invalid and internal address, and the counts
    assertThat(plan.get("flagged").findValuesAsText("reason"))
        .containsExactly("invalid", "internal");
    assertThat(plan.get("flagged").findValuesAsText("row")).containsExactly("6", "7");
    assertThat(plan.get("counts").get("invalid").asInt()).isEqualTo(1);
    assertThat(plan.get("counts").get("notFound").asInt()).isEqualTo(1);

    byte[] update =
        QuickStart.class.getClassLoader().getResourceAsStream("demo/update.csv").readAllBytes();
    HttpResponse<String> u =
        postFile("/api/users-management/update-users-file-dry-run", update, "X-Role", "admin");
    assertThat(u.statusCode()).as(u.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(u.body());
    assertThat(body.get("mapping").get(0).get("field").asText()).isEqualTo("primaryEmail");
    List<String> kinds = body.get("rows").findValuesAsText("kind");
    assertThat(kinds).containsExactly("CHANGED", "UNCHANGED", "ERROR", "CHANGED", "NOT_FOUND");
    assertThat(body.get("summary").get("rows").asInt()).isEqualTo(5);
    assertThat(body.get("summary").get("kinds").get("CHANGED").asInt()).isEqualTo(2);
    assertThat(body.get("next").isNull()).isTrue();
    // the bad date is reported once, in its row, with its field and its file column
    JsonNode problem = body.get("rows").get(2).get("problems");
    assertThat(problem).hasSize(1);
    assertThat(problem.get(0).get("field").asText()).isEqualTo("hireDate");
    assertThat(problem.get(0).get("column").asText()).isEqualTo("D");
    assertThat(body.has("cellProblems")).isFalse();

    // pages: two rows at a time, following the next link
    HttpResponse<String> first =
        postFile(
            "/api/users-management/update-users-file-dry-run?limit=2", update, "X-Role", "admin");
    JsonNode page = JSON.readTree(first.body());
    List<String> paged = new java.util.ArrayList<>(page.get("rows").findValuesAsText("kind"));
    while (!page.get("next").isNull()) {
      HttpResponse<String> more =
          HTTP.send(
              request(page.get("next").asText(), "X-Role", "admin").GET().build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(more.statusCode()).as(more.body()).isEqualTo(200);
      page = JSON.readTree(more.body());
      paged.addAll(page.get("rows").findValuesAsText("kind"));
    }
    assertThat(paged).isEqualTo(kinds);
    HttpResponse<String> otherTenant =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + server.port()
                            + "/api/users-management/update-plan-rows?plan="
                            + page.get("planId").asText()))
                .header("X-Tenant", "globex")
                .header("X-Role", "admin")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(otherTenant.statusCode()).isEqualTo(404);
    // nor does a learner of the same tenant page through the plan's named users
    HttpResponse<String> learner =
        HTTP.send(
            request(
                    "/api/users-management/update-plan-rows?plan=" + page.get("planId").asText(),
                    "X-Role",
                    "learner")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(learner.statusCode()).isEqualTo(404);
  }

  @Test
  void severalEmailColumnsComeBackAsDataToPickFrom() throws Exception {
    byte[] file =
        "name,work,private\nA,a@x.io,a@home.io\nB,b@x.io,b@home.io\n"
            .getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> r =
        postFile("/api/users-management/deactivate-users-file-dry-run", file, SUPPORT);
    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode error = JSON.readTree(r.body()).get("error");
    assertThat(error.get("code").asText()).isEqualTo("choose_email_column");
    assertThat(error.get("emailColumns").findValuesAsText("header"))
        .containsExactly("work", "private");
    assertThat(error.get("emailColumns").findValuesAsText("index")).containsExactly("1", "2");
    assertThat(error.get("emailColumns").get(0).get("share").asDouble()).isEqualTo(1.0);
  }

  @Test
  void listSearchAndExport() throws Exception {
    String filter = URLEncoder.encode("department eq \"Sales\"", StandardCharsets.UTF_8);
    HttpResponse<String> page =
        HTTP.send(
            request(
                    "/api/users?filter=" + filter + "&sortBy=-hireDate&pageSize=10&total=true",
                    "X-Role",
                    "admin")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(page.body());
    assertThat(body.get("items")).hasSize(10);
    assertThat(body.get("items").findValuesAsText("department")).containsOnly("Sales");
    assertThat(body.get("total").asInt()).isEqualTo(50);
    String cursor = URLEncoder.encode(body.get("nextCursor").asText(), StandardCharsets.UTF_8);
    HttpResponse<String> next =
        HTTP.send(
            request(
                    "/api/users?filter="
                        + filter
                        + "&sortBy=-hireDate&pageSize=10&cursor="
                        + cursor,
                    "X-Role",
                    "admin")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
    assertThat(JSON.readTree(next.body()).get("items").get(0).get("id").asText())
        .isNotEqualTo(body.get("items").get(0).get("id").asText());

    HttpResponse<byte[]> xlsx =
        HTTP.send(
            request(
                    "/api/users/export?format=xlsx&columns=USER,PERMISSION&filter=" + filter,
                    "X-Role",
                    "admin")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(xlsx.statusCode()).isEqualTo(200);
    assertThat(xlsx.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).contains("spreadsheetml"));
    try (TableReader reader =
        TableReader.open(new ByteArrayInputStream(xlsx.body()), ReadOptions.defaults())) {
      List<TableRow> rows = reader.rows().toList();
      assertThat(rows).hasSize(51);
      assertThat(rows.get(0).texts()).startsWith("displayName", "primaryEmail").endsWith("role");
    }
    HttpResponse<String> bad =
        HTTP.send(
            request(
                    "/api/users?filter=" + URLEncoder.encode("nope eq 1", StandardCharsets.UTF_8),
                    "X-Role",
                    "admin")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(bad.body()).get("error").get("code").asText())
        .isEqualTo("invalid_filter");
    String deep = "(".repeat(2_000) + "title pr" + ")".repeat(2_000);
    String chain = "title pr" + " or title pr".repeat(1_500);
    for (String tooLarge : List.of(deep, chain)) {
      HttpResponse<String> refused =
          HTTP.send(
              request(
                      "/api/users?filter=" + URLEncoder.encode(tooLarge, StandardCharsets.UTF_8),
                      "X-Role",
                      "admin")
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).isEqualTo(400);
      assertThat(JSON.readTree(refused.body()).get("error").get("code").asText())
          .isEqualTo("invalid_filter");
      assertThat(refused.body()).contains("at position");
    }
    HttpResponse<String> missing =
        HTTP.send(request("/api/nothing-here").GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(missing.statusCode()).isEqualTo(404);
  }
}
