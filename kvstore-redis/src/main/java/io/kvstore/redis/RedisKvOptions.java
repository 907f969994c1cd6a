package io.kvstore.redis;

import static io.kvstore.spi.OptionChecks.atLeastOne;
import static io.kvstore.spi.OptionChecks.positive;

import io.kvstore.DecodeOptions;
import io.kvstore.KvValidationException;
import io.kvstore.ObservabilityOptions;
import io.kvstore.StoreOptions;
import java.time.Duration;

/**
 * Tuning of a Redis store: timeouts, batch chunking, SCAN page effort and observability.
 * Immutable and thread-safe; build with {@link #builder()}.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>option</th><th>default</th><th>why</th></tr>
 *   <tr><td>{@code timeout}</td><td>2 s ({@link #DEFAULT_TIMEOUT})</td><td>a reply later than this is a failure, not a
 *       slow success; writes that time out are reported as outcome-unknown</td></tr>
 *   <tr><td>{@code connectTimeout}</td><td>2 s ({@link #DEFAULT_CONNECT_TIMEOUT})</td><td>start-up fails fast when Redis is
 *       unreachable</td></tr>
 *   <tr><td>{@code maxKeysPerCommand}</td><td>{@value #DEFAULT_MAX_KEYS_PER_COMMAND}</td><td>a
 *       huge MGET would block Redis for everyone; chunks are still sent together, so a batch stays
 *       one round trip. MGETs on the bulk connection never carry more than 500 keys, whatever
 *       this says</td></tr>
 *   <tr><td>{@code scanCount}</td><td>{@value #DEFAULT_SCAN_COUNT}</td><td>the most entries
 *       one SCAN call asks for (its COUNT): larger means fewer round trips per listing page and
 *       more work per call</td></tr>
 *   <tr><td>{@code requestQueueSize}</td><td>{@value #DEFAULT_REQUEST_QUEUE_SIZE}</td><td>commands
 *       in flight on the one connection; beyond it calls fail fast instead of queueing without
 *       bound. A batch of more commands than half of it is sent in waves of that many, one round
 *       trip each, so a large batch is never refused as if Redis were down</td></tr>
 *   <tr><td>{@code bulkThreshold}</td><td>{@value #DEFAULT_BULK_THRESHOLD} keys</td><td>a
 *       batch of more keys goes on the store's second, "bulk" connection (one per node in
 *       Cluster, opened on first use, read by an I/O thread of its own named
 *       {@code kvstore-bulk-io}), so its megabytes of replies never queue ahead of small calls,
 *       on the socket or on the thread that reads them; up to this many keys (4 MGETs at the
 *       default chunk size) stay on the main connection, one round trip</td></tr>
 *   <tr><td>{@code serverTracking}</td><td>{@value #DEFAULT_SERVER_TRACKING}</td><td>near caches
 *       are also invalidated by the server itself ({@code CLIENT TRACKING BCAST} on a RESP3
 *       connection per node, Redis 6+), so writes by any client, expiries and flushes are seen;
 *       kvstore's pub/sub messages are used as well, and alone on a server without tracking or
 *       with this off</td></tr>
 *   <tr><td>{@code decoding}</td><td>{@link DecodeOptions#defaults()}</td><td>reads of more
 *       than 64 KiB of values are decoded off the I/O threads, on a pool the store starts and
 *       stops</td></tr>
 *   <tr><td>{@code clock}, {@code observability}</td><td>as in {@link StoreOptions}</td><td></td>
 *   </tr>
 * </table>
 */
public final class RedisKvOptions extends StoreOptions {
  /** Default reply timeout per operation. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  /** Default connect timeout. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);

  /** Default largest number of keys in one MGET or DEL command. */
  public static final int DEFAULT_MAX_KEYS_PER_COMMAND = 500;

  /** Default COUNT hint of each SCAN call. */
  public static final int DEFAULT_SCAN_COUNT = 1000;

  /** Default bound on commands in flight on one connection. */
  public static final int DEFAULT_REQUEST_QUEUE_SIZE = 100_000;

  /** Default largest batch, in keys, sent on the main connection. */
  public static final int DEFAULT_BULK_THRESHOLD = 2000;

  /** Default of {@code serverTracking}: near caches hear of every writer where Redis can tell. */
  public static final boolean DEFAULT_SERVER_TRACKING = true;

  private static final RedisKvOptions DEFAULTS = builder().build();

  private final Duration timeout;
  private final Duration connectTimeout;
  private final int maxKeysPerCommand;
  private final int scanCount;
  private final int requestQueueSize;
  private final int bulkThreshold;
  private final boolean serverTracking;

  private RedisKvOptions(Builder b) {
    super(b);
    this.timeout = b.timeout;
    this.connectTimeout = b.connectTimeout;
    this.maxKeysPerCommand = b.maxKeysPerCommand;
    this.scanCount = b.scanCount;
    this.requestQueueSize = b.requestQueueSize;
    this.bulkThreshold = b.bulkThreshold;
    this.serverTracking = b.serverTracking;
  }

  /**
   * Returns the default options.
   *
   * @return the defaults
   */
  public static RedisKvOptions defaults() {
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
    Builder b = new Builder(this);
    b.timeout = timeout;
    b.connectTimeout = connectTimeout;
    b.maxKeysPerCommand = maxKeysPerCommand;
    b.scanCount = scanCount;
    b.requestQueueSize = requestQueueSize;
    b.bulkThreshold = bulkThreshold;
    b.serverTracking = serverTracking;
    return b;
  }

  /**
   * Returns the reply timeout of each command.
   *
   * @return the timeout
   */
  public Duration timeout() {
    return timeout;
  }

  /**
   * Returns the connect timeout.
   *
   * @return the timeout
   */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /**
   * Returns the largest number of keys in one MGET or DEL command.
   *
   * @return the chunk size
   */
  public int maxKeysPerCommand() {
    return maxKeysPerCommand;
  }

  /**
   * Returns the COUNT hint of each SCAN call.
   *
   * @return the hint
   */
  public int scanCount() {
    return scanCount;
  }

  /**
   * Returns the bound on commands in flight per connection.
   *
   * @return the bound
   */
  public int requestQueueSize() {
    return requestQueueSize;
  }

  /**
   * Returns the largest batch, in keys, sent on the main connection; larger ones use the bulk
   * connection.
   *
   * @return the threshold
   */
  public int bulkThreshold() {
    return bulkThreshold;
  }

  /**
   * Returns whether near caches are also invalidated by server-side tracking where the server
   * supports it.
   *
   * @return whether server tracking is used
   */
  public boolean serverTracking() {
    return serverTracking;
  }

  /** Builds {@link RedisKvOptions}. Not thread-safe. */
  public static final class Builder extends StoreOptions.Builder<RedisKvOptions, Builder> {
    private Duration timeout = DEFAULT_TIMEOUT;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private int maxKeysPerCommand = DEFAULT_MAX_KEYS_PER_COMMAND;
    private int scanCount = DEFAULT_SCAN_COUNT;
    private int requestQueueSize = DEFAULT_REQUEST_QUEUE_SIZE;
    private int bulkThreshold = DEFAULT_BULK_THRESHOLD;
    private boolean serverTracking = DEFAULT_SERVER_TRACKING;

    private Builder() {}

    private Builder(RedisKvOptions from) {
      super(from);
    }

    /**
     * Sets the reply timeout of each command.
     *
     * @param timeout a positive duration
     * @return this builder
     * @throws KvValidationException if {@code timeout} is null or not positive
     */
    public Builder timeout(Duration timeout) {
      this.timeout = positive("timeout", timeout);
      return this;
    }

    /**
     * Sets the connect timeout.
     *
     * @param connectTimeout a positive duration
     * @return this builder
     * @throws KvValidationException if {@code connectTimeout} is null or not positive
     */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive("connectTimeout", connectTimeout);
      return this;
    }

    /**
     * Sets the largest number of keys in one MGET or DEL command. MGETs of a batch on the bulk
     * connection (see {@link #bulkThreshold(int)}) carry at most 500 keys even if this is larger,
     * so Redis never runs one of them much longer than a small call beside it should wait.
     *
     * @param maxKeysPerCommand at least 1
     * @return this builder
     * @throws KvValidationException if below 1
     */
    public Builder maxKeysPerCommand(int maxKeysPerCommand) {
      this.maxKeysPerCommand = atLeastOne("maxKeysPerCommand", maxKeysPerCommand);
      return this;
    }

    /**
     * Sets the most entries one SCAN call asks the server to examine (its {@code COUNT}). A page
     * asks for about what it still needs, at least 10 unless this is lower, never more than this;
     * cursors cannot raise it either. Reindexing walks with this {@code COUNT}.
     *
     * @param scanCount at least 1
     * @return this builder
     * @throws KvValidationException if below 1
     */
    public Builder scanCount(int scanCount) {
      this.scanCount = atLeastOne("scanCount", scanCount);
      return this;
    }

    /**
     * Sets the bound on commands in flight per connection. A batch of more commands than half
     * of it goes in waves of that many, one round trip each.
     *
     * @param requestQueueSize at least 1
     * @return this builder
     * @throws KvValidationException if below 1
     */
    public Builder requestQueueSize(int requestQueueSize) {
      this.requestQueueSize = atLeastOne("requestQueueSize", requestQueueSize);
      return this;
    }

    /**
     * Sets the largest batch, in keys, sent on the main connection. A {@code getAll},
     * {@code putAll} or {@code deleteAll} of more keys goes on the bulk connection, so it cannot
     * delay the small calls behind it; see {@code RedisKvStore} for what that means for order.
     *
     * @param bulkThreshold at least 1
     * @return this builder
     * @throws KvValidationException if below 1
     */
    public Builder bulkThreshold(int bulkThreshold) {
      this.bulkThreshold = atLeastOne("bulkThreshold", bulkThreshold);
      return this;
    }

    /**
     * Sets whether near caches are also invalidated by the server ({@code CLIENT TRACKING ON
     * BCAST PREFIX} on one RESP3 connection per node, named {@code kvstore-tracking}), so that a
     * write by any Redis client, an expiry, an eviction or a flush reaches them, not only
     * kvstore's writes. On by default; without effect on a server that cannot track (before Redis
     * 6, or an ACL that refuses it), where kvstore's pub/sub messages are the only source. Which
     * source a store uses is logged at INFO when its first near-cached namespace opens.
     *
     * @param serverTracking false to rely on kvstore's pub/sub messages alone
     * @return this builder
     */
    public Builder serverTracking(boolean serverTracking) {
      this.serverTracking = serverTracking;
      return this;
    }

    @Override
    public RedisKvOptions build() {
      return new RedisKvOptions(this);
    }

    @Override
    protected Builder self() {
      return this;
    }
  }
}
