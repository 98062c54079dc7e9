package dev.usermgmt.jdbc;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.StoreException;
import dev.usermgmt.jdbc.dialect.Dialect;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.flywaydb.core.api.output.ValidateResult;
import org.jspecify.annotations.Nullable;

/**
 * The only class that touches Flyway, loaded once {@link UserMgmtSchema} has checked that Flyway is
 * there. Every Flyway failure leaves as a {@code UserMgmtException}.
 */
final class FlywayMigrations {
  private FlywayMigrations() {}

  static int migrate(DataSource dataSource, Dialect dialect, SchemaOptions options) {
    try {
      return flyway(dataSource, dialect, options).migrate().migrationsExecuted;
    } catch (FlywayValidateException e) {
      throw mismatch(options, String.valueOf(e.getMessage()), e);
    } catch (FlywayException e) {
      throw new StoreException(
          ErrorCode.STORE_FAILURE,
          "migrating the user-mgmt schema (history table "
              + options.historyTable()
              + ") failed: "
              + e.getMessage(),
          e);
    }
  }

  static void validate(DataSource dataSource, Dialect dialect, SchemaOptions options) {
    ValidateResult result;
    try {
      result = flyway(dataSource, dialect, options).validateWithResult();
    } catch (FlywayException e) {
      throw new StoreException(
          ErrorCode.STORE_FAILURE,
          "validating the user-mgmt schema (history table "
              + options.historyTable()
              + ") failed: "
              + e.getMessage(),
          e);
    }
    if (!result.validationSuccessful) {
      String details =
          result.invalidMigrations.isEmpty()
              ? result.getAllErrorMessages()
              : result.invalidMigrations.stream()
                  .map(m -> m.version + " " + m.description + ": " + m.errorDetails.errorMessage)
                  .collect(Collectors.joining("; "));
      throw mismatch(options, details, null);
    }
  }

  private static InvalidInputException mismatch(
      SchemaOptions options, String details, @Nullable Throwable cause) {
    Problem problem =
        Problem.of(
            ErrorCode.INVALID_CONFIGURATION,
            "the user-mgmt schema recorded in "
                + options.historyTable()
                + " does not match this library version's migrations: "
                + details);
    return cause == null
        ? new InvalidInputException(problem)
        : new InvalidInputException(problem, cause);
  }

  private static Flyway flyway(DataSource dataSource, Dialect dialect, SchemaOptions options) {
    FluentConfiguration config =
        Flyway.configure(UserMgmtSchema.class.getClassLoader())
            .dataSource(dataSource)
            .locations(dialect.migrationLocation())
            .failOnMissingLocations(true)
            .validateMigrationNaming(true)
            .placeholderReplacement(false)
            .table(options.historyTable())
            // beside a host's tables the history starts at 0, so that every migration runs
            .baselineOnMigrate(true)
            .baselineVersion("0")
            .baselineDescription("user-mgmt history started beside existing tables");
    options.schema().ifPresent(s -> config.schemas(s).defaultSchema(s).createSchemas(true));
    return config.load();
  }
}
