package dev.usermgmt.jdbc;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.StoreException;
import dev.usermgmt.jdbc.dialect.Dialect;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The library's tables in a host's database, in one call: {@link #migrate(DataSource)} applies the
 * dialect's migrations ({@link Dialect#migrationLocation()}) with Flyway and records them in the
 * library's own history table, {@value SchemaOptions#DEFAULT_HISTORY_TABLE}. A host's own Flyway
 * keeps its own history table and versions beside it: both migrate and validate independently.
 *
 * <p>The library's history starts at version 0 even when the schema already holds the host's
 * tables, so every library migration runs. A host's own Flyway refuses to start its history in a
 * schema that is not empty: run it first, or give it {@code baselineOnMigrate(true)} with {@code
 * baselineVersion("0")} too, or keep the library's tables in a schema of their own ({@link
 * SchemaOptions#schema()}).
 *
 * <p>Flyway is an optional dependency of this module: a host that calls this class declares {@code
 * org.flywaydb:flyway-core} (10 or newer), plus {@code flyway-database-postgresql} for PostgreSQL
 * or {@code flyway-mysql} for MariaDB and MySQL. Without them every method here fails with {@link
 * ErrorCode#INVALID_CONFIGURATION} naming the missing artifact. Hosts that use Liquibase or their
 * own tooling create the schema from {@link Dialect#ddlScript()} instead.
 */
public final class UserMgmtSchema {
  private UserMgmtSchema() {}

  /**
   * Applies the library's pending migrations to the data source's current schema, dialect detected,
   * history in {@value SchemaOptions#DEFAULT_HISTORY_TABLE}. Several instances may call it at once:
   * Flyway locks the history table.
   *
   * @param dataSource the host's data source
   * @return how many migrations were applied (0 when the schema was current)
   * @throws InvalidInputException with {@link ErrorCode#INVALID_CONFIGURATION} when Flyway or its
   *     database module is missing, or the recorded migrations differ from this version's
   * @throws StoreException when the database cannot be reached or a migration fails
   */
  public static int migrate(DataSource dataSource) {
    return migrate(dataSource, SchemaOptions.defaults());
  }

  /**
   * Applies the library's pending migrations.
   *
   * @param dataSource the host's data source
   * @param options the history table, schema and dialect
   * @return how many migrations were applied (0 when the schema was current)
   * @throws InvalidInputException with {@link ErrorCode#INVALID_CONFIGURATION} when Flyway or its
   *     database module is missing, or the recorded migrations differ from this version's
   * @throws StoreException when the database cannot be reached or a migration fails
   */
  public static int migrate(DataSource dataSource, SchemaOptions options) {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(options, "options");
    Dialect dialect = ready(dataSource, options);
    return FlywayMigrations.migrate(dataSource, dialect, options);
  }

  /**
   * Checks that every migration of this library version was applied, unchanged, to the data
   * source's current schema (a host may call it at start-up instead of migrating).
   *
   * @param dataSource the host's data source
   * @throws InvalidInputException with {@link ErrorCode#INVALID_CONFIGURATION} when a migration is
   *     pending, changed or unknown, or Flyway or its database module is missing
   * @throws StoreException when the database cannot be reached
   */
  public static void validate(DataSource dataSource) {
    validate(dataSource, SchemaOptions.defaults());
  }

  /**
   * Checks that every migration of this library version was applied, unchanged.
   *
   * @param dataSource the host's data source
   * @param options the history table, schema and dialect
   * @throws InvalidInputException with {@link ErrorCode#INVALID_CONFIGURATION} when a migration is
   *     pending, changed or unknown, or Flyway or its database module is missing
   * @throws StoreException when the database cannot be reached
   */
  public static void validate(DataSource dataSource, SchemaOptions options) {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(options, "options");
    Dialect dialect = ready(dataSource, options);
    FlywayMigrations.validate(dataSource, dialect, options);
  }

  /** The dialect, once Flyway and its module for the dialect are known to be there. */
  private static Dialect ready(DataSource dataSource, SchemaOptions options) {
    ClassLoader loader = UserMgmtSchema.class.getClassLoader();
    requireFlyway(null, loader);
    Dialect dialect = options.dialect().orElseGet(() -> JdbcStores.detect(dataSource));
    requireFlyway(dialect, loader);
    return dialect;
  }

  /**
   * Fails with the artifact to add when Flyway, or its module for a dialect, is not visible to a
   * class loader. Flyway's classes are only touched after this check, in {@link FlywayMigrations},
   * so a host without Flyway gets this message instead of a {@code NoClassDefFoundError}.
   *
   * @param dialect the dialect whose module is needed, or null for Flyway itself
   * @param loader the class loader the library and Flyway are loaded by
   */
  static void requireFlyway(@Nullable Dialect dialect, @Nullable ClassLoader loader) {
    String type;
    String message;
    if (dialect == null) {
      type = "org.flywaydb.core.Flyway";
      message =
          "UserMgmtSchema runs the library's migrations with Flyway, which is not on the class"
              + " path: add org.flywaydb:flyway-core (10 or newer) to the application's"
              + " dependencies, or create the schema without Flyway from Dialect.ddlScript()";
    } else {
      String module;
      switch (dialect) {
        case POSTGRESQL -> {
          type = "org.flywaydb.database.postgresql.PostgreSQLDatabaseType";
          module = "flyway-database-postgresql";
        }
        case MARIADB -> {
          type = "org.flywaydb.database.mysql.MySQLDatabaseType";
          module = "flyway-mysql";
        }
        default -> {
          return; // flyway-core itself supports H2
        }
      }
      message =
          "Flyway needs its module for "
              + dialect
              + ", which is not on the class path: add org.flywaydb:"
              + module
              + " (the version of flyway-core) to the application's dependencies";
    }
    try {
      Class.forName(type, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new InvalidInputException(Problem.of(ErrorCode.INVALID_CONFIGURATION, message), e);
    }
  }
}
