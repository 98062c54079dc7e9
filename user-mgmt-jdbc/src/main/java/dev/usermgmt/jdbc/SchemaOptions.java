package dev.usermgmt.jdbc;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.jdbc.dialect.Dialect;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.immutables.value.Value;

/**
 * Settings of {@link UserMgmtSchema}: the history table the library's migrations are recorded in,
 * the schema they go to, and the dialect.
 */
@Value.Immutable
public abstract class SchemaOptions {
  /** The library's own history table, apart from a host's {@code flyway_schema_history}. */
  public static final String DEFAULT_HISTORY_TABLE = "usermgmt_schema_history";

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
  private static final SchemaOptions DEFAULTS = builder().build();

  SchemaOptions() {}

  /**
   * The table Flyway records the library's migrations in: {@value #DEFAULT_HISTORY_TABLE} unless
   * set. It is never the host's own history table, so the host's migrations and the library's each
   * keep their own versions.
   *
   * @return the table name
   */
  @Value.Default
  public String historyTable() {
    return DEFAULT_HISTORY_TABLE;
  }

  /**
   * The schema the tables and the history table go to, created when missing; absent, they go to the
   * connection's current schema. The store names its tables without a schema, so the data source
   * given to {@link JdbcStores} must resolve them there (PostgreSQL: {@code currentSchema=...} in
   * the URL). On MariaDB and MySQL a schema is a database.
   *
   * @return the schema
   */
  public abstract Optional<String> schema();

  /**
   * The dialect; detected from the connection's metadata when absent.
   *
   * @return the dialect
   */
  public abstract Optional<Dialect> dialect();

  @Value.Check
  void check() {
    requireIdentifier("historyTable", historyTable());
    if (historyTable().toLowerCase(Locale.ROOT).equals("flyway_schema_history")) {
      throw new InvalidInputException(
          Problem.ofField(
              ErrorCode.INVALID_CONFIGURATION,
              "historyTable",
              "flyway_schema_history is the history table of the host's own Flyway; the library's"
                  + " migrations are kept in a table of their own"));
    }
    schema().ifPresent(s -> requireIdentifier("schema", s));
  }

  private static void requireIdentifier(String field, String name) {
    if (!IDENTIFIER.matcher(name).matches()) {
      throw new InvalidInputException(
          Problem.ofField(
              ErrorCode.INVALID_CONFIGURATION,
              field,
              "must be a plain SQL name (a letter or _, then letters, digits or _; at most 63): "
                  + name));
    }
  }

  /**
   * The defaults: the history table {@value #DEFAULT_HISTORY_TABLE} in the connection's current
   * schema, the dialect detected.
   *
   * @return the options
   */
  public static SchemaOptions defaults() {
    return DEFAULTS;
  }

  /**
   * A new builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link SchemaOptions}. */
  public static final class Builder extends ImmutableSchemaOptions.Builder {
    Builder() {}
  }
}
