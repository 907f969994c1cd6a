package io.kvstore;

import io.kvstore.spi.OptionChecks;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Where a store decodes the values it reads. Immutable and thread-safe; build with
 * {@link #builder()} and hand to a store's options ({@link StoreOptions.Builder#decoding}).
 *
 * <p><b>The rule.</b> A read whose values total at most {@link #parallelBytes()} bytes (8 KiB,
 * about 15 records of 530 bytes) is decoded on the thread that completed it (for Redis, a Lettuce
 * I/O thread): less than a thread hop would add to it. A read of at most {@link #inlineBytes()}
 * (64 KiB) is decoded by that thread and the {@link #executor() executor} together, value by
 * value: the completing thread starts at once and the executor's threads take values as they
 * start, so an idle core shares the decode (measured on 2 cores: a 64-record {@code getAll}
 * took 242-289 us at p50 against 382-395 us decoded on one thread; {@code kvstore-bench/README.md},
 * issue 34) and a busy executor never holds such a read up (the completing thread then decodes it
 * all, and decodes again a value a descheduled helper is stuck in). A larger read is decoded on
 * the executor alone, in one slice per thread, up to as many as the default pool has, so the I/O
 * thread goes straight back to reading other replies and a 10,000-key {@code getAll} uses idle
 * cores. {@code inlineBytes(0)} sends every read that found
 * a value to the executor; {@code parallelBytes(Integer.MAX_VALUE)} decodes each read on one
 * thread. If the executor rejects a task (saturated) or is shut down, its share is decoded on the
 * completing thread.
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
 *   <tr><td>{@code parallelBytes}</td><td>{@value #DEFAULT_PARALLEL_BYTES}</td></tr>
 *   <tr><td>{@code yieldInterval}</td><td>50 us ({@link #DEFAULT_YIELD_INTERVAL})</td></tr>
 * </table>
 *
 * <p>Listeners and the slow-operation log run on the thread that completes the operation: the
 * thread that decoded the last value of a read over {@code parallelBytes} (an executor's thread
 * or the I/O thread), the I/O thread otherwise (see {@link KvListener}).
 */
public final class DecodeOptions {
  /** Default largest read, in value bytes, decoded on the thread that completed it. */
  public static final int DEFAULT_INLINE_BYTES = 64 * 1024;

  /** Default largest read, in value bytes, decoded by one thread alone. */
  public static final int DEFAULT_PARALLEL_BYTES = 8 * 1024;

  /** Default time a slice of a large read decodes before it yields its core. */
  public static final Duration DEFAULT_YIELD_INTERVAL = Duration.ofNanos(50_000);

  private static final DecodeOptions DEFAULTS = builder().build();

  private final Executor executor;
  private final int inlineBytes;
  private final int parallelBytes;
  private final Duration yieldInterval;

  private DecodeOptions(Builder b) {
    this.executor = b.executor;
    this.inlineBytes = b.inlineBytes;
    this.parallelBytes = b.parallelBytes;
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
    b.parallelBytes = parallelBytes;
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
   * Returns the largest read, in value bytes, decoded by one thread alone; a larger one is
   * decoded by several threads at once.
   *
   * @return the threshold, 0 or more
   */
  public int parallelBytes() {
    return parallelBytes;
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
        + ", inlineBytes=" + inlineBytes + ", parallelBytes=" + parallelBytes
        + ", yieldInterval=" + yieldInterval + "]";
  }

  /** Builds {@link DecodeOptions}. Not thread-safe. */
  public static final class Builder {
    private Executor executor;
    private int inlineBytes = DEFAULT_INLINE_BYTES;
    private int parallelBytes = DEFAULT_PARALLEL_BYTES;
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
      this.inlineBytes = OptionChecks.notNegative("inlineBytes", inlineBytes);
      return this;
    }

    /**
     * Sets the largest read, in value bytes, decoded by one thread alone. A larger read is
     * decoded by up to as many threads at once as the default pool has (see the class comment).
     *
     * @param parallelBytes 0 or more; {@code Integer.MAX_VALUE} never decodes a read on several
     *     threads
     * @return this builder
     * @throws KvValidationException if negative
     */
    public Builder parallelBytes(int parallelBytes) {
      this.parallelBytes = OptionChecks.notNegative("parallelBytes", parallelBytes);
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
