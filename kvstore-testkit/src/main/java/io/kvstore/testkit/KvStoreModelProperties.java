package io.kvstore.testkit;

import io.kvstore.KvCodec;
import io.kvstore.KvStore;
import io.kvstore.testkit.internal.ModelChecker;
import org.junit.jupiter.api.Test;

/**
 * Model-based properties every {@link KvStore} must have, run on a {@link StoreFixture}: random
 * sequences of operations (writes with TTLs and if-absent, deletes, reads, batch reads, listing
 * walks with a limit that changes between pages, time passing, reindex and migration, close) are
 * applied to the store and to a model (a sorted map with expiries), and every answer must be the
 * model's. A failing sequence is shrunk (steps removed while it still fails) and reported one
 * readable step per line, with the seed that replays it.
 *
 * <p>Each sequence opens its own store and a namespace no other sequence uses, with the fixture's
 * options (run the fixture with and without a near cache to cover both). Every namespace uses
 * {@link KvCodec#bytes()}, and callers scribble over every array they pass in or get back, so a
 * store or near cache that shares arrays with callers shows it. What differs between stores (a
 * movable clock, listing strategies, shared data) comes from the fixture, never from overrides.
 *
 * <p>{@code ./mvnw verify} runs a fixed number of sequences of up to 30 steps from a fixed seed;
 * {@code -Dkvstore.model.long=true} runs ten times as many, twice as long, from a random seed and
 * reports every kind of failure; {@code -Dkvstore.model.tries=N}, {@code -Dkvstore.model.steps=N}
 * and {@code -Dkvstore.model.seed=S} override the counts and the seed.
 */
public abstract class KvStoreModelProperties {
  /** For subclasses. */
  protected KvStoreModelProperties() {}

  /**
   * The store under test.
   *
   * @return the fixture; asked once per test
   */
  protected abstract StoreFixture fixture();

  @Test
  void sequencesAgreeWithTheModel() {
    new ModelChecker(fixture(), getClass().getSimpleName()).check();
  }
}
