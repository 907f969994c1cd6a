package io.kvstore.bench.nearcache;

import io.kvstore.KvNamespace;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** How the near-cache benchmarks make misses: a write of the same bytes drops the keys. */
final class Rewrites {
  private Rewrites() {}

  /**
   * Rewrites {@code count} consecutive keys from a random place, each with the bytes it holds,
   * through a view without near cache: the near-cached view of the namespace drops exactly those.
   *
   * @param raw the namespace's bytes, without near cache
   * @param keys the benchmark's keys
   * @param stored the bytes each key holds
   * @param count how many keys to drop
   */
  static void dropRandom(KvNamespace<byte[]> raw, List<String> keys, Map<String, byte[]> stored,
      int count) {
    int from = ThreadLocalRandom.current().nextInt(keys.size() - count);
    Map<String, byte[]> rewritten = new HashMap<>();
    for (String key : keys.subList(from, from + count)) {
      rewritten.put(key, stored.get(key));
    }
    raw.putAll(rewritten).join();
  }
}
