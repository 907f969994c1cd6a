/**
 * kvstore-testkit: tools for testing code built on kvstore. Round-trip budgets for JUnit
 * ({@link io.kvstore.testkit.MaxRoundTrips}), the suites every store passes, each run on one
 * {@link io.kvstore.testkit.StoreFixture} ({@link io.kvstore.testkit.KvStoreSuites} runs all of
 * them), a polling helper ({@link io.kvstore.testkit.Awaits}) and a hand-moved clock
 * ({@link io.kvstore.testkit.MutableClock}).
 */
@NullMarked
package io.kvstore.testkit;

import org.jspecify.annotations.NullMarked;
