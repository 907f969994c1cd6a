package io.kvstore.redis.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Redis Cluster of cluster-enabled {@code redis-server} processes on loopback, joined with
 * {@code CLUSTER MEET} and the 16384 slots split evenly with {@code CLUSTER ADDSLOTS}. Stopped by
 * {@link #close()}, and by the JVM shutdown hook if a test dies.
 */
public final class RedisCluster implements AutoCloseable {
  private static final int SLOTS = 16_384;

  private final List<RedisServer> masters;

  private RedisCluster(List<RedisServer> masters) {
    this.masters = masters;
  }

  /**
   * Starts a cluster of masters without replicas.
   *
   * @param masterCount how many masters, at least 3 as Redis Cluster expects
   * @return the cluster, with every slot served
   */
  public static RedisCluster start(int masterCount) {
    List<RedisServer> started = new ArrayList<>();
    try {
      for (int i = 0; i < masterCount; i++) {
        started.add(RedisServer.start(List.of("--cluster-enabled", "yes",
            "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "3000")));
      }
      RedisCluster cluster = new RedisCluster(List.copyOf(started));
      cluster.join();
      return cluster;
    } catch (RuntimeException e) {
      started.forEach(RedisServer::close);
      throw e;
    }
  }

  private void join() {
    for (int i = 0; i < masters.size(); i++) {
      int from = SLOTS * i / masters.size();
      int to = SLOTS * (i + 1) / masters.size();
      List<String> args = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
      for (int slot = from; slot < to; slot++) {
        args.add(Integer.toString(slot));
      }
      masters.get(i).call(args.toArray(String[]::new));
    }
    RedisServer first = masters.get(0);
    for (RedisServer other : masters.subList(1, masters.size())) {
      first.call("CLUSTER", "MEET", "127.0.0.1", Integer.toString(other.port()));
    }
    awaitReady(Duration.ofSeconds(30));
  }

  /** Ready when every node reports state ok and knows every node. */
  private void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      boolean ready = true;
      for (RedisServer node : masters) {
        String info = (String) node.call("CLUSTER", "INFO");
        String nodes = (String) node.call("CLUSTER", "NODES");
        if (!info.contains("cluster_state:ok")
            || nodes.lines().filter(l -> l.contains("master")).count() != masters.size()) {
          ready = false;
          break;
        }
      }
      if (ready) {
        return;
      }
      RedisServer.sleepQuietly(100);
    }
    throw new IllegalStateException("cluster did not become ready within " + timeout);
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

  /** Deletes every key on every master. */
  public void flushAll() {
    masters.forEach(RedisServer::flushAll);
  }

  @Override
  public void close() {
    masters.forEach(RedisServer::close);
  }
}
