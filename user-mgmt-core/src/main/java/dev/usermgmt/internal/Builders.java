package dev.usermgmt.internal;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import java.util.function.Supplier;

/**
 * What the public builders share. The generated builders collect a map's entries and refuse a key
 * put twice only when they build, with the collection library's {@link IllegalArgumentException}
 * (Immutables issue 1194: {@code from(value).putX(key, …)} for a key the value holds fails so); a
 * caller gets an input error naming the field instead, and no raw exception. Not API.
 */
public final class Builders {
  private Builders() {}

  /** How Guava's map builder begins its message for a key put twice. */
  private static final String DUPLICATE_KEY = "Multiple entries with same key";

  /**
   * Builds, turning a key put twice into a map field into an input error.
   *
   * @param mapField the builder's map field, named in the problem
   * @param build the generated builder's build
   * @param <T> the value built
   * @return the value
   * @throws InvalidInputException with {@link ErrorCode#INVALID_VALUE} when a key was put twice
   */
  public static <T> T build(String mapField, Supplier<T> build) {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      if (e.getMessage() == null || !e.getMessage().startsWith(DUPLICATE_KEY)) {
        throw e;
      }
      // the message names the key and both values: the values may be personal, so not repeated
      throw new InvalidInputException(
          Problem.ofField(
              ErrorCode.INVALID_VALUE,
              mapField,
              "a key was put twice into "
                  + mapField
                  + " of one builder; a put adds an entry and does not replace one: set the"
                  + " whole map with "
                  + mapField
                  + "(…) to replace entries"));
    }
  }
}
