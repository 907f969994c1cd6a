/**
 * kvstore-testkit: tools for testing code built on kvstore. Round-trip budgets for JUnit
 * ({@link io.kvstore.testkit.MaxRoundTrips}), a real Redis or Cluster per test class
 * ({@link io.kvstore.testkit.RedisExtension}), the contract suite adapters run
 * ({@link io.kvstore.testkit.KvStoreContract}) and model-based properties, and the real-server
 * harness ({@link io.kvstore.testkit.RedisServer}, {@link io.kvstore.testkit.RedisCluster},
 * {@link io.kvstore.testkit.TcpProxy}).
 */
@NullMarked
package io.kvstore.testkit;

import org.jspecify.annotations.NullMarked;
