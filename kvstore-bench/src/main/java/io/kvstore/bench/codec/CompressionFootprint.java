package io.kvstore.bench.codec;

import io.kvstore.Compression;
import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.NamespaceOptions;
import io.kvstore.bench.WorkoutCompletion;
import io.kvstore.bench.Workouts;
import io.kvstore.redis.RedisKvStore;
import io.kvstore.testkit.redis.RedisServer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bytes stored per record and Redis {@code used_memory} per record for the bench's records,
 * plain and compressed: counts, not timings, so a loaded machine gives the same figures. Starts
 * its own {@code redis-server} on a free loopback port and writes 100,000 records per codec
 * (1,000 per {@code putAll}), flushing between codecs.
 *
 * <pre>
 * java -cp kvstore-bench/target/benchmarks.jar io.kvstore.bench.codec.CompressionFootprint [records]
 * </pre>
 */
public final class CompressionFootprint {
  private CompressionFootprint() {}

  /**
   * Prints the table.
   *
   * @param args optionally the number of records (100,000)
   */
  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    Map<String, KvCodec<WorkoutCompletion>> codecs = new LinkedHashMap<>();
    KvCodec<WorkoutCompletion> json = KvCodec.json(WorkoutCompletion.class);
    codecs.put("plain JSON", json);
    codecs.put("LZ4", KvCodec.compressed(json, Compression.lz4()));
    codecs.put("zstd level 3", KvCodec.compressed(json, Compression.zstd()));
    codecs.put("zstd level 9", KvCodec.compressed(json, Compression.zstd().withLevel(9)));
    Map<String, WorkoutCompletion> records = Workouts.records(n);
    System.out.printf("%d records%n%n| codec | bytes stored per record | Redis used_memory per"
        + " record |%n|---|---:|---:|%n", n);
    try (RedisServer redis = RedisServer.start();
        KvStore store = RedisKvStore.connect(redis.uri())) {
      for (Map.Entry<String, KvCodec<WorkoutCompletion>> codec : codecs.entrySet()) {
        redis.flushAll();
        long before = usedMemory(redis);
        long bytes = records.values().stream().mapToLong(r -> codec.getValue().encode(r).length)
            .sum();
        KvNamespace<WorkoutCompletion> ns = store.namespace(
            NamespaceOptions.builder(Workouts.NAMESPACE, codec.getValue()).build());
        Map<String, WorkoutCompletion> batch = new LinkedHashMap<>();
        for (Map.Entry<String, WorkoutCompletion> e : records.entrySet()) {
          batch.put(e.getKey(), e.getValue());
          if (batch.size() == 1000) {
            ns.putAll(batch).join();
            batch.clear();
          }
        }
        ns.putAll(batch).join();
        long after = usedMemory(redis);
        System.out.printf("| %s | %.1f | %.1f |%n", codec.getKey(), (double) bytes / n,
            (double) (after - before) / n);
      }
    }
  }

  private static long usedMemory(RedisServer redis) {
    Object reply = redis.call("INFO", "memory");
    String info = reply instanceof byte[] b
        ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : String.valueOf(reply);
    for (String line : info.split("\r\n")) {
      if (line.startsWith("used_memory:")) {
        return Long.parseLong(line.substring("used_memory:".length()));
      }
    }
    throw new IllegalStateException("no used_memory in INFO");
  }
}
