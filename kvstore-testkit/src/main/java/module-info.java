/**
 * kvstore-testkit: for tests of code built on kvstore. Round-trip budgets for JUnit 5
 * ({@link io.kvstore.testkit.MaxRoundTrips}), the contract suite every store passes
 * ({@link io.kvstore.testkit.KvStoreContract}), a real Redis or Redis Cluster per test class
 * ({@link io.kvstore.testkit.RedisExtension}) and a clock tests move by hand
 * ({@link io.kvstore.testkit.MutableClock}).
 */
module io.kvstore.testkit {
  requires transitive io.kvstore;
  requires transitive io.kvstore.redis;
  requires transitive org.junit.jupiter.api;
  requires org.junit.jupiter.params;
  requires lettuce.core;
  requires testcontainers;
  requires java.logging;

  exports io.kvstore.testkit;
}
