package io.kvstore.bench.peers;

import io.kvstore.DecodeOptions;
import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.NamespaceOptions;
import io.kvstore.bench.WorkoutCompletion;
import io.kvstore.bench.Workouts;
import io.kvstore.redis.RedisKvOptions;
import io.kvstore.redis.RedisKvStore;
import java.util.Collection;
import java.util.List;

/**
 * kvstore's {@code getAll} on its own store: the default JSON codec, or raw bytes. With
 * {@code -Dkvstore.bench.inlineBytes=N} or {@code -Dkvstore.bench.parallelBytes=N} (through
 * {@code -jvmArgsAppend}) the store decodes with that {@code DecodeOptions} threshold instead of
 * its default: how issue 34 chose them.
 */
final class KvstoreFetcher implements Fetcher {
  private final KvStore store;
  private final KvNamespace<?> ns;
  private final List<String> keys;

  KvstoreFetcher(String uri, List<String> keys, boolean bytes, boolean oneThread) {
    DecodeOptions.Builder decoding = DecodeOptions.builder()
        .inlineBytes(Integer.getInteger("kvstore.bench.inlineBytes",
            DecodeOptions.DEFAULT_INLINE_BYTES))
        .parallelBytes(oneThread ? Integer.MAX_VALUE : Integer.getInteger(
            "kvstore.bench.parallelBytes", DecodeOptions.DEFAULT_PARALLEL_BYTES));
    this.store = RedisKvStore.connect(uri, RedisKvOptions.builder()
        .decoding(decoding.build()).build());
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
