package io.kvstore.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kvstore.BlockingKvNamespace;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.KvValidationException;
import io.kvstore.ListOptions;
import io.kvstore.NamespaceOptions;
import io.kvstore.testkit.KvStoreContract.Sample;
import io.kvstore.testkit.internal.Fixtures;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.function.Executable;

/**
 * What every section of {@link KvStoreContract} shares: the store under test, opened from the
 * fixture before each test and closed after it, and the namespaces and samples the tests write.
 *
 * <p>Each section is a package-private abstract class of its own ({@code GetAndPutSection},
 * {@code ExpirySection}, ...) that {@link KvStoreContract} runs as a thin {@code @Nested} class
 * naming the contract's fixture, the way Micrometer's {@code MeterRegistryCompatibilityKit} nests
 * {@code CounterTest} and its siblings: a section is read in one file, and an adapter author
 * still sees one contract with one hook. Not thread-safe: JUnit creates one instance per test.
 */
abstract class ContractSection {
  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  /** The fixture of the running test. */
  StoreFixture fixture;

  /** The store the running test works on; the section closes it after the test. */
  KvStore store;

  /**
   * The store under test: the enclosing contract's fixture.
   *
   * @return the fixture; asked once per test
   */
  abstract StoreFixture fixture();

  @BeforeEach
  void openStoreUnderTest() {
    Fixtures.requireJUnit();
    fixture = fixture();
    store = fixture.open();
  }

  @AfterEach
  void closeStoreUnderTest() {
    if (store != null) {
      store.close();
    }
  }

  /** The fixture's options for a namespace, on top of what the test chose. */
  <V> NamespaceOptions.Builder<V> configure(NamespaceOptions.Builder<V> builder) {
    return fixture.configure(builder);
  }

  /** Opens a namespace of samples that no other test uses. */
  KvNamespace<Sample> workouts() {
    return store.namespace(
        configure(NamespaceOptions.builder(uniqueName("workout"), Sample.class)).build());
  }

  /** Returns a namespace name no other test uses. */
  static String uniqueName(String base) {
    return base + "-" + ProcessHandle.current().pid() + "-" + NAMESPACES.incrementAndGet();
  }

  /** A user's first {@code count} samples, by key, in key order. */
  static Map<String, Sample> workoutsOf(String user, int count) {
    Map<String, Sample> map = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      Sample w = Sample.of(user, i / 4 + 1, i % 4 + 1);
      map.put(w.key(), w);
    }
    return map;
  }

  /** The expiration a listing reports for a key the namespace holds. */
  static Optional<Instant> expiration(BlockingKvNamespace<?> ns, String key) {
    return ns.list(ListOptions.prefix(key)).keys().stream().filter(k -> k.key().equals(key))
        .findFirst().orElseThrow().expiration();
  }

  /** Asserts that a call fails with a validation error naming an argument. */
  static KvValidationException assertValidation(String argument, Executable call) {
    KvValidationException e = assertThrows(KvValidationException.class, call);
    assertEquals(argument, e.argument(), e.getMessage());
    return e;
  }
}
