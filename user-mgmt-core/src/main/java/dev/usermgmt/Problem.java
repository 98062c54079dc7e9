package dev.usermgmt;

import java.util.Optional;
import java.util.OptionalLong;
import org.immutables.value.Value;

/**
 * One thing wrong with some input: its code, a human message, and where it is (the field, and for
 * files the 1-based row and the column header). Bulk previews list problems per row; exceptions
 * carry one or more of them.
 */
@Value.Immutable
public abstract class Problem {
  Problem() {}

  /**
   * What is wrong.
   *
   * @return the code
   */
  public abstract ErrorCode code();

  /**
   * A human-readable message, in English.
   *
   * @return the message
   */
  public abstract String message();

  /**
   * The user field or attribute key concerned, e.g. {@code primaryEmail} or {@code attr.level}.
   *
   * @return the field
   */
  public abstract Optional<String> field();

  /**
   * The 1-based row of the file or list the problem is in.
   *
   * @return the row
   */
  public abstract OptionalLong row();

  /**
   * The column header of the file the problem is in.
   *
   * @return the column
   */
  public abstract Optional<String> column();

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
   * A new builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link Problem}. */
  public static final class Builder extends ImmutableProblem.Builder {
    Builder() {}
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
