package io.kvstore.testkit.redis;

import io.kvstore.testkit.redis.internal.ClusterJoin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Redis Cluster of cluster-enabled {@code redis-server} processes on loopback, joined with
 * {@code CLUSTER MEET} and the 16384 slots split evenly with {@code CLUSTER ADDSLOTS}, optionally
 * with replicas attached by {@code CLUSTER REPLICATE}. Stopped by {@link #close()}, and by the JVM
 * shutdown hook if a test dies.
 */
public final class RedisCluster implements AutoCloseable {
  private final List<RedisServer> masters;
  private final List<RedisServer> replicas;

  private RedisCluster(List<RedisServer> masters, List<RedisServer> replicas) {
    this.masters = masters;
    this.replicas = replicas;
  }

  /**
   * Starts a cluster of masters without replicas.
   *
   * @param masterCount how many masters, at least 3 as Redis Cluster expects
   * @return the cluster, with every slot served
   */
  public static RedisCluster start(int masterCount) {
    return start(masterCount, 0, Duration.ofSeconds(3));
  }

  /**
   * Starts a cluster whose masters each have replicas, so that killing a master makes one of
   * its replicas take over after {@code nodeTimeout} and an election.
   *
   * @param masterCount how many masters, at least 3
   * @param replicasPerMaster replicas of each master
   * @param nodeTimeout {@code cluster-node-timeout}: how long a master may be silent before it
   *     is considered failed
   * @return the cluster, every slot served and every replica's link up
   */
  public static RedisCluster start(int masterCount, int replicasPerMaster, Duration nodeTimeout) {
    return start(RedisBinary.find(), masterCount, replicasPerMaster, nodeTimeout);
  }

  /**
   * Starts a cluster from a given binary.
   *
   * @param binary the redis-server to run
   * @param masterCount how many masters, at least 3
   * @param replicasPerMaster replicas of each master
   * @param nodeTimeout {@code cluster-node-timeout}
   * @return the cluster, every slot served and every replica's link up
   */
  public static RedisCluster start(RedisBinary binary, int masterCount, int replicasPerMaster,
      Duration nodeTimeout) {
    List<String> args = List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
        "--cluster-node-timeout", Long.toString(nodeTimeout.toMillis()));
    List<RedisServer> masters = new ArrayList<>();
    List<RedisServer> replicas = new ArrayList<>();
    try {
      for (int i = 0; i < masterCount; i++) {
        masters.add(RedisServer.start(binary, args));
      }
      for (int i = 0; i < masterCount * replicasPerMaster; i++) {
        replicas.add(RedisServer.start(binary, args));
      }
      RedisCluster cluster = new RedisCluster(List.copyOf(masters), List.copyOf(replicas));
      cluster.join();
      return cluster;
    } catch (RuntimeException e) {
      masters.forEach(RedisServer::close);
      replicas.forEach(RedisServer::close);
      throw e;
    }
  }

  private void join() {
    ClusterJoin.join(masters.stream().map(RedisServer::port).toList(),
        replicas.stream().map(RedisServer::port).toList());
  }

  private List<RedisServer> all() {
    List<RedisServer> all = new ArrayList<>(masters);
    all.addAll(replicas);
    return all;
  }

  /**
   * Returns the seed URIs of every node.
   *
   * @return one {@code redis://127.0.0.1:port} per master
   */
  public List<String> uris() {
    return masters.stream().map(RedisServer::uri).toList();
  }

  /**
   * Returns the master processes.
   *
   * @return the masters, in start order
   */
  public List<RedisServer> masters() {
    return masters;
  }

  /**
   * Returns the replica processes.
   *
   * @return the replicas, the i-th following master {@code i % masters}
   */
  public List<RedisServer> replicas() {
    return replicas;
  }

  /** Deletes every key on every master. */
  public void flushAll() {
    masters.forEach(RedisServer::flushAll);
  }

  @Override
  public void close() {
    all().forEach(RedisServer::close);
  }
}
