package dev.usermgmt;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every error the library reports, each with a stable string {@link #id()} that hosts may match on
 * and show to users, and a {@link Category} that maps to an HTTP status.
 *
 * <p>Codes in {@link Category#INVALID_INPUT} say "the data is wrong" (a cell, a value, a query);
 * codes in {@link Category#CONFIGURATION} say "the host's configuration, mapping or schema is
 * wrong". Ids never change once released; new codes may be added.
 */
public enum ErrorCode {
  // --- the data is wrong
  INVALID_EMAIL("invalid_email", Category.INVALID_INPUT),
  INVALID_PHONE("invalid_phone", Category.INVALID_INPUT),
  INVALID_ID("invalid_id", Category.INVALID_INPUT),
  INVALID_VALUE("invalid_value", Category.INVALID_INPUT),
  MISSING_FIELD("missing_field", Category.INVALID_INPUT),
  EMAIL_OR_PHONE_REQUIRED("email_or_phone_required", Category.INVALID_INPUT),
  INVALID_ROLE("invalid_role", Category.INVALID_INPUT),
  INVALID_STATUS("invalid_status", Category.INVALID_INPUT),
  INVALID_ATTRIBUTE_VALUE("invalid_attribute_value", Category.INVALID_INPUT),
  INVALID_DATE("invalid_date", Category.INVALID_INPUT),
  AMBIGUOUS_DATE("ambiguous_date", Category.INVALID_INPUT),
  INVALID_NUMBER("invalid_number", Category.INVALID_INPUT),
  INVALID_BOOLEAN("invalid_boolean", Category.INVALID_INPUT),
  INVALID_FILTER("invalid_filter", Category.INVALID_INPUT),
  INVALID_QUERY("invalid_query", Category.INVALID_INPUT),
  INVALID_CURSOR("invalid_cursor", Category.INVALID_INPUT),
  INVALID_FILE("invalid_file", Category.INVALID_INPUT),
  UNSUPPORTED_FILE("unsupported_file", Category.INVALID_INPUT),
  /** A file with no rows, or only blank ones. */
  NO_DATA("no_data", Category.INVALID_INPUT),
  /** A file whose declared name or media type disagrees with the format its bytes show. */
  FILE_TYPE_MISMATCH("file_type_mismatch", Category.INVALID_INPUT),
  /** A password-protected or encrypted workbook. */
  ENCRYPTED_FILE("encrypted_file", Category.INVALID_INPUT),
  /** A row with more cells than its header has columns. */
  EXTRA_CELLS("extra_cells", Category.INVALID_INPUT),
  INVALID_REQUEST("invalid_request", Category.INVALID_INPUT),
  INVALID_HEADER_ROW("invalid_header_row", Category.INVALID_INPUT),
  LIMIT_EXCEEDED("limit_exceeded", Category.INVALID_INPUT),
  TOO_FEW_ITEMS("too_few_items", Category.INVALID_INPUT),
  AMBIGUOUS_MATCH("ambiguous_match", Category.INVALID_INPUT),
  /** Several columns of a file hold e-mail addresses: the caller picks one of the candidates. */
  CHOOSE_EMAIL_COLUMN("choose_email_column", Category.INVALID_INPUT),
  DUPLICATE_KEY_IN_FILE("duplicate_key_in_file", Category.INVALID_INPUT),
  MANAGER_CYCLE("manager_cycle", Category.INVALID_INPUT),
  UNKNOWN_MANAGER("unknown_manager", Category.INVALID_INPUT),
  UNKNOWN_GROUP("unknown_group", Category.INVALID_INPUT),
  VALIDATION_FAILED("validation_failed", Category.INVALID_INPUT),
  INVALID_PLAN("invalid_plan", Category.INVALID_INPUT),
  // --- the host's configuration, mapping or schema is wrong
  UNKNOWN_FIELD("unknown_field", Category.CONFIGURATION),
  UNKNOWN_COLUMN("unknown_column", Category.CONFIGURATION),
  UNKNOWN_ATTRIBUTE("unknown_attribute", Category.CONFIGURATION),
  UNKNOWN_MODULE("unknown_module", Category.CONFIGURATION),
  INVALID_CONFIGURATION("invalid_configuration", Category.CONFIGURATION),
  // --- who may do what
  ACCESS_DENIED("access_denied", Category.ACCESS_DENIED),
  // --- missing things
  USER_NOT_FOUND("user_not_found", Category.NOT_FOUND),
  ATTRIBUTE_NOT_FOUND("attribute_not_found", Category.NOT_FOUND),
  GROUP_NOT_FOUND("group_not_found", Category.NOT_FOUND),
  CHANGE_SET_NOT_FOUND("change_set_not_found", Category.NOT_FOUND),
  // --- the state of the world forbids it
  EMAIL_TAKEN("email_taken", Category.CONFLICT),
  /**
   * An e-mail address that looks like another user's (the same UTS #39 skeleton, a different
   * identity: a Cyrillic {@code а} for a Latin {@code a}, a dotless {@code ı} for an {@code i});
   * the message names that user. Allowed only with an explicit override.
   */
  CONFUSABLE_IDENTITY("confusable_identity", Category.CONFLICT),
  EMPLOYEE_ID_TAKEN("employee_id_taken", Category.CONFLICT),
  ALREADY_EXISTS("already_exists", Category.CONFLICT),
  VERSION_CONFLICT("version_conflict", Category.CONFLICT),
  STALE_PLAN("stale_plan", Category.CONFLICT),
  ILLEGAL_TRANSITION("illegal_transition", Category.CONFLICT),
  SEAT_LIMIT_REACHED("seat_limit_reached", Category.CONFLICT),
  UNDO_CONFLICT("undo_conflict", Category.CONFLICT),
  // --- infrastructure
  STORE_UNAVAILABLE("store_unavailable", Category.STORE),
  STORE_FAILURE("store_failure", Category.STORE),
  /** Reading or writing a file failed (disk full, no temporary directory, a broken stream). */
  IO_FAILURE("io_failure", Category.STORE);

  /** What kind of failure a code is; a host maps it to a transport status. */
  public enum Category {
    /** The data given is wrong (file, cell, value, query). HTTP 400. */
    INVALID_INPUT(400),
    /** The host's configuration, mapping or schema is wrong. HTTP 422. */
    CONFIGURATION(422),
    /** The actor may not do this. HTTP 403. */
    ACCESS_DENIED(403),
    /** A referenced thing does not exist in the tenant. HTTP 404. */
    NOT_FOUND(404),
    /** The current state forbids the change (duplicate, stale version, illegal state). HTTP 409. */
    CONFLICT(409),
    /** The store failed or is unreachable. HTTP 503. */
    STORE(503);

    private final int httpStatus;

    Category(int httpStatus) {
      this.httpStatus = httpStatus;
    }

    /**
     * The HTTP status a host would answer with.
     *
     * @return a 4xx or 5xx status
     */
    public int httpStatus() {
      return httpStatus;
    }
  }

  private static final Map<String, ErrorCode> BY_ID =
      Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(c -> c.id, Function.identity()));

  private final String id;
  private final Category category;

  ErrorCode(String id, Category category) {
    this.id = id;
    this.category = category;
  }

  /**
   * The stable string id, e.g. {@code "email_taken"}.
   *
   * @return lower-case snake-case id
   */
  public String id() {
    return id;
  }

  /**
   * What kind of failure this is.
   *
   * @return the category
   */
  public Category category() {
    return category;
  }

  /**
   * Looks a code up by its stable id.
   *
   * @param id the id, case-insensitive
   * @return the code, or empty when no code has that id
   */
  public static Optional<ErrorCode> byId(String id) {
    return Optional.ofNullable(BY_ID.get(id.toLowerCase(Locale.ROOT)));
  }
}
