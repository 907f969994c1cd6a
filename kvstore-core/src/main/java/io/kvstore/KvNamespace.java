package io.kvstore;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A typed view of one namespace of a {@link KvStore}, with asynchronous operations. Thread-safe.
 *
 * <p>Batch operations ({@code getAll}, {@code putAll}, {@code deleteAll}, {@code listValues})
 * cost one round trip however many keys they carry: prefer them to loops of single calls.
 *
 * <p><b>Errors, one rule.</b> Arguments are checked before anything is sent: a bad key, TTL,
 * size, limit, prefix or cursor throws {@link KvValidationException} from the call itself, and so
 * does a value that cannot be encoded ({@link KvCodecException}); nothing is sent then. Every
 * other failure completes the returned future exceptionally, never throws: the store timed out
 * ({@link KvTimeoutException}), cannot be reached or is closed ({@link KvUnavailableException}),
 * or a stored value cannot be decoded ({@link KvCodecException}). The blocking view throws the
 * same exceptions.
 *
 * @param <V> the value type
 */
public interface KvNamespace<V> {
  /**
   * Returns the namespace name.
   *
   * @return the name
   */
  String name();

  /**
   * Returns the options this namespace was opened with.
   *
   * @return the options
   */
  NamespaceOptions<V> options();

  /**
   * Reads one key. Under a sliding TTL the read also extends the key's TTL.
   *
   * @param key the key
   * @return the value, or empty if the key does not exist; fails with {@link KvCodecException}
   *     if the stored value cannot be decoded
   * @throws KvValidationException if the key is invalid
   */
  CompletableFuture<Optional<V>> get(String key);

  /**
   * Reads many keys in one round trip. Keys that do not exist are absent from the result; so are
   * keys whose value cannot be decoded (use {@link #getAllResults} to see those failures).
   *
   * @param keys the keys; duplicates are read once
   * @return an unmodifiable map in the iteration order of {@code keys}
   * @throws KvValidationException if the collection or any key is null or invalid
   */
  CompletableFuture<Map<String, V>> getAll(Collection<String> keys);

  /**
   * Reads many keys in one round trip and reports each key's outcome, so that one undecodable
   * value never hides the others.
   *
   * @param keys the keys; duplicates are read once
   * @return an unmodifiable map with one result per distinct key, in the order of {@code keys}
   * @throws KvValidationException if the collection or any key is null or invalid
   */
  CompletableFuture<Map<String, KvResult<V>>> getAllResults(Collection<String> keys);

  /**
   * Writes one key under the namespace's TTL policy.
   *
   * @param key the key
   * @param value the value
   * @return a future that completes when the store acknowledged the write
   * @throws KvValidationException if the key is invalid, the value is null or too large
   * @throws KvCodecException if the value cannot be encoded
   */
  CompletableFuture<Void> put(String key, V value);

  /**
   * Writes one key with per-call options.
   *
   * @param key the key
   * @param value the value
   * @param options TTL override and if-absent
   * @return a future that completes when the store answered; with {@link PutOptions#ifAbsent()}
   *     an existing key is left as it is
   * @throws KvValidationException if an argument is invalid
   * @throws KvCodecException if the value cannot be encoded
   */
  CompletableFuture<Void> put(String key, V value, PutOptions options);

  /**
   * Writes one key only if it does not exist, and tells whether it was written.
   *
   * @param key the key
   * @param value the value
   * @param options TTL override ({@code ifAbsent} is implied)
   * @return {@code true} if the key was written, {@code false} if it already existed
   * @throws KvValidationException if an argument is invalid
   * @throws KvCodecException if the value cannot be encoded
   */
  CompletableFuture<Boolean> putIfAbsent(String key, V value, PutOptions options);

  /**
   * Writes many keys in one round trip under the namespace's TTL policy.
   *
   * @param entries keys and values
   * @return a future that completes when every write was acknowledged
   * @throws KvValidationException if any key or value is invalid (nothing is written then)
   * @throws KvCodecException if any value cannot be encoded (nothing is written then)
   */
  CompletableFuture<Void> putAll(Map<String, ? extends V> entries);

  /**
   * Writes many keys in one round trip with per-call options.
   *
   * @param entries keys and values
   * @param options TTL override and if-absent, applied to every key
   * @return a future that completes when every write was answered
   * @throws KvValidationException if any argument is invalid (nothing is written then)
   * @throws KvCodecException if any value cannot be encoded (nothing is written then)
   */
  CompletableFuture<Void> putAll(Map<String, ? extends V> entries, PutOptions options);

  /**
   * Deletes one key.
   *
   * @param key the key
   * @return {@code true} if the key existed
   * @throws KvValidationException if the key is invalid
   */
  CompletableFuture<Boolean> delete(String key);

  /**
   * Deletes many keys in one round trip.
   *
   * @param keys the keys; duplicates are deleted once
   * @return how many of the keys existed
   * @throws KvValidationException if the collection or any key is null or invalid
   */
  CompletableFuture<Long> deleteAll(Collection<String> keys);

  // ---- read-modify-write (see docs/conditional-writes.md) ----

  /**
   * Reads one key with the version of its stored bytes, for a later {@link #replace} or
   * {@link #deleteIf}. Always asks the store (one round trip), never the near cache, so the
   * version is the store's; a sliding TTL is extended as by {@link #get}.
   *
   * @param key the key
   * @return the value and its version, or empty if absent
   * @throws KvValidationException if the key is invalid
   */
  CompletableFuture<Optional<KvVersioned<V>>> getVersioned(String key);

  /**
   * Writes {@code value} only if the key still holds the version {@code expected}, atomically in
   * the store, in one round trip. The written key gets the namespace's TTL policy, as a
   * {@link #put} would (the expiry is reset, not kept); near caches of this and other instances
   * are invalidated as by a put.
   *
   * @param key the key
   * @param expected the version read with {@link #getVersioned}
   * @param value the new value
   * @return {@link KvSwap#APPLIED}, {@link KvSwap#CHANGED} (the key holds another version:
   *     nothing written) or {@link KvSwap#MISSING} (the key is gone: nothing written)
   * @throws KvValidationException if an argument is null or invalid, or the value too large
   * @throws KvCodecException if the value cannot be encoded
   */
  CompletableFuture<KvSwap> replace(String key, KvVersion expected, V value);

  /**
   * Deletes the key only if it still holds the version {@code expected}, atomically in the
   * store, in one round trip.
   *
   * @param key the key
   * @param expected the version read with {@link #getVersioned}
   * @return {@link KvSwap#APPLIED}, {@link KvSwap#CHANGED} or {@link KvSwap#MISSING}
   * @throws KvValidationException if an argument is null or invalid
   */
  CompletableFuture<KvSwap> deleteIf(String key, KvVersion expected);

  /**
   * Updates one key safely against concurrent writers, with {@link UpdateOptions#defaults()}.
   * See {@link #update(String, Function, UpdateOptions)}.
   *
   * @param key the key
   * @param fn the current value (empty if absent) to the new one (empty deletes)
   * @return the value after the update, empty if the key is absent afterwards
   * @throws KvValidationException if the key is invalid or {@code fn} null
   */
  CompletableFuture<Optional<V>> update(String key,
      Function<Optional<V>, Optional<V>> fn);

  /**
   * Updates one key safely against concurrent writers: reads it with its version, applies
   * {@code fn}, and writes the result only if the key still holds what was read; if another
   * writer got in between, reads again and re-applies {@code fn}, after a jittered backoff, up
   * to {@link UpdateOptions#maxAttempts()} times. Two round trips per attempt.
   *
   * <p>{@code fn} gets the current value, empty if the key is absent, and returns the new one:
   * empty deletes the key (or leaves it absent); the very instance it was given leaves the
   * record unchanged (nothing is written, the TTL is not touched). It may run several times, so
   * it must be pure, and should be quick; it runs on the store's decode executor
   * ({@link DecodeOptions}), never on an I/O thread. A write applies the namespace's TTL policy
   * as a {@link #put} does. If {@code fn} throws, or returns a value that does not encode or is
   * over the namespace's {@code maxValueBytes}, the future fails with that error and nothing is
   * written. {@link UpdateOptions#keepTtl()} keeps an existing key's expiry instead.
   *
   * <p>With a near cache that holds the key, the first try applies {@code fn} to the cached copy
   * and writes only if the store still holds that copy's bytes: one round trip when nothing
   * changed. A stale copy is refused by the store (it compares with what it holds), never
   * written over a newer value; the update then reads the store as above.
   *
   * @param key the key
   * @param fn the current value (empty if absent) to the new one (empty deletes)
   * @param options attempts and backoff
   * @return the value after the update, empty if the key is absent afterwards; fails with
   *     {@link KvConflictException} when every attempt lost the race
   * @throws KvValidationException if the key is invalid, or {@code fn} or {@code options} null
   */
  CompletableFuture<Optional<V>> update(String key,
      Function<Optional<V>, Optional<V>> fn, UpdateOptions options);

  /**
   * Adds {@code delta} to the counter at {@code key}, atomically, in one round trip, and returns
   * its new value. A counter is a value stored as the decimal text of a {@code long}, so a
   * {@code KvNamespace<Long>} with {@link KvCodec#json(Class)} reads it with {@link #get} and
   * {@link #getAll}. An absent (or expired) key counts as 0 and is created with the namespace's
   * TTL policy; an existing counter keeps its expiry (increments do not extend it). Decrement
   * with a negative delta. The key is invalidated in near caches as a {@link #put} does.
   *
   * @param key the key
   * @param delta what to add, negative to subtract
   * @return the counter's value after the increment; fails with {@link KvCodecException} if the
   *     key holds something other than a counter, or {@link KvValidationException} if the result
   *     would overflow a {@code long}; nothing is changed in either case
   * @throws KvValidationException if the key is invalid, or the namespace's codec does not
   *     store numbers as their decimal text (a compressed, schema-versioned or non-numeric codec)
   */
  CompletableFuture<Long> increment(String key, long delta);

  /**
   * Adds {@code delta} to the counter at {@code key} as {@link #increment(String, long)} does,
   * unless the result would pass a bound of {@code options}: then nothing changes and the
   * outcome says so, atomically, in one round trip.
   *
   * @param key the key
   * @param delta what to add, negative to subtract
   * @param options the bounds
   * @return the value after the call and whether the increment was applied; fails as
   *     {@link #increment(String, long)} does
   * @throws KvValidationException if an argument is null or invalid, or the namespace's codec
   *     does not store numbers as their decimal text
   */
  CompletableFuture<KvCount> increment(String key, long delta, CounterOptions options);

  /**
   * Lists one page of keys that start with a literal prefix.
   *
   * @param options prefix, limit and cursor
   * @return the page; follow {@link KvPage#cursor()} until {@link KvPage#complete()}
   * @throws KvValidationException if the prefix is invalid or the cursor belongs to another
   *     namespace or prefix, or was altered
   */
  CompletableFuture<KvPage> list(ListOptions options);

  /**
   * Lists one page of keys with their values: a listing page and one batched read, so about two
   * round trips per page (one where the store can do both at once), never one per key.
   *
   * @param options prefix, limit and cursor
   * @return the page; values that fail to decode are reported in {@link KvValuePage#failures()}
   * @throws KvValidationException if the prefix is invalid or the cursor is not this listing's
   */
  CompletableFuture<KvValuePage<V>> listValues(ListOptions options);

  /**
   * Builds the listing index of a namespace that was written before it was opened with
   * {@link Listing#INDEXED}: the migration path from {@link Listing#UNINDEXED}. Walks the store's keys once;
   * safe to run while the application writes. Stores that list in order without an index return
   * 0 at once.
   *
   * @return how many keys the index holds afterwards
   */
  CompletableFuture<Long> reindex();

  /**
   * Returns the blocking view of this namespace: the same operations, returning values.
   *
   * @return the blocking view
   */
  BlockingKvNamespace<V> blocking();
}
