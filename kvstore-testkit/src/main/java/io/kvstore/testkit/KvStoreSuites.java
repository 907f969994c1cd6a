package io.kvstore.testkit;

import org.junit.jupiter.api.Nested;

/**
 * Every suite of the kit on one {@link StoreFixture}: the contract ({@link KvStoreContract}), the
 * model-based properties ({@link KvStoreModelProperties}) and the rolling-deploy suite
 * ({@link SchemaEvolutionContract}), each a {@link Nested @Nested} section. An adapter author
 * runs all of them against a new store with one fixture class and this:
 *
 * <pre>{@code
 * class MyStoreTest extends KvStoreSuites {
 *   @Override
 *   protected StoreFixture fixture() {
 *     return new MyStoreFixture();
 *   }
 * }
 * }</pre>
 *
 * <p>To run them over several fixtures (a store with and without a near cache, say), put JUnit's
 * {@code @ParameterizedClass} on the subclass and return the parameter from {@code fixture()}.
 */
public abstract class KvStoreSuites {
  /** For subclasses. */
  protected KvStoreSuites() {}

  /**
   * The store under test.
   *
   * @return the fixture; asked once per test
   */
  protected abstract StoreFixture fixture();

  /** The contract suite on this class's fixture. */
  @Nested
  class Contract extends KvStoreContract {
    @Override
    protected StoreFixture fixture() {
      return KvStoreSuites.this.fixture();
    }
  }

  /** The model-based properties on this class's fixture. */
  @Nested
  class ModelProperties extends KvStoreModelProperties {
    @Override
    protected StoreFixture fixture() {
      return KvStoreSuites.this.fixture();
    }
  }

  /** The rolling-deploy suite on this class's fixture. */
  @Nested
  class SchemaEvolution extends SchemaEvolutionContract {
    @Override
    protected StoreFixture fixture() {
      return KvStoreSuites.this.fixture();
    }
  }
}
