package io.kvstore.spring.boot.autoconfigure;

import io.kvstore.DecodeOptions;
import io.kvstore.NamespaceOptions;
import io.kvstore.ObservabilityOptions;
import io.kvstore.redis.RedisKvOptions;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.MutuallyExclusiveConfigurationPropertiesException;

/**
 * kvstore's configuration properties, under kvstore. Bound once at start-up into this
 * immutable record; values that break a rule (a negative timeout, a count below 1, an unknown
 * type) fail the start-up with Boot's failure analysis naming the property.
 *
 * @param type which store to open
 * @param redis the Redis connection and its tuning
 * @param embedded the embedded store's simulated network
 * @param observability slow-operation log, key logging and the sequential-get detector
 * @param coalesceGets whether concurrent single gets of a namespace are coalesced into batch
 *     reads (one MGET, per node in Cluster), on either store; a namespace may still say
 *     otherwise
 * @param compression the compression the application's codecs use ({@code Compression} bean)
 */
@ConfigurationProperties("kvstore")
public record KvStoreProperties(
    @DefaultValue("auto") StoreType type,
    @DefaultValue Redis redis,
    @DefaultValue Embedded embedded,
    @DefaultValue Observability observability,
    @DefaultValue("" + NamespaceOptions.DEFAULT_COALESCE_GETS) boolean coalesceGets,
    @DefaultValue Compression compression) {

  /**
   * Checks every value against kvstore's rules, so a bad one fails the start-up naming it.
   *
   * @param type which store to open
   * @param redis the Redis connection and its tuning
   * @param embedded the embedded store's simulated network
   * @param observability slow-operation log, key logging and the sequential-get detector
   * @param coalesceGets whether concurrent single gets of a namespace are coalesced into batch
   *     reads
   * @param compression the compression the application's codecs use
   * @throws InvalidConfigurationPropertyValueException naming the property that breaks a rule
   * @throws MutuallyExclusiveConfigurationPropertiesException if both kvstore.redis.uri and
   *     kvstore.redis.cluster.nodes are set
   */
  @ConstructorBinding
  public KvStoreProperties {
    redis.validate();
    embedded.validate();
    observability.validate();
    compression.validate();
  }

  /** Which store the auto-configuration opens. */
  public enum StoreType {
    /**
     * Redis when kvstore.redis.uri, kvstore.redis.cluster.nodes or Spring Data's
     * spring.data.redis.* connection properties are set; the embedded store otherwise.
     */
    AUTO,
    /** Redis; the start-up fails when no Redis connection property is set. */
    REDIS,
    /** The embedded in-memory store, whatever Redis properties are set. */
    EMBEDDED
  }

  /**
   * The Redis connection and its tuning. The defaults are RedisKvOptions' own constants.
   *
   * @param uri redis://[user:password@]host:port[/database] or rediss://... of
   *     one server; wins over spring.data.redis.*
   * @param cluster a Redis Cluster to connect to instead of one server
   * @param timeout reply timeout of each command; a write that times out is flagged
   *     outcome-unknown
   * @param connectTimeout timeout of each connection attempt
   * @param maxKeysPerCommand largest number of keys in one MGET or DEL (the chunks of a batch
   *     are still one round trip)
   * @param scanCount COUNT hint of each SCAN call when listing
   * @param requestQueueSize commands in flight per connection before calls fail fast
   * @param bulkThreshold batches of more keys go on the store's second, bulk connection
   * @param decodeInlineBytes reads with at most this many bytes of values decode on the thread
   *     that received them; larger ones on kvstore's decode pool
   * @param decodeParallelBytes reads with more than this many bytes of values decode on several
   *     threads at once
   * @param failFast whether an unreachable Redis fails the start-up; when false the application
   *     starts, calls fail with KvUnavailableException and health reports DOWN until
   *     Redis answers (it is retried in the background)
   * @param serverTracking whether near caches are also invalidated by Redis itself (CLIENT
   *     TRACKING, Redis 6+), so writes by any client are seen
   */
  public record Redis(
      String uri,
      @DefaultValue Cluster cluster,
      @DefaultValue("2s") Duration timeout,
      @DefaultValue("2s") Duration connectTimeout,
      @DefaultValue("" + RedisKvOptions.DEFAULT_MAX_KEYS_PER_COMMAND) int maxKeysPerCommand,
      @DefaultValue("" + RedisKvOptions.DEFAULT_SCAN_COUNT) int scanCount,
      @DefaultValue("" + RedisKvOptions.DEFAULT_REQUEST_QUEUE_SIZE) int requestQueueSize,
      @DefaultValue("" + RedisKvOptions.DEFAULT_BULK_THRESHOLD) int bulkThreshold,
      @DefaultValue("" + DecodeOptions.DEFAULT_INLINE_BYTES) int decodeInlineBytes,
      @DefaultValue("" + DecodeOptions.DEFAULT_PARALLEL_BYTES) int decodeParallelBytes,
      @DefaultValue("true") boolean failFast,
      @DefaultValue("" + RedisKvOptions.DEFAULT_SERVER_TRACKING) boolean serverTracking) {

    private void validate() {
      positive("kvstore.redis.timeout", timeout);
      positive("kvstore.redis.connect-timeout", connectTimeout);
      atLeastOne("kvstore.redis.max-keys-per-command", maxKeysPerCommand);
      atLeastOne("kvstore.redis.scan-count", scanCount);
      atLeastOne("kvstore.redis.request-queue-size", requestQueueSize);
      atLeastOne("kvstore.redis.bulk-threshold", bulkThreshold);
      notNegative("kvstore.redis.decode-inline-bytes", decodeInlineBytes);
      notNegative("kvstore.redis.decode-parallel-bytes", decodeParallelBytes);
      MutuallyExclusiveConfigurationPropertiesException.throwIfMultipleNonNullValuesIn(entries -> {
        entries.put("kvstore.redis.uri", uri == null || uri.isBlank() ? null : "set");
        entries.put("kvstore.redis.cluster.nodes", cluster.nodes().isEmpty() ? null : "set");
      });
    }

    /**
     * Returns these values as kvstore-redis options.
     *
     * @param observability the observability options of the store
     * @param coalesceGets whether namespaces coalesce concurrent single gets
     * @return the options
     */
    RedisKvOptions toOptions(ObservabilityOptions observability, boolean coalesceGets) {
      return RedisKvOptions.builder()
          .timeout(timeout)
          .connectTimeout(connectTimeout)
          .maxKeysPerCommand(maxKeysPerCommand)
          .scanCount(scanCount)
          .requestQueueSize(requestQueueSize)
          .bulkThreshold(bulkThreshold)
          .serverTracking(serverTracking)
          .decoding(DecodeOptions.builder().inlineBytes(decodeInlineBytes)
              .parallelBytes(decodeParallelBytes).build())
          .observability(observability)
          .coalesceGets(coalesceGets)
          .build();
    }
  }

  /**
   * A Redis Cluster.
   *
   * @param nodes URIs of one or more seed nodes (redis://host:port); the rest of the
   *     topology is discovered
   */
  public record Cluster(@DefaultValue List<String> nodes) {}

  /**
   * The embedded store. Without a path it lives in the JVM and its data is lost at shutdown, for
   * development and tests; with a path it is durable: kvstore-sqlite's store on that file or
   * directory, whose data survives restarts (kvstore-sqlite must be on the class path).
   *
   * @param path the database file, or a directory to keep kvstore.db in; unset for the
   *     in-memory store
   * @param latency simulated latency per round trip (0 for none), in front of either embedded
   *     store
   * @param maxConcurrentRequests simulated cap on requests in flight (0 for unbounded), in front
   *     of either embedded store
   */
  public record Embedded(
      java.nio.file.Path path,
      @DefaultValue("0ms") Duration latency,
      @DefaultValue("0") int maxConcurrentRequests) {

    private void validate() {
      if (latency == null || latency.isNegative()) {
        throw new InvalidConfigurationPropertyValueException("kvstore.embedded.latency", latency,
            "it must be 0 or more");
      }
      if (maxConcurrentRequests < 0) {
        throw new InvalidConfigurationPropertyValueException(
            "kvstore.embedded.max-concurrent-requests", maxConcurrentRequests,
            "it must be 0 (unbounded) or more");
      }
    }
  }

  /**
   * Compression of values, as a {@link io.kvstore.Compression} bean for the application's codecs
   * ({@code KvCodec.compressed(codec, compression)}; {@link KvJsonCodecs} applies it itself).
   * Namespaces are the application's, so the property cannot compress them by itself.
   *
   * @param algorithm {@code none} (no bean), {@code zstd} or {@code lz4}; the algorithm's library
   *     must be on the class path
   * @param level the zstd level, 1 to 22
   * @param thresholdBytes values whose plain encoding is shorter stay plain
   * @param maxDecompressedBytes the largest size a stored value may claim to decompress to
   * @param write whether new values are written compressed; false reads compressed values and
   *     writes plain ones: the first step of turning compression on across instances, and the
   *     way to turn it off (see docs/compression.md)
   */
  public record Compression(
      @DefaultValue("none") Algorithm algorithm,
      @DefaultValue("" + io.kvstore.Compression.DEFAULT_ZSTD_LEVEL) int level,
      @DefaultValue("" + io.kvstore.Compression.DEFAULT_THRESHOLD_BYTES) int thresholdBytes,
      @DefaultValue("" + NamespaceOptions.DEFAULT_MAX_VALUE_BYTES) int maxDecompressedBytes,
      @DefaultValue("true") boolean write) {

    /** The algorithms, and none. */
    public enum Algorithm {
      /** No compression: no {@code Compression} bean. */
      NONE,
      /** zstd ({@code com.github.luben:zstd-jni}). */
      ZSTD,
      /** LZ4 ({@code at.yawk.lz4:lz4-java}). */
      LZ4
    }

    /**
     * Returns the settings as kvstore's value.
     *
     * @return the compression, or {@code null} for {@code none}
     */
    io.kvstore.Compression settings() {
      if (algorithm == Algorithm.NONE) {
        return null;
      }
      return new io.kvstore.Compression(io.kvstore.Compression.Algorithm.valueOf(algorithm.name()),
          level, write ? thresholdBytes : io.kvstore.Compression.NEVER, maxDecompressedBytes);
    }

    private void validate() {
      try {
        // Checked even with none, so a bad value fails now rather than when it is turned on.
        new io.kvstore.Compression(io.kvstore.Compression.Algorithm.ZSTD, level, thresholdBytes,
            maxDecompressedBytes);
      } catch (io.kvstore.KvValidationException e) {
        String property = switch (e.argument()) {
          case "level" -> "level";
          case "thresholdBytes" -> "threshold-bytes";
          default -> "max-decompressed-bytes";
        };
        Object value = switch (property) {
          case "level" -> level;
          case "threshold-bytes" -> thresholdBytes;
          default -> maxDecompressedBytes;
        };
        throw new InvalidConfigurationPropertyValueException("kvstore.compression." + property,
            value, e.getMessage());
      }
    }
  }

  /**
   * The slow-operation log, key logging and the sequential-get detector.
   *
   * @param slowWarn operations slower than this are logged at WARN on
   *     io.kvstore.SlowOperations
   * @param slowError operations slower than this are logged at ERROR
   * @param logKeys whether the slow-operation log, spans and messages may show the first keys of
   *     an operation (values are never logged)
   * @param sequentialGetDetector whether to log a warning when single gets run in a loop on one
   *     namespace, suggesting getAll
   */
  public record Observability(
      @DefaultValue("100ms") Duration slowWarn,
      @DefaultValue("500ms") Duration slowError,
      @DefaultValue("false") boolean logKeys,
      @DefaultValue("false") boolean sequentialGetDetector) {

    private void validate() {
      positive("kvstore.observability.slow-warn", slowWarn);
      positive("kvstore.observability.slow-error", slowError);
      if (slowError.compareTo(slowWarn) < 0) {
        throw new InvalidConfigurationPropertyValueException("kvstore.observability.slow-error",
            slowError, "it must be at least kvstore.observability.slow-warn (" + slowWarn + ")");
      }
    }

    /**
     * Returns a builder holding these values, for listeners and a tracer to be added.
     *
     * @return a new builder
     */
    ObservabilityOptions.Builder toBuilder() {
      ObservabilityOptions.Builder builder = ObservabilityOptions.builder()
          .slowOperationThresholds(slowWarn, slowError)
          .logKeys(logKeys);
      if (sequentialGetDetector) {
        builder.sequentialGetDetector();
      }
      return builder;
    }
  }

  private static void positive(String property, Duration value) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new InvalidConfigurationPropertyValueException(property, value, "it must be positive");
    }
  }

  private static void notNegative(String property, int value) {
    if (value < 0) {
      throw new InvalidConfigurationPropertyValueException(property, value, "it must be 0 or more");
    }
  }

  private static void atLeastOne(String property, int value) {
    if (value < 1) {
      throw new InvalidConfigurationPropertyValueException(property, value, "it must be 1 or more");
    }
  }
}
