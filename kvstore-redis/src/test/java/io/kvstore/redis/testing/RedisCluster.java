package io.kvstore.redis.testing;

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
  private static final int SLOTS = 16_384;

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
    List<String> args = List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
        "--cluster-node-timeout", Long.toString(nodeTimeout.toMillis()));
    List<RedisServer> masters = new ArrayList<>();
    List<RedisServer> replicas = new ArrayList<>();
    try {
      for (int i = 0; i < masterCount; i++) {
        masters.add(RedisServer.start(args));
      }
      for (int i = 0; i < masterCount * replicasPerMaster; i++) {
        replicas.add(RedisServer.start(args));
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
    for (RedisServer other : all().subList(1, all().size())) {
      first.call("CLUSTER", "MEET", "127.0.0.1", Integer.toString(other.port()));
    }
    awaitReady(Duration.ofSeconds(30), all().size());
    for (int i = 0; i < replicas.size(); i++) {
      RedisServer replica = replicas.get(i);
      String masterId = (String) masters.get(i % masters.size()).call("CLUSTER", "MYID");
      awaitKnown(replica, masterId, Duration.ofSeconds(30));
      replica.call("CLUSTER", "REPLICATE", masterId);
    }
    awaitReplicasInSync(Duration.ofSeconds(30));
  }

  private List<RedisServer> all() {
    List<RedisServer> all = new ArrayList<>(masters);
    all.addAll(replicas);
    return all;
  }

  /** A replica can only follow a master that gossip has already told it about. */
  private static void awaitKnown(RedisServer node, String nodeId, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!((String) node.call("CLUSTER", "NODES")).contains(nodeId)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("node " + node.port() + " never learnt of " + nodeId);
      }
      RedisServer.sleepQuietly(50);
    }
  }

  private void awaitReplicasInSync(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (RedisServer replica : replicas) {
      while (!((String) replica.call("INFO", "replication")).contains("master_link_status:up")) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("replica " + replica.port() + " never synced");
        }
        RedisServer.sleepQuietly(50);
      }
    }
    awaitReady(timeout, masters.size());
  }

  /**
   * Ready when every node reports state ok, knows every node, and sees this many masters (before
   * {@code CLUSTER REPLICATE}, a future replica is an empty master).
   */
  private void awaitReady(Duration timeout, int masterCount) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      boolean ready = true;
      for (RedisServer node : all()) {
        String info = (String) node.call("CLUSTER", "INFO");
        List<String> nodes = ((String) node.call("CLUSTER", "NODES")).lines().toList();
        if (!info.contains("cluster_state:ok") || nodes.size() != all().size()
            || nodes.stream().filter(l -> l.contains("master")).count() != masterCount) {
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
