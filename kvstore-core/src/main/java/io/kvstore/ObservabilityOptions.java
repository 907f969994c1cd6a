package io.kvstore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How a store reports what it does: listeners, the slow-operation log and whether keys may appear
 * in logs and exception messages. Immutable and thread-safe; build with {@link #builder()}.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>option</th><th>default</th></tr>
 *   <tr><td>{@code slowOperationWarn}</td><td>{@value #DEFAULT_SLOW_WARN_MILLIS} ms</td></tr>
 *   <tr><td>{@code slowOperationError}</td><td>{@value #DEFAULT_SLOW_ERROR_MILLIS} ms</td></tr>
 *   <tr><td>{@code logKeys}</td><td>{@code false}: keys are redacted</td></tr>
 *   <tr><td>{@code listeners}</td><td>none</td></tr>
 * </table>
 */
public final class ObservabilityOptions {
  /** Operations slower than this many milliseconds are logged at WARN by default. */
  public static final long DEFAULT_SLOW_WARN_MILLIS = 100;

  /** Operations slower than this many milliseconds are logged at ERROR by default. */
  public static final long DEFAULT_SLOW_ERROR_MILLIS = 500;

  private static final ObservabilityOptions DEFAULTS = builder().build();

  private final List<KvListener> listeners;
  private final Duration slowWarn;
  private final Duration slowError;
  private final boolean logKeys;

  private ObservabilityOptions(Builder b) {
    this.listeners = List.copyOf(b.listeners);
    this.slowWarn = b.slowWarn;
    this.slowError = b.slowError;
    this.logKeys = b.logKeys;
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
    b.slowWarn = slowWarn;
    b.slowError = slowError;
    b.logKeys = logKeys;
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

  /** Builds {@link ObservabilityOptions}. Not thread-safe. */
  public static final class Builder {
    private final List<KvListener> listeners = new ArrayList<>();
    private Duration slowWarn = Duration.ofMillis(DEFAULT_SLOW_WARN_MILLIS);
    private Duration slowError = Duration.ofMillis(DEFAULT_SLOW_ERROR_MILLIS);
    private boolean logKeys;

    private Builder() {}

    /**
     * Adds a listener; several may be added and each sees every event.
     *
     * @param listener the listener
     * @return this builder
     * @throws KvValidationException if {@code listener} is null
     */
    public Builder listener(KvListener listener) {
      if (listener == null) {
        throw new KvValidationException("listener", "listener must not be null");
      }
      listeners.add(listener);
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
     * Lets keys appear in logs and exception messages. Off by default because keys often carry
     * user ids; values never appear whatever this says.
     *
     * @param logKeys {@code true} to show keys
     * @return this builder
     */
    public Builder logKeys(boolean logKeys) {
      this.logKeys = logKeys;
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
