package dev.usermgmt.examples;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.google.common.base.Splitter;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Reading requests within the server's limits: bodies, multipart forms, query strings. */
final class HttpIo {
  private HttpIo() {}

  /** A file upload: the file's bytes (read once, never compared) and the form's other fields. */
  @SuppressWarnings("ArrayRecordComponent")
  record Upload(
      byte[] file,
      Map<String, String> fields,
      Optional<String> declaredName,
      Optional<String> declaredType) {}

  /**
   * The whole body, at most {@code max} bytes, arriving within {@code timeout}.
   *
   * @throws HttpProblem 413 when larger, 408 when slower
   */
  static byte[] body(HttpExchange ex, long max, Duration timeout, ExecutorService readers)
      throws IOException {
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      long declared;
      try {
        declared = Long.parseLong(length.trim());
      } catch (NumberFormatException e) {
        throw new HttpProblem(400, "invalid_request", "Content-Length is not a number");
      }
      if (declared > max) {
        throw tooLarge(max);
      }
    }
    InputStream in = ex.getRequestBody();
    Future<byte[]> read = readers.submit(() -> readAtMost(in, max));
    try {
      return read.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // not cancel(true): interrupting a read closes the channel before the 408 goes out; the
      // server closes the connection after the response, since the body was not read to its end
      read.cancel(false);
      throw new HttpProblem(
          408,
          "request_timeout",
          "the request did not arrive within " + timeout.toMillis() + " ms",
          Map.of("Connection", "close"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HttpProblem(503, "unavailable", "the server is stopping");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof HttpProblem p) {
        throw p;
      }
      throw new IOException("reading the request failed", e.getCause());
    }
  }

  private static byte[] readAtMost(InputStream in, long max) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[16 * 1024];
    long total = 0;
    for (int n; (n = in.read(buf)) >= 0; ) {
      total += n;
      if (total > max) {
        throw tooLarge(max);
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  private static HttpProblem tooLarge(long max) {
    return new HttpProblem(
        413,
        "limit_exceeded",
        "the request is larger than the limit of " + max + " bytes",
        Map.of("Connection", "close"));
  }

  /**
   * The uploaded file: the body itself, or the file part of a {@code multipart/form-data} form as
   * browsers send it, with the form's text fields.
   */
  static Upload upload(HttpExchange ex, byte[] body) {
    String type = Optional.ofNullable(ex.getRequestHeaders().getFirst("Content-Type")).orElse("");
    if (!type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      return new Upload(
          body,
          Map.of(),
          Optional.ofNullable(query(ex).get("name")),
          Optional.of(type).filter(t -> !t.isBlank()));
    }
    String boundary = parameter(type, "boundary");
    if (boundary == null || boundary.isEmpty()) {
      throw new HttpProblem(400, "invalid_request", "the multipart form has no boundary");
    }
    return multipart(body, boundary);
  }

  private static Upload multipart(byte[] body, String boundary) {
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    Map<String, String> fields = new LinkedHashMap<>();
    byte[] file = null;
    Optional<String> fileName = Optional.empty();
    Optional<String> fileType = Optional.empty();
    int at = indexOf(body, delimiter, 0);
    if (at < 0) {
      throw new HttpProblem(400, "invalid_request", "the multipart form has no parts");
    }
    while (true) {
      int start = at + delimiter.length;
      if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') {
        break; // the closing delimiter
      }
      int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), start);
      int next = indexOf(body, delimiter, start);
      if (headersEnd < 0 || next < 0 || headersEnd > next) {
        throw new HttpProblem(400, "invalid_request", "a part of the multipart form is cut off");
      }
      String headers = new String(body, start, headersEnd - start, StandardCharsets.UTF_8);
      int contentEnd = next - 2; // the CRLF before the delimiter
      byte[] content =
          java.util.Arrays.copyOfRange(body, headersEnd + 4, Math.max(headersEnd + 4, contentEnd));
      String disposition = "";
      Optional<String> partType = Optional.empty();
      for (String line : Splitter.on("\r\n").split(headers)) {
        String lower = line.toLowerCase(Locale.ROOT);
        if (lower.startsWith("content-disposition:")) {
          disposition = line.substring("content-disposition:".length());
        } else if (lower.startsWith("content-type:")) {
          partType = Optional.of(line.substring("content-type:".length()).trim());
        }
      }
      String name = Optional.ofNullable(parameter(disposition, "name")).orElse("");
      if (parameter(disposition, "filename") != null) {
        if (file == null) {
          file = content;
          fileName = Optional.ofNullable(parameter(disposition, "filename"));
          fileType = partType;
        }
      } else {
        fields.put(name, new String(content, StandardCharsets.UTF_8).trim());
      }
      at = next;
    }
    if (file == null) {
      throw new HttpProblem(400, "invalid_request", "the form has no file");
    }
    return new Upload(file, fields, fileName, fileType);
  }

  private static @org.jspecify.annotations.Nullable String parameter(String header, String name) {
    for (String p : Splitter.on(';').trimResults().split(header)) {
      int eq = p.indexOf('=');
      if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase(name)) {
        String v = p.substring(eq + 1).trim();
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")
            ? v.substring(1, v.length() - 1)
            : v;
      }
    }
    return null;
  }

  private static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = from; i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** The decoded query parameters; malformed escapes are a 400. */
  static Map<String, String> query(HttpExchange ex) {
    Map<String, String> out = new LinkedHashMap<>();
    String raw = ex.getRequestURI().getRawQuery();
    if (raw == null) {
      return out;
    }
    for (String part : Splitter.on('&').split(raw)) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        out.put(decode(part.substring(0, eq)), decode(part.substring(eq + 1)));
      }
    }
    return out;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new HttpProblem(400, "invalid_query", "malformed URL encoding in '" + s + "'");
    }
  }

  /**
   * What was wrong with a JSON body, in the API's terms: where, and what was expected, never the
   * Java types Jackson names.
   */
  static String jsonMessage(JsonProcessingException e, String expected) {
    if (e instanceof JsonParseException) {
      return "malformed JSON"
          + Optional.ofNullable(e.getLocation())
              .map(l -> " at line " + l.getLineNr() + ", column " + l.getColumnNr())
              .orElse("");
    }
    if (e instanceof UnrecognizedPropertyException u) {
      return "unknown field \"" + u.getPropertyName() + "\"; the request is " + expected;
    }
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      StringBuilder path = new StringBuilder("$");
      for (JsonMappingException.Reference r : m.getPath()) {
        if (r.getFieldName() != null) {
          path.append('.').append(r.getFieldName());
        } else if (r.getIndex() >= 0) {
          path.append('[').append(r.getIndex()).append(']');
        }
      }
      return "unexpected value at " + path + "; the request is " + expected;
    }
    if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("the request has no")) {
      return e.getOriginalMessage();
    }
    return "the request is not " + expected;
  }
}
