package io.kvstore.opentelemetry;

import io.kvstore.KvEvent;
import io.kvstore.KvOperation;
import io.kvstore.KvOperationEnd;
import io.kvstore.KvOperationStart;
import io.kvstore.KvTracer;
import io.kvstore.KvValidationException;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.List;
import java.util.Objects;

/**
 * OpenTelemetry spans for a kvstore store: one {@link SpanKind#CLIENT CLIENT} span per logical
 * operation, however many commands, chunks or nodes it took, a child of the context that was
 * current when the call was made. Register the tracer when opening the store:
 *
 * <pre>{@code
 * KvStore store = RedisKvStore.connect(uri, RedisKvOptions.builder()
 *     .observability(ObservabilityOptions.builder()
 *         .tracer(KvOpenTelemetry.tracer(openTelemetry))
 *         .build())
 *     .build());
 * }</pre>
 *
 * <p>Spans follow OpenTelemetry's database client conventions: named
 * {@code {db.operation.name} {db.namespace}}, such as {@code getAll workout} ({@code ping} for
 * store-level calls), with these attributes:
 *
 * <table>
 *   <caption>Span attributes</caption>
 *   <tr><th>attribute</th><th>set</th><th>value</th></tr>
 *   <tr><td>{@code db.system.name}</td><td>at start</td><td>{@code redis}, or
 *     {@code kvstore.memory} for the embedded store</td></tr>
 *   <tr><td>{@code db.operation.name}</td><td>at start</td><td>the method: {@code get},
 *     {@code getAll}, {@code put}, {@code putAll}, {@code delete}, {@code deleteAll}, {@code list},
 *     {@code listValues}, {@code reindex}, {@code ping}</td></tr>
 *   <tr><td>{@code db.namespace}</td><td>at start</td><td>the kvstore namespace; absent for
 *     {@code ping}</td></tr>
 *   <tr><td>{@code db.operation.batch.size}</td><td>at start</td><td>{@code putAll} only: the
 *     number of writes, unless it is 1 (multi-key reads and deletes are one operation with many
 *     keys, not a batch, in the conventions)</td></tr>
 *   <tr><td>{@value #KEY_COUNT}, {@value #FOUND}, {@value #ROUND_TRIPS}, {@value #NODES}</td>
 *     <td>at end</td><td>as in {@link KvEvent}</td></tr>
 *   <tr><td>{@value #NEAR_CACHE_HITS}, {@value #NEAR_CACHE_MISSES}</td><td>at end</td>
 *     <td>when the near cache was consulted</td></tr>
 *   <tr><td>{@value #KEYS}, {@value #PREFIX}</td><td>at end</td><td>only when the store lets
 *     keys be logged: the first three keys sent (or a listing's prefix), as the slow-operation log
 *     shows them</td></tr>
 *   <tr><td>{@code error.type}</td><td>on failure</td><td>the exception class, such as
 *     {@code io.kvstore.KvTimeoutException}; the span status is {@code ERROR} and the exception is
 *     recorded as an event</td></tr>
 * </table>
 *
 * <p>Values never appear, nor keys unless the store opted in. kvstore's exception messages
 * carry no values either (a codec failure names the codec and position, not the input).
 *
 * <p>The tracer is thread-safe. A span that the SDK does not record (sampled out, or the no-op
 * OpenTelemetry) costs the span builder and nothing at the end.
 */
public final class KvOpenTelemetry {
  /** The instrumentation scope name of the spans. */
  public static final String INSTRUMENTATION_SCOPE = "io.kvstore";

  /** Distinct keys the operation named or, for listings, returned. */
  public static final String KEY_COUNT = "kvstore.key_count";

  /** Keys found (reads), written (writes), deleted (deletes) or listed. */
  public static final String FOUND = "kvstore.found";

  /** Keys answered by the near cache. */
  public static final String NEAR_CACHE_HITS = "kvstore.near_cache.hits";

  /** Keys the near cache had to fetch. */
  public static final String NEAR_CACHE_MISSES = "kvstore.near_cache.misses";

  /** Network round trips waited for. */
  public static final String ROUND_TRIPS = "kvstore.round_trips";

  /** Servers the operation touched. */
  public static final String NODES = "kvstore.nodes";

  /** The first keys sent, only when the store lets keys be logged. */
  public static final String KEYS = "kvstore.keys";

  /** A listing's prefix, only when the store lets keys be logged. */
  public static final String PREFIX = "kvstore.prefix";

  static final AttributeKey<String> DB_SYSTEM_NAME = AttributeKey.stringKey("db.system.name");
  static final AttributeKey<String> DB_OPERATION_NAME =
      AttributeKey.stringKey("db.operation.name");
  static final AttributeKey<String> DB_NAMESPACE = AttributeKey.stringKey("db.namespace");
  static final AttributeKey<Long> DB_OPERATION_BATCH_SIZE =
      AttributeKey.longKey("db.operation.batch.size");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private static final AttributeKey<Long> KEY_COUNT_KEY = AttributeKey.longKey(KEY_COUNT);
  private static final AttributeKey<Long> FOUND_KEY = AttributeKey.longKey(FOUND);
  private static final AttributeKey<Long> NEAR_CACHE_HITS_KEY =
      AttributeKey.longKey(NEAR_CACHE_HITS);
  private static final AttributeKey<Long> NEAR_CACHE_MISSES_KEY =
      AttributeKey.longKey(NEAR_CACHE_MISSES);
  private static final AttributeKey<Long> ROUND_TRIPS_KEY = AttributeKey.longKey(ROUND_TRIPS);
  private static final AttributeKey<Long> NODES_KEY = AttributeKey.longKey(NODES);
  private static final AttributeKey<List<String>> KEYS_KEY = AttributeKey.stringArrayKey(KEYS);
  private static final AttributeKey<String> PREFIX_KEY = AttributeKey.stringKey(PREFIX);

  /** Method names by ordinal, computed once: {@link KvOperation#methodName()} builds a string. */
  private static final String[] OPERATION_NAMES = operationNames();

  private KvOpenTelemetry() {}

  /**
   * Creates a tracer that makes spans with {@code openTelemetry}'s tracer provider.
   *
   * @param openTelemetry the application's OpenTelemetry, such as
   *     {@code GlobalOpenTelemetry.get()} or an {@code OpenTelemetrySdk}; never closed by kvstore
   * @return the tracer, to pass to {@code ObservabilityOptions.Builder.tracer}
   * @throws KvValidationException if {@code openTelemetry} is null
   */
  public static KvTracer tracer(OpenTelemetry openTelemetry) {
    if (openTelemetry == null) {
      throw new KvValidationException("openTelemetry", "openTelemetry must not be null");
    }
    return new SpanTracer(openTelemetry.getTracer(INSTRUMENTATION_SCOPE));
  }

  private static String[] operationNames() {
    KvOperation[] operations = KvOperation.values();
    String[] names = new String[operations.length];
    for (KvOperation operation : operations) {
      names[operation.ordinal()] = operation.methodName();
    }
    return names;
  }

  /** Starts spans on the caller's thread, in the caller's context. */
  private record SpanTracer(Tracer tracer) implements KvTracer {
    @Override
    public KvTracer.OperationSpan start(KvOperationStart start) {
      String operation = OPERATION_NAMES[start.operation().ordinal()];
      String namespace = start.namespace();
      SpanBuilder builder = tracer
          .spanBuilder(namespace.isEmpty() ? operation : operation + " " + namespace)
          // The caller's context, read now: completion may run on an I/O thread without it.
          .setParent(Context.current())
          .setSpanKind(SpanKind.CLIENT)
          .setAttribute(DB_SYSTEM_NAME, start.system())
          .setAttribute(DB_OPERATION_NAME, operation);
      if (!namespace.isEmpty()) {
        builder.setAttribute(DB_NAMESPACE, namespace);
      }
      if (start.operation() == KvOperation.PUT_ALL && start.keyCount() != 1) {
        builder.setAttribute(DB_OPERATION_BATCH_SIZE, (long) start.keyCount());
      }
      Span span = builder.startSpan();
      return span.isRecording() ? new Recording(span) : NotRecording.INSTANCE;
    }

    @Override
    public String toString() {
      return "KvOpenTelemetry.tracer(" + tracer + ")";
    }
  }

  /** A span that is not recorded: nothing to do at the end. */
  private enum NotRecording implements KvTracer.OperationSpan {
    INSTANCE;

    @Override
    public void end(KvOperationEnd end) {}
  }

  /** A recorded span, completed with the operation's counts and outcome. */
  private record Recording(Span span) implements KvTracer.OperationSpan {
    @Override
    public void end(KvOperationEnd end) {
      KvEvent event = end.event();
      span.setAttribute(KEY_COUNT_KEY, (long) event.keyCount());
      span.setAttribute(FOUND_KEY, (long) event.found());
      span.setAttribute(ROUND_TRIPS_KEY, (long) event.roundTrips());
      span.setAttribute(NODES_KEY, (long) event.nodes());
      if (event.nearCacheHits() + event.nearCacheMisses() > 0) {
        span.setAttribute(NEAR_CACHE_HITS_KEY, (long) event.nearCacheHits());
        span.setAttribute(NEAR_CACHE_MISSES_KEY, (long) event.nearCacheMisses());
      }
      if (!end.keys().isEmpty()) {
        span.setAttribute(KEYS_KEY, end.keys());
      }
      end.prefix().ifPresent(prefix -> span.setAttribute(PREFIX_KEY, prefix));
      end.error().ifPresent(error -> {
        span.setAttribute(ERROR_TYPE, error.getClass().getName());
        span.setStatus(StatusCode.ERROR, Objects.toString(error.getMessage(), ""));
        span.recordException(error);
      });
      span.end();
    }
  }
}
