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
import org.redisson.codec.TypedJsonJacksonCodec;
import org.redisson.config.Config;

/**
 * Redisson {@code RBuckets.get} (one MGET): raw bytes then the plain mapper, or Redisson's own
 * {@code TypedJsonJacksonCodec} on that mapper (its typed codec reads plain JSON; the default
 * {@code JsonJacksonCodec} expects the {@code @class} property it writes itself).
 */
final class RedissonFetcher implements Fetcher {
  private final RedissonClient client;
  private final RBuckets buckets;
  private final String[] keys;
  private final boolean ownCodec;

  RedissonFetcher(String uri, List<String> redisKeys, boolean ownCodec) {
    Config config = new Config();
    config.useSingleServer().setAddress(uri);
    this.client = Redisson.create(config);
    this.ownCodec = ownCodec;
    this.buckets = client.getBuckets(ownCodec
        ? new TypedJsonJacksonCodec(WorkoutCompletion.class, Client.PLAIN_MAPPER)
        : ByteArrayCodec.INSTANCE);
    this.keys = redisKeys.toArray(String[]::new);
  }

  @Override
  public Collection<?> fetch() {
    if (ownCodec) {
      return buckets.<WorkoutCompletion>get(keys).values();
    }
    Map<String, byte[]> values = buckets.get(keys);
    List<WorkoutCompletion> out = new ArrayList<>(values.size());
    for (byte[] value : values.values()) {
      out.add(Client.decode(value));
    }
    return out;
  }

  @Override
  public void close() {
    client.shutdown();
  }
}
