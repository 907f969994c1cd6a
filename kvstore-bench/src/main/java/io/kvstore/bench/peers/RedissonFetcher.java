package io.kvstore.bench.peers;

import io.kvstore.bench.WorkoutCompletion;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.redisson.Redisson;
import org.redisson.api.RBuckets;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.config.Config;

/** Redisson {@code RBuckets.get} (one MGET) with raw bytes, then the shared decode. */
final class RedissonFetcher implements Fetcher {
  private final RedissonClient client;
  private final RBuckets buckets;
  private final String[] keys;

  RedissonFetcher(String uri, List<String> redisKeys) {
    Config config = new Config();
    config.useSingleServer().setAddress(uri);
    this.client = Redisson.create(config);
    this.buckets = client.getBuckets(ByteArrayCodec.INSTANCE);
    this.keys = redisKeys.toArray(String[]::new);
  }

  @Override
  public Collection<WorkoutCompletion> fetch() {
    Map<String, byte[]> values = buckets.get(keys);
    List<WorkoutCompletion> out = new ArrayList<>(values.size());
    for (byte[] value : values.values()) {
      out.add(Client.CODEC.decode(value));
    }
    return out;
  }

  @Override
  public void close() {
    client.shutdown();
  }
}
