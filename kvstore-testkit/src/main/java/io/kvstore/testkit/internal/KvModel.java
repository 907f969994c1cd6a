package io.kvstore.testkit.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The reference the model-based properties hold a store to: a sorted map of values with their
 * expiry instants, read at the time a supplier gives. What it says is what the store's Javadoc
 * promises; it knows nothing about how a store works. Not thread-safe.
 */
final class KvModel {
  /**
   * UTF-8 byte order, the order ordered listings promise, computed from the bytes themselves: an
   * oracle independent of the stores' code point comparators.
   */
  static final Comparator<String> UTF8_ORDER = (a, b) -> Arrays.compareUnsigned(
      a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

  /**
   * One stored key.
   *
   * @param value the value written
   * @param expiresAt when it stops existing, or {@code null} for never
   */
  record Entry(ModelInputs.Value value, Instant expiresAt) {}

  private final TreeMap<String, Entry> entries = new TreeMap<>(UTF8_ORDER);
  private final Set<String> touched = new LinkedHashSet<>();
  private final Supplier<Instant> now;

  KvModel(Supplier<Instant> now) {
    this.now = now;
  }

  /** Returns the live entry of a key: present and not expired at the current time. */
  Optional<Entry> entry(String key) {
    Entry e = entries.get(key);
    if (e == null || (e.expiresAt() != null && !now.get().isBefore(e.expiresAt()))) {
      return Optional.empty();
    }
    return Optional.of(e);
  }

  Optional<ModelInputs.Value> get(String key) {
    return entry(key).map(Entry::value);
  }

  /** Writes a key unless {@code ifAbsent} and it is live; tells whether it wrote. */
  boolean put(String key, ModelInputs.Value value, Instant expiresAt, boolean ifAbsent) {
    touched.add(key);
    if (ifAbsent && entry(key).isPresent()) {
      return false;
    }
    entries.put(key, new Entry(value, expiresAt));
    return true;
  }

  /** Deletes a key; tells whether it was live. */
  boolean delete(String key) {
    boolean live = entry(key).isPresent();
    entries.remove(key);
    return live;
  }

  /** Returns the live entries whose key starts with {@code prefix}, in UTF-8 byte order. */
  SortedMap<String, Entry> live(String prefix) {
    SortedMap<String, Entry> out = new TreeMap<>(UTF8_ORDER);
    for (Map.Entry<String, Entry> e : entries.tailMap(prefix, true).entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        break;
      }
      if (entry(e.getKey()).isPresent()) {
        out.put(e.getKey(), e.getValue());
      }
    }
    return out;
  }

  /** Returns every key this run ever wrote, so shared stores can be cleaned up after it. */
  Set<String> touched() {
    return touched;
  }

  Instant now() {
    return now.get();
  }
}
