package io.kvstore;

import io.kvstore.spi.OptionChecks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a store reports what it does: listeners, a tracer, the slow-operation log, the
 * sequential-get detector and whether keys may appear in logs and exception messages. Immutable
 * and thread-safe; build with {@link #builder()} and hand to
 * {@code InMemoryOptions.Builder.observability} or to an adapter's options.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>option</th><th>default</th></tr>
 *   <tr><td>{@code slowOperationWarn}</td><td>100 ms ({@link #DEFAULT_SLOW_WARN})</td></tr>
 *   <tr><td>{@code slowOperationError}</td><td>500 ms ({@link #DEFAULT_SLOW_ERROR})</td></tr>
 *   <tr><td>{@code logKeys}</td><td>{@code false}: keys are redacted</td></tr>
 *   <tr><td>{@code listeners}</td><td>none</td></tr>
 *   <tr><td>{@code tracer}</td><td>none</td></tr>
 *   <tr><td>{@code sequentialGetDetector}</td><td>off; when switched on without arguments,
 *     {@value #DEFAULT_SEQUENTIAL_GET_THRESHOLD} gets at most
 *     1 s ({@link #DEFAULT_SEQUENTIAL_GET_WINDOW}) apart</td></tr>
 * </table>
 *
 * <h2 id="observability">Observability</h2>
 *
 * <p><b>Listeners.</b> Each {@link KvListener} gets one {@link KvEvent} per logical operation
 * (a {@code getAll} of 64 keys is one event): namespace, operation, key count, keys found,
 * near-cache hits and misses, round trips, servers touched, duration, and on failure the
 * exception type. Events never carry keys or values. Operations rejected by validation send
 * nothing and raise no event. {@code kvstore-micrometer} turns events into Micrometer meters.
 *
 * <p><b>Tracing.</b> A {@link KvTracer} is told when each operation is called, on the caller's
 * thread, and when it completes: {@code kvstore-opentelemetry} makes one OpenTelemetry span per
 * logical operation from it, a child of the caller's current span. With no tracer (the default)
 * an operation allocates nothing for tracing.
 *
 * <p><b>Slow-operation log.</b> An operation slower than {@link #slowOperationWarn()} is logged
 * at WARN on the SLF4J logger {@code io.kvstore.SlowOperations}, slower than
 * {@link #slowOperationError()} at ERROR:
 * <pre>{@code
 * slow get on namespace 'workout': 212 ms, 1 keys, 1 round trips, 1 nodes
 * }</pre>
 * With {@link Builder#logKeys(boolean) logKeys(true)} the line ends with the first
 * three keys sent to the store (or the prefix of a listing), each cut to 64 characters; by
 * default keys are left out. Values never appear.
 *
 * <p><b>Sequential-get detector.</b> Off by default. When on, a thread that issues
 * {@code threshold} single {@code get}s on one namespace back to back (no other operation of
 * that thread in between, each within {@code window} of the previous one) gets one WARN on the
 * logger {@code io.kvstore.SequentialGets}, naming the calling line, {@code getAll} and
 * {@code listValues} as the fix and the round trips a batch would have saved:
 * <pre>{@code
 * 10 single gets in a row on namespace 'workout' from thread 'http-4' at
 * com.acme.Dashboard.load(Dashboard.java:42), each a round trip of its own; read the keys with
 * one getAll (or listValues for a prefix) to save 9 round trips
 * }</pre>
 * Each call site warns at most once a minute; time is read from the store's clock (the one given
 * to {@code InMemoryOptions.Builder.clock}, for instance) in milliseconds. It costs a
 * thread-local look-up per operation; the stack is walked only when a warning is due.
 *
 * <p><b>Counters and tests.</b> {@link KvStore#stats()} sums operations, round trips, keys read,
 * errors and near-cache hits and misses. {@link KvRoundTrips} counts or records the round trips a
 * block of code makes, and {@code @MaxRoundTrips} (module {@code kvstore-testkit}) fails a JUnit 5
 * test that makes more than its budget.
 */
public final class ObservabilityOptions {
  /** Operations slower than this many milliseconds are logged at WARN by default. */
  public static final Duration DEFAULT_SLOW_WARN = Duration.ofMillis(100);

  /** Operations slower than this many milliseconds are logged at ERROR by default. */
  public static final Duration DEFAULT_SLOW_ERROR = Duration.ofMillis(500);

  /** Single gets in a row that trigger the sequential-get detector, when switched on. */
  public static final int DEFAULT_SEQUENTIAL_GET_THRESHOLD = 10;

  /** Longest pause in milliseconds between two gets of one sequential run, by default. */
  public static final Duration DEFAULT_SEQUENTIAL_GET_WINDOW = Duration.ofSeconds(1);

  private static final ObservabilityOptions DEFAULTS = builder().build();

  private final List<KvListener> listeners;
  private final KvTracer tracer;
  private final Duration slowWarn;
  private final Duration slowError;
  private final boolean logKeys;
  private final int sequentialGetThreshold;
  private final Duration sequentialGetWindow;

  private ObservabilityOptions(Builder b) {
    this.listeners = List.copyOf(b.listeners);
    this.tracer = b.tracer;
    this.slowWarn = b.slowWarn;
    this.slowError = b.slowError;
    this.logKeys = b.logKeys;
    this.sequentialGetThreshold = b.sequentialGetThreshold;
    this.sequentialGetWindow = b.sequentialGetWindow;
  }

  /**
   * Returns the default options.
   *
   * @return options with no listeners, default thresholds and redacted keys
   */
  public static ObservabilityOptions defaults() {
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
   * Returns a builder holding these options, to derive new ones.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.listeners.addAll(listeners);
    b.tracer = tracer;
    b.slowWarn = slowWarn;
    b.slowError = slowError;
    b.logKeys = logKeys;
    b.sequentialGetThreshold = sequentialGetThreshold;
    b.sequentialGetWindow = sequentialGetWindow;
    return b;
  }

  /**
   * Returns the listeners, in registration order.
   *
   * @return an unmodifiable list
   */
  public List<KvListener> listeners() {
    return listeners;
  }

  /**
   * Returns the tracer, if one was set.
   *
   * @return the tracer, or empty by default
   */
  public Optional<KvTracer> tracer() {
    return Optional.ofNullable(tracer);
  }

  /**
   * Returns the duration above which operations are logged at WARN.
   *
   * @return the threshold
   */
  public Duration slowOperationWarn() {
    return slowWarn;
  }

  /**
   * Returns the duration above which operations are logged at ERROR.
   *
   * @return the threshold
   */
  public Duration slowOperationError() {
    return slowError;
  }

  /**
   * Tells whether keys may appear in logs and exception messages.
   *
   * @return {@code false} by default
   */
  public boolean logKeys() {
    return logKeys;
  }

  /**
   * Tells whether the sequential-get detector is on.
   *
   * @return {@code false} by default
   */
  public boolean sequentialGetDetector() {
    return sequentialGetThreshold > 0;
  }

  /**
   * Returns how many single gets in a row trigger the sequential-get warning.
   *
   * @return the threshold, or 0 when the detector is off
   */
  public int sequentialGetThreshold() {
    return sequentialGetThreshold;
  }

  /**
   * Returns the longest pause between two gets of one sequential run.
   *
   * @return the window; meaningful only when the detector is on
   */
  public Duration sequentialGetWindow() {
    return sequentialGetWindow;
  }

  /** Builds {@link ObservabilityOptions}. Not thread-safe. */
  public static final class Builder {
    private final List<KvListener> listeners = new ArrayList<>();
    private KvTracer tracer;
    private Duration slowWarn = DEFAULT_SLOW_WARN;
    private Duration slowError = DEFAULT_SLOW_ERROR;
    private boolean logKeys;
    private int sequentialGetThreshold;
    private Duration sequentialGetWindow = DEFAULT_SEQUENTIAL_GET_WINDOW;

    private Builder() {}

    /**
     * Adds a listener; several may be added and each sees every event.
     *
     * @param listener the listener
     * @return this builder
     * @throws KvValidationException if {@code listener} is null
     */
    public Builder listener(KvListener listener) {
      listeners.add(OptionChecks.notNull("listener", listener));
      return this;
    }

    /**
     * Sets the tracer, which replaces any set before: a store has at most one (a tracer that
     * fans out to several is easy to write). See {@link KvTracer} for when it is called.
     *
     * @param tracer the tracer, such as {@code KvOpenTelemetry.tracer(openTelemetry)}
     * @return this builder
     * @throws KvValidationException if {@code tracer} is null
     */
    public Builder tracer(KvTracer tracer) {
      this.tracer = OptionChecks.notNull("tracer", tracer);
      return this;
    }

    /**
     * Sets the slow-operation thresholds.
     *
     * @param warn operations slower than this are logged at WARN
     * @param error operations slower than this are logged at ERROR; at least {@code warn}
     * @return this builder
     * @throws KvValidationException if a threshold is null or negative, or error is below warn
     */
    public Builder slowOperationThresholds(Duration warn, Duration error) {
      if (warn == null || error == null || warn.isNegative() || error.isNegative()) {
        throw new KvValidationException(
            "slowOperationThresholds", "slow-operation thresholds must be non-negative durations");
      }
      if (error.compareTo(warn) < 0) {
        throw new KvValidationException("slowOperationThresholds",
            "slow-operation error threshold " + error + " is below the warn threshold " + warn);
      }
      this.slowWarn = warn;
      this.slowError = error;
      return this;
    }

    /**
     * Lets keys appear in logs and exception messages: the slow-operation log then shows the
     * first three keys of the operation. Off by default because keys often
     * carry user ids; values never appear whatever this says.
     *
     * @param logKeys {@code true} to show keys
     * @return this builder
     */
    public Builder logKeys(boolean logKeys) {
      this.logKeys = logKeys;
      return this;
    }

    /**
     * Switches the sequential-get detector on with the defaults:
     * {@value #DEFAULT_SEQUENTIAL_GET_THRESHOLD} single gets at most
     * {@link #DEFAULT_SEQUENTIAL_GET_WINDOW} apart.
     *
     * @return this builder
     */
    public Builder sequentialGetDetector() {
      return sequentialGetDetector(DEFAULT_SEQUENTIAL_GET_THRESHOLD,
          DEFAULT_SEQUENTIAL_GET_WINDOW);
    }

    /**
     * Switches the sequential-get detector on: a thread that issues {@code threshold} single
     * gets on one namespace with no other operation in between, each within {@code window} of
     * the previous one, is reported once per call site and minute at WARN on
     * {@code io.kvstore.SequentialGets}.
     *
     * @param threshold gets in a row that trigger the warning, at least 2
     * @param window the longest pause between two gets of one run, positive
     * @return this builder
     * @throws KvValidationException if {@code threshold < 2} or {@code window} is null, zero or
     *     negative
     */
    public Builder sequentialGetDetector(int threshold, Duration window) {
      if (threshold < 2) {
        throw new KvValidationException("threshold",
            "sequential-get threshold is " + threshold + "; it must be >= 2");
      }
      this.sequentialGetWindow = OptionChecks.positive("window", window);
      this.sequentialGetThreshold = threshold;
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the immutable options
     */
    public ObservabilityOptions build() {
      return new ObservabilityOptions(this);
    }
  }
}
