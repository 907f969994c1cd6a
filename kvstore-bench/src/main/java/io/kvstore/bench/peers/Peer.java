package io.kvstore.bench.peers;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.kvstore.DecodeOptions;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.bench.WorkoutCompletion;
import io.kvstore.bench.Workouts;
import io.kvstore.redis.RedisKvOptions;
import io.kvstore.redis.RedisKvStore;
import io.lettuce.core.KeyValue;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.SetParams;

/**
 * The clients of {@code InterferenceBenchmark}: single and 10,000-key reads and writes of the
 * workout records, each the way its users would write them. Peers encode and decode with a plain
 * {@code JsonMapper} and the {@code JavaTimeModule}, on the calling thread.
 */
public enum Peer {
  /** kvstore: one store, {@code get}/{@code getAll}/{@code put}/{@code putAll}. */
  KVSTORE,
  /**
   * kvstore as it was before issue 12, for comparison in the same run: every batch on the main
   * connection ({@code bulkThreshold(MAX_VALUE)}) and every value decoded on the thread that
   * completed the read ({@code inlineBytes(MAX_VALUE)}, {@code parallelBytes(MAX_VALUE)}).
   */
  KVSTORE_BEFORE,
  /**
   * kvstore with its large reads decoded on one thread instead of one per core
   * ({@code DecodeOptions.executor} of one thread): whether leaving a core to small calls is what
   * keeps their latency beside a 10,000-key read (issue 36).
   */
  KVSTORE_ONE_DECODE_THREAD,
  /**
   * kvstore whose decode slices never yield their core ({@code DecodeOptions.yieldInterval} zero):
   * what giving way to small calls costs and buys in the same run (issue 36).
   */
  KVSTORE_NO_YIELD,
  /** Raw Lettuce on one shared connection: {@code GET}, one {@code MGET}, pipelined {@code SET}s. */
  LETTUCE,
  /** Jedis' pooled {@code RedisClient}: {@code GET}, {@code MGET}, a pipeline of {@code SET}s. */
  JEDIS,
  /** Redisson: {@code RBucket.get}, {@code RBuckets.get}, {@code RBucket.set}, {@code RBuckets.set}. */
  REDISSON;

  private static final Duration TTL = Duration.ofDays(1);
  private static final JsonMapper MAPPER = JsonMapper.builder()
      .addModule(new JavaTimeModule()).build();
  private static final ObjectReader READER = MAPPER.readerFor(WorkoutCompletion.class);
  private static final ObjectWriter WRITER = MAPPER.writerFor(WorkoutCompletion.class);

  /** One client's connection to the benchmark server; thread-safe, like the clients. */
  public interface Session extends AutoCloseable {
    /**
     * Reads one record.
     *
     * @param key a key of {@link Workouts}
     * @return the record, or null
     */
    WorkoutCompletion get(String key);

    /**
     * Reads records in one batch.
     *
     * @param keys keys of {@link Workouts}
     * @return how many were found
     */
    int getAll(List<String> keys);

    /**
     * Writes one record with a one-day TTL.
     *
     * @param key the key
     * @param value the record
     */
    void put(String key, WorkoutCompletion value);

    /**
     * Writes records in one batch.
     *
     * @param values records by key
     */
    void putAll(Map<String, WorkoutCompletion> values);

    @Override
    void close();
  }

  /**
   * Connects this client.
   *
   * @param uri {@code redis://host:port}
   * @return the session; close it
   */
  public Session open(String uri) {
    return switch (this) {
      case KVSTORE -> new KvstoreSession(RedisKvStore.connect(uri), () -> { });
      case KVSTORE_BEFORE -> new KvstoreSession(RedisKvStore.connect(uri, RedisKvOptions.builder()
          .bulkThreshold(Integer.MAX_VALUE)
          .decoding(DecodeOptions.builder().inlineBytes(Integer.MAX_VALUE)
              .parallelBytes(Integer.MAX_VALUE).build())
          .build()), () -> { });
      case KVSTORE_ONE_DECODE_THREAD -> {
        ExecutorService decode = Executors.newSingleThreadExecutor();
        yield new KvstoreSession(RedisKvStore.connect(uri, RedisKvOptions.builder()
            .decoding(DecodeOptions.builder().executor(decode).build())
            .build()), decode::shutdown);
      }
      case KVSTORE_NO_YIELD -> new KvstoreSession(RedisKvStore.connect(uri, RedisKvOptions.builder()
          .decoding(DecodeOptions.builder().yieldInterval(Duration.ZERO).build())
          .build()), () -> { });
      case LETTUCE -> new LettuceSession(uri);
      case JEDIS -> new JedisSession(URI.create(uri));
      case REDISSON -> new RedissonSession(uri);
    };
  }

  private static String redisKey(String key) {
    return Workouts.NAMESPACE + ":" + key;
  }

  private static WorkoutCompletion decode(byte[] bytes) {
    try {
      return bytes == null ? null : READER.readValue(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] encode(WorkoutCompletion value) {
    try {
      return WRITER.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final class KvstoreSession implements Session {
    private final KvStore store;
    private final KvNamespace<WorkoutCompletion> ns;
    /** Releases what the session made beside the store (a decode pool), after it. */
    private final Runnable release;

    KvstoreSession(KvStore store, Runnable release) {
      this.store = store;
      this.ns = store.namespace(Workouts.namespace());
      this.release = release;
    }

    @Override
    public WorkoutCompletion get(String key) {
      return ns.get(key).join().orElse(null);
    }

    @Override
    public int getAll(List<String> keys) {
      return ns.getAll(keys).join().size();
    }

    @Override
    public void put(String key, WorkoutCompletion value) {
      ns.put(key, value).join();
    }

    @Override
    public void putAll(Map<String, WorkoutCompletion> values) {
      ns.putAll(values).join();
    }

    @Override
    public void close() {
      store.close();
      release.run();
    }
  }

  private static final class LettuceSession implements Session {
    private final io.lettuce.core.RedisClient client;
    private final StatefulRedisConnection<String, byte[]> connection;
    private final RedisAsyncCommands<String, byte[]> async;

    LettuceSession(String uri) {
      this.client = io.lettuce.core.RedisClient.create(uri);
      this.connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
      this.async = connection.async();
    }

    @Override
    public WorkoutCompletion get(String key) {
      return decode(async.get(redisKey(key)).toCompletableFuture().join());
    }

    @Override
    public int getAll(List<String> keys) {
      List<KeyValue<String, byte[]>> values = async.mget(
          keys.stream().map(Peer::redisKey).toArray(String[]::new)).toCompletableFuture().join();
      int found = 0;
      for (KeyValue<String, byte[]> kv : values) {
        if (kv.hasValue() && decode(kv.getValue()) != null) {
          found++;
        }
      }
      return found;
    }

    @Override
    public void put(String key, WorkoutCompletion value) {
      async.set(redisKey(key), encode(value), SetArgs.Builder.px(TTL))
          .toCompletableFuture().join();
    }

    @Override
    public void putAll(Map<String, WorkoutCompletion> values) {
      List<CompletableFuture<String>> sets = new ArrayList<>(values.size());
      values.forEach((k, v) -> sets.add(async.set(redisKey(k), encode(v),
          SetArgs.Builder.px(TTL)).toCompletableFuture()));
      CompletableFuture.allOf(sets.toArray(CompletableFuture[]::new)).join();
    }

    @Override
    public void close() {
      connection.close();
      client.shutdown();
    }
  }

  private static final class JedisSession implements Session {
    private final RedisClient client;

    JedisSession(URI uri) {
      this.client = RedisClient.create(uri.getHost(), uri.getPort());
    }

    private static byte[] bytes(String key) {
      return redisKey(key).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public WorkoutCompletion get(String key) {
      return decode(client.get(bytes(key)));
    }

    @Override
    public int getAll(List<String> keys) {
      int found = 0;
      for (byte[] value : client.mget(keys.stream().map(JedisSession::bytes)
          .toArray(byte[][]::new))) {
        if (decode(value) != null) {
          found++;
        }
      }
      return found;
    }

    @Override
    public void put(String key, WorkoutCompletion value) {
      client.set(bytes(key), encode(value), SetParams.setParams().px(TTL.toMillis()));
    }

    @Override
    public void putAll(Map<String, WorkoutCompletion> values) {
      try (Pipeline p = client.pipelined()) {
        values.forEach((k, v) -> p.set(bytes(k), encode(v),
            SetParams.setParams().px(TTL.toMillis())));
        p.sync();
      }
    }

    @Override
    public void close() {
      client.close();
    }
  }

  private static final class RedissonSession implements Session {
    private final RedissonClient client;

    RedissonSession(String uri) {
      Config config = new Config();
      config.useSingleServer().setAddress(uri);
      this.client = Redisson.create(config);
    }

    @Override
    public WorkoutCompletion get(String key) {
      return decode(client.<byte[]>getBucket(redisKey(key),
          org.redisson.client.codec.ByteArrayCodec.INSTANCE).get());
    }

    @Override
    public int getAll(List<String> keys) {
      Map<String, byte[]> values = client.getBuckets(
          org.redisson.client.codec.ByteArrayCodec.INSTANCE)
          .get(keys.stream().map(Peer::redisKey).toArray(String[]::new));
      int found = 0;
      for (byte[] value : values.values()) {
        if (decode(value) != null) {
          found++;
        }
      }
      return found;
    }

    @Override
    public void put(String key, WorkoutCompletion value) {
      client.<byte[]>getBucket(redisKey(key), org.redisson.client.codec.ByteArrayCodec.INSTANCE)
          .set(encode(value), TTL);
    }

    /** {@code RBuckets.set} is one MSET, which carries no TTL. */
    @Override
    public void putAll(Map<String, WorkoutCompletion> values) {
      Map<String, byte[]> encoded = new LinkedHashMap<>(values.size() * 2);
      values.forEach((k, v) -> encoded.put(redisKey(k), encode(v)));
      client.getBuckets(org.redisson.client.codec.ByteArrayCodec.INSTANCE).set(encoded);
    }

    @Override
    public void close() {
      client.shutdown();
    }
  }
}
