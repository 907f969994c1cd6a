package io.kvstore.spi;

import java.util.List;

/** Receives invalidations from an {@link InvalidationBus}. Must be fast and non-blocking. */
public interface InvalidationListener {
  /**
   * Other instances wrote or deleted these keys.
   *
   * @param keys keys without the namespace
   */
  void invalidate(List<String> keys);

  /** Invalidations may have been missed: drop everything. */
  void invalidateAll();

  /**
   * Invalidations cannot be heard for a while (a server-tracking connection is down): drop
   * everything and keep nothing read from now on, until {@link #resume()}, since no one would
   * tell of its change. By default {@link #invalidateAll()}, for a listener that cannot stop
   * keeping values.
   */
  default void pause() {
    invalidateAll();
  }

  /** Invalidations are heard again, after {@link #pause()}: keep values again, from empty. */
  default void resume() {
    invalidateAll();
  }
}
