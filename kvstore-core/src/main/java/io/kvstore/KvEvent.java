package io.kvstore;

import java.time.Duration;
import java.util.Objects;

/**
 * One logical operation as seen by a {@link KvListener}: one {@code getAll} of 64 keys is one
 * event however many commands it took. Events carry counts, never keys or values. The outcome is
 * {@link #succeeded()}; on failure, {@link #error()} is the kind of error, such as
 * {@link KvTimeoutException} or {@link KvCodecException}.
 *
 * <p><b>Coalesced gets.</b> Concurrent single {@code get}s of a namespace that went to the store
 * as one batch (see {@code NamespaceOptions.Builder.coalesceGets}) are still one event each,
 * with {@code keyCount} 1 and their own duration, found count and outcome. The batch's round
 * trips and nodes are reported once, on the event of the batch's first get; the other gets of
 * the batch report 0 round trips and 0 nodes. So sums over events ({@link KvStore#stats()},
 * {@link KvRoundTrips}) count what the store did: 64 concurrent gets are 64 events with 2 round
 * trips between them, and a loop that awaits each get is still 64 round trips.
 *
 * @param namespace the namespace name ({@code ""} for store-level operations such as ping)
 * @param operation what was done
 * @param keyCount how many distinct keys the operation named or returned
 * @param found how many keys were found (reads), written (writes) or deleted (deletes)
 * @param nearCacheHits keys answered from the near cache without a round trip
 * @param nearCacheMisses keys the near cache had to fetch
 * @param roundTrips network round trips the operation waited for (commands sent together count
 *     once; parallel round trips to several cluster nodes count once each)
 * @param nodes how many servers the operation touched
 * @param duration from the call until its future completed
 * @param error the exception type it failed with, or {@code null} on success
 * @param decodeFailures how many stored values the operation read but could not decode; the
 *     operation itself may still succeed (a {@code getAll}, or a {@code get} of a namespace that
 *     treats them as misses)
 */
public record KvEvent(
    String namespace,
    KvOperation operation,
    int keyCount,
    int found,
    int nearCacheHits,
    int nearCacheMisses,
    int roundTrips,
    int nodes,
    Duration duration,
    Class<? extends Throwable> error,
    int decodeFailures) {
  /**
   * Checks the components.
   *
   * @param namespace the namespace name ({@code ""} for store-level operations such as ping)
   * @param operation what was done
   * @param keyCount how many distinct keys the operation named or returned
   * @param found how many keys were found (reads), written (writes) or deleted (deletes)
   * @param nearCacheHits keys answered from the near cache without a round trip
   * @param nearCacheMisses keys the near cache had to fetch
   * @param roundTrips network round trips the operation waited for (commands sent together count
   *     once; parallel round trips to several cluster nodes count once each)
   * @param nodes how many servers the operation touched
   * @param duration from the call until its future completed
   * @param error the exception type it failed with, or {@code null} on success
   * @param decodeFailures how many stored values the operation read but could not decode
   */
  public KvEvent {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(duration, "duration");
  }

  /**
   * Creates an event without decode failures (the shape before they were counted).
   *
   * @param namespace the namespace name ({@code ""} for store-level operations such as ping)
   * @param operation what was done
   * @param keyCount how many distinct keys the operation named or returned
   * @param found how many keys were found (reads), written (writes) or deleted (deletes)
   * @param nearCacheHits keys answered from the near cache without a round trip
   * @param nearCacheMisses keys the near cache had to fetch
   * @param roundTrips network round trips the operation waited for
   * @param nodes how many servers the operation touched
   * @param duration from the call until its future completed
   * @param error the exception type it failed with, or {@code null} on success
   */
  public KvEvent(String namespace, KvOperation operation, int keyCount, int found,
      int nearCacheHits, int nearCacheMisses, int roundTrips, int nodes, Duration duration,
      Class<? extends Throwable> error) {
    this(namespace, operation, keyCount, found, nearCacheHits, nearCacheMisses, roundTrips,
        nodes, duration, error, 0);
  }

  /**
   * Tells whether the operation succeeded.
   *
   * @return {@code true} when {@link #error()} is null
   */
  public boolean succeeded() {
    return error == null;
  }
}
