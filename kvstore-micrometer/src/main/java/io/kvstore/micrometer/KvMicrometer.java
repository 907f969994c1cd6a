package io.kvstore.micrometer;

import io.kvstore.KvEvent;
import io.kvstore.KvListener;
import io.kvstore.KvOperation;
import io.kvstore.KvValidationException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Micrometer meters for a kvstore store. Register the listener when opening the store:
 *
 * <pre>{@code
 * KvStore store = KvStores.inMemory(InMemoryOptions.builder()
 *     .observability(ObservabilityOptions.builder()
 *         .listener(KvMicrometer.listener(registry))
 *         .build())
 *     .build());
 * }</pre>
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@value #OPERATIONS}</td><td>timer, p50/p95/p99 published</td>
 *     <td>{@code namespace}, {@code operation}, {@code outcome}</td>
 *     <td>one per logical operation; {@code outcome} is {@code success} or {@code error}</td></tr>
 *   <tr><td>{@value #ROUND_TRIPS}</td><td>counter</td><td>{@code namespace},
 *     {@code operation}</td><td>network round trips waited for</td></tr>
 *   <tr><td>{@value #KEYS_READ}</td><td>counter</td><td>{@code namespace},
 *     {@code operation}</td><td>keys requested by reads and returned by listings</td></tr>
 *   <tr><td>{@value #NEAR_CACHE_GETS}</td><td>counter</td><td>{@code namespace},
 *     {@code operation}, {@code result}</td><td>keys answered by the near cache
 *     ({@code result=hit}) or fetched ({@code result=miss}), as Micrometer's {@code cache.gets};
 *     registered on the first hit or miss</td></tr>
 *   <tr><td>{@value #ERRORS}</td><td>counter</td><td>{@code namespace}, {@code operation},
 *     {@code exception}</td><td>failed operations by exception simple name, such as
 *     {@code KvTimeoutException}</td></tr>
 *   <tr><td>{@value #DECODE_FAILURES}</td><td>counter</td><td>{@code namespace},
 *     {@code operation}</td><td>stored values a read could not decode (malformed, of a newer
 *     schema version, or failed by a migration), also when the namespace answers them as misses;
 *     registered on the first failure</td></tr>
 * </table>
 *
 * <p>{@code operation} is the method name: {@code get}, {@code getAll}, {@code put},
 * {@code putAll}, {@code delete}, {@code deleteAll}, {@code list}, {@code listValues},
 * {@code ping}. {@code namespace} is the namespace name, empty for {@code ping}. Keys and values
 * never become tags. Percentiles are computed in this process and cannot be aggregated across
 * instances; add a histogram with a Micrometer {@code MeterFilter} if your backend needs one.
 *
 * <p>The listener is thread-safe and caches its meters per namespace and operation, so an event
 * costs a map look-up and a few increments. Micrometer is needed at run time only by applications
 * that add this module.
 */
public final class KvMicrometer {
  /** Timer of operations. */
  public static final String OPERATIONS = "kvstore.operations";

  /** Counter of round trips. */
  public static final String ROUND_TRIPS = "kvstore.round.trips";

  /** Counter of keys read. */
  public static final String KEYS_READ = "kvstore.keys.read";

  /** Counter of near-cache look-ups, tagged {@code result=hit} or {@code result=miss}. */
  public static final String NEAR_CACHE_GETS = "kvstore.near.cache.gets";

  /** Counter of failed operations, tagged with the exception's simple name. */
  public static final String ERRORS = "kvstore.errors";

  /** Counter of stored values reads could not decode. */
  public static final String DECODE_FAILURES = "kvstore.decode.failures";

  private KvMicrometer() {}

  /**
   * Creates a listener that records every event of a store in {@code registry}.
   *
   * @param registry where the meters go; never closed by kvstore
   * @return the listener, to pass to {@code ObservabilityOptions.Builder.listener}
   * @throws KvValidationException if {@code registry} is null
   */
  public static KvListener listener(MeterRegistry registry) {
    return listener(registry, Tags.empty());
  }

  /**
   * Creates a listener that records every event of a store in {@code registry}, adding tags to
   * every meter, such as {@code store=sessions} when an application opens several stores.
   *
   * @param registry where the meters go; never closed by kvstore
   * @param tags tags added to every meter
   * @return the listener, to pass to {@code ObservabilityOptions.Builder.listener}
   * @throws KvValidationException if an argument is null
   */
  public static KvListener listener(MeterRegistry registry, Iterable<Tag> tags) {
    if (registry == null || tags == null) {
      throw new KvValidationException(registry == null ? "registry" : "tags",
          "registry and tags must not be null");
    }
    return new MeterListener(registry, Tags.of(tags));
  }

  /** The method name of an operation: {@code GET_ALL} is {@code getAll}. */
  static String methodName(KvOperation operation) {
    return operation.methodName();
  }

  private static boolean isRead(KvOperation operation) {
    return operation.isRead();
  }

  /** The listener: meters cached per namespace and operation. */
  private static final class MeterListener implements KvListener {
    private record Key(String namespace, KvOperation operation) {}

    private final MeterRegistry registry;
    private final Tags common;
    private final Map<Key, Meters> meters = new ConcurrentHashMap<>();

    MeterListener(MeterRegistry registry, Tags common) {
      this.registry = registry;
      this.common = common;
    }

    @Override
    public void onOperation(KvEvent event) {
      meters.computeIfAbsent(new Key(event.namespace(), event.operation()), Meters::new)
          .record(event);
    }

    @Override
    public String toString() {
      return "KvMicrometer.listener(" + registry.getClass().getSimpleName() + ")";
    }

    /** The meters of one namespace and operation, each registered when first needed. */
    private final class Meters {
      private final Tags tags;
      private final Counter roundTrips;
      private final Counter keysRead;
      private final Map<String, Timer> timers = new ConcurrentHashMap<>();
      private final Map<Class<? extends Throwable>, Counter> errors = new ConcurrentHashMap<>();
      private final Map<String, Counter> nearCache = new ConcurrentHashMap<>();
      private volatile Counter decodeFailures;

      Meters(Key key) {
        this.tags = common.and("namespace", key.namespace(),
            "operation", methodName(key.operation()));
        this.roundTrips = Counter.builder(ROUND_TRIPS).description(
            "Network round trips waited for").tags(tags)
            .register(registry);
        this.keysRead = isRead(key.operation()) ? Counter.builder(KEYS_READ)
            .description("Keys requested by reads and returned by listings").tags(tags)
            .register(registry) : null;
      }

      private Timer timer(String outcome) {
        return Timer.builder(OPERATIONS).description("kvstore operations, one per call")
            .tags(tags).tag("outcome", outcome)
            .publishPercentiles(0.5, 0.95, 0.99)
            .register(registry);
      }

      private void nearCache(String result, int keys) {
        if (keys > 0) {
          nearCache.computeIfAbsent(result, r -> Counter.builder(NEAR_CACHE_GETS).description(
              "Keys answered by the near cache (hit) or fetched from the store (miss)")
              .tags(tags).tag("result", r).register(registry)).increment(keys);
        }
      }

      void record(KvEvent event) {
        timers.computeIfAbsent(event.succeeded() ? "success" : "error", this::timer)
            .record(event.duration());
        event.error().ifPresent(error -> errors.computeIfAbsent(error,
            type -> Counter.builder(ERRORS).description("Failed kvstore operations by exception")
                .tags(tags).tag("exception", type.getSimpleName()).register(registry))
            .increment());
        roundTrips.increment(event.roundTrips());
        if (keysRead != null) {
          keysRead.increment(event.keyCount());
        }
        nearCache("hit", event.nearCacheHits());
        nearCache("miss", event.nearCacheMisses());
        if (event.decodeFailures() > 0) {
          decodeFailures().increment(event.decodeFailures());
        }
      }

      private Counter decodeFailures() {
        Counter counter = decodeFailures;
        if (counter == null) {
          // Registering twice is harmless: the registry returns the same counter.
          counter = Counter.builder(DECODE_FAILURES)
              .description("Stored values reads could not decode").tags(tags)
              .register(registry);
          decodeFailures = counter;
        }
        return counter;
      }
    }
  }
}
