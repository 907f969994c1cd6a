package io.kvstore;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The blocking view of a {@link KvNamespace}: the same verbs, waiting for the result. For callers
 * without futures; the thread waits one round trip per call. Thread-safe. Failures are thrown as
 * the {@link KvException} that the future would have failed with.
 *
 * @param <V> the value type
 */
public interface BlockingKvNamespace<V> {
  /**
   * Reads one key. See {@link KvNamespace#get(String)}.
   *
   * @param key the key
   * @return the value, or empty if absent
   * @throws KvException if the read fails
   */
  Optional<V> get(String key);

  /**
   * Reads many keys in one round trip. See {@link KvNamespace#getAll(Collection)}.
   *
   * @param keys the keys
   * @return the values found, in the order of {@code keys}
   * @throws KvException if the read fails
   */
  Map<String, V> getAll(Collection<String> keys);

  /**
   * Reads many keys in one round trip with per-key outcomes. See
   * {@link KvNamespace#getAllResults(Collection)}.
   *
   * @param keys the keys
   * @return one result per distinct key, in the order of {@code keys}
   * @throws KvException if the read fails as a whole
   */
  Map<String, KvResult<V>> getAllResults(Collection<String> keys);

  /**
   * Writes one key. See {@link KvNamespace#put(String, Object)}.
   *
   * @param key the key
   * @param value the value
   * @throws KvException if the write fails
   */
  void put(String key, V value);

  /**
   * Writes one key with options. See {@link KvNamespace#put(String, Object, PutOptions)}.
   *
   * @param key the key
   * @param value the value
   * @param options TTL override and if-absent
   * @throws KvException if the write fails
   */
  void put(String key, V value, PutOptions options);

  /**
   * Writes one key only if absent. See
   * {@link KvNamespace#putIfAbsent(String, Object, PutOptions)}.
   *
   * @param key the key
   * @param value the value
   * @param options TTL override
   * @return {@code true} if the key was written
   * @throws KvException if the write fails
   */
  boolean putIfAbsent(String key, V value, PutOptions options);

  /**
   * Writes many keys in one round trip. See {@link KvNamespace#putAll(Map)}.
   *
   * @param entries keys and values
   * @throws KvException if the write fails
   */
  void putAll(Map<String, ? extends V> entries);

  /**
   * Writes many keys in one round trip with options. See
   * {@link KvNamespace#putAll(Map, PutOptions)}.
   *
   * @param entries keys and values
   * @param options TTL override and if-absent
   * @throws KvException if the write fails
   */
  void putAll(Map<String, ? extends V> entries, PutOptions options);

  /**
   * Deletes one key. See {@link KvNamespace#delete(String)}.
   *
   * @param key the key
   * @return {@code true} if it existed
   * @throws KvException if the delete fails
   */
  boolean delete(String key);

  /**
   * Deletes many keys in one round trip. See {@link KvNamespace#deleteAll(Collection)}.
   *
   * @param keys the keys
   * @return how many existed
   * @throws KvException if the delete fails
   */
  long deleteAll(Collection<String> keys);

  /**
   * Reads one key with its version. See {@link KvNamespace#getVersioned(String)}.
   *
   * @param key the key
   * @return the value and its version, or empty if absent
   * @throws KvException if the read fails
   */
  Optional<KvVersioned<V>> getVersioned(String key);

  /**
   * Writes a value only if the key still holds a version. See
   * {@link KvNamespace#replace(String, KvVersion, Object)}.
   *
   * @param key the key
   * @param expected the version read with {@link #getVersioned}
   * @param value the new value
   * @return applied, changed or missing
   * @throws KvException if the write fails
   */
  KvSwap replace(String key, KvVersion expected, V value);

  /**
   * Deletes a key only if it still holds a version. See
   * {@link KvNamespace#deleteIf(String, KvVersion)}.
   *
   * @param key the key
   * @param expected the version read with {@link #getVersioned}
   * @return applied, changed or missing
   * @throws KvException if the delete fails
   */
  KvSwap deleteIf(String key, KvVersion expected);

  /**
   * Updates one key safely against concurrent writers. See
   * {@link KvNamespace#update(String, Function)}.
   *
   * @param key the key
   * @param fn the current value (empty if absent) to the new one (empty deletes)
   * @return the value after the update
   * @throws KvConflictException if every attempt lost the race
   * @throws KvException if the update fails
   */
  Optional<V> update(String key, Function<Optional<V>, Optional<V>> fn);

  /**
   * Updates one key safely against concurrent writers. See
   * {@link KvNamespace#update(String, Function, UpdateOptions)}.
   *
   * @param key the key
   * @param fn the current value (empty if absent) to the new one (empty deletes)
   * @param options attempts and backoff
   * @return the value after the update
   * @throws KvConflictException if every attempt lost the race
   * @throws KvException if the update fails
   */
  Optional<V> update(String key, Function<Optional<V>, Optional<V>> fn,
      UpdateOptions options);

  /**
   * Adds {@code delta} to a counter. See {@link KvNamespace#increment(String, long)}.
   *
   * @param key the key
   * @param delta what to add, negative to subtract
   * @return the counter's value after the increment
   * @throws KvValidationException if the key is invalid, the codec does not store numbers, or
   *     the result would overflow
   * @throws KvCodecException if the key holds something other than a counter
   * @throws KvException if the increment fails
   */
  long increment(String key, long delta);

  /**
   * Adds {@code delta} to a counter within bounds. See
   * {@link KvNamespace#increment(String, long, CounterOptions)}.
   *
   * @param key the key
   * @param delta what to add, negative to subtract
   * @param options the bounds
   * @return the value after the call and whether the increment was applied
   * @throws KvValidationException if an argument is invalid, the codec does not store numbers,
   *     or the result would overflow
   * @throws KvCodecException if the key holds something other than a counter
   * @throws KvException if the increment fails
   */
  KvCount increment(String key, long delta, CounterOptions options);

  /**
   * Lists one page of keys. See {@link KvNamespace#list(ListOptions)}.
   *
   * @param options prefix, limit and cursor
   * @return the page
   * @throws KvException if the listing fails
   */
  KvPage list(ListOptions options);

  /**
   * Lists one page of keys with values. See {@link KvNamespace#listValues(ListOptions)}.
   *
   * @param options prefix, limit and cursor
   * @return the page
   * @throws KvException if the listing fails
   */
  KvValuePage<V> listValues(ListOptions options);

  /**
   * Streams every entry under a prefix, fetching one {@code listValues} page of
   * {@link ListOptions#DEFAULT_LIMIT} at a time: the first at once (so a bad prefix or an
   * unreachable store fails here), the next ones as the stream is consumed. Values that fail to
   * decode are skipped (use {@link #listValues} to see them).
   *
   * @param prefix the literal prefix; empty for the whole namespace
   * @return a lazy, sequential stream; close it or consume it fully
   * @throws KvValidationException if the prefix is invalid
   */
  Stream<KvEntry<V>> scanValues(String prefix);

  /**
   * Builds the listing index of a namespace written before indexing. See
   * {@link KvNamespace#reindex()}.
   *
   * @return how many keys the index holds afterwards
   * @throws KvException if the rebuild fails
   */
  long reindex();

  /**
   * Returns the asynchronous view.
   *
   * @return the namespace
   */
  KvNamespace<V> async();
}
