package io.kvstore.testkit;

import io.kvstore.KvRoundTrips;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.KvValidationException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.AssertionFailedError;

/**
 * A JUnit 5 extension that fails a test whose body makes more round trips than its
 * {@link MaxRoundTrips} budget, naming the operations it made:
 *
 * <pre>{@code
 * class DashboardTest {
 *   KvStore store = KvStores.inMemory();
 *   @RegisterExtension KvRoundTripBudget budget = KvRoundTripBudget.of(() -> store);
 *
 *   @Test
 *   @MaxRoundTrips(2)
 *   void dashboardIsBatched() {
 *     new Dashboard(store).load("user-42");
 *   }
 *   // expected at most 2 round trips, but the block made 64:
 *   //   64 x get on namespace 'workout' (64 round trips); batch single reads with getAll ...
 * }
 * }</pre>
 *
 * <p>Only the test method's body is measured, not {@code @BeforeEach} or {@code @AfterEach}
 * methods, so fixtures may write freely. Tests without a budget are not checked. A test that
 * already failed is not failed a second time. The failure is an {@link AssertionFailedError}
 * with the budget as expected and the round trips as actual value, which IDEs show side by side.
 * The counting rules are those of {@link KvRoundTrips#record}.
 *
 * <p>Thread-safe: tests may run in parallel, each with its own budget.
 */
public final class KvRoundTripBudget implements BeforeTestExecutionCallback,
    AfterTestExecutionCallback {
  private final Supplier<? extends KvStore> store;
  private final Map<String, KvRoundTrips.Recorder> running = new ConcurrentHashMap<>();

  private KvRoundTripBudget(Supplier<? extends KvStore> store) {
    this.store = store;
  }

  /**
   * Creates the extension; register it with {@code @RegisterExtension}.
   *
   * @param store supplies the store to watch when each test body starts, so the store may be
   *     opened in {@code @BeforeEach}; it must be opened by {@link KvStores} or an adapter
   *     built on it
   * @return the extension
   * @throws KvValidationException if {@code store} is null
   */
  public static KvRoundTripBudget of(Supplier<? extends KvStore> store) {
    if (store == null) {
      throw new KvValidationException("store", "store supplier must not be null");
    }
    return new KvRoundTripBudget(store);
  }

  /**
   * Starts recording if the test has a budget.
   *
   * @param context the test
   * @throws KvValidationException if the budget is negative, or the store is null or was not
   *     opened by kvstore
   */
  @Override
  public void beforeTestExecution(ExtensionContext context) {
    Optional<MaxRoundTrips> budget = budget(context);
    if (budget.isEmpty()) {
      return;
    }
    if (budget.get().value() < 0) {
      throw new KvValidationException("MaxRoundTrips", "@MaxRoundTrips(" + budget.get().value()
          + ") on " + context.getDisplayName() + ": the budget must be >= 0");
    }
    running.put(context.getUniqueId(), KvRoundTrips.Recorder.start(store.get()));
  }

  /**
   * Stops recording and fails the test if it made more round trips than its budget.
   *
   * @param context the test
   * @throws AssertionFailedError if the test body made more round trips than its budget
   */
  @Override
  public void afterTestExecution(ExtensionContext context) {
    KvRoundTrips.Recorder recorder = running.remove(context.getUniqueId());
    if (recorder == null) {
      return;
    }
    recorder.stop();
    if (context.getExecutionException().isPresent()) {
      return;
    }
    long budget = budget(context).orElseThrow().value();
    KvRoundTrips.Recording recording = recorder.recording();
    if (recording.roundTrips() > budget) {
      throw new AssertionFailedError(KvRoundTrips.overBudget(budget, recording), budget,
          recording.roundTrips());
    }
  }

  private static Optional<MaxRoundTrips> budget(ExtensionContext context) {
    Optional<MaxRoundTrips> onMethod =
        AnnotationSupport.findAnnotation(context.getTestMethod(), MaxRoundTrips.class);
    return onMethod.isPresent() ? onMethod
        : AnnotationSupport.findAnnotation(context.getTestClass(), MaxRoundTrips.class);
  }
}
