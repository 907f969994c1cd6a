package io.kvstore.bench;

import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.bench.peers.Client;
import io.kvstore.redis.RedisKvStore;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code getAll} of 100 keys spread over the 3 masters of a Redis Cluster (started by the harness,
 * or {@code -Dkvstore.redis.cluster=redis://h1:p1,...}), kvstore against raw Lettuce's cluster
 * {@code mget} with the same decode.
 *
 * <pre>
 * java -jar kvstore-bench/target/benchmarks.jar ClusterBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 2, time = 1)
public class ClusterBenchmark {
  /** Keys per operation. */
  public static final int N = 100;

  /** Who reads. */
  public enum ClusterClient {
    /** kvstore {@code getAll} on {@code RedisKvStore.connectCluster}. */
    KVSTORE,
    /** Lettuce {@code RedisAdvancedClusterAsyncCommands.mget}, then the same decode. */
    LETTUCE_MGET
  }

  /** The client. */
  @Param({"KVSTORE", "LETTUCE_MGET"})
  public ClusterClient client;


  private RedisTarget cluster;
  private KvStore store;
  private KvNamespace<WorkoutCompletion> ns;
  private RedisClusterClient lettuce;
  private StatefulRedisClusterConnection<String, byte[]> connection;
  private RedisAdvancedClusterAsyncCommands<String, byte[]> async;
  private List<String> keys;
  private String[] redisKeys;

  /** Starts the cluster, seeds it through kvstore, connects the client. */
  @Setup(Level.Trial)
  public void setUp() {
    cluster = RedisTarget.cluster();
    store = RedisKvStore.connectCluster(cluster.uris());
    Workouts.seed(store, Workouts.SEEDED);
    ns = store.namespace(Workouts.namespace());
    keys = Workouts.keys(N);
    redisKeys = keys.stream().map(k -> Workouts.NAMESPACE + ":" + k).toArray(String[]::new);
    if (client == ClusterClient.LETTUCE_MGET) {
      lettuce = RedisClusterClient.create(cluster.uris().stream().map(RedisURI::create).toList());
      connection = lettuce.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
      async = connection.async();
    }
  }

  /** Disconnects and stops the cluster. */
  @TearDown(Level.Trial)
  public void tearDown() {
    if (connection != null) {
      connection.close();
      lettuce.shutdown();
    }
    store.close();
    cluster.close();
  }

  /**
   * Reads 100 keys across all masters and decodes them.
   *
   * @return the records
   */
  @Benchmark
  public Collection<WorkoutCompletion> getAll() {
    if (client == ClusterClient.KVSTORE) {
      return ns.getAll(keys).join().values();
    }
    List<KeyValue<String, byte[]>> values = async.mget(redisKeys).toCompletableFuture().join();
    List<WorkoutCompletion> out = new ArrayList<>(values.size());
    for (KeyValue<String, byte[]> kv : values) {
      if (kv.hasValue()) {
        out.add(Client.decode(kv.getValue()));
      }
    }
    return out;
  }
}
