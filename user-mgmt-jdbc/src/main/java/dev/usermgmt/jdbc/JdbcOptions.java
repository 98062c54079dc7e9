package dev.usermgmt.jdbc;

import dev.usermgmt.jdbc.dialect.Dialect;
import dev.usermgmt.role.RoleCatalog;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * Settings of the JDBC store: the dialect (detected from the connection when absent), the role
 * catalog role keys are read with, the chunk size of batched lookups and writes, and whether a bulk
 * apply may read ahead on a second connection.
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
   * Whether a bulk apply called outside a transaction may read the next chunk's users on a thread
   * of its own, on a second connection from the data source, while the chunk before is written (on
   * by default). Turn it off for a data source that hands the same physical connection to every
   * thread (a single-connection data source of a test, say): the read would run on the connection
   * of the chunk's transaction. An apply then holds one connection at a time again.
   *
   * @return whether a bulk apply reads ahead
   */
  @Value.Default
  public boolean readAhead() {
    return true;
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
