package dev.usermgmt.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** Batched lookups: one store call per chunk of keys, never one per key. Not API. */
public final class Batches {
  private Batches() {}

  /**
   * Looks keys up chunk by chunk and merges the answers.
   *
   * @param keys the keys
   * @param size the chunk size (the store's {@code maxBatchSize()} at most)
   * @param fetch one store call for one chunk
   * @param <K> key type
   * @param <R> result key type
   * @param <V> result value type
   * @return the merged answers
   */
  public static <K, R, V> Map<R, V> lookup(
      List<K> keys, int size, Function<List<K>, Map<R, V>> fetch) {
    return lookup(keys, size, fetch, (done, total) -> {});
  }

  /**
   * Looks keys up chunk by chunk, reporting progress after each chunk.
   *
   * @param keys the keys
   * @param size the chunk size
   * @param fetch one store call for one chunk
   * @param progress receives (keys done, keys in all)
   * @param <K> key type
   * @param <R> result key type
   * @param <V> result value type
   * @return the merged answers: the store's own answer when the keys fit one chunk (not copied: the
   *     callers only read it), else a map sized for every key to be found
   */
  public static <K, R, V> Map<R, V> lookup(
      List<K> keys,
      int size,
      Function<List<K>, Map<R, V>> fetch,
      BiConsumer<Integer, Integer> progress) {
    if (keys.size() <= size) {
      Map<R, V> only = fetch.apply(keys);
      progress.accept(keys.size(), keys.size());
      return only;
    }
    Map<R, V> out = new LinkedHashMap<>(keys.size() * 4 / 3 + 1);
    for (int i = 0; i < keys.size(); i += size) {
      int end = Math.min(keys.size(), i + size);
      out.putAll(fetch.apply(keys.subList(i, end)));
      progress.accept(end, keys.size());
    }
    return out;
  }
}
