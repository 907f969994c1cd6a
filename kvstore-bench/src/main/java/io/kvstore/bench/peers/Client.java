package io.kvstore.bench.peers;

import io.kvstore.KvCodec;
import io.kvstore.bench.WorkoutCompletion;
import io.kvstore.bench.Workouts;
import java.net.URI;
import java.util.List;

/**
 * The clients of the peer benchmarks, as a JMH {@code @Param} (Caffeine's {@code GetPutBenchmark}
 * style). Every one reads the same Redis keys ({@code workout:user-1:w01:d1}) and decodes them with
 * the same Jackson codec kvstore uses, so the differences are the clients'.
 */
public enum Client {
  /** kvstore {@code getAll}: MGET on one multiplexed Lettuce connection, then decode. */
  KVSTORE,
  /** Raw Lettuce async {@code mget} plus the same decode: the baseline. */
  LETTUCE_MGET,
  /** Jedis {@code RedisClient} (pooled): one pipelined GET per key, then {@code sync()}. */
  JEDIS_PIPELINE,
  /** Jedis {@code RedisClient} (pooled): one MGET. */
  JEDIS_MGET,
  /** Redisson {@code RBuckets.get} with a raw-bytes codec. */
  REDISSON,
  /** Spring Data Redis {@code opsForValue().multiGet} on its Lettuce driver. */
  SPRING_DATA;

  /** The decode every peer shares: the codec kvstore's namespaces use by default. */
  static final KvCodec<WorkoutCompletion> CODEC = KvCodec.json(WorkoutCompletion.class);

  /**
   * Connects this client to a server, ready to read {@code keys}.
   *
   * @param uri {@code redis://host:port}
   * @param keys keys within the {@link Workouts#NAMESPACE} namespace
   * @return the fetcher; close it
   */
  public Fetcher open(String uri, List<String> keys) {
    List<String> redisKeys = keys.stream().map(k -> Workouts.NAMESPACE + ":" + k).toList();
    URI u = URI.create(uri);
    return switch (this) {
      case KVSTORE -> new KvstoreFetcher(uri, keys);
      case LETTUCE_MGET -> new LettuceFetcher(uri, redisKeys);
      case JEDIS_PIPELINE -> new JedisFetcher(u.getHost(), u.getPort(), redisKeys, true);
      case JEDIS_MGET -> new JedisFetcher(u.getHost(), u.getPort(), redisKeys, false);
      case REDISSON -> new RedissonFetcher(uri, redisKeys);
      case SPRING_DATA -> new SpringDataFetcher(u.getHost(), u.getPort(), redisKeys);
    };
  }
}
