package dev.usermgmt.bulk;

import dev.usermgmt.UserId;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Who has each e-mail address while an update file is planned: the addresses earlier rows of the
 * file take (kept for the whole file) over the owners in the store (looked up for each chunk of
 * rows).
 */
final class EmailOwners {
  private final Map<String, UserId> claims = new HashMap<>();
  private Map<String, UserId> stored = Map.of();

  /** The store's owners of the addresses the current chunk of rows names. */
  void stored(Map<String, UserId> owners) {
    this.stored = owners;
  }

  @Nullable UserId get(String key) {
    UserId claimed = claims.get(key);
    return claimed != null ? claimed : stored.get(key);
  }

  /** An earlier row takes the address. */
  void claim(String key, UserId owner) {
    claims.put(key, owner);
  }
}
