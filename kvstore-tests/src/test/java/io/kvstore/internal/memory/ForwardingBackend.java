package io.kvstore.internal.memory;

import io.kvstore.spi.ForwardingKvBackend;

/**
 * The real embedded store behind a backend that tests extend to watch or disturb some of its
 * calls; every call it does not override reaches the store unchanged. Not a mock.
 */
public abstract class ForwardingBackend extends ForwardingKvBackend {
  /** The store every call reaches. */
  protected final InMemoryBackend store;

  /**
   * Forwards to a store.
   *
   * @param store the embedded store
   */
  protected ForwardingBackend(InMemoryBackend store) {
    super(store);
    this.store = store;
  }
}
