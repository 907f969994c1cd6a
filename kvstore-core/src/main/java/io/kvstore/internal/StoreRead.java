package io.kvstore.internal;

import io.kvstore.spi.BackendCall;
import io.kvstore.spi.RawValue;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The innermost link of a namespace's read path: reads distinct keys from the store in one
 * backend call, as the namespace's options say (sliding TTL, expirations for a near cache), with
 * read repair around it when the schema asks for it. Chosen once, when the namespace opens.
 */
@FunctionalInterface
interface StoreRead {
  /**
   * Reads keys.
   *
   * @param call the call to record round trips on
   * @param keys distinct, validated keys
   * @return one value per key, in order; {@code null} for a missing key
   */
  CompletableFuture<List<RawValue>> read(BackendCall call, List<String> keys);
}
