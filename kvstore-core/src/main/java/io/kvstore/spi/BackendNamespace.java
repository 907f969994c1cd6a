package io.kvstore.spi;

import io.kvstore.KvValidationException;
import io.kvstore.Listing;
import java.util.Objects;
import java.util.function.Function;

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

  /**
   * The partition of a key, by the listing's partition function, with the error every store
   * gives for a function that fails.
   *
   * @param key the key, without namespace
   * @return its partition
   * @throws KvValidationException if the listing has no partition function, or the function
   *     throws or returns null for the key
   */
  public String partitionOf(String key) {
    Function<String, String> function = listing.partition().orElseThrow(
        () -> new KvValidationException("listing", "namespace '" + name
            + "': its listing has no partition function"));
    String partition;
    try {
      partition = function.apply(key);
    } catch (RuntimeException e) {
      throw new KvValidationException("listing", "namespace '" + name
          + "': the partition function of its listing failed on a key ("
          + e.getClass().getSimpleName() + ")");
    }
    if (partition == null) {
      throw new KvValidationException("listing", "namespace '" + name
          + "': the partition function of its listing returned null for a key");
    }
    return partition;
  }
}
