package io.kvstore.spi;

import java.util.Objects;

/**
 * The namespace a backend call acts on. Backends keep each namespace's keys apart, for example by
 * storing them under {@code name + ":" + key}; namespace names never contain {@code :}.
 *
 * @param name the validated namespace name
 */
public record BackendNamespace(String name) {
  /**
   * Checks the components.
   *
   * @param name the validated namespace name
   */
  public BackendNamespace {
    Objects.requireNonNull(name, "name");
  }
}
