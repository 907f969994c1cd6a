package io.kvstore;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One logical operation as seen by a {@link KvListener}: one {@code getAll} of 64 keys is one
 * event however many commands it took. Events carry counts, never keys or values. The outcome is
 * {@link #succeeded()}; on failure, {@link #error()} is the kind of error, such as
 * {@link KvTimeoutException} or {@link KvCodecException}. Immutable and thread-safe.
 *
 * <p><b>Coalesced gets.</b> Concurrent single {@code get}s of a namespace that went to the store
 * as one batch (see {@code NamespaceOptions.Builder.coalesceGets}) are still one event each,
 * with {@code keyCount} 1 and their own duration, found count and outcome. The batch's round
 * trips and nodes are reported once, on the event of the batch's first get; the other gets of
 * the batch report 0 round trips and 0 nodes. So sums over events ({@link KvStore#stats()},
 * {@link KvRoundTrips}) count what the store did: 64 gets issued together are 64 events with one
 * round trip between them (one per batch, if the burst left in more than one), and a loop that
 * awaits each get is still 64 round trips.
 *
 * <p>Not a record on purpose: events gain counts over time, and a record's constructor would
 * break every listener test each time. Build one with {@link #builder}.
 */
public final class KvEvent {
  private final String namespace;
  private final KvOperation operation;
  private final int keyCount;
  private final int found;
  private final int nearCacheHits;
  private final int nearCacheMisses;
  private final int roundTrips;
  private final int nodes;
  private final Duration duration;
  private final int decodeFailures;
  private final Class<? extends Throwable> error;

  private KvEvent(Builder b) {
    namespace = b.namespace;
    operation = b.operation;
    keyCount = b.keyCount;
    found = b.found;
    nearCacheHits = b.nearCacheHits;
    nearCacheMisses = b.nearCacheMisses;
    roundTrips = b.roundTrips;
    nodes = b.nodes;
    duration = b.duration;
    decodeFailures = b.decodeFailures;
    error = b.error;
  }

  /**
   * Starts an event of one operation, with every count at zero, no duration and no error.
   *
   * @param namespace the namespace name ({@code ""} for store-level operations such as ping)
   * @param operation what was done
   * @return a new builder
   * @throws NullPointerException if an argument is null
   */
  public static Builder builder(String namespace, KvOperation operation) {
    return new Builder(namespace, operation);
  }

  /**
   * Returns a builder holding this event.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder(namespace, operation);
    b.keyCount = keyCount;
    b.found = found;
    b.nearCacheHits = nearCacheHits;
    b.nearCacheMisses = nearCacheMisses;
    b.roundTrips = roundTrips;
    b.nodes = nodes;
    b.duration = duration;
    b.decodeFailures = decodeFailures;
    b.error = error;
    return b;
  }

  /**
   * Returns the namespace name ({@code ""} for store-level operations such as ping).
   *
   * @return the namespace
   */
  public String namespace() {
    return namespace;
  }

  /**
   * Returns what was done.
   *
   * @return the operation
   */
  public KvOperation operation() {
    return operation;
  }

  /**
   * Returns how many distinct keys the operation named or returned.
   *
   * @return the count
   */
  public int keyCount() {
    return keyCount;
  }

  /**
   * Returns how many keys were found (reads), written (writes) or deleted (deletes).
   *
   * @return the count
   */
  public int found() {
    return found;
  }

  /**
   * Returns keys answered from the near cache without a round trip.
   *
   * @return the count
   */
  public int nearCacheHits() {
    return nearCacheHits;
  }

  /**
   * Returns keys the near cache had to fetch.
   *
   * @return the count
   */
  public int nearCacheMisses() {
    return nearCacheMisses;
  }

  /**
   * Returns network round trips the operation waited for (commands sent together count once;
   * parallel round trips to several cluster nodes count once each).
   *
   * @return the count
   */
  public int roundTrips() {
    return roundTrips;
  }

  /**
   * Returns how many servers the operation touched.
   *
   * @return the count
   */
  public int nodes() {
    return nodes;
  }

  /**
   * Returns the time from the call until its future completed.
   *
   * @return the duration
   */
  public Duration duration() {
    return duration;
  }

  /**
   * Returns how many stored values the operation read but could not decode; the operation itself
   * may still succeed (a {@code getAll}, or a {@code get} of a namespace that treats them as
   * misses).
   *
   * @return the count
   */
  public int decodeFailures() {
    return decodeFailures;
  }

  /**
   * Returns the kind of error the operation failed with.
   *
   * @return the exception type, or empty on success
   */
  public Optional<Class<? extends Throwable>> error() {
    return Optional.ofNullable(error);
  }

  /**
   * Tells whether the operation succeeded.
   *
   * @return {@code true} when {@link #error()} is empty
   */
  public boolean succeeded() {
    return error == null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KvEvent e
        && namespace.equals(e.namespace) && operation == e.operation
        && keyCount == e.keyCount && found == e.found && nearCacheHits == e.nearCacheHits
        && nearCacheMisses == e.nearCacheMisses && roundTrips == e.roundTrips
        && nodes == e.nodes && duration.equals(e.duration) && decodeFailures == e.decodeFailures
        && Objects.equals(error, e.error);
  }

  @Override
  public int hashCode() {
    return Objects.hash(namespace, operation, keyCount, found, nearCacheHits, nearCacheMisses,
        roundTrips, nodes, duration, error, decodeFailures);
  }

  @Override
  public String toString() {
    return "KvEvent[namespace=" + namespace + ", operation=" + operation + ", keyCount=" + keyCount
        + ", found=" + found + ", nearCacheHits=" + nearCacheHits + ", nearCacheMisses="
        + nearCacheMisses + ", roundTrips=" + roundTrips + ", nodes=" + nodes + ", duration="
        + duration + ", error=" + (error == null ? "none" : error.getSimpleName())
        + ", decodeFailures=" + decodeFailures + "]";
  }

  /** Sets the counts of a {@link KvEvent}; for stores and listener tests. Not thread-safe. */
  public static final class Builder {
    private final String namespace;
    private final KvOperation operation;
    private int keyCount;
    private int found;
    private int nearCacheHits;
    private int nearCacheMisses;
    private int roundTrips;
    private int nodes;
    private Duration duration = Duration.ZERO;
    private int decodeFailures;
    private Class<? extends Throwable> error;

    private Builder(String namespace, KvOperation operation) {
      this.namespace = Objects.requireNonNull(namespace, "namespace");
      this.operation = Objects.requireNonNull(operation, "operation");
    }

    /**
     * Sets {@link KvEvent#keyCount()}.
     *
     * @param keyCount the count
     * @return this builder
     */
    public Builder keyCount(int keyCount) {
      this.keyCount = keyCount;
      return this;
    }

    /**
     * Sets {@link KvEvent#found()}.
     *
     * @param found the count
     * @return this builder
     */
    public Builder found(int found) {
      this.found = found;
      return this;
    }

    /**
     * Sets {@link KvEvent#nearCacheHits()}.
     *
     * @param nearCacheHits the count
     * @return this builder
     */
    public Builder nearCacheHits(int nearCacheHits) {
      this.nearCacheHits = nearCacheHits;
      return this;
    }

    /**
     * Sets {@link KvEvent#nearCacheMisses()}.
     *
     * @param nearCacheMisses the count
     * @return this builder
     */
    public Builder nearCacheMisses(int nearCacheMisses) {
      this.nearCacheMisses = nearCacheMisses;
      return this;
    }

    /**
     * Sets {@link KvEvent#roundTrips()}.
     *
     * @param roundTrips the count
     * @return this builder
     */
    public Builder roundTrips(int roundTrips) {
      this.roundTrips = roundTrips;
      return this;
    }

    /**
     * Sets {@link KvEvent#nodes()}.
     *
     * @param nodes the count
     * @return this builder
     */
    public Builder nodes(int nodes) {
      this.nodes = nodes;
      return this;
    }

    /**
     * Sets {@link KvEvent#duration()}.
     *
     * @param duration the duration
     * @return this builder
     */
    public Builder duration(Duration duration) {
      this.duration = Objects.requireNonNull(duration, "duration");
      return this;
    }

    /**
     * Sets {@link KvEvent#decodeFailures()}.
     *
     * @param decodeFailures the count
     * @return this builder
     */
    public Builder decodeFailures(int decodeFailures) {
      this.decodeFailures = decodeFailures;
      return this;
    }

    /**
     * Sets {@link KvEvent#error()}.
     *
     * @param error the exception type the operation failed with, or null on success
     * @return this builder
     */
    public Builder error(@Nullable Class<? extends Throwable> error) {
      this.error = error;
      return this;
    }

    /**
     * Builds the event.
     *
     * @return the event
     */
    public KvEvent build() {
      return new KvEvent(this);
    }
  }
}
