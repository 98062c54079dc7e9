package dev.usermgmt.jdbc;

import dev.usermgmt.jdbc.dialect.Dialect;
import dev.usermgmt.role.RoleCatalog;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * Settings of the JDBC store: the dialect (detected from the connection when absent), the role
 * catalog role keys are read with, and the chunk size of batched lookups and writes.
 */
@Value.Immutable
public abstract class JdbcOptions {
  JdbcOptions() {}

  /**
   * The dialect; detected from the connection's metadata when absent.
   *
   * @return the dialect
   */
  public abstract Optional<Dialect> dialect();

  /**
   * The catalog that stored role keys refer to.
   *
   * @return the catalog
   */
  @Value.Default
  public RoleCatalog roles() {
    return RoleCatalog.defaultCatalog();
  }

  /**
   * The most keys one batched lookup takes (and rows one batch writes).
   *
   * @return the chunk size
   */
  @Value.Default
  public int batchSize() {
    return 5000;
  }

  /**
   * The defaults.
   *
   * @return the options
   */
  public static JdbcOptions defaults() {
    return builder().build();
  }

  /**
   * A new builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link JdbcOptions}. */
  public static final class Builder extends ImmutableJdbcOptions.Builder {
    Builder() {}
  }
}
