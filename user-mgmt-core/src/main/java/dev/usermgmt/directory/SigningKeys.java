package dev.usermgmt.directory;

import dev.usermgmt.ErrorCode;
import dev.usermgmt.InvalidInputException;
import dev.usermgmt.Problem;
import dev.usermgmt.spi.Stores;
import java.security.SecureRandom;
import org.jspecify.annotations.Nullable;

/** Which key a directory signs cursors and plans with. */
final class SigningKeys {
  private SigningKeys() {}

  /**
   * The host's key; without one, a random key over stores no other process sees, and a refusal over
   * shared stores.
   *
   * @throws InvalidInputException with {@code invalid_configuration} when the stores are shared
   *     between processes and the host gave no key
   */
  static byte[] resolve(@Nullable Stores stores, byte @Nullable [] key, SecureRandom random) {
    if (key != null) {
      return key;
    }
    if (stores != null && stores.transactions().sharedBetweenProcesses()) {
      throw new InvalidInputException(
          Problem.ofField(
              ErrorCode.INVALID_CONFIGURATION,
              "signingKey",
              "the stores are shared between processes, so every directory over them needs the"
                  + " same signing key from the host's configuration (UserDirectory.Builder"
                  + ".signingKey, at least 16 bytes); a random key per directory would make page"
                  + " cursors and bulk plans made by one instance fail on every other and after a"
                  + " restart"));
    }
    byte[] random32 = new byte[32];
    random.nextBytes(random32);
    return random32;
  }
}
