package io.kvstore.examples;

import io.kvstore.InMemoryOptions;
import io.kvstore.KvNamespace;
import io.kvstore.KvRoundTrips;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.ListOptions;
import io.kvstore.NamespaceOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The problem kvstore exists for, in one run: 64 workout records on a simulated edge store
 * (20 ms per round trip, at most 6 requests in flight), read four ways.
 *
 * <p>Run: {@code ./mvnw -q -pl examples -am install -DskipTests && ./mvnw -q -pl examples exec:java}
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
   * @param args ignored
   */
  public static void main(String[] args) {
    Duration rtt = Duration.ofMillis(20);
    try (KvStore store = KvStores.inMemory(InMemoryOptions.builder()
        .latency(rtt).maxConcurrentRequests(6).build())) {
      KvNamespace<Completion> done = store.namespace(
          NamespaceOptions.builder("workout", Completion.class).build());
      Map<String, Completion> program = new LinkedHashMap<>();
      for (int week = 1; week <= 16; week++) {
        for (int day = 1; day <= 4; day++) {
          program.put(String.format("user-42:w%02d:d%d", week, day),
              new Completion("user-42", week, day, Instant.now()));
        }
      }
      done.blocking().putAll(program);
      List<String> keys = new ArrayList<>(program.keySet());

      System.out.printf("64 workout records, %d ms per round trip, 6 requests in flight%n%n",
          rtt.toMillis());
      measure(store, "sequential get() in a loop", () -> {
        for (String key : keys) {
          done.get(key).join();
        }
      });
      measure(store, "64 parallel get() + allOf", () -> {
        List<CompletableFuture<Optional<Completion>>> gets = keys.stream().map(done::get).toList();
        CompletableFuture.allOf(gets.toArray(CompletableFuture[]::new)).join();
      });
      measure(store, "getAll(keys)", () -> done.getAll(keys).join());
      measure(store, "listValues(prefix)",
          () -> done.listValues(ListOptions.prefix("user-42:")).join());
    }
  }

  private static void measure(KvStore store, String label, Runnable block) {
    long start = System.nanoTime();
    long trips = KvRoundTrips.count(store, block);
    System.out.printf("%-30s %4d round trips %6d ms%n", label, trips,
        (System.nanoTime() - start) / 1_000_000);
  }
}
