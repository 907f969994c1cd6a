package io.kvstore.internal;

import io.kvstore.KvCodec;
import io.kvstore.KvConflictException;
import io.kvstore.KvException;
import io.kvstore.KvResult;
import io.kvstore.KvSwap;
import io.kvstore.KvVersion;
import io.kvstore.KvValidationException;
import io.kvstore.KvVersioned;
import io.kvstore.PutOptions;
import io.kvstore.UpdateOptions;
import io.kvstore.spi.BackendNamespace;
import io.kvstore.spi.KvBackend;
import io.kvstore.spi.RawSwap;
import io.kvstore.spi.RawValue;
import io.kvstore.spi.RawWrite;
import io.kvstore.spi.ReadRequest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The conditional-write link of a namespace: versioned reads, {@code replace}, {@code deleteIf}
 * and the retry loop of {@code update}, over {@link KvBackend#compareAndSet}.
 *
 * <p><b>Versions.</b> A version is the SHA-1 of the stored bytes ({@link RawSwap#digest}), so it
 * needs no storage of its own and versions values written by any client. A versioned read
 * always asks the store: the near cache holds decoded values, not bytes, and a version taken
 * from a stale cached copy would only make the conditional write fail.
 *
 * <p><b>Update.</b> Each attempt reads the key with its version (one round trip), applies the
 * caller's function, and swaps conditionally (one round trip): the store compares the digest
 * atomically, so a value changed since the read, whoever wrote it, is never overwritten; the
 * attempt is lost and the next one reads again, after a full-jitter backoff. A function that
 * returns the instance it was given writes nothing. Every attempt is recorded on the one
 * {@code update} operation, so its event reports all round trips. What the caller's function
 * does wrong (throws, returns a value that does not encode or is too large) fails the update
 * with that very exception, before anything of that attempt is written. The function runs on
 * the store's decode executor ({@code DecodeOptions}), never on an I/O thread.
 *
 * <p><b>Near cache first.</b> With a near cache holding the key, the first try skips the read:
 * the function is applied to the cached copy and the swap expects the digest of that copy
 * re-encoded. When nothing changed since it was cached and the codec writes the same bytes
 * again, that is one round trip; otherwise the store refuses the swap (it compares with what it
 * holds, so a stale copy never wins) and the update goes on as above. That try is free: it is
 * not counted in {@code maxAttempts}.
 *
 * @param <V> the value type
 */
final class ConditionalWrites<V> {
  private final KvBackend backend;
  private final BackendNamespace ns;
  private final ValueDecoder<V> decoder;
  private final WriteEncoder<V> encoder;
  private final Supplier<Duration> slide;
  private final boolean logKeys;
  private final Supplier<Executor> callbacks;
  private final KvCodec<V> codec;
  private final @Nullable NearCache<V> nearCache;
  private final LocalWrites writes;

  ConditionalWrites(KvBackend backend, BackendNamespace ns, ValueDecoder<V> decoder,
      WriteEncoder<V> encoder, Supplier<Duration> slide, boolean logKeys,
      Supplier<Executor> callbacks, KvCodec<V> codec, @Nullable NearCache<V> nearCache,
      LocalWrites writes) {
    this.writes = writes;
    this.callbacks = callbacks;
    this.codec = codec;
    this.nearCache = nearCache;
    this.backend = backend;
    this.ns = ns;
    this.decoder = decoder;
    this.encoder = encoder;
    this.slide = slide;
    this.logKeys = logKeys;
  }

  /** Reads one key from the store with the digest of its bytes; fails if it does not decode. */
  CompletableFuture<Optional<KvVersioned<V>>> read(Operation op, String key) {
    List<String> keys = List.of(key);
    return backend.read(op, ns, new ReadRequest(keys, slide.get(), false))
        .thenCompose(values -> {
          RawValue raw = values.get(0);
          if (raw == null) {
            return CompletableFuture.completedFuture(Optional.empty());
          }
          return decoder.decodeAll(op.describe(), keys, values).thenApply(results -> {
            KvResult<V> result = results.get(0);
            if (result instanceof KvResult.Failed<V> failed) {
              throw failed.error();
            }
            return Optional.of(new KvVersioned<>(((KvResult.Found<V>) result).value(),
                new KvVersion(RawSwap.digest(raw.bytes()))));
          });
        });
  }

  /**
   * Encodes a replacement under the namespace's TTL policy, as a put.
   *
   * @throws io.kvstore.KvValidationException if the value is null or too large
   * @throws io.kvstore.KvCodecException if it does not encode
   */
  RawWrite encode(String describe, String key, V value) {
    return encoder.encode(describe, key, value, PutOptions.defaults(), -1);
  }

  /** Encodes an update's write of an existing key: the TTL policy's expiry, or the key's. */
  private RawWrite encodeReplacement(String describe, String key, V value,
      UpdateOptions options) {
    return encoder.encode(describe, key, value,
        options.keepTtl() ? PutOptions.keepTtl() : PutOptions.defaults(), -1);
  }

  /** One conditional write, bracketed in the namespace's near caches ({@link LocalWrites}). */
  CompletableFuture<KvSwap> swap(Operation op, RawSwap swap) {
    return writes.around(List.of(swap.key()), () -> backend.compareAndSet(op, ns, List.of(swap)))
        .thenApply(outcomes -> outcomes.get(0));
  }

  /**
   * Runs {@code fn} until a conditional write of its result applies.
   *
   * @param failure receives what the caller's function did wrong, to be rethrown as it is
   */
  CompletableFuture<Optional<V>> update(Operation op, String key,
      Function<Optional<V>, Optional<V>> fn, UpdateOptions options,
      RuntimeException[] failure) {
    NearCache.Cached<V> cached = nearCache == null ? null
        : nearCache.getIfReady(key, nearCache.now());
    if (cached instanceof NearCache.Hit<V> || cached instanceof NearCache.Absent<V>) {
      // The function runs on the decode executor, as on the store's value; see guess().
      return CompletableFuture.supplyAsync(
          () -> guess(op.describe(), key, fn, options, cached), callbacks.get())
          .thenCompose(first -> first.isEmpty()
              ? attempt(op, key, fn, options, failure, 1)
              : swapGuess(op, key, fn, options, failure, first.get()));
    }
    return attempt(op, key, fn, options, failure, 1);
  }

  /** A write computed from the near cache's copy, with the value it writes. */
  private record Guess<V>(RawSwap swap, Optional<V> after) {}

  /**
   * The first guess from the near cache's copy: the function applied to it, and a swap that
   * expects the digest of the copy re-encoded (or the key absent). The store compares that
   * digest with the one of the bytes it holds, so a stale copy, or one that re-encodes to other
   * bytes than stored (another writer's formatting, an older schema, a codec whose output
   * varies), only fails the swap: then the update reads the store as without a near cache. A
   * guess that would write nothing, or whose function throws or result does not encode, is not
   * trusted either: the store's value decides, and its errors are the ones reported.
   */
  private Optional<Guess<V>> guess(String describe, String key,
      Function<Optional<V>, Optional<V>> fn, UpdateOptions options, NearCache.Cached<V> cached) {
    try {
      NearCache.Hit<V> hit = cached instanceof NearCache.Hit<V> h ? h : null;
      V copy = hit == null ? null : hit.value();
      Optional<V> before = hit == null ? Optional.empty() : Optional.of(hit.handOut().value());
      Optional<V> after = fn.apply(before);
      if (after == null || after == before || (after.isEmpty() && before.isEmpty())
          || (after.isPresent() && before.isPresent() && after.get() == before.get())) {
        return Optional.empty();
      }
      String expected = copy == null ? null : RawSwap.digest(codec.encode(copy));
      if (after.isEmpty()) {
        return Optional.of(new Guess<>(RawSwap.delete(key, expected), after));
      }
      if (expected == null) {
        RawWrite write = encode(describe, key, after.get());
        return Optional.of(new Guess<>(RawSwap.create(key, write.value(), write.expiry()), after));
      }
      RawWrite write = encodeReplacement(describe, key, after.get(), options);
      return Optional.of(new Guess<>(RawSwap.replace(key, expected, write.value(),
          write.expiry()), after));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private CompletableFuture<Optional<V>> swapGuess(Operation op, String key,
      Function<Optional<V>, Optional<V>> fn, UpdateOptions options,
      RuntimeException[] failure, Guess<V> guess) {
    return swap(op, guess.swap())
        .thenCompose(outcome -> outcome == KvSwap.APPLIED
            ? CompletableFuture.completedFuture(guess.after())
            : attempt(op, key, fn, options, failure, 1));
  }

  private CompletableFuture<Optional<V>> attempt(Operation op, String key,
      Function<Optional<V>, Optional<V>> fn, UpdateOptions options,
      RuntimeException[] failure, int attempt) {
    // The caller's function never runs on an I/O thread: it may block, even call the store.
    return read(op, key).thenComposeAsync(current -> {
      Optional<V> before = current.map(KvVersioned::value);
      Optional<V> after;
      RawSwap swap;
      try {
        after = fn.apply(before);
        if (after == null) {
          throw new KvValidationException("fn", op.describe()
              + ": the update function returned null; return Optional.empty() to delete");
        }
        if (after == before || (after.isEmpty() && before.isEmpty())) {
          return CompletableFuture.completedFuture(before);
        }
        if (after.isPresent() && before.isPresent() && after.get() == before.get()) {
          return CompletableFuture.completedFuture(before);
        }
        swap = toSwap(op, key, current, after, options);
      } catch (RuntimeException e) {
        // Kept for the caller as it is; the operation records a plain KvException, so that a
        // validation error of the function's result is not taken for a bad argument of the call.
        failure[0] = e;
        return CompletableFuture.failedFuture(new KvException(op.describe()
            + ": the update function failed or returned a value that cannot be written", e));
      }
      return swap(op, swap)
          .thenCompose(outcome -> {
            if (outcome == KvSwap.APPLIED) {
              return CompletableFuture.completedFuture(after);
            }
            if (attempt >= options.maxAttempts()) {
              throw new KvConflictException(key, attempt, op.describe() + ": "
                  + (logKeys ? "key '" + Keys.abbreviate(key) + "'" : "a key (redacted)")
                  + " was changed by other writers during each of " + attempt
                  + " attempts; nothing was written. Retry later, or raise"
                  + " UpdateOptions.maxAttempts");
            }
            return CompletableFuture.completedFuture(null).thenComposeAsync(
                ignored -> attempt(op, key, fn, options, failure, attempt + 1),
                CompletableFuture.delayedExecutor(backoffNanos(options, attempt),
                    TimeUnit.NANOSECONDS));
          });
    }, callbacks.get());
  }

  private RawSwap toSwap(Operation op, String key, Optional<KvVersioned<V>> current,
      Optional<V> after, UpdateOptions options) {
    if (after.isEmpty()) {
      return RawSwap.delete(key, current.orElseThrow().version().hex());
    }
    String describe = op.describe() + ": the update function's result";
    if (current.isEmpty()) {
      RawWrite write = encode(describe, key, after.get());
      return RawSwap.create(key, write.value(), write.expiry());
    }
    RawWrite write = encodeReplacement(describe, key, after.get(), options);
    return RawSwap.replace(key, current.get().version().hex(), write.value(), write.expiry());
  }

  /** Full jitter: a random wait up to {@code min(max, base x 2^(retry - 1))}. */
  private static long backoffNanos(UpdateOptions options, int retry) {
    long base = options.backoffBase().toNanos();
    long max = options.backoffMax().toNanos();
    int shift = retry - 1;
    long bound = shift >= 62 || base > (max >> shift) ? max : base << shift;
    return bound <= 0 ? 0 : ThreadLocalRandom.current().nextLong(bound + 1);
  }
}
