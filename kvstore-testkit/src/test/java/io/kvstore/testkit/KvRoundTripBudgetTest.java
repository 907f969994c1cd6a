package io.kvstore.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.KvValidationException;
import io.kvstore.NamespaceOptions;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.opentest4j.AssertionFailedError;

/**
 * The JUnit 5 round-trip budget. The tests annotated {@link MaxRoundTrips} run under the real
 * extension registered below and pass within their budget; the failure paths drive the extension
 * through a minimal {@link ExtensionContext}, since a failing test cannot be asserted on from
 * inside JUnit without the platform test kit.
 */
class KvRoundTripBudgetTest {
  private KvStore store;
  private KvNamespace<String> workouts;
  private final List<String> keys = new ArrayList<>();

  @RegisterExtension
  final KvRoundTripBudget budget = KvRoundTripBudget.of(() -> store);

  @BeforeEach
  void open() {
    store = KvStores.inMemory();
    workouts = store.namespace(NamespaceOptions.builder("workout", KvCodec.utf8()).build());
    Map<String, String> data = new LinkedHashMap<>();
    for (int i = 0; i < 64; i++) {
      String key = "user-42:w" + (1 + i / 4) + ":d" + (1 + i % 4);
      data.put(key, "done");
      keys.add(key);
    }
    workouts.blocking().putAll(data);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  @MaxRoundTrips(1)
  void aBatchedReadFitsItsBudgetAndFixturesDoNotCount() {
    assertEquals(64, workouts.blocking().getAll(keys).size());
  }

  // ---- the extension driven by hand, for the failure paths ----

  /** Test methods the fake contexts point at; never run by JUnit (no @Test). */
  static final class Fixtures {
    @MaxRoundTrips(2)
    void budgetOfTwo() {}

    void noBudget() {}

    @MaxRoundTrips(-1)
    void negativeBudget() {}
  }

  /** Fixtures whose budget comes from the class. */
  @MaxRoundTrips(0)
  static final class ClassBudget {
    void inherits() {}
  }

  private static ExtensionContext context(Class<?> testClass, String method, Throwable failure)
      throws NoSuchMethodException {
    Method m = testClass.getDeclaredMethod(method);
    return (ExtensionContext) Proxy.newProxyInstance(ExtensionContext.class.getClassLoader(),
        new Class<?>[] {ExtensionContext.class}, (proxy, called, args) -> {
          switch (called.getName()) {
            case "getTestMethod": return Optional.of(m);
            case "getTestClass": return Optional.of(testClass);
            case "getUniqueId": return "[test:" + method + "]";
            case "getDisplayName": return method + "()";
            case "getExecutionException": return Optional.ofNullable(failure);
            default: throw new UnsupportedOperationException(called.getName());
          }
        });
  }

  private void runUnder(KvRoundTripBudget extension, ExtensionContext context, Runnable body) {
    extension.beforeTestExecution(context);
    body.run();
    extension.afterTestExecution(context);
  }

  private void sixtyFourGets() {
    keys.forEach(k -> workouts.blocking().get(k));
  }

  @Test
  void aTestOverItsBudgetFailsNamingTheOperations() throws Exception {
    KvRoundTripBudget extension = KvRoundTripBudget.of(() -> store);
    AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> runUnder(
        extension, context(Fixtures.class, "budgetOfTwo", null), this::sixtyFourGets));
    assertEquals("expected at most 2 round trips, but the block made 64:"
        + " 64 x get on namespace 'workout' (64 round trips);"
        + " batch single reads with getAll or listValues (gets awaited one at a time cannot be"
        + " coalesced)", e.getMessage());
    assertEquals(2L, e.getExpected().getValue());
    assertEquals(64L, e.getActual().getValue());

    runUnder(extension, context(Fixtures.class, "budgetOfTwo", null),
        () -> workouts.blocking().getAll(keys));
  }

  @Test
  void theClassBudgetAppliesToMethodsWithoutOne() throws Exception {
    KvRoundTripBudget extension = KvRoundTripBudget.of(() -> store);
    AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> runUnder(
        extension, context(ClassBudget.class, "inherits", null), () -> store.ping().join()));
    assertEquals("expected at most 0 round trips, but the block made 1:"
        + " 1 x ping (1 round trip)", e.getMessage());
  }

  @Test
  void testsWithoutABudgetOrAlreadyFailedAreLeftAlone() throws Exception {
    KvRoundTripBudget extension = KvRoundTripBudget.of(() -> store);
    runUnder(extension, context(Fixtures.class, "noBudget", null), this::sixtyFourGets);
    runUnder(extension, context(Fixtures.class, "budgetOfTwo", new AssertionError("first")),
        this::sixtyFourGets);
  }

  @Test
  void badConfigurationFailsTheTestBeforeItsBody() throws Exception {
    KvRoundTripBudget extension = KvRoundTripBudget.of(() -> store);
    KvValidationException negative = assertThrows(KvValidationException.class,
        () -> extension.beforeTestExecution(context(Fixtures.class, "negativeBudget", null)));
    assertEquals("@MaxRoundTrips(-1) on negativeBudget(): the budget must be >= 0",
        negative.getMessage());
    KvRoundTripBudget noStore = KvRoundTripBudget.of(() -> null);
    assertThrows(KvValidationException.class,
        () -> noStore.beforeTestExecution(context(Fixtures.class, "budgetOfTwo", null)));
    assertThrows(KvValidationException.class, () -> KvRoundTripBudget.of(null));
  }
}
