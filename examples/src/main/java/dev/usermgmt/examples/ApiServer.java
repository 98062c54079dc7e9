package dev.usermgmt.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.usermgmt.Action;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
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
import dev.usermgmt.jdbc.UserMgmtSchema;
import dev.usermgmt.query.Page;
import dev.usermgmt.query.UserQuery;
import dev.usermgmt.role.RoleCatalog;
import dev.usermgmt.spi.Stores;
import dev.usermgmt.user.User;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.h2.jdbcx.JdbcDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP host of the library (the JDK's built-in server and Jackson, no framework) exposing
 * the reference API with its exact JSON shapes, plus list/search, file uploads and export:
 *
 * <pre>
 * POST /api/users-management/deactivate-users-excel-dry-run   {"emails": [...], "allowInternalEmails": false}
 * POST /api/users-management/deactivate-users-excel           same request; plans and applies
 * POST /api/users-management/deactivate-users-file-dry-run    a CSV/XLSX/XLS file: the body, or a multipart form's file
 * POST /api/users-management/update-users-file-dry-run        a CSV/XLSX/XLS file: the body, or a multipart form's file; ?limit=N
 * GET  /api/users-management/update-plan-rows?plan=…&amp;offset=…&amp;limit=…
 * GET  /api/users?filter=…&amp;sortBy=…&amp;cursor=…&amp;pageSize=…&amp;search=…&amp;total=true
 * GET  /api/users/export?format=xlsx|csv|json&amp;columns=USER,PERMISSION&amp;filter=…
 * </pre>
 *
 * <p>Who sends a request is the {@link ActorResolver}'s answer (the demo's {@link DemoHeaderActors}
 * trusts headers and is unsafe for production). Every error is JSON {@code {"error": {"code",
 * "message", "problems"}}} with a stable code: the library's codes with the status of their
 * category, and the server's own {@code unauthenticated} (401), {@code not_found} (404), {@code
 * method_not_allowed} (405, with {@code Allow}), {@code request_timeout} (408), {@code
 * limit_exceeded} (413) and {@code internal_error} (500, logged with an id the response names). One
 * log line per request (SLF4J, logger {@code dev.usermgmt.examples.ApiServer}); only server
 * failures are logged at error level.
 *
 * <p>Lists name a user's id {@code id}, as the domain does; the deactivation responses name it
 * {@code _id}, because that is the reference API's exact shape, which clients of it read.
 */
public final class ApiServer implements AutoCloseable {
  private static final int DEFAULT_PAGE = 100;
  private static final int MAX_PAGE = 1000;
  private static final int PLANS_KEPT = 16;
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
  private final HttpServer server;
  private final ExecutorService executor;
  private final ExecutorService bodyReaders;
  private final UserDirectory directory;
  private final ActorResolver actors;
  private final BulkEngine bulk;
  private final ObjectMapper json;
  private final ObjectMapper extendedJson;
  private final Limits limits;

  /** An update plan and who made it: its previews name users, so only its planner pages them. */
  private record Planned(UpdatePlan plan, Actor planner) {}

  /** The latest update plans, to page through (a real host keeps them in its session or store). */
  private final Map<String, Planned> plans =
      java.util.Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Planned> eldest) {
              return size() > PLANS_KEPT;
            }
          });

  private final List<String> internalEmailsFlags;
  private final Map<String, Map<String, Endpoint>> routes = new LinkedHashMap<>();

  /**
   * The server's limits on a request.
   *
   * @param maxJsonBytes the largest JSON body
   * @param maxUploadBytes the largest uploaded file (with its form)
   * @param bodyTimeout how long a request's body may take to arrive
   */
  public record Limits(long maxJsonBytes, long maxUploadBytes, Duration bodyTimeout) {
    /** The demo's limits: 1 MiB of JSON, 20 MiB uploads, 30 seconds. */
    public static final Limits DEFAULT = new Limits(1 << 20, 20 << 20, Duration.ofSeconds(30));
  }

  /** The JDK server's system property for the bytes of a request's line and headers. */
  static final String REQUEST_HEAD_LIMIT = "sun.net.httpserver.maxReqHeaderSize";

  /** The bytes of a request's line and headers the demo lets the JDK server read: 16 MiB. */
  static final int REQUEST_HEAD_BYTES = 16 << 20;

  @FunctionalInterface
  private interface Endpoint {
    void handle(HttpExchange ex, Actor actor) throws IOException;
  }

  private ApiServer(
      HttpServer server,
      UserDirectory directory,
      ActorResolver actors,
      UserMgmtJacksonModule module,
      UserMgmtJacksonModule extendedModule,
      List<String> internalEmailsFlags,
      Limits limits) {
    this.server = server;
    this.directory = directory;
    this.actors = actors;
    this.limits = limits;
    this.internalEmailsFlags = List.copyOf(internalEmailsFlags);
    this.bulk = BulkEngine.of(directory);
    this.json =
        new ObjectMapper().registerModule(module).disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    this.extendedJson =
        new ObjectMapper()
            .registerModule(extendedModule)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    this.executor = Executors.newFixedThreadPool(4);
    this.bodyReaders = Executors.newCachedThreadPool();
    route("POST", "/api/users-management/deactivate-users-excel-dry-run", this::dryRun);
    route("POST", "/api/users-management/deactivate-users-excel", this::deactivate);
    route("POST", "/api/users-management/deactivate-users-file-dry-run", this::fileDryRun);
    route("POST", "/api/users-management/update-users-file-dry-run", this::updateDryRun);
    route("GET", "/api/users-management/update-plan-rows", this::planRows);
    route("GET", "/api/users", this::list);
    route("GET", "/api/users/export", this::export);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
  }

  private void route(String method, String path, Endpoint endpoint) {
    routes.computeIfAbsent(path, p -> new LinkedHashMap<>()).put(method, endpoint);
  }

  /**
   * Starts a server.
   *
   * @param directory the directory it serves
   * @param actors who sends each request (authentication)
   * @param address where to listen (port 0 picks a free one)
   * @param internalEmailsField the JSON and form name of the request's "allow internal e-mails"
   *     flag
   * @param internalEmailsAliases further names accepted for it, such as the reference product's
   *     vendor-specific name (configuration, never a constant)
   * @param limits the request limits
   * @return the running server
   * @throws IOException when the address cannot be bound
   */
  public static ApiServer start(
      UserDirectory directory,
      ActorResolver actors,
      InetSocketAddress address,
      String internalEmailsField,
      List<String> internalEmailsAliases,
      Limits limits)
      throws IOException {
    UserMgmtJacksonModule module =
        UserMgmtJacksonModule.builder()
            .internalEmailsField(internalEmailsField)
            .internalEmailsAliases(internalEmailsAliases)
            .build();
    // a file's dry run also gives the row of every invalid, repeated and internal address
    UserMgmtJacksonModule extended =
        UserMgmtJacksonModule.builder()
            .internalEmailsField(internalEmailsField)
            .internalEmailsAliases(internalEmailsAliases)
            .extended(true)
            .build();
    if (System.getProperty(REQUEST_HEAD_LIMIT) == null) {
      // the JDK server reads a request's line and headers before any handler runs, and closes the
      // connection without an answer past its limit (384 KiB by default): raised so that a long
      // filter reaches the library and is answered as invalid_filter
      System.setProperty(REQUEST_HEAD_LIMIT, String.valueOf(REQUEST_HEAD_BYTES));
    }
    List<String> flags = new ArrayList<>();
    flags.add(internalEmailsField);
    flags.addAll(internalEmailsAliases);
    ApiServer api =
        new ApiServer(
            HttpServer.create(address, 64), directory, actors, module, extended, flags, limits);
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
    bodyReaders.shutdownNow();
  }

  /**
   * Runs the demo server on an in-memory H2 database with 3,000 generated people of tenant {@code
   * acme} and the reference's example users.
   *
   * @param args optionally the port (default 8080)
   * @throws IOException when the port is taken
   */
  public static void main(String[] args) throws IOException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:api;DB_CLOSE_DELAY=-1");
    UserMgmtSchema.migrate(ds);
    Stores stores = JdbcStores.create(ds);
    UserDirectory directory = DemoData.directory(stores, RoleCatalog.defaultCatalog());
    Actor setup =
        Actor.builder().tenant(TenantId.of("acme")).role(directory.roles().parse("owner")).build();
    DemoData.create(directory, setup, 3000, System.out);
    DemoData.referenceExamples(directory, setup);
    ApiServer api =
        start(
            directory,
            new DemoHeaderActors(stores.users(), directory.roles()),
            new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port),
            "allowInternalEmails",
            DemoData.VENDOR_FLAG_ALIASES,
            Limits.DEFAULT);
    System.out.printf(
        Locale.ROOT,
        "listening on http://127.0.0.1:%d/api/users (headers X-Tenant: acme, X-Role: admin)%n",
        api.port());
  }

  // ------------------------------------------------------------------------------ dispatch

  private void handle(HttpExchange ex) {
    long started = System.nanoTime();
    String method = ex.getRequestMethod();
    String path = ex.getRequestURI().getRawPath();
    try (ex) {
      try {
        dispatch(ex, method, path);
      } catch (HttpProblem p) {
        p.headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        error(ex, p.status, p.code, String.valueOf(p.getMessage()), List.of());
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
            HttpIo.jsonMessage(e, requestShape()),
            List.of());
      } catch (RuntimeException | IOException | StackOverflowError e) {
        String id = UUID.randomUUID().toString();
        LOG.error("{} {} failed (error id {})", method, path, id, e);
        error(ex, 500, "internal_error", "the server failed; error id " + id, List.of());
      }
    } finally {
      LOG.info(
          "{} {} {} {} ms",
          method,
          path,
          ex.getResponseCode(),
          (System.nanoTime() - started) / 1_000_000);
    }
  }

  private void dispatch(HttpExchange ex, String method, String path) throws IOException {
    Map<String, Endpoint> methods = routes.get(path);
    if (methods == null) {
      throw new HttpProblem(404, "not_found", "no endpoint " + path);
    }
    Endpoint endpoint = methods.get(method);
    if (endpoint == null) {
      String allow = String.join(", ", methods.keySet());
      throw new HttpProblem(
          405,
          "method_not_allowed",
          path + " takes " + allow + ", not " + method,
          Map.of("Allow", allow));
    }
    Actor actor =
        actors
            .resolve(ex)
            .orElseThrow(
                () ->
                    new HttpProblem(
                        401, "unauthenticated", "the request does not say who sends it"));
    endpoint.handle(ex, actor);
  }

  private String requestShape() {
    return "{\"emails\": [strings], \"" + internalEmailsFlags.get(0) + "\": true or false}";
  }

  // ------------------------------------------------------------------------------ endpoints

  private void dryRun(HttpExchange ex, Actor actor) throws IOException {
    send(ex, 200, bulk.planDeactivation(actor, request(ex), BulkListener.NONE));
  }

  private void deactivate(HttpExchange ex, Actor actor) throws IOException {
    DeactivationPlan plan = bulk.planDeactivation(actor, request(ex), BulkListener.NONE);
    send(ex, 200, bulk.applyDeactivation(actor, plan, BulkListener.NONE));
  }

  private void fileDryRun(HttpExchange ex, Actor actor) throws IOException {
    HttpIo.Upload upload = upload(ex);
    Map<String, String> q = new LinkedHashMap<>(HttpIo.query(ex));
    q.putAll(upload.fields());
    boolean allow = false;
    for (String flag : internalEmailsFlags) {
      if (q.containsKey(flag)) {
        allow = booleanParam(flag, q.get(flag));
      }
    }
    DeactivationRequest request;
    try (TableReader reader =
        TableReader.open(new ByteArrayInputStream(upload.file()), readOptions(upload))) {
      DeactivationUpload file = DeactivationUpload.read(reader, BulkLimits.DEFAULT);
      request =
          q.containsKey("column")
              ? file.request(parseInt("column", q.get("column")), allow)
              : file.request(allow);
    }
    send(ex, 200, bulk.planDeactivation(actor, request, BulkListener.NONE), extendedJson);
  }

  private void updateDryRun(HttpExchange ex, Actor actor) throws IOException {
    int limit = limit(HttpIo.query(ex));
    HttpIo.Upload file = upload(ex);
    try (TableReader reader =
            TableReader.open(new ByteArrayInputStream(file.file()), readOptions(file));
        UpdateUpload upload = UpdateUpload.open(reader, MappingContext.of(directory, actor))) {
      ColumnMapping mapping = upload.suggested();
      // rows stream from the file into the plan; its previews page from disk when big
      UpdatePlan plan;
      try (Stream<UpdateRow> rows = upload.rows(mapping).map(UpdateUpload.MappedRow::row)) {
        plan = bulk.planUpdate(actor, rows, UpdateOptions.defaults(), BulkListener.NONE);
      }
      plans.put(plan.id(), new Planned(plan, actor));
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("skippedRows", upload.layout().skipped());
      body.put("mapping", mapping.columns());
      body.putAll(page(plan, 0, limit));
      send(ex, 200, body);
    }
  }

  private void planRows(HttpExchange ex, Actor actor) throws IOException {
    Map<String, String> q = HttpIo.query(ex);
    String id = q.getOrDefault("plan", "");
    Planned planned = plans.get(id);
    if (planned == null
        || !planned.plan().tenant().equals(actor.tenant())
        || !planned.planner().userId().equals(actor.userId())
        || !planned.planner().role().equals(actor.role())
        || !directory.decide(actor, Action.UPDATE_FROM_FILE).allowed()) {
      throw new HttpProblem(404, "not_found", "no update plan " + id);
    }
    UpdatePlan plan = planned.plan();
    long offset = q.containsKey("offset") ? longParam("offset", q.get("offset")) : 0;
    send(ex, 200, page(plan, offset, limit(q)));
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
    int limit = q.containsKey("limit") ? parseInt("limit", q.get("limit")) : DEFAULT_PAGE;
    if (limit < 1 || limit > MAX_PAGE) {
      throw badRequest("limit must be from 1 to " + MAX_PAGE + ", not " + limit);
    }
    return limit;
  }

  private static long longParam(String name, String value) {
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

  private void list(HttpExchange ex, Actor actor) throws IOException {
    UserQuery query =
        UserQuery.parse(
            Optional.ofNullable(ex.getRequestURI().getRawQuery()).orElse(""),
            directory.schema(actor.tenant()),
            directory.filterLimits());
    Page<User> page = directory.search(actor, query);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("items", page.items());
    body.put("nextCursor", page.nextCursor().orElse(null));
    if (page.total().isPresent()) {
      body.put("total", page.total().getAsLong());
    }
    send(ex, 200, body);
  }

  private void export(HttpExchange ex, Actor actor) throws IOException {
    Map<String, String> q = HttpIo.query(ex);
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
    UserQuery view =
        UserQuery.parse(viewQuery, directory.schema(actor.tenant()), directory.filterLimits());
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

  // ------------------------------------------------------------------------------ requests

  private DeactivationRequest request(HttpExchange ex) throws IOException {
    byte[] body = HttpIo.body(ex, limits.maxJsonBytes(), limits.bodyTimeout(), bodyReaders);
    if (body.length == 0) {
      throw badRequest("the request has no body; it is " + requestShape());
    }
    DeactivationRequest request = json.readValue(body, DeactivationRequest.class);
    if (request == null) {
      throw badRequest("the request is null; it is " + requestShape());
    }
    return request;
  }

  private HttpIo.Upload upload(HttpExchange ex) throws IOException {
    byte[] body = HttpIo.body(ex, limits.maxUploadBytes(), limits.bodyTimeout(), bodyReaders);
    return HttpIo.upload(ex, body);
  }

  /**
   * The read options of an upload: the file's name and media type as the client declared them (the
   * query parameter {@code name} and {@code Content-Type}, or the form part's file name and type),
   * so that a file whose content disagrees is refused with {@code file_type_mismatch}.
   */
  private static ReadOptions readOptions(HttpIo.Upload upload) {
    ReadOptions options = ReadOptions.defaults();
    if (upload.declaredName().isPresent()) {
      options = options.withDeclaredName(upload.declaredName().get());
    }
    if (upload.declaredType().isPresent()) {
      options = options.withDeclaredMediaType(upload.declaredType().get());
    }
    return options;
  }

  private static boolean booleanParam(String name, String value) {
    if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("on")) {
      return true;
    }
    if (value.equalsIgnoreCase("false") || value.isEmpty()) {
      return false;
    }
    throw badRequest(name + " is true or false, not '" + value + "'");
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
      HttpExchange ex, int status, String code, String message, List<Problem> problems) {
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
