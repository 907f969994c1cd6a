package io.kvstore.bench.peers;

import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.NamespaceOptions;
import io.kvstore.bench.WorkoutCompletion;
import io.kvstore.bench.Workouts;
import io.kvstore.redis.RedisKvStore;
import java.util.Collection;
import java.util.List;

/** kvstore's {@code getAll} on its own store: the default JSON codec, or raw bytes. */
final class KvstoreFetcher implements Fetcher {
  private final KvStore store;
  private final KvNamespace<?> ns;
  private final List<String> keys;

  KvstoreFetcher(String uri, List<String> keys, boolean bytes) {
    this.store = RedisKvStore.connect(uri);
    this.ns = bytes
        ? store.namespace(NamespaceOptions.builder(Workouts.NAMESPACE, KvCodec.bytes()).build())
        : store.namespace(
            NamespaceOptions.builder(Workouts.NAMESPACE, WorkoutCompletion.class).build());
    this.keys = keys;
  }

  @Override
  public Collection<?> fetch() {
    return ns.getAll(keys).join().values();
  }

  @Override
  public void close() {
    store.close();
  }
}
