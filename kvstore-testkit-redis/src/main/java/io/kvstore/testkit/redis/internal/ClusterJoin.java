package io.kvstore.testkit.redis.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a Redis Cluster of cluster-enabled servers listening on 127.0.0.1, whatever runs them
 * (processes or host-network containers): the 16384 slots split evenly over the masters with
 * {@code CLUSTER ADDSLOTS}, every node joined with {@code CLUSTER MEET}, replicas attached with
 * {@code CLUSTER REPLICATE}; returns once every node agrees.
 */
public final class ClusterJoin {
  private static final int SLOTS = 16_384;

  private final List<Integer> masters;
  private final List<Integer> replicas;
  private final List<Integer> all;

  private ClusterJoin(List<Integer> masters, List<Integer> replicas) {
    this.masters = List.copyOf(masters);
    this.replicas = List.copyOf(replicas);
    List<Integer> nodes = new ArrayList<>(masters);
    nodes.addAll(replicas);
    this.all = List.copyOf(nodes);
  }

  /**
   * Joins the servers into one cluster, the i-th replica following master {@code i % masters}.
   *
   * @param masterPorts the masters' ports on 127.0.0.1
   * @param replicaPorts the replicas' ports on 127.0.0.1
   * @throws IllegalStateException if the cluster is not ready within 30 s
   */
  public static void join(List<Integer> masterPorts, List<Integer> replicaPorts) {
    new ClusterJoin(masterPorts, replicaPorts).join();
  }

  /**
   * Runs one command on a fresh connection to 127.0.0.1.
   *
   * @param port the server's port
   * @param args the command
   * @return the reply
   */
  public static Object call(int port, String... args) {
    try (Resp resp = new Resp(port)) {
      return resp.call(args);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
      call(masters.get(i), args.toArray(String[]::new));
    }
    int first = masters.get(0);
    for (int other : all.subList(1, all.size())) {
      call(first, "CLUSTER", "MEET", "127.0.0.1", Integer.toString(other));
    }
    awaitReady(Duration.ofSeconds(30), all.size());
    for (int i = 0; i < replicas.size(); i++) {
      int replica = replicas.get(i);
      String masterId = (String) call(masters.get(i % masters.size()), "CLUSTER", "MYID");
      awaitKnown(replica, masterId, Duration.ofSeconds(30));
      call(replica, "CLUSTER", "REPLICATE", masterId);
    }
    awaitReplicasInSync(Duration.ofSeconds(30));
  }

  /** A replica can only follow a master that gossip has already told it about. */
  private static void awaitKnown(int node, String nodeId, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!((String) call(node, "CLUSTER", "NODES")).contains(nodeId)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("node " + node + " never learnt of " + nodeId);
      }
      sleep(50);
    }
  }

  private void awaitReplicasInSync(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int replica : replicas) {
      while (!((String) call(replica, "INFO", "replication")).contains("master_link_status:up")) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("replica " + replica + " never synced");
        }
        sleep(50);
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
      for (int node : all) {
        String info = (String) call(node, "CLUSTER", "INFO");
        List<String> nodes = ((String) call(node, "CLUSTER", "NODES")).lines().toList();
        if (!info.contains("cluster_state:ok") || nodes.size() != all.size()
            || nodes.stream().filter(l -> l.contains("master")).count() != masterCount) {
          ready = false;
          break;
        }
      }
      if (ready) {
        return;
      }
      sleep(100);
    }
    throw new IllegalStateException("cluster did not become ready within " + timeout);
  }

  /**
   * Sleeps, keeping the interrupt flag.
   *
   * @param millis how long
   */
  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
