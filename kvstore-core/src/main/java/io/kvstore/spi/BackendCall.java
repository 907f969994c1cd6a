package io.kvstore.spi;

import io.kvstore.KvOperation;
import io.kvstore.KvUnavailableException;

/**
 * The logical operation a backend call belongs to. Backends report their round trips here and
 * use {@link #describe()} in error messages. Thread-safe: round trips may be recorded from I/O
 * threads.
 */
public interface BackendCall {
  /**
   * Returns the namespace name.
   *
   * @return the name, {@code ""} for store-level calls
   */
  String namespace();

  /**
   * Returns the logical operation.
   *
   * @return the operation
   */
  KvOperation operation();

  /**
   * Records one round trip: one wait for replies, however many commands were written together
   * before it. Requests sent to several servers at once and awaited together are one round trip
   * touching {@code nodes} servers.
   *
   * @param nodes how many servers this round trip went to, at least 1
   */
  void recordRoundTrip(int nodes);

  /**
   * Describes the operation for error messages, such as {@code "getAll on namespace 'workout'"}.
   * Never contains keys or values.
   *
   * @return the description
   */
  String describe();

  /**
   * Returns the error for a call made on a closed store, worded the same on every store: the
   * call was not sent, so nothing of it was applied.
   *
   * @return the error, to fail the call's future with
   */
  default KvUnavailableException storeClosed() {
    return new KvUnavailableException(describe() + ": the store is closed", null);
  }

  /**
   * Returns how many keys the logical operation names (0 for listings and pings), so an adapter
   * can route large batches apart from small ones. The default is 0.
   *
   * @return the key count
   */
  default int keyCount() {
    return 0;
  }
}
