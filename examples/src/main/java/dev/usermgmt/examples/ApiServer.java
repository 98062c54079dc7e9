package dev.usermgmt.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
import dev.usermgmt.UserId;
import dev.usermgmt.UserMgmtException;
import dev.usermgmt.access.Actor;
import dev.usermgmt.bulk.BulkEngine;
import dev.usermgmt.bulk.BulkLimits;
import dev.usermgmt.bulk.BulkListener;
import dev.usermgmt.bulk.DeactivationPlan;
import dev.usermgmt.bulk.DeactivationRequest;
import dev.usermgmt.bulk.UpdateOptions;
import dev.usermgmt.bulk.UpdatePlan;
import dev.usermgmt.bulk.UpdateRow;
import dev.usermgmt.directory.UserDirectory;
import dev.usermgmt.io.export.ExportColumn;
import dev.usermgmt.io.export.ExportFormat;
import dev.usermgmt.io.export.ExportSpec;
import dev.usermgmt.io.export.UserExporter;
import dev.usermgmt.io.json.UserMgmtJacksonModule;
import dev.usermgmt.io.mapping.ColumnMapping;
import dev.usermgmt.io.mapping.DeactivationUpload;
import dev.usermgmt.io.mapping.EmailColumnChoiceException;
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
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;

/**
 * A small HTTP host of the library (the JDK's built-in server and Jackson, no framework) exposing
 * the reference API with its exact JSON shapes, plus list/search, file uploads and export:
 *
 * <pre>
 * POST /api/users-management/deactivate-users-excel-dry-run   {"emails": [...], "allowInternalEmails": false}
 * POST /api/users-management/deactivate-users-excel           same request; plans and applies
 * POST /api/users-management/deactivate-users-file-dry-run    body: a CSV/XLSX/XLS file; ?column=N&amp;allowInternalEmails=true
 * POST /api/users-management/update-users-file-dry-run        body: a CSV/XLSX/XLS file; ?limit=N
 * GET  /api/users-management/update-plan-rows?plan=…&amp;offset=…&amp;limit=…
 * GET  /api/users?filter=…&amp;sortBy=…&amp;cursor=…&amp;pageSize=…&amp;search=…&amp;total=true
 * GET  /api/users/export?format=xlsx|csv|json&amp;columns=USER,PERMISSION&amp;filter=…
 * </pre>
 *
 * <p><b>Demo only:</b> the actor comes from request headers — {@code X-Tenant}, and either {@code
 * X-User-Id} (the signed-in user, whose role is used) or {@code X-Role} with {@code
 * X-Support-Level}. A real host takes the actor from its authenticated session.
 *
 * <p>The update dry run answers with the plan's summary and its first page of previews ({@code
 * limit}, 100 by default, at most 1,000) and a {@code next} link; the rows stream from the file
 * into the plan, whose previews stay on disk when the file is big, so neither the server's memory
 * nor the response grows with the file. Errors are JSON {@code {"error": {"code", "message",
 * "problems"}}} with the status of the code's category.
 */
public final class ApiServer implements AutoCloseable {
  private static final int MAX_JSON_BYTES = 10 << 20;
  private static final int DEFAULT_PAGE = 100;
  private static final int MAX_PAGE = 1000;
  private static final int PLANS_KEPT = 16;
  private final HttpServer server;
  private final ExecutorService executor;
  private final UserDirectory directory;
  private final Stores stores;
  private final BulkEngine bulk;
  private final ObjectMapper json;
  private final ObjectMapper extendedJson;

  /** The latest update plans, to page through (a real host keeps them in its session or store). */
  private final Map<String, UpdatePlan> plans =
      java.util.Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, UpdatePlan> eldest) {
              return size() > PLANS_KEPT;
            }
          });

  private ApiServer(
      HttpServer server, Stores stores, UserDirectory directory, String internalEmailsField) {
    this.server = server;
    this.stores = stores;
    this.directory = directory;
    this.bulk = BulkEngine.of(directory);
    this.json =
        new ObjectMapper()
            .registerModule(
                UserMgmtJacksonModule.builder().internalEmailsField(internalEmailsField).build())
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    this.extendedJson =
        new ObjectMapper()
            .registerModule(
                UserMgmtJacksonModule.builder()
                    .internalEmailsField(internalEmailsField)
                    .extended(true)
                    .build())
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    this.executor = Executors.newFixedThreadPool(4);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
  }

  /**
   * Starts a server.
   *
   * @param stores the stores of the directory, where the demo resolves its signed-in users
   * @param directory the directory it serves
   * @param address where to listen (port 0 picks a free one)
   * @param internalEmailsField the JSON name of the request's "allow internal e-mails" flag (the
   *     reference product names it after its vendor)
   * @return the running server
   * @throws IOException when the address cannot be bound
   */
  public static ApiServer start(
      Stores stores, UserDirectory directory, InetSocketAddress address, String internalEmailsField)
      throws IOException {
    ApiServer api =
        new ApiServer(HttpServer.create(address, 64), stores, directory, internalEmailsField);
    api.server.start();
    return api;
  }

  /**
   * The port the server listens on.
   *
   * @return the port
   */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /**
   * Runs the demo server on an in-memory H2 database with 3,000 generated people of tenant {@code
   * acme}.
   *
   * @param args optionally the port (default 8080)
   * @throws IOException when the port is taken
   */
  public static void main(String[] args) throws IOException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:api;DB_CLOSE_DELAY=-1");
    Flyway.configure().dataSource(ds).locations(Dialect.H2.migrationLocation()).load().migrate();
    Stores stores = JdbcStores.create(ds);
    UserDirectory directory = DemoData.directory(stores, RoleCatalog.defaultCatalog());
    Actor setup =
        Actor.builder().tenant(TenantId.of("acme")).role(directory.roles().parse("owner")).build();
    DemoData.create(directory, setup, 3000, System.out);
    ApiServer api =
        start(
            stores,
            directory,
            new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port),
            "allowInternalEmails");
    System.out.printf(
        Locale.ROOT,
        "listening on http://127.0.0.1:%d/api/users (headers X-Tenant: acme, X-Role: admin)%n",
        api.port());
  }

  // ------------------------------------------------------------------------------ dispatch

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      try {
        route(ex);
      } catch (EmailColumnChoiceException e) {
        // the columns to pick from, as data: index, header, share of valid cells
        Map<String, Object> error =
            errorBody(e.code().id(), String.valueOf(e.getMessage()), e.problems());
        error.put("emailColumns", e.candidates().candidates());
        sendError(ex, e.code().category().httpStatus(), error);
      } catch (UserMgmtException e) {
        error(
            ex,
            e.code().category().httpStatus(),
            e.code().id(),
            String.valueOf(e.getMessage()),
            e.problems());
      } catch (JsonProcessingException e) {
        error(
            ex,
            400,
            ErrorCode.INVALID_REQUEST.id(),
            "malformed JSON: " + e.getOriginalMessage(),
            List.of());
      } catch (RuntimeException e) {
        error(
            ex,
            500,
            "internal_error",
            "the server failed: " + e.getClass().getSimpleName(),
            List.of());
      }
    }
  }

  private void route(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    String method = ex.getRequestMethod();
    switch (path) {
      case "/api/users-management/deactivate-users-excel-dry-run" -> {
        requireMethod(method, "POST");
        send(ex, 200, bulk.planDeactivation(actor(ex), request(ex), BulkListener.NONE));
      }
      case "/api/users-management/deactivate-users-excel" -> {
        requireMethod(method, "POST");
        Actor actor = actor(ex);
        DeactivationPlan plan = bulk.planDeactivation(actor, request(ex), BulkListener.NONE);
        send(ex, 200, bulk.applyDeactivation(actor, plan, BulkListener.NONE));
      }
      case "/api/users-management/deactivate-users-file-dry-run" -> {
        requireMethod(method, "POST");
        Actor actor = actor(ex);
        Map<String, String> q = query(ex);
        boolean allow = Boolean.parseBoolean(q.getOrDefault("allowInternalEmails", "false"));
        DeactivationRequest request;
        try (TableReader reader = TableReader.open(ex.getRequestBody(), ReadOptions.defaults())) {
          DeactivationUpload upload = DeactivationUpload.read(reader, BulkLimits.DEFAULT);
          request =
              q.containsKey("column")
                  ? upload.request(intParam(q, "column"), allow)
                  : upload.request(allow);
        }
        // a file's dry run also gives the row of every invalid, repeated and internal address
        send(ex, 200, bulk.planDeactivation(actor, request, BulkListener.NONE), extendedJson);
      }
      case "/api/users-management/update-users-file-dry-run" -> {
        requireMethod(method, "POST");
        Actor actor = actor(ex);
        int limit = limit(query(ex));
        try (TableReader reader = TableReader.open(ex.getRequestBody(), ReadOptions.defaults());
            UpdateUpload upload = UpdateUpload.open(reader, MappingContext.of(directory, actor))) {
          ColumnMapping mapping = upload.suggested();
          // rows stream from the file into the plan; its previews page from disk when big
          UpdatePlan plan;
          try (Stream<UpdateRow> rows = upload.rows(mapping).map(UpdateUpload.MappedRow::row)) {
            plan = bulk.planUpdate(actor, rows, UpdateOptions.defaults(), BulkListener.NONE);
          }
          plans.put(plan.id(), plan);
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("skippedRows", upload.layout().skipped());
          body.put("mapping", mapping.columns());
          body.putAll(page(plan, 0, limit));
          send(ex, 200, body);
        }
      }
      case "/api/users-management/update-plan-rows" -> {
        requireMethod(method, "GET");
        Actor actor = actor(ex);
        Map<String, String> q = query(ex);
        UpdatePlan plan = plans.get(q.getOrDefault("plan", ""));
        if (plan == null || !plan.tenant().equals(actor.tenant())) {
          error(ex, 404, "not_found", "no update plan " + q.getOrDefault("plan", ""), List.of());
          return;
        }
        long offset = q.containsKey("offset") ? longParam(q, "offset") : 0;
        send(ex, 200, page(plan, offset, limit(q)));
      }
      case "/api/users" -> {
        requireMethod(method, "GET");
        Actor actor = actor(ex);
        UserQuery query =
            UserQuery.parse(
                Optional.ofNullable(ex.getRequestURI().getRawQuery()).orElse(""),
                directory.schema(actor.tenant()));
        Page<User> page = directory.search(actor, query);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items());
        body.put("nextCursor", page.nextCursor().orElse(null));
        if (page.total().isPresent()) {
          body.put("total", page.total().getAsLong());
        }
        send(ex, 200, body);
      }
      case "/api/users/export" -> {
        requireMethod(method, "GET");
        export(ex);
      }
      default -> error(ex, 404, "not_found", "no endpoint " + path, List.of());
    }
  }

  private void export(HttpExchange ex) throws IOException {
    Actor actor = actor(ex);
    Map<String, String> q = query(ex);
    ExportFormat format = enumParam(ExportFormat.class, "format", q.getOrDefault("format", "xlsx"));
    List<ExportColumn> columns = new ArrayList<>();
    for (String c :
        com.google.common.base.Splitter.on(',').split(q.getOrDefault("columns", "USER"))) {
      columns.add(enumParam(ExportColumn.class, "columns", c.trim()));
    }
    String raw = Optional.ofNullable(ex.getRequestURI().getRawQuery()).orElse("");
    String viewQuery =
        String.join(
            "&",
            com.google.common.collect.Streams.stream(
                    com.google.common.base.Splitter.on('&').split(raw))
                .filter(p -> !p.startsWith("format=") && !p.startsWith("columns="))
                .filter(p -> !p.isEmpty())
                .toList());
    UserQuery view = UserQuery.parse(viewQuery, directory.schema(actor.tenant()));
    ex.getResponseHeaders().set("Content-Type", format.contentType());
    ex.getResponseHeaders()
        .set("Content-Disposition", "attachment; filename=\"users." + format.extension() + "\"");
    // refuse before the 200 goes out: once the file streams, an error cannot change the status
    dev.usermgmt.Decision decision = directory.decide(actor, dev.usermgmt.Action.VIEW_USERS);
    if (!decision.allowed()) {
      throw new dev.usermgmt.AccessDeniedException(decision);
    }
    ex.sendResponseHeaders(200, 0);
    try (OutputStream out = ex.getResponseBody()) {
      UserExporter.of(directory)
          .export(actor, view, new ExportSpec(columns, List.of()), format, out, BulkListener.NONE);
    }
  }

  /** A page of an update plan's previews, with its summary and the link to the next page. */
  private static Map<String, Object> page(UpdatePlan plan, long offset, int limit) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("planId", plan.id());
    body.put("summary", plan.summary());
    body.put("offset", offset);
    body.put("limit", limit);
    body.put("rows", plan.previews(offset, limit));
    long next = offset + limit;
    body.put(
        "next",
        next < plan.summary().rows()
            ? "/api/users-management/update-plan-rows?plan="
                + plan.id()
                + "&offset="
                + next
                + "&limit="
                + limit
            : null);
    return body;
  }

  private static int limit(Map<String, String> q) {
    int limit = q.containsKey("limit") ? intParam(q, "limit") : DEFAULT_PAGE;
    if (limit < 1 || limit > MAX_PAGE) {
      throw badRequest("limit must be from 1 to " + MAX_PAGE + ", not " + limit);
    }
    return limit;
  }

  private static long longParam(Map<String, String> q, String name) {
    String value = q.getOrDefault(name, "");
    try {
      long n = Long.parseLong(value.trim());
      if (n < 0) {
        throw badRequest(name + " must not be negative");
      }
      return n;
    } catch (NumberFormatException e) {
      throw badRequest(name + " must be a number, not '" + value + "'");
    }
  }

  // ------------------------------------------------------------------------------ requests

  /** The actor from the demo headers. */
  private Actor actor(HttpExchange ex) {
    String tenant =
        header(ex, "X-Tenant").orElseThrow(() -> badRequest("the X-Tenant header is missing"));
    TenantId t = TenantId.of(tenant);
    Optional<String> userId = header(ex, "X-User-Id");
    if (userId.isPresent()) {
      User user =
          stores
              .users()
              .get(t, UserId.of(userId.get()))
              .orElseThrow(
                  () ->
                      new InvalidInputException(
                          Problem.of(
                              ErrorCode.INVALID_REQUEST,
                              "no user " + userId.get() + " to act as")));
      return Actor.forUser(user, directory.roles()).build();
    }
    Actor.Builder b = Actor.builder().tenant(t);
    b.role(
        directory
            .roles()
            .parse(header(ex, "X-Role").orElseThrow(() -> badRequest("send X-User-Id or X-Role"))));
    header(ex, "X-Support-Level").ifPresent(l -> b.supportLevel(parseInt("X-Support-Level", l)));
    return b.build();
  }

  private DeactivationRequest request(HttpExchange ex) throws IOException {
    byte[] body = ex.getRequestBody().readNBytes(MAX_JSON_BYTES + 1);
    if (body.length > MAX_JSON_BYTES) {
      throw new InvalidInputException(
          Problem.of(
              ErrorCode.LIMIT_EXCEEDED, "the request is larger than " + MAX_JSON_BYTES + " bytes"));
    }
    if (body.length == 0) {
      throw badRequest("the request has no body");
    }
    return json.readValue(body, DeactivationRequest.class);
  }

  private static Optional<String> header(HttpExchange ex, String name) {
    return Optional.ofNullable(ex.getRequestHeaders().getFirst(name))
        .map(String::trim)
        .filter(s -> !s.isEmpty());
  }

  private static Map<String, String> query(HttpExchange ex) {
    Map<String, String> out = new LinkedHashMap<>();
    String raw = ex.getRequestURI().getRawQuery();
    if (raw == null) {
      return out;
    }
    for (String part : com.google.common.base.Splitter.on('&').split(raw)) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        out.put(
            URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static int intParam(Map<String, String> q, String name) {
    return parseInt(name, q.getOrDefault(name, ""));
  }

  private static int parseInt(String name, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw badRequest(name + " must be a number, not '" + value + "'");
    }
  }

  private static <E extends Enum<E>> E enumParam(Class<E> type, String name, String value) {
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw badRequest(
          name
              + " must be one of "
              + java.util.Arrays.toString(type.getEnumConstants())
              + ", not '"
              + value
              + "'");
    }
  }

  private static void requireMethod(String method, String expected) {
    if (!method.equals(expected)) {
      throw badRequest("use " + expected + ", not " + method);
    }
  }

  private static InvalidInputException badRequest(String message) {
    return new InvalidInputException(Problem.of(ErrorCode.INVALID_REQUEST, message));
  }

  // ------------------------------------------------------------------------------ responses

  private void send(HttpExchange ex, int status, Object body) throws IOException {
    send(ex, status, body, json);
  }

  private void send(HttpExchange ex, int status, Object body, ObjectMapper mapper)
      throws IOException {
    byte[] bytes = mapper.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private void error(
      HttpExchange ex, int status, String code, String message, List<Problem> problems)
      throws IOException {
    sendError(ex, status, errorBody(code, message, problems));
  }

  private static Map<String, Object> errorBody(
      String code, String message, List<Problem> problems) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", code);
    error.put("message", message);
    error.put("problems", problems);
    return error;
  }

  private void sendError(HttpExchange ex, int status, Map<String, Object> error) {
    try {
      send(ex, status, Map.of("error", error));
    } catch (IOException | UncheckedIOException e) {
      // the client went away, or the response had started (an export): nothing more to send
    }
  }
}
