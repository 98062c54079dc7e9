package dev.usermgmt.internal;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * An immutable map of text by text in insertion order, held as two arrays: the cells of one row of
 * an update file. A file's rows share one key array (its mapped columns), so a row costs one value
 * array instead of a linked hash map of entries; lookups compare the few keys a row has. Null keys
 * and values are refused, like {@link Map#copyOf}.
 */
public final class FieldValues extends AbstractMap<String, String> {
  private static final FieldValues EMPTY = new FieldValues(new String[0], new String[0]);

  private final String[] keys;
  private final String[] values;

  private FieldValues(String[] keys, String[] values) {
    this.keys = keys;
    this.values = values;
  }

  /**
   * Distinct keys checked once, to build many maps over them (a file's mapped columns).
   *
   * @param keys distinct, non-null keys
   * @return the keys
   * @throws IllegalArgumentException for a key given twice
   */
  public static Keys keys(String... keys) {
    String[] k = keys.clone();
    for (int i = 0; i < k.length; i++) {
      Objects.requireNonNull(k[i], "key");
      for (int j = 0; j < i; j++) {
        if (k[j].equals(k[i])) {
          throw new IllegalArgumentException("duplicate key " + k[i]);
        }
      }
    }
    return new Keys(k);
  }

  /** Distinct keys shared by the maps built from them. */
  public static final class Keys {
    private final String[] keys;

    private Keys(String[] keys) {
      this.keys = keys;
    }

    /**
     * The map of these keys to values, skipping the keys whose value is null. The array is taken,
     * not copied: the caller must not change it afterwards.
     *
     * @param values one value a key, or null for a key the map leaves out
     * @return the map
     */
    public FieldValues with(@Nullable String[] values) {
      if (values.length != keys.length) {
        throw new IllegalArgumentException(keys.length + " keys but " + values.length + " values");
      }
      int present = 0;
      for (String v : values) {
        present += v == null ? 0 : 1;
      }
      if (present == keys.length) {
        @SuppressWarnings("NullAway") // every value was just seen to be present
        String[] all = values;
        return new FieldValues(keys, all);
      }
      String[] k = new String[present];
      String[] v = new String[present];
      int n = 0;
      for (int i = 0; i < keys.length; i++) {
        String value = values[i];
        if (value != null) {
          k[n] = keys[i];
          v[n++] = value;
        }
      }
      return new FieldValues(k, v);
    }
  }

  /**
   * An immutable copy in the map's iteration order; a {@code FieldValues} is returned as it is.
   *
   * @param map the entries
   * @return the copy
   */
  public static FieldValues copyOf(Map<String, String> map) {
    if (map instanceof FieldValues f) {
      return f;
    }
    if (map.isEmpty()) {
      return EMPTY;
    }
    String[] k = new String[map.size()];
    String[] v = new String[k.length];
    int i = 0;
    for (Map.Entry<String, String> e : map.entrySet()) {
      k[i] = Objects.requireNonNull(e.getKey(), "key");
      v[i] = Objects.requireNonNull(e.getValue(), "value");
      i++;
    }
    return new FieldValues(k, v);
  }

  private int indexOf(@Nullable Object key) {
    if (key == null) {
      return -1;
    }
    int hash = key.hashCode();
    for (int i = 0; i < keys.length; i++) {
      if (keys[i].hashCode() == hash && keys[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public int size() {
    return keys.length;
  }

  @Override
  public boolean containsKey(@Nullable Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  public @Nullable String get(@Nullable Object key) {
    int i = indexOf(key);
    return i < 0 ? null : values[i];
  }

  @Override
  public String getOrDefault(@Nullable Object key, String defaultValue) {
    int i = indexOf(key);
    return i < 0 ? defaultValue : values[i];
  }

  @Override
  public void forEach(BiConsumer<? super String, ? super String> action) {
    for (int i = 0; i < keys.length; i++) {
      action.accept(keys[i], values[i]);
    }
  }

  @Override
  public Set<Map.Entry<String, String>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return keys.length;
      }

      @Override
      public Iterator<Map.Entry<String, String>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < keys.length;
          }

          @Override
          public Map.Entry<String, String> next() {
            if (next >= keys.length) {
              throw new NoSuchElementException();
            }
            int i = next++;
            return new AbstractMap.SimpleImmutableEntry<>(keys[i], values[i]);
          }
        };
      }
    };
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i < keys.length; i++) {
      b.append(i == 0 ? "" : ", ").append(keys[i]).append('=').append(values[i]);
    }
    return b.append('}').toString();
  }
}
