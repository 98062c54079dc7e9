package dev.usermgmt.internal.store;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.TenantId;
import dev.usermgmt.attribute.AttributeDefinition;
import dev.usermgmt.user.User;

/** Checks that every store shares. Not API. */
public final class Checks {
  private Checks() {}

  /**
   * Refuses a page size below one.
   *
   * @param limit the most users a read returns
   * @param name the parameter's name
   * @throws InvalidInputException with {@link ErrorCode#INVALID_REQUEST} when below one
   */
  public static void positive(int limit, String name) {
    if (limit < 1) {
      throw new InvalidInputException(
          Problem.ofField(ErrorCode.INVALID_REQUEST, name, name + " must be at least 1: " + limit));
    }
  }

  /**
   * Refuses a user of another tenant: no call path writes another tenant's rows.
   *
   * @param tenant the tenant of the call
   * @param user a user to write
   * @throws InvalidInputException with {@link ErrorCode#INVALID_ID} when they differ
   */
  public static void sameTenant(TenantId tenant, User user) {
    if (!user.tenant().equals(tenant)) {
      throw new InvalidInputException(
          Problem.ofField(
              ErrorCode.INVALID_ID,
              "tenant",
              "user " + user.id() + " belongs to tenant " + user.tenant() + ", not " + tenant));
    }
  }

  /**
   * Checks that each user of {@code after} replaces the one at the same place in {@code before}:
   * same id, next version.
   *
   * @param before stored users
   * @param after their replacements
   * @throws InvalidInputException with {@link ErrorCode#INVALID_REQUEST} when they do not pair up
   */
  public static void pairs(java.util.List<User> before, java.util.List<User> after) {
    boolean ok = before.size() == after.size();
    for (int i = 0; ok && i < after.size(); i++) {
      ok =
          before.get(i).id().equals(after.get(i).id())
              && before.get(i).version() + 1 == after.get(i).version();
    }
    if (!ok) {
      throw new InvalidInputException(
          Problem.of(
              ErrorCode.INVALID_REQUEST,
              "each updated user must follow its stored user: same id, the next version"));
    }
  }

  /**
   * Refuses a user with no stored version.
   *
   * @param user a user to insert
   * @throws InvalidInputException with {@link ErrorCode#INVALID_VALUE} for version 0
   */
  public static void storedVersion(User user) {
    if (user.version() < 1) {
      throw new InvalidInputException(
          Problem.ofField(ErrorCode.INVALID_VALUE, "version", "a stored user has version ≥ 1"));
    }
  }

  /**
   * The conflict of a version-checked write: the user changed (or went) since it was read.
   *
   * @param id the user
   * @param stored the stored version, or -1 when the user is gone
   * @param expected the version the write expected
   * @return the exception to throw
   */
  public static dev.usermgmt.ConflictException versionConflict(
      dev.usermgmt.UserId id, long stored, long expected) {
    return new dev.usermgmt.ConflictException(
        Problem.builder()
            .code(ErrorCode.VERSION_CONFLICT)
            .field("version")
            .message(
                stored < 0
                    ? "user " + id + " no longer exists"
                    : "user "
                        + id
                        + " is at version "
                        + stored
                        + ", not "
                        + expected
                        + "; it was changed by someone else")
            .build());
  }

  /**
   * Checks that a definition replaces one of its own key.
   *
   * @param expected the definition read, if any
   * @param definition its replacement
   * @throws InvalidInputException with {@link ErrorCode#INVALID_REQUEST} when the keys differ
   */
  public static void sameKey(
      java.util.Optional<AttributeDefinition> expected, AttributeDefinition definition) {
    if (expected.isPresent() && !expected.get().key().equals(definition.key())) {
      throw new InvalidInputException(
          Problem.ofField(
              ErrorCode.INVALID_REQUEST,
              "key",
              "attribute '"
                  + definition.key()
                  + "' cannot replace attribute '"
                  + expected.get().key()
                  + "'"));
    }
  }

  /**
   * Refuses a definition write when the stored definition of its key is not the one its caller
   * read.
   *
   * @param key the attribute key
   * @param stored the stored definition, if any
   * @param expected the definition the caller read, if any
   * @throws dev.usermgmt.ConflictException as {@link #definitionConflict(String, boolean)} gives
   */
  public static void requireStored(
      String key,
      java.util.Optional<AttributeDefinition> stored,
      java.util.Optional<AttributeDefinition> expected) {
    if (!stored.equals(expected)) {
      throw definitionConflict(key, expected.isEmpty());
    }
  }

  /**
   * The conflict of a definition write that found another state than its caller read: a create of a
   * defined key, or a change of a definition that another changed or deleted since.
   *
   * @param key the attribute key
   * @param creating whether the caller read no definition
   * @return the exception to throw
   */
  public static dev.usermgmt.ConflictException definitionConflict(String key, boolean creating) {
    return new dev.usermgmt.ConflictException(
        creating
            ? Problem.ofField(ErrorCode.ALREADY_EXISTS, "key", "attribute '" + key + "' exists")
            : Problem.ofField(
                ErrorCode.VERSION_CONFLICT,
                "key",
                "attribute '"
                    + key
                    + "' was changed or deleted by someone else since it was read"));
  }
}
