package io.kvstore;

import java.util.Objects;

/**
 * An operation as it starts, handed to {@link KvTracer#start}. Carries no keys or values.
 *
 * @param system the store's system name, as OpenTelemetry's {@code db.system.name}:
 *     {@code redis} for the Redis adapter, {@code kvstore.memory} for the embedded store
 * @param namespace the namespace name ({@code ""} for store-level operations such as ping)
 * @param operation what is being done
 * @param keyCount how many distinct keys the call names; 0 for listings, whose keys are known
 *     only when they return
 */
public record KvOperationStart(String system, String namespace, KvOperation operation,
    int keyCount) {
  /**
   * Checks the components.
   *
   * @param system the store's system name
   * @param namespace the namespace name ({@code ""} for store-level operations)
   * @param operation what is being done
   * @param keyCount how many distinct keys the call names; 0 for listings
   */
  public KvOperationStart {
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(operation, "operation");
  }
}
