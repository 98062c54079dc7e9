package dev.usermgmt;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * One thing wrong with some input: its code, a human message, and where it is (the field, and for
 * files the 1-based row and the column header). Bulk previews list problems per row; exceptions
 * carry one or more of them.
 *
 * <p>Written by hand rather than generated, so that this root package, the vocabulary every other
 * package builds on, depends on no other package of the library.
 */
public final class Problem {
  private final ErrorCode code;
  private final String message;
  private final @Nullable String field;
  private final long row;
  private final @Nullable String column;

  private Problem(Builder b) {
    this.code = Objects.requireNonNull(b.code, "code");
    this.message = Objects.requireNonNull(b.message, "message");
    this.field = b.field;
    this.row = b.row;
    this.column = b.column;
  }

  /**
   * What is wrong.
   *
   * @return the code
   */
  public ErrorCode code() {
    return code;
  }

  /**
   * A human-readable message, in English.
   *
   * @return the message
   */
  public String message() {
    return message;
  }

  /**
   * The user field or attribute key concerned, e.g. {@code primaryEmail} or {@code attr.level}.
   *
   * @return the field
   */
  public Optional<String> field() {
    return Optional.ofNullable(field);
  }

  /**
   * The 1-based row of the file or list the problem is in.
   *
   * @return the row
   */
  public OptionalLong row() {
    return row < 0 ? OptionalLong.empty() : OptionalLong.of(row);
  }

  /**
   * The column header of the file the problem is in.
   *
   * @return the column
   */
  public Optional<String> column() {
    return Optional.ofNullable(column);
  }

  /**
   * A problem with no location.
   *
   * @param code what is wrong
   * @param message the human message
   * @return the problem
   */
  public static Problem of(ErrorCode code, String message) {
    return builder().code(code).message(message).build();
  }

  /**
   * A problem about one field.
   *
   * @param code what is wrong
   * @param field the field concerned
   * @param message the human message
   * @return the problem
   */
  public static Problem ofField(ErrorCode code, String field, String message) {
    return builder().code(code).field(field).message(message).build();
  }

  /**
   * A copy placed at a row of a file.
   *
   * @param row the 1-based row
   * @return the copy
   */
  public Problem atRow(long row) {
    return builder().from(this).row(row).build();
  }

  /**
   * A copy placed at a column of a file.
   *
   * @param column the column header
   * @return the copy
   */
  public Problem atColumn(String column) {
    return builder().from(this).column(column).build();
  }

  /**
   * A new builder; {@code code} and {@code message} are required.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Problem p
        && code == p.code
        && message.equals(p.message)
        && Objects.equals(field, p.field)
        && row == p.row
        && Objects.equals(column, p.column);
  }

  @Override
  public int hashCode() {
    return Objects.hash(code, message, field, row, column);
  }

  /** Builds a {@link Problem}. */
  public static final class Builder {
    private @Nullable ErrorCode code;
    private @Nullable String message;
    private @Nullable String field;
    private long row = -1;
    private @Nullable String column;

    private Builder() {}

    /**
     * Copies every value of a problem.
     *
     * @param p the problem
     * @return this builder
     */
    public Builder from(Problem p) {
      this.code = p.code;
      this.message = p.message;
      this.field = p.field;
      this.row = p.row;
      this.column = p.column;
      return this;
    }

    /**
     * What is wrong.
     *
     * @param code the code
     * @return this builder
     */
    public Builder code(ErrorCode code) {
      this.code = Objects.requireNonNull(code, "code");
      return this;
    }

    /**
     * The human message.
     *
     * @param message the message
     * @return this builder
     */
    public Builder message(String message) {
      this.message = Objects.requireNonNull(message, "message");
      return this;
    }

    /**
     * The field concerned.
     *
     * @param field the field
     * @return this builder
     */
    public Builder field(String field) {
      this.field = Objects.requireNonNull(field, "field");
      return this;
    }

    /**
     * The field concerned, if any.
     *
     * @param field the field
     * @return this builder
     */
    public Builder field(Optional<String> field) {
      this.field = field.orElse(null);
      return this;
    }

    /**
     * The 1-based row.
     *
     * @param row the row
     * @return this builder
     */
    public Builder row(long row) {
      this.row = row;
      return this;
    }

    /**
     * The row, if any.
     *
     * @param row the row
     * @return this builder
     */
    public Builder row(OptionalLong row) {
      this.row = row.orElse(-1);
      return this;
    }

    /**
     * The column header.
     *
     * @param column the column
     * @return this builder
     */
    public Builder column(String column) {
      this.column = Objects.requireNonNull(column, "column");
      return this;
    }

    /**
     * The column header, if any.
     *
     * @param column the column
     * @return this builder
     */
    public Builder column(Optional<String> column) {
      this.column = column.orElse(null);
      return this;
    }

    /**
     * The problem.
     *
     * @return the problem
     */
    public Problem build() {
      return new Problem(this);
    }
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(code().id()).append(": ").append(message());
    row().ifPresent(r -> b.append(" [row ").append(r).append(']'));
    column().ifPresent(c -> b.append(" [column ").append(c).append(']'));
    field().ifPresent(f -> b.append(" [field ").append(f).append(']'));
    return b.toString();
  }
}
