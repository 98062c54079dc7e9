package dev.usermgmt.bulk;

import com.google.common.hash.HashCode;
import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * The match keys an update file has used so far, as 128-bit fingerprints (seeded at random per
 * plan) in open-addressed arrays: 16 bytes a key however long the keys are, so that a file of a
 * million rows finds its repeated keys in a few dozen megabytes. Two different keys share a
 * fingerprint with a chance of about 2<sup>-128</sup> a pair.
 */
final class KeySet {
  private final HashFunction hash;
  private long[] hi = new long[1 << 10];
  private long[] lo = new long[1 << 10];
  private boolean[] used = new boolean[1 << 10];
  private int size;

  KeySet(Random random) {
    this.hash = Hashing.murmur3_128(random.nextInt());
  }

  /** Adds a key; false when it was there already. */
  boolean add(String key) {
    HashCode h = hash.hashString(key, StandardCharsets.UTF_8);
    byte[] b = h.asBytes();
    long a = 0;
    long c = 0;
    for (int i = 0; i < 8; i++) {
      a = (a << 8) | (b[i] & 0xff);
      c = (c << 8) | (b[i + 8] & 0xff);
    }
    if (size * 2 >= used.length) {
      grow();
    }
    return insert(a, c);
  }

  private boolean insert(long a, long c) {
    int mask = used.length - 1;
    int i = (int) (a ^ (a >>> 32)) & mask;
    while (used[i]) {
      if (hi[i] == a && lo[i] == c) {
        return false;
      }
      i = (i + 1) & mask;
    }
    used[i] = true;
    hi[i] = a;
    lo[i] = c;
    size++;
    return true;
  }

  private void grow() {
    long[] oldHi = hi;
    long[] oldLo = lo;
    boolean[] oldUsed = used;
    hi = new long[oldUsed.length * 2];
    lo = new long[oldUsed.length * 2];
    used = new boolean[oldUsed.length * 2];
    size = 0;
    for (int i = 0; i < oldUsed.length; i++) {
      if (oldUsed[i]) {
        insert(oldHi[i], oldLo[i]);
      }
    }
  }
}
