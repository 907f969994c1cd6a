package io.kvstore.spi;

import io.kvstore.Listing;
import java.util.Objects;

/**
 * The namespace a backend call acts on. Backends keep each namespace's keys apart, for example by
 * storing them under {@code name + ":" + key}; namespace names never contain {@code :}.
 *
 * @param name the validated namespace name
 * @param listing how the namespace lists keys; backends that always list in order may ignore it
 * @param invalidates whether this view of the namespace has a near cache: a backend with an
 *     {@link InvalidationBus} publishes every write, and holds the write's result until other
 *     instances are told only when this is set
 */
public record BackendNamespace(String name, Listing listing, boolean invalidates) {
  /**
   * Checks the components.
   *
   * @param name the validated namespace name
   * @param listing how the namespace lists keys; backends that always list in order may ignore it
   * @param invalidates whether this view of the namespace has a near cache
   */
  public BackendNamespace {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(listing, "listing");
  }
}
