package io.kvstore;

import java.util.concurrent.CompletableFuture;

/**
 * A connection to a key-value store, shared by the whole application. Thread-safe: open one per
 * store at start-up and share it; open namespaces from it as needed (they are cheap views).
 *
 * <p>Closing the store releases what it opened (connections, threads); it never closes a client
 * or resource that was handed to it.
 */
public interface KvStore extends AutoCloseable {
  /**
   * Opens a typed view of one namespace. Namespaces are cheap and may be opened repeatedly;
   * two namespaces with different names never see each other's keys.
   *
   * @param options the namespace name, codec and policies
   * @param <V> the value type
   * @return the namespace
   * @throws KvValidationException if {@code options} is null
   */
  <V> KvNamespace<V> namespace(NamespaceOptions<V> options);

  /**
   * Checks that the store answers, in one round trip.
   *
   * @return a future that completes when the store answered, or fails with
   *     {@link KvUnavailableException} or {@link KvTimeoutException}
   */
  CompletableFuture<Void> ping();

  /**
   * Returns the counters of this store since it was opened.
   *
   * @return a snapshot of the counters
   */
  KvStats stats();

  /**
   * Adds a listener for the operations this store completes from now on, called after the
   * listeners of its {@link ObservabilityOptions}: for test tools such as {@link KvRoundTrips}
   * and for diagnostics attached to a running store. The listener runs on the thread that
   * completes each operation, so it should be quick and must not block.
   *
   * @param listener the listener
   * @return a handle that removes the listener when closed
   * @throws KvValidationException if {@code listener} is null
   */
  Subscription listen(KvListener listener);

  /**
   * Releases what this store opened. Operations called after close return futures that fail
   * with {@link KvUnavailableException}; operations in flight complete, with their result or
   * with that exception, and none is left waiting. Idempotent.
   */
  @Override
  void close();

  /** A listener added with {@link #listen}; closing it removes the listener. Thread-safe. */
  interface Subscription extends AutoCloseable {
    /** Removes the listener; it sees no operation that completes afterwards. Idempotent. */
    @Override
    void close();
  }
}
