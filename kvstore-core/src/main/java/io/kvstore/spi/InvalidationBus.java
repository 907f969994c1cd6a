package io.kvstore.spi;

/**
 * Tells near caches in other instances which keys were written. A backend that offers one
 * publishes the keys of every write, whether or not the writer itself near-caches the namespace
 * (see {@link BackendNamespace#invalidates()}), and delivers what others publish to subscribers.
 * Delivery is at most once: whenever the backend cannot know what it missed (its subscription
 * dropped or came back), it calls {@link InvalidationListener#invalidateAll()}.
 */
public interface InvalidationBus {
  /**
   * Subscribes to the invalidations of one namespace.
   *
   * @param namespace the namespace name
   * @param listener receives keys written by other instances, on an I/O thread
   * @return closes the subscription
   */
  AutoCloseable subscribe(String namespace, InvalidationListener listener);
}
