package io.kvstore.contract;

import io.kvstore.InMemoryOptions;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.redis.RedisKvStore;
import io.kvstore.testkit.MutableClock;
import java.time.Duration;

/** The stores of the contract matrix, each opened fresh for every test. */
enum StoreFixture {
  /** The embedded store, with a hand-moved clock: no test sleeps. */
  EMBEDDED("embedded") {
    @Override
    KvStore open(MutableClock clock) {
      return KvStores.inMemory(InMemoryOptions.builder().clock(clock).build());
    }
  },
  /**
   * The embedded store with 0-1 ms of simulated latency and 6 concurrent requests, so the
   * asynchronous path (timers, the request gate, completion threads) keeps every promise too.
   */
  EMBEDDED_LATENCY("embedded with latency") {
    @Override
    KvStore open(MutableClock clock) {
      return KvStores.inMemory(InMemoryOptions.builder()
          .latency(Duration.ZERO, Duration.ofMillis(1))
          .maxConcurrentRequests(6)
          .clock(clock)
          .build());
    }
  },
  /** One Redis server, shared by the run and flushed before each test (SCAN cost grows with it). */
  REDIS("Redis") {
    @Override
    KvStore open(MutableClock clock) {
      SharedRedis.server().flushAll();
      return RedisKvStore.connect(SharedRedis.server().uri());
    }
  },
  /** A 3-master Redis Cluster, shared by the run and flushed before each test. */
  REDIS_CLUSTER("Redis Cluster") {
    @Override
    KvStore open(MutableClock clock) {
      SharedRedis.cluster().flushAll();
      return RedisKvStore.connectCluster(SharedRedis.cluster().clusterUris());
    }
  };

  private final String label;

  StoreFixture(String label) {
    this.label = label;
  }

  /** Opens a new store; the embedded ones run on the given clock, Redis on its own time. */
  abstract KvStore open(MutableClock clock);

  /**
   * Whether the store keeps TTLs on the clock given to {@link #open}: the embedded ones do;
   * Redis keeps its own time, so TTL tests wait.
   */
  boolean handMovedClock() {
    return this == EMBEDDED || this == EMBEDDED_LATENCY;
  }

  /**
   * Whether namespaces choose a listing strategy on this store. The embedded store keeps each
   * namespace in one map sorted by key and lists from it whatever {@code listing} says, so the
   * listing axis has one value there.
   */
  boolean hasListingStrategies() {
    return !handMovedClock();
  }

  @Override
  public String toString() {
    return label;
  }
}
