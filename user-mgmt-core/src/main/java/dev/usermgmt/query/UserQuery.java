package dev.usermgmt.query;

import com.google.common.base.Splitter;
import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.attribute.AttributeSchema;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * What a users table shows: free-text search, a filter, a sort, a page size and position, the
 * visible columns, and whether to count all matches. The same query drives search, export and "send
 * invitations to the filtered view".
 *
 * <p>Queries live in URLs ("filters and sort are persisted in the URL"): {@link #toQueryString()}
 * writes {@code q}, {@code filter}, {@code sortBy}, {@code pageSize}, {@code cursor}, {@code
 * columns} and {@code total}, and {@link #parse(String, AttributeSchema)} reads them back to an
 * equal query.
 */
@Value.Immutable
public abstract class UserQuery {
  /** The page size when none is given. */
  public static final int DEFAULT_PAGE_SIZE = 50;

  /** The most characters of a URL-encoded query string one character of its text can take. */
  private static final long MAX_ENCODED_CHARS = 12;

  /** The largest page size. */
  public static final int MAX_PAGE_SIZE = 1000;

  UserQuery() {}

  /**
   * Free text matched against name, e-mail, username, employee ID and job title, case- and
   * accent-insensitively; every word must match.
   *
   * @return the search text
   */
  public abstract Optional<String> search();

  /**
   * The filter.
   *
   * @return the filter
   */
  public abstract Optional<Filter> filter();

  /**
   * The sort keys, most significant first; ties are broken by id.
   *
   * @return the keys
   */
  public abstract List<SortKey> sort();

  /**
   * How many users a page holds (1 to {@link #MAX_PAGE_SIZE}).
   *
   * @return the page size
   */
  @Value.Default
  public int pageSize() {
    return DEFAULT_PAGE_SIZE;
  }

  /**
   * The opaque cursor of the page to show; empty for the first page.
   *
   * @return the cursor
   */
  public abstract Optional<String> cursor();

  /**
   * The visible columns, for exports; empty means the default columns.
   *
   * @return column names
   */
  public abstract List<String> columns();

  /**
   * Whether to count all matches.
   *
   * @return the flag
   */
  @Value.Default
  public boolean includeTotal() {
    return false;
  }

  @Value.Check
  void check() {
    if (pageSize() < 1 || pageSize() > MAX_PAGE_SIZE) {
      throw new InvalidInputException(
          Problem.ofField(
              ErrorCode.INVALID_QUERY,
              "pageSize",
              "page size must be 1 to " + MAX_PAGE_SIZE + ", not " + pageSize()));
    }
    if (search().isPresent() && search().get().isBlank()) {
      throw new InvalidInputException(
          Problem.ofField(ErrorCode.INVALID_QUERY, "q", "search text must not be blank"));
    }
  }

  /**
   * The part of the query a cursor is bound to: search, filter and sort.
   *
   * @return the canonical text of those parts, worked out once a query (each page signs it, each
   *     cursor is checked against it)
   */
  @Value.Lazy
  public String fingerprint() {
    return "q="
        + search().orElse("")
        + "\nfilter="
        + filter().map(Object::toString).orElse("")
        + "\nsort="
        + sort();
  }

  /**
   * A copy showing another page.
   *
   * @param cursor the page's cursor
   * @return the copy
   */
  public UserQuery atCursor(Optional<String> cursor) {
    return builder().from(this).cursor(cursor).build();
  }

  /**
   * The URL query string of this query, parameters in a fixed order, defaults left out.
   *
   * @return e.g. {@code filter=department+eq+%22Sales%22&sortBy=-lastActivity&pageSize=25}
   */
  public String toQueryString() {
    List<String> parts = new ArrayList<>();
    search().ifPresent(s -> parts.add("q=" + enc(s)));
    filter().ifPresent(f -> parts.add("filter=" + enc(f.toString())));
    if (!sort().isEmpty()) {
      parts.add("sortBy=" + enc(String.join(",", sort().stream().map(SortKey::toString).toList())));
    }
    if (pageSize() != DEFAULT_PAGE_SIZE) {
      parts.add("pageSize=" + pageSize());
    }
    cursor().ifPresent(c -> parts.add("cursor=" + enc(c)));
    if (!columns().isEmpty()) {
      parts.add("columns=" + enc(String.join(",", columns())));
    }
    if (includeTotal()) {
      parts.add("total=true");
    }
    return String.join("&", parts);
  }

  /**
   * Reads a URL query string (with or without a leading {@code ?}). Unknown parameters are ignored
   * (they belong to the host); the filter is checked against the schema.
   *
   * @param queryString the query string
   * @param schema the tenant's custom attributes
   * @return the query
   * @throws InvalidInputException for a bad page size or total flag, or an {@link
   *     InvalidFilterException}
   */
  public static UserQuery parse(String queryString, AttributeSchema schema) {
    return parse(queryString, schema, FilterLimits.defaults());
  }

  /**
   * Reads a URL query string as {@link #parse(String, AttributeSchema)} does, with a filter within
   * the given limits (a directory's {@code filterLimits()}).
   *
   * @param queryString the query string
   * @param schema the tenant's custom attributes
   * @param limits the filter's limits
   * @return the query
   * @throws InvalidInputException for a bad page size or total flag, or an {@link
   *     InvalidFilterException}
   */
  public static UserQuery parse(String queryString, AttributeSchema schema, FilterLimits limits) {
    Builder b = builder();
    String qs = queryString.startsWith("?") ? queryString.substring(1) : queryString;
    for (String part : Splitter.on('&').split(qs)) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      String key = dec(eq < 0 ? part : part.substring(0, eq));
      if (key.equals("filter") && part.length() - eq - 1 > MAX_ENCODED_CHARS * limits.maxLength()) {
        // surely longer than the limit once decoded: refused without decoding it
        throw FilterBounds.tooLong(limits);
      }
      String value = eq < 0 ? "" : dec(part.substring(eq + 1));
      switch (key) {
        case "q", "search" -> {
          if (!value.isBlank()) {
            b.search(value);
          }
        }
        case "filter" -> {
          if (!value.isBlank()) {
            b.filter(FilterParser.parse(value, schema, limits));
          }
        }
        case "sortBy", "sort" -> {
          for (String s : Splitter.on(',').split(value)) {
            if (!s.isBlank()) {
              b.addSort(SortKey.parse(s));
            }
          }
        }
        case "pageSize", "count" -> b.pageSize(number(value));
        case "cursor" -> {
          if (!value.isEmpty()) {
            b.cursor(value);
          }
        }
        case "columns" -> {
          for (String c : Splitter.on(',').split(value)) {
            if (!c.isBlank()) {
              b.addColumns(c.strip());
            }
          }
        }
        case "total" -> {
          if (!value.equals("true") && !value.equals("false")) {
            throw new InvalidInputException(
                Problem.ofField(ErrorCode.INVALID_QUERY, "total", "total is true or false"));
          }
          b.includeTotal(Boolean.parseBoolean(value));
        }
        default -> {
          // a parameter of the host's own
        }
      }
    }
    return b.build();
  }

  private static int number(String value) {
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new InvalidInputException(
          Problem.ofField(
              ErrorCode.INVALID_QUERY, "pageSize", "page size is a number, not '" + value + "'"));
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String dec(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(
          Problem.of(ErrorCode.INVALID_QUERY, "malformed URL encoding in '" + s + "'"));
    }
  }

  /**
   * A new builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The query of a whole view: no filter, no search, default sort.
   *
   * @return the query
   */
  public static UserQuery all() {
    return builder().build();
  }

  /** Builds a {@link UserQuery}. */
  public static final class Builder extends ImmutableUserQuery.Builder {
    Builder() {}
  }
}
