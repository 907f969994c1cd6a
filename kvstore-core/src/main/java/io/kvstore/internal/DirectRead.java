package io.kvstore.internal;

import io.kvstore.KvResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The read path of a namespace without a near cache: the store, then the decode link.
 *
 * @param <V> the value type
 */
final class DirectRead<V> implements ReadPath<V> {
  private final MissRead store;
  private final ValueDecoder<V> decoder;
  private final String describe;

  DirectRead(MissRead store, ValueDecoder<V> decoder, String describe) {
    this.store = store;
    this.decoder = decoder;
    this.describe = describe;
  }

  @Override
  public CompletableFuture<List<KvResult<V>>> read(Operation op, List<String> keys) {
    return store.read(op, keys).thenCompose(values -> decoder.decodeAll(describe, keys, values));
  }
}
