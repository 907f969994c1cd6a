package io.kvstore;

import java.time.Duration;
import java.util.Objects;

/**
 * One logical operation as seen by a {@link KvListener}: one {@code getAll} of 64 keys is one
 * event however many commands it took. Events carry counts, never keys or values. The outcome is
 * {@link #succeeded()}; on failure, {@link #error()} is the kind of error, such as
 * {@link KvTimeoutException} or {@link KvCodecException}.
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
