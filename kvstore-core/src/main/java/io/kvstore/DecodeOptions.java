package io.kvstore;

import io.kvstore.spi.OptionChecks;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Where a store decodes the values it reads. Immutable and thread-safe; build with
 * {@link #builder()} and hand to a store's options ({@link StoreOptions.Builder#decoding}).
 *
 * <p><b>The rule.</b> A read whose values total at most {@link #inlineBytes()} bytes is decoded
 * on the thread that completed it (for Redis, a Lettuce I/O thread): at the default, about 120
 * records of 530 bytes, some 400 us of Jackson, less than a thread hop would add to a small read
 * (measured: a 64-record read decoded in two slices on the pool took 20-35% longer than on the
 * I/O thread; {@code kvstore-bench/README.md}, issue 34).
 * A larger read is decoded on the {@link #executor() executor}, in up to as many parallel slices
 * as the default pool has threads (each slice at least {@code inlineBytes}), so the I/O thread
 * goes straight back to reading other replies and a 10,000-key {@code getAll} uses idle cores.
 * {@code inlineBytes(0)} sends every read that found a value to the executor. If the executor
 * rejects a slice (saturated) or is shut down, that slice is decoded on the completing thread.
 *
 * <p><b>Large decodes give way.</b> A slice on the executor calls {@link Thread#yield()} each
 * time it has decoded for {@link #yieldInterval()} (50 us by default), so a thread woken for a
 * small call (an I/O thread with a reply, Redis, a caller) waits for a core at most about that
 * long instead of a scheduler slice (a few milliseconds) while a 10,000-key read decodes on every
 * core. With nothing else to run, a yield returns at once: a large read alone is no slower. Beside
 * a stream of small calls it is slower, since they run first: measured on 2 cores, a small
 * {@code get}'s p99 beside 10,000-key {@code getAll}s fell from 14-17x to 6-8x its p99 alone,
 * and the {@code getAll}s' throughput from 60-65 % to 49-53 % of theirs alone
 * ({@code kvstore-bench/README.md}, issue 36). {@code yieldInterval(Duration.ZERO)} never yields,
 * for a store that serves batch jobs alone.
 *
 * <p><b>What an executor you give must do.</b> Run every task it accepts, or throw
 * {@link java.util.concurrent.RejectedExecutionException}: a rejection policy that drops tasks
 * silently ({@code DiscardPolicy}, {@code DiscardOldestPolicy}) leaves the read waiting forever,
 * since its reply has already arrived and no timeout applies any more. A shut-down
 * {@code ExecutorService} is recognised and never used.
 *
 * <p><b>Do not block in callbacks of large reads.</b> The future of a read decoded on the
 * executor completes on one of its threads, and so do the stages you chain to it without an
 * executor of your own. A stage that blocks there on another large read (a
 * {@code blocking().getAll} inside {@code thenApply}) can take every thread of the pool and wait
 * for itself. Chain such stages with {@code thenApplyAsync(fn, yourExecutor)}, or join outside
 * the callback.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>option</th><th>default</th></tr>
 *   <tr><td>{@code executor}</td><td>none given: the store starts, on its first large read, a
 *     pool of {@code availableProcessors} daemon threads named {@code kvstore-decode-N}, and
 *     shuts it down when the store is closed; an executor given here is never shut down by the
 *     store</td></tr>
 *   <tr><td>{@code inlineBytes}</td><td>{@value #DEFAULT_INLINE_BYTES}</td></tr>
 *   <tr><td>{@code yieldInterval}</td><td>50 us ({@link #DEFAULT_YIELD_INTERVAL})</td></tr>
 * </table>
 *
 * <p>Listeners and the slow-operation log run on the thread that completes the operation: the
 * decoding thread for a large read, the I/O thread otherwise (see {@link KvListener}).
 */
public final class DecodeOptions {
  /** Default largest read, in value bytes, decoded on the thread that completed it. */
  public static final int DEFAULT_INLINE_BYTES = 64 * 1024;

  /** Default time a slice of a large read decodes before it yields its core. */
  public static final Duration DEFAULT_YIELD_INTERVAL = Duration.ofNanos(50_000);

  private static final DecodeOptions DEFAULTS = builder().build();

  private final Executor executor;
  private final int inlineBytes;
  private final Duration yieldInterval;

  private DecodeOptions(Builder b) {
    this.executor = b.executor;
    this.inlineBytes = b.inlineBytes;
    this.yieldInterval = b.yieldInterval;
  }

  /**
   * Returns the default options: the store's own pool, {@value #DEFAULT_INLINE_BYTES} bytes
   * inline.
   *
   * @return the defaults
   */
  public static DecodeOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Starts a builder with the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder holding these options.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.executor = executor;
    b.inlineBytes = inlineBytes;
    b.yieldInterval = yieldInterval;
    return b;
  }

  /**
   * Returns the executor large reads are decoded on, if one was given.
   *
   * @return the executor, or empty for the store's own pool
   */
  public Optional<Executor> executor() {
    return Optional.ofNullable(executor);
  }

  /**
   * Returns the largest read, in value bytes, decoded on the thread that completed it.
   *
   * @return the threshold, 0 or more
   */
  public int inlineBytes() {
    return inlineBytes;
  }

  /**
   * Returns how long a slice of a large read decodes before it yields its core.
   *
   * @return the interval; zero when slices never yield
   */
  public Duration yieldInterval() {
    return yieldInterval;
  }

  @Override
  public String toString() {
    return "DecodeOptions[executor=" + (executor == null ? "store's own" : executor)
        + ", inlineBytes=" + inlineBytes + ", yieldInterval=" + yieldInterval + "]";
  }

  /** Builds {@link DecodeOptions}. Not thread-safe. */
  public static final class Builder {
    private Executor executor;
    private int inlineBytes = DEFAULT_INLINE_BYTES;
    private Duration yieldInterval = DEFAULT_YIELD_INTERVAL;

    private Builder() {}

    /**
     * Sets the executor large reads are decoded on. The store never shuts it down.
     *
     * @param executor the executor
     * @return this builder
     * @throws KvValidationException if {@code executor} is null
     */
    public Builder executor(Executor executor) {
      this.executor = OptionChecks.notNull("executor", executor);
      return this;
    }

    /**
     * Sets the largest read, in value bytes, decoded on the thread that completed it.
     *
     * @param inlineBytes 0 or more; 0 decodes every read with a value on the executor
     * @return this builder
     * @throws KvValidationException if negative
     */
    public Builder inlineBytes(int inlineBytes) {
      if (inlineBytes < 0) {
        throw new KvValidationException("inlineBytes", "inlineBytes is " + inlineBytes
            + "; it must be >= 0");
      }
      this.inlineBytes = inlineBytes;
      return this;
    }

    /**
     * Sets how long a slice of a large read decodes before it yields its core to threads woken
     * for small calls (see the class comment).
     *
     * @param yieldInterval zero or more; zero never yields
     * @return this builder
     * @throws KvValidationException if null or negative
     */
    public Builder yieldInterval(Duration yieldInterval) {
      OptionChecks.notNull("yieldInterval", yieldInterval);
      if (yieldInterval.isNegative()) {
        throw new KvValidationException("yieldInterval", "yieldInterval is " + yieldInterval
            + "; it must be zero or more");
      }
      this.yieldInterval = yieldInterval;
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the immutable options
     */
    public DecodeOptions build() {
      return new DecodeOptions(this);
    }
  }
}
