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
}
