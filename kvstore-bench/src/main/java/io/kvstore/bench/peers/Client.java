package io.kvstore.bench.peers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.kvstore.bench.WorkoutCompletion;
import io.kvstore.bench.Workouts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The clients of the peer benchmarks, as a JMH {@code @Param} (Caffeine's {@code GetPutBenchmark}
 * style). Every one reads the same Redis keys ({@code workout:user-1:w01:d1}); each peer decodes
 * the way its users would write it: a plain {@code JsonMapper} with the {@code JavaTimeModule}
 * ({@link #PLAIN_MAPPER}), or, in the {@code _JACKSON} rows, the client's own Jackson codec on that
 * mapper. Two rows decode nothing: the floors of the read itself.
 */
public enum Client {
  /** kvstore {@code getAll} on a namespace with the default JSON codec. */
  KVSTORE,
  /**
   * kvstore {@code getAll} decoding every read on one thread ({@code parallelBytes(MAX_VALUE)}),
   * as before issue 34's round 2: the same-run comparison for shared decoding.
   */
  KVSTORE_ONE_THREAD,
  /** kvstore {@code getAll} on a {@code KvCodec.bytes()} namespace: no decode. */
  KVSTORE_BYTES,
  /** Raw Lettuce async {@code mget}, no decode: the floor of a batched read. */
  LETTUCE_MGET_RAW,
  /** Raw Lettuce async {@code mget}, then the plain mapper. */
  LETTUCE_MGET,
  /** Jedis {@code RedisClient} (pooled): one pipelined GET per key, then the plain mapper. */
  JEDIS_PIPELINE,
  /** Jedis {@code RedisClient} (pooled): one MGET, then the plain mapper. */
  JEDIS_MGET,
  /** Redisson {@code RBuckets.get} with a raw-bytes codec, then the plain mapper. */
  REDISSON,
  /** Redisson {@code RBuckets.get} with its {@code TypedJsonJacksonCodec} on the plain mapper. */
  REDISSON_JACKSON,
  /** Spring Data Redis {@code opsForValue().multiGet} of raw bytes, then the plain mapper. */
  SPRING_DATA,
  /** Spring Data Redis {@code multiGet} with a {@code Jackson2JsonRedisSerializer}. */
  SPRING_DATA_JACKSON;

  /** What a peer's user writes: a plain {@code JsonMapper} that knows {@code java.time}. */
  public static final ObjectMapper PLAIN_MAPPER = JsonMapper.builder()
      .addModule(new JavaTimeModule()).build();

  private static final ObjectReader PLAIN_READER = PLAIN_MAPPER.readerFor(WorkoutCompletion.class);

  /**
   * Decodes one record with the plain mapper.
   *
   * @param bytes JSON
   * @return the record
   */
  public static WorkoutCompletion decode(byte[] bytes) {
    try {
      return PLAIN_READER.readValue(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Returns a fetch's records, decoding the raw values of the no-decode rows (for tests).
   *
   * @param fetched what {@link Fetcher#fetch()} returned
   * @return the records
   */
  public static List<WorkoutCompletion> records(Collection<?> fetched) {
    List<WorkoutCompletion> records = new ArrayList<>(fetched.size());
    for (Object o : fetched) {
      records.add(o instanceof byte[] bytes ? decode(bytes) : (WorkoutCompletion) o);
    }
    return records;
  }

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
      case KVSTORE -> new KvstoreFetcher(uri, keys, false, false);
      case KVSTORE_ONE_THREAD -> new KvstoreFetcher(uri, keys, false, true);
      case KVSTORE_BYTES -> new KvstoreFetcher(uri, keys, true, false);
      case LETTUCE_MGET_RAW -> new LettuceFetcher(uri, redisKeys, false);
      case LETTUCE_MGET -> new LettuceFetcher(uri, redisKeys, true);
      case JEDIS_PIPELINE -> new JedisFetcher(u.getHost(), u.getPort(), redisKeys, true);
      case JEDIS_MGET -> new JedisFetcher(u.getHost(), u.getPort(), redisKeys, false);
      case REDISSON -> new RedissonFetcher(uri, redisKeys, false);
      case REDISSON_JACKSON -> new RedissonFetcher(uri, redisKeys, true);
      case SPRING_DATA -> new SpringDataFetcher(u.getHost(), u.getPort(), redisKeys, false);
      case SPRING_DATA_JACKSON -> new SpringDataFetcher(u.getHost(), u.getPort(), redisKeys, true);
    };
  }
}
