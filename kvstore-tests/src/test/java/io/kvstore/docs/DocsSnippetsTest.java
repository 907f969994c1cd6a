package io.kvstore.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.CounterOptions;
import io.kvstore.DecodeFailure;
import io.kvstore.InMemoryOptions;
import io.kvstore.JsonOptions;
import io.kvstore.KvCodec;
import io.kvstore.KvCount;
import io.kvstore.KvEntry;
import io.kvstore.KvEvent;
import io.kvstore.KvListener;
import io.kvstore.KvNamespace;
import io.kvstore.KvResult;
import io.kvstore.KvRoundTrips;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.KvSwap;
import io.kvstore.KvValuePage;
import io.kvstore.KvVersion;
import io.kvstore.KvVersioned;
import io.kvstore.ListOptions;
import io.kvstore.NamespaceOptions;
import io.kvstore.NearCacheOptions;
import io.kvstore.ObservabilityOptions;
import io.kvstore.PutOptions;
import io.kvstore.SchemaOptions;
import io.kvstore.SimulatedEdge;
import io.kvstore.TtlPolicy;
import io.kvstore.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The code blocks of docs/: each region between {@code tag::name[]} and {@code end::name[]} is
 * copied into a page and checked against it by {@link DocsTest}; each test runs its region on
 * the embedded store and checks what the page says it does.
 */
class DocsSnippetsTest {
  /** The value type the pages use. */
  public record Workout(String user, int week, int day) {}

  private final List<KvStore> stores = new ArrayList<>();

  @AfterEach
  void close() {
    stores.forEach(KvStore::close);
  }

  private KvStore open(KvStore store) {
    stores.add(store);
    return store;
  }

  private KvNamespace<Workout> workouts(KvStore store) {
    KvNamespace<Workout> workouts =
        store.namespace(NamespaceOptions.builder("workout", Workout.class).build());
    for (int w = 1; w <= 8; w++) {
      for (int d = 1; d <= 8; d++) {
        workouts.blocking().put(String.format("user-42:w%02d:d%d", w, d), new Workout("user-42", w, d));
      }
    }
    return workouts;
  }

  /** A per-user summary, the record {@code update} is for. */
  public record Summary(int completed, int streak) {}

  @Test
  void conditionalWrites() {
    KvStore store = open(KvStores.inMemory());
    KvNamespace<Summary> summaries =
        store.namespace(NamespaceOptions.builder("summary", Summary.class).build());
    // tag::conditional-writes[]
    Optional<Summary> after = summaries.update("user-42", current -> {
      Summary s = current.orElse(new Summary(0, 0));
      return Optional.of(new Summary(s.completed() + 1, s.streak() + 1));
    }).join();                                       // retried if another writer got in between

    KvVersioned<Summary> read = summaries.getVersioned("user-42").join().orElseThrow();
    KvSwap outcome = summaries.replace("user-42", read.version(),
        new Summary(read.value().completed(), 0)).join();   // APPLIED, CHANGED or MISSING
    String etag = read.version().toString();         // 40 hex characters, e.g. for an ETag
    // end::conditional-writes[]
    assertEquals(Optional.of(new Summary(1, 1)), after);
    assertEquals(KvSwap.APPLIED, outcome);
    assertEquals(KvSwap.CHANGED, summaries.deleteIf("user-42", KvVersion.of(etag)).join());
  }

  @Test
  void counters() {
    KvStore store = open(KvStores.inMemory());
    // tag::counters[]
    KvNamespace<Long> hits = store.namespace(NamespaceOptions
        .builder("hits", KvCodec.json(Long.class))
        .ttl(TtlPolicy.fixed(Duration.ofMinutes(1))).build());   // a rate-limit window
    KvCount hit = hits.increment("user-42", 1, CounterOptions.atMost(100)).join();
    if (!hit.applied()) {
      // over the limit: nothing was counted; hit.value() is 100
    }
    long left = hits.increment("quota:user-42", -1).join();   // a negative delta decrements
    Optional<Long> now = hits.get("user-42").join();          // counters read as numbers
    // end::counters[]
    assertEquals(new KvCount(1, true), hit);
    assertEquals(-1, left);
    assertEquals(Optional.of(1L), now);
  }

  @Test
  void readingAndWriting() {
    KvStore store = open(KvStores.inMemory());
    KvNamespace<Workout> workouts = workouts(store);
    List<String> keys = List.of("user-42:w01:d1", "user-42:w01:d2", "user-42:w99:d1");
    long roundTrips = KvRoundTrips.count(store, () -> {
      // tag::batch[]
      Map<String, Workout> found = workouts.getAll(keys).join();   // one round trip, input order,
                                                                   // missing keys left out
      Map<String, KvResult<Workout>> each = workouts.getAllResults(keys).join();
      each.forEach((key, result) -> {
        if (result instanceof KvResult.Found<Workout> f) {
          System.out.println(key + " " + f.value());
        } else if (result instanceof KvResult.Failed<Workout> e) {
          System.out.println(key + " did not decode: " + e.error().getMessage());
        }                                                        // else KvResult.Missing
      });
      workouts.putAll(Map.of("user-42:w02:d1", new Workout("user-42", 2, 1),
          "user-42:w02:d2", new Workout("user-42", 2, 2))).join();   // one round trip
      long deleted = workouts.deleteAll(List.of("user-42:w02:d1", "user-42:w02:d2")).join();
      // end::batch[]
      assertEquals(2, found.size());
      assertEquals(3, each.size());
      assertEquals(2, deleted);
    });
    assertEquals(4, roundTrips);
  }

  @Test
  void listing() {
    KvStore store = open(KvStores.inMemory());
    KvNamespace<Workout> workouts = workouts(store);
    // tag::pages[]
    ListOptions first = ListOptions.prefix("user-42:").limit(20);
    KvValuePage<Workout> page = workouts.listValues(first).join();   // keys and values, 1-2 round trips
    int listed = page.entries().size();
    while (!page.complete()) {
      page = workouts.listValues(first.cursor(page.cursor().orElseThrow())).join();
      listed += page.entries().size();
    }
    // or all pages, lazily, on the blocking view:
    try (Stream<KvEntry<Workout>> all = workouts.blocking().scanValues("user-42:")) {
      all.forEach(e -> System.out.println(e.key() + " " + e.value()));
    }
    // end::pages[]
    assertEquals(64, listed);
  }

  @Test
  void ttl() {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    KvStore store = open(KvStores.inMemory(InMemoryOptions.builder().clock(clock).build()));
    Workout workout = new Workout("user-42", 1, 1);
    // tag::ttl[]
    KvNamespace<Workout> done = store.namespace(NamespaceOptions.builder("workout", Workout.class)
        .ttl(TtlPolicy.fixed(Duration.ofDays(180)).withJitter(0.1))   // the default of every put
        .build());
    done.put("user-42:w01:d1", workout).join();                                  // 162-180 days
    done.put("user-42:draft", workout, PutOptions.ttl(Duration.ofHours(1))).join();   // this one
    done.put("user-42:w01:d1", workout, PutOptions.keepTtl()).join();            // TTL unchanged
    boolean first = done.putIfAbsent("user-42:w01:d2", workout, PutOptions.defaults()).join();
    // end::ttl[]
    assertTrue(first);
    clock.advance(Duration.ofHours(2));
    assertFalse(done.blocking().get("user-42:draft").isPresent());
    assertTrue(done.blocking().get("user-42:w01:d1").isPresent());
    clock.advance(Duration.ofDays(199));
    assertFalse(done.blocking().get("user-42:w01:d1").isPresent());
  }

  @Test
  void ttlTestsMoveAClockInsteadOfSleeping() {
    // tag::clock[]
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    KvStore store = KvStores.inMemory(InMemoryOptions.builder()
        .simulatedEdge(SimulatedEdge.latency(Duration.ofMillis(20)).withMaxConcurrentRequests(6))
        .clock(clock)
        .build());
    KvNamespace<String> notes = store.namespace(NamespaceOptions.builder("note", String.class)
        .build());
    notes.put("ada", "stretch first", PutOptions.ttl(Duration.ofDays(30))).join();
    clock.advance(Duration.ofDays(31));   // the value has expired, no sleep
    // end::clock[]
    open(store);
    assertFalse(notes.blocking().get("ada").isPresent());
  }

  @Test
  void nearCache() {
    KvStore store = open(KvStores.inMemory());
    workouts(store);
    // tag::near-cache[]
    KvNamespace<Workout> cached = store.namespace(NamespaceOptions.builder("workout", Workout.class)
        .nearCache(NearCacheOptions.builder()
            .maximumSize(10_000)                       // entries
            .maximumBytes(64L * 1024 * 1024)           // encoded bytes, whichever comes first
            .expireAfterWrite(Duration.ofSeconds(60))  // the only hard bound on staleness
            .build())
        .build());
    // end::near-cache[]
    List<String> keys = List.of("user-42:w01:d1", "user-42:w01:d2");
    assertEquals(1, KvRoundTrips.count(store, () -> cached.blocking().getAll(keys)));
    assertEquals(0, KvRoundTrips.count(store, () -> cached.blocking().getAll(keys)));
  }

  @Test
  void coalescing() {
    // tag::coalescing[]
    KvStore store = KvStores.inMemory(InMemoryOptions.builder()
        .simulatedEdge(SimulatedEdge.latency(Duration.ofMillis(20))   // an edge store
            .withMaxConcurrentRequests(6))
        .build());                                  // coalesced gets: on, as on every store
    // end::coalescing[]
    open(store);
    KvNamespace<Workout> workouts = workouts(store);
    List<String> keys = workouts.blocking().scanValues("user-42:").map(KvEntry::key).toList();
    long roundTrips = KvRoundTrips.count(store, () -> {
      // tag::burst[]
      List<CompletableFuture<Optional<Workout>>> gets = keys.stream().map(workouts::get).toList();
      CompletableFuture.allOf(gets.toArray(CompletableFuture[]::new)).join();  // not 64 requests
      // end::burst[]
    });
    // On this edge a burst often leaves in parts: each of the 6 request slots may take a first
    // part while this thread is still issuing it, then the rest leaves as one (7), and a thread
    // stalled for a whole 20 ms round trip mid-burst (a loaded machine) lets a few more go.
    // Never one request per get (docs/coalescing.md gives the measured split counts).
    assertTrue(roundTrips < keys.size() / 4, roundTrips + " round trips for " + keys.size()
        + " gets");
  }

  @Test
  void schemaEvolution() {
    KvStore store = open(KvStores.inMemory());
    store.namespace(NamespaceOptions.builder("workout", OldCompletion.class).build())
        .blocking().put("ada:w07", new OldCompletion("ada", 7));
    // tag::versioned[]
    record Completion(String user, int weekNumber, Optional<String> coachNote) {} // version 3

    SchemaOptions schema = SchemaOptions.version(3)
        .migrate(1, v -> {                              // 1 -> 2: release 2 added a note
          v.put("coachNote", "none");
          return v;
        })
        .migrate(2, v -> {                              // 2 -> 3: week became weekNumber
          v.put("weekNumber", v.remove("week"));
          return v;
        })
        .readRepair(true)             // optional: write migrated values back (off by default)
        .build();
    KvNamespace<Completion> done = store.namespace(NamespaceOptions.builder("workout",
            KvCodec.json(Completion.class, JsonOptions.builder().schema(schema).build()))
        .onDecodeFailure(DecodeFailure.MISS)  // optional: unreadable values read as misses
        .build());
    // end::versioned[]
    assertEquals(new Completion("ada", 7, Optional.of("none")),
        done.blocking().get("ada:w07").orElseThrow());
  }

  /** What release 1 wrote. */
  public record OldCompletion(String user, int week) {}

  @Test
  void observability() {
    List<KvEvent> events = new CopyOnWriteArrayList<>();
    // tag::listener[]
    KvStore store = KvStores.inMemory(InMemoryOptions.builder()
        .observability(ObservabilityOptions.builder()
            .listener(KvListener.of(events::add))           // one KvEvent per logical operation
            .slowOperationThresholds(Duration.ofMillis(100), Duration.ofMillis(500))
            .sequentialGetDetector()                        // warns about gets in a loop
            .build())
        .build());
    // end::listener[]
    open(store);
    KvNamespace<Workout> workouts = workouts(store);
    workouts.blocking().getAll(IntStream.rangeClosed(1, 8)
        .mapToObj(d -> "user-42:w01:d" + d).toList());
    KvEvent last = events.get(events.size() - 1);
    assertEquals(8, last.keyCount());
    assertEquals(1, last.roundTrips());
  }
}
