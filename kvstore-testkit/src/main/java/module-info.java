/**
 * kvstore-testkit: for tests of code built on kvstore, on kvstore-core and JUnit alone.
 * Round-trip budgets ({@link io.kvstore.testkit.MaxRoundTrips},
 * {@link io.kvstore.testkit.KvRoundTripBudget}), the suites every store passes, run on one
 * {@link io.kvstore.testkit.StoreFixture} ({@link io.kvstore.testkit.KvStoreContract},
 * {@link io.kvstore.testkit.KvStoreModelProperties},
 * {@link io.kvstore.testkit.SchemaEvolutionContract}), one polling helper
 * ({@link io.kvstore.testkit.Awaits}) and a clock tests move by hand
 * ({@link io.kvstore.testkit.MutableClock}). A real Redis per test class is
 * {@code kvstore-testkit-redis}.
 */
module io.kvstore.testkit {
  requires transitive io.kvstore;
  requires transitive org.junit.jupiter.api;

  exports io.kvstore.testkit;
}
