package io.kvstore.spi;

import io.kvstore.Listing;
import java.util.Objects;

/**
 * The namespace a backend call acts on. Backends keep each namespace's keys apart, for example by
 * storing them under {@code name + ":" + key}; namespace names never contain {@code :}.
 *
 * @param name the validated namespace name
 * @param listing how the namespace lists keys; backends that always list in order may ignore it
 * @param invalidates whether writes must be published on the backend's {@link InvalidationBus},
 *     because the namespace has a near cache
 */
public record BackendNamespace(String name, Listing listing, boolean invalidates) {
  /**
   * Checks the components.
   *
   * @param name the validated namespace name
   * @param listing how the namespace lists keys; backends that always list in order may ignore it
   * @param invalidates whether writes must be published on the backend's invalidation bus
   */
  public BackendNamespace {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(listing, "listing");
  }
}
