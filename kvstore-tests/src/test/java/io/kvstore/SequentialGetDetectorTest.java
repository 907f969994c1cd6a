package io.kvstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.kvstore.testkit.MutableClock;
import io.kvstore.testing.Workout;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sequential-get detector warns once per call site and minute when one thread reads a
 * namespace key by key, and stays silent for batches, alternating namespaces, interrupted runs
 * and when it is off. Time is a {@link MutableClock}: nothing sleeps.
 */
class SequentialGetDetectorTest {
  private static final int THRESHOLD = 10;
  private static final Duration WINDOW = Duration.ofSeconds(1);

  private final LogCapture log = new LogCapture("io.kvstore.SequentialGets");
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T07:30:00Z"));
  private KvStore store;
  private KvNamespace<Workout> workouts;
  private KvNamespace<Workout> plans;
  private final List<String> keys = new ArrayList<>();

  @BeforeEach
  void open() {
    open(ObservabilityOptions.builder().sequentialGetDetector(THRESHOLD, WINDOW).build());
  }

  private void open(ObservabilityOptions observability) {
    if (store != null) {
      store.close();
    }
    // Coalescing on: the detector must still catch loops that await each get, and say why.
    store = KvStores.inMemory(InMemoryOptions.builder().clock(clock).coalesceGets(true)
        .observability(observability).build());
    workouts = store.namespace(NamespaceOptions.builder("workout", Workout.class).build());
    plans = store.namespace(NamespaceOptions.builder("plan", Workout.class).build());
    Map<String, Workout> data = new LinkedHashMap<>();
    keys.clear();
    for (int i = 0; i < 64; i++) {
      Workout w = Workout.of("user-42", 1 + i / 4, 1 + i % 4);
      data.put(w.key(), w);
      keys.add(w.key());
    }
    workouts.blocking().putAll(data);
    plans.blocking().putAll(data);
  }

  @AfterEach
  void close() {
    store.close();
    log.close();
  }

  private List<LogCapture.Line> warnings() {
    return log.linesContaining("single gets in a row");
  }

  /** One call site for the rate-limit tests. */
  private void readOneByOne(KvNamespace<Workout> ns) {
    for (String key : keys) {
      ns.blocking().get(key);
    }
  }

  @Test
  void warnsOnceForALoopOf64GetsNamingTheCallSiteAndTheFix() {
    for (String key : keys) {
      workouts.blocking().get(key);
    }
    List<LogCapture.Line> lines = warnings();
    assertEquals(1, lines.size(), lines::toString);
    assertEquals(Level.WARN, lines.get(0).level());
    String line = lines.get(0).message();
    String site = "io.kvstore.SequentialGetDetectorTest"
        + ".warnsOnceForALoopOf64GetsNamingTheCallSiteAndTheFix(SequentialGetDetectorTest.java:";
    assertTrue(Pattern.matches("10 single gets in a row on namespace 'workout' from thread '"
        + Pattern.quote(Thread.currentThread().getName()) + "' at " + Pattern.quote(site)
        + "\\d+\\), each a round trip of its own \\(each was awaited before the next was"
        + " issued, and gets awaited one at a time cannot be coalesced\\); read the keys with"
        + " one getAll"
        + " \\(or listValues for a prefix\\) to save 9 round trips", line), line);
    assertFalse(line.contains("user-42"), line);
    assertFalse(line.contains("squat"), line);
  }

  /**
   * Reopens the store with a simulated round trip, so that a get issued without waiting is
   * still in flight when the next one starts, as on a network.
   */
  private void openWithLatency() {
    store.close();
    store = KvStores.inMemory(InMemoryOptions.builder().clock(clock).coalesceGets(true)
        .simulatedEdge(SimulatedEdge.latency(Duration.ofMillis(20)))
        .observability(ObservabilityOptions.builder().sequentialGetDetector(THRESHOLD, WINDOW)
            .build()).build());
    workouts = store.namespace(NamespaceOptions.builder("workout", Workout.class).build());
    plans = store.namespace(NamespaceOptions.builder("plan", Workout.class)
        .coalesceGets(false).build());
  }

  @Test
  void countsGetsIssuedInParallelFromOneThreadWhenTheNamespaceDoesNotCoalesce() {
    openWithLatency();
    CompletableFuture.allOf(keys.stream().map(plans::get).toArray(CompletableFuture[]::new))
        .join();
    List<LogCapture.Line> lines = warnings();
    assertEquals(1, lines.size(), lines::toString);
    assertTrue(lines.get(0).message().contains(" at io.kvstore.SequentialGetDetectorTest"
        + ".countsGetsIssuedInParallelFromOneThreadWhenTheNamespaceDoesNotCoalesce("
        + "SequentialGetDetectorTest.java:"),
        "the call site is the caller's line, not the stream's: " + lines.get(0).message());
    assertTrue(lines.get(0).message().contains(", each a round trip of its own; read the keys"
        + " with one getAll"), lines.get(0).message());
  }

  @Test
  void silentOnGetsIssuedTogetherThatCoalesce() {
    openWithLatency();
    long trips = KvRoundTrips.count(store, () -> CompletableFuture.allOf(
        keys.stream().map(workouts::get).toArray(CompletableFuture[]::new)).join());
    assertTrue(trips < keys.size(), trips + " round trips");
    assertEquals(List.of(), warnings());
  }

  @Test
  void aLoopThatAwaitsEachGetIsCaughtAndToldItCannotBeCoalesced() {
    openWithLatency();
    for (String key : keys.subList(0, THRESHOLD)) {
      workouts.get(key).join();
    }
    List<LogCapture.Line> lines = warnings();
    assertEquals(1, lines.size(), lines::toString);
    assertTrue(lines.get(0).message().contains("gets awaited one at a time cannot be coalesced);"
        + " read the keys with one getAll"), lines.get(0).message());
  }

  @Test
  void silentOnGetAll() {
    workouts.blocking().getAll(keys);
    workouts.blocking().listValues(ListOptions.prefix("user-42:"));
    assertEquals(List.of(), warnings());
  }

  @Test
  void silentWhenNamespacesAlternate() {
    for (String key : keys) {
      workouts.blocking().get(key);
      plans.blocking().get(key);
    }
    assertEquals(List.of(), warnings());
  }

  @Test
  void silentWhenABatchBreaksEveryRun() {
    for (int i = 0; i < keys.size(); i++) {
      workouts.blocking().get(keys.get(i));
      if (i % (THRESHOLD - 1) == THRESHOLD - 2) {
        switch (i / (THRESHOLD - 1) % 3) {
          case 0 -> workouts.blocking().getAll(keys.subList(0, 2));
          case 1 -> workouts.blocking().listValues(ListOptions.prefix("user-42:w01"));
          default -> workouts.blocking().putAll(Map.of(keys.get(0), Workout.of("user-42", 1, 1)));
        }
      }
    }
    assertEquals(List.of(), warnings());
  }

  @Test
  void silentWhenGetsAreFurtherApartThanTheWindow() {
    for (String key : keys) {
      workouts.blocking().get(key);
      clock.advance(WINDOW.plusMillis(1));
    }
    assertEquals(List.of(), warnings());
  }

  @Test
  void silentWhenOff() {
    open(ObservabilityOptions.defaults());
    readOneByOne(workouts);
    assertEquals(List.of(), warnings());
  }

  @Test
  void threadsKeepRunsOfTheirOwn() throws Exception {
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      for (int i = 0; i < THRESHOLD - 1; i++) {
        String key = keys.get(i);
        workouts.blocking().get(key);
        other.submit(() -> workouts.blocking().get(key)).get();
      }
    } finally {
      other.shutdown();
    }
    assertEquals(List.of(), warnings());
  }

  @Test
  void warnsOncePerCallSiteAndMinute() {
    readOneByOne(workouts);
    workouts.blocking().getAll(keys);
    readOneByOne(workouts);
    clock.advance(Duration.ofSeconds(59));
    readOneByOne(plans);
    assertEquals(1, warnings().size(), () -> warnings().toString());

    clock.advance(Duration.ofSeconds(1));
    readOneByOne(workouts);
    assertEquals(2, warnings().size(), () -> warnings().toString());

    workouts.blocking().getAll(keys);
    for (String key : keys) {
      workouts.blocking().get(key);
    }
    assertEquals(3, warnings().size(), "another call site warns on its own");
  }

  @Test
  void optionsAreValidated() {
    assertThrows(KvValidationException.class,
        () -> ObservabilityOptions.builder().sequentialGetDetector(1, WINDOW));
    assertThrows(KvValidationException.class,
        () -> ObservabilityOptions.builder().sequentialGetDetector(2, Duration.ZERO));
    assertThrows(KvValidationException.class,
        () -> ObservabilityOptions.builder().sequentialGetDetector(2, null));
    ObservabilityOptions off = ObservabilityOptions.defaults();
    assertFalse(off.sequentialGetDetector());
    assertEquals(0, off.sequentialGetThreshold());
    ObservabilityOptions on = ObservabilityOptions.builder().sequentialGetDetector().build();
    assertEquals(ObservabilityOptions.DEFAULT_SEQUENTIAL_GET_THRESHOLD,
        on.toBuilder().build().sequentialGetThreshold());
    assertEquals(ObservabilityOptions.DEFAULT_SEQUENTIAL_GET_WINDOW,
        on.sequentialGetWindow());
  }
}
