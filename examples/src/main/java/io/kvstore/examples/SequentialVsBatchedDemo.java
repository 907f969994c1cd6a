package io.kvstore.examples;

import ch.qos.logback.classic.Level;
import io.kvstore.InMemoryOptions;
import io.kvstore.KvListener;
import io.kvstore.KvNamespace;
import io.kvstore.KvRoundTrips;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.ListOptions;
import io.kvstore.NamespaceOptions;
import io.kvstore.ObservabilityOptions;
import io.kvstore.SimulatedEdge;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.LoggerFactory;

/**
 * The problem kvstore exists for, in one run: 64 workout records on a simulated edge store
 * (20 ms per round trip, at most 6 requests in flight), read five ways: a loop that awaits each
 * get, 64 gets issued together (coalesced into one request: on by default), the same with
 * coalescing off, {@code getAll} and {@code listValues}.
 *
 * <p>Run, after {@code ./mvnw -B -ntp install -DskipTests}: {@code java -cp
 * examples/target/kvstore-examples.jar io.kvstore.examples.SequentialVsBatchedDemo} (a few
 * seconds; {@code exec:java} would spend half a minute in Maven first).
 *
 * <p>The coalesced burst is warmed up first, unmeasured: in a fresh JVM the first bursts, issued
 * by code the JIT has not compiled yet, leave in a few requests (see docs/coalescing.md).
 *
 * <p>With coalescing off, the parallel gets wait for one of the 6 request slots, so most of them
 * take longer than the slow-operation log's 100 ms: kvstore would log each one at WARN. The demo counts them and says
 * so in one line under the table instead; {@code --slow-log} shows the lines themselves.
 */
public final class SequentialVsBatchedDemo {
  /**
   * A completed workout.
   *
   * @param user the user
   * @param week the program week
   * @param day the day of the week
   * @param completedAt when
   */
  public record Completion(String user, int week, int day, Instant completedAt) {}

  private SequentialVsBatchedDemo() {}

  /**
   * Runs the demo.
   *
   * @param args {@code --slow-log} to print kvstore's slow-operation log lines as well
   */
  public static void main(String[] args) {
    Duration rtt = Duration.ofMillis(20);
    boolean slowLog = Arrays.asList(args).contains("--slow-log");
    if (!slowLog) {
      ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.kvstore.SlowOperations"))
          .setLevel(Level.OFF);
    }
    Duration slow = ObservabilityOptions.defaults().slowOperationWarn();
    LongAdder slowOperations = new LongAdder();
    KvListener countSlow = KvListener.of(e -> {
      if (e.duration().compareTo(slow) > 0) {
        slowOperations.increment();
      }
    });
    try (KvStore store = KvStores.inMemory(InMemoryOptions.builder()
        .simulatedEdge(SimulatedEdge.latency(rtt).withMaxConcurrentRequests(6))
        .observability(ObservabilityOptions.builder().listener(countSlow).build())
        .build())) {
      KvNamespace<Completion> done = store.namespace(
          NamespaceOptions.builder("workout", Completion.class).build());
      KvNamespace<Completion> uncoalesced = store.namespace(
          NamespaceOptions.builder("workout", Completion.class).coalesceGets(false).build());
      Map<String, Completion> program = new LinkedHashMap<>();
      for (int week = 1; week <= 16; week++) {
        for (int day = 1; day <= 4; day++) {
          program.put(String.format("user-42:w%02d:d%d", week, day),
              new Completion("user-42", week, day, Instant.now()));
        }
      }
      done.blocking().putAll(program);
      List<String> keys = new ArrayList<>(program.keySet());
      // As in a service that has been running a while: before the JIT compiles the get path,
      // issuing a burst is slow enough for it to leave in a few requests instead of one.
      for (int i = 0; i < 20; i++) {
        parallel(done, keys);
      }
      slowOperations.reset();

      System.out.printf("64 workout records, %d ms per round trip, 6 requests in flight%n%n",
          rtt.toMillis());
      measure(store, "sequential get() in a loop", () -> {
        for (String key : keys) {
          done.get(key).join();
        }
      });
      measure(store, "64 parallel get() + allOf", () -> parallel(done, keys));
      measure(store, "  the same, coalescing off", () -> parallel(uncoalesced, keys));
      measure(store, "getAll(keys)", () -> done.getAll(keys).join());
      measure(store, "listValues(prefix)",
          () -> done.listValues(ListOptions.prefix("user-42:")).join());
    }
    if (slowOperations.sum() > 0 && !slowLog) {
      System.out.printf("%n%d operations took over %d ms (parallel gets with coalescing off wait for"
          + " the 6 request slots): kvstore's slow-operation log would warn about each (muted here; --slow-log"
          + " shows them)%n", slowOperations.sum(), slow.toMillis());
    }
  }

  private static void parallel(KvNamespace<Completion> ns, List<String> keys) {
    List<CompletableFuture<Optional<Completion>>> gets = keys.stream().map(ns::get).toList();
    CompletableFuture.allOf(gets.toArray(CompletableFuture[]::new)).join();
  }

  private static void measure(KvStore store, String label, Runnable block) {
    long start = System.nanoTime();
    long trips = KvRoundTrips.count(store, block);
    System.out.printf("%-30s %4d round trips %6d ms%n", label, trips,
        (System.nanoTime() - start) / 1_000_000);
  }
}
