package io.kvstore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvstore.internal.memory.InMemoryBackend;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code update} on a near-cached namespace tries the cached copy first (one round trip when
 * nothing changed), and a stale copy never wins a write. The stale copy is made for certain:
 * a second store writes the same embedded data, and nothing tells the first one's near cache.
 */
class UpdateFromNearCacheTest {
  private final InMemoryBackend data = new InMemoryBackend(Clock.systemUTC());
  private final KvStore store = KvStores.fromBackend(data, InMemoryOptions.defaults());
  private final KvStore other = KvStores.fromBackend(data, InMemoryOptions.defaults());
  private final BlockingKvNamespace<Long> ns = store.namespace(
      NamespaceOptions.builder("n", KvCodec.json(Long.class))
          .nearCache(NearCacheOptions.builder().build()).build()).blocking();
  private final BlockingKvNamespace<String> otherWriter =
      other.namespace(NamespaceOptions.builder("n", KvCodec.utf8()).build()).blocking();

  @AfterEach
  void close() {
    store.close();
    other.close();
  }

  private static Function<Optional<Long>, Optional<Long>> plusOne() {
    return current -> Optional.of(current.orElse(0L) + 1);
  }

  /** Puts {@code value} and reads it into the near cache. */
  private void cached(long value) {
    ns.put("k", value);
    assertEquals(Optional.of(value), ns.get("k"));
    assertEquals(0, KvRoundTrips.count(store, () -> ns.get("k")), "cached");
  }

  @Test
  void anUnchangedCachedValueIsOneRoundTrip() {
    cached(1);
    assertEquals(1, KvRoundTrips.count(store,
        () -> assertEquals(Optional.of(2L), ns.update("k", plusOne()))));
    assertEquals(Optional.of("2"), otherWriter.get("k"));
    assertEquals(Optional.of(2L), ns.get("k"), "the cached copy was dropped");
  }

  @Test
  void aStaleCachedValueNeverWins() {
    cached(1);
    otherWriter.put("k", "5");
    // The guess from 1 is refused by the store; the update then reads 5 and writes 6.
    long trips = KvRoundTrips.count(store,
        () -> assertEquals(Optional.of(6L), ns.update("k", plusOne(),
            UpdateOptions.builder().maxAttempts(1).build())));
    assertEquals(3, trips, "a refused guess, then a read and a write");
    assertEquals(Optional.of("6"), otherWriter.get("k"));
  }

  @Test
  void aStaleCachedValueNeverDeletes() {
    cached(1);
    otherWriter.put("k", "5");
    assertEquals(Optional.of(5L), ns.update("k",
        current -> current.equals(Optional.of(1L)) ? Optional.empty() : current));
    assertEquals(Optional.of("5"), otherWriter.get("k"));
  }

  @Test
  void aCopyThatReEncodesToOtherBytesOnlyCostsTheRead() {
    otherWriter.put("k", " 1");   // valid JSON for 1, but not the bytes the codec writes
    assertEquals(Optional.of(1L), ns.get("k"));
    assertEquals(3, KvRoundTrips.count(store,
        () -> assertEquals(Optional.of(2L), ns.update("k", plusOne()))));
    assertEquals(Optional.of("2"), otherWriter.get("k"));
  }

  @Test
  void aGuessThatChangesNothingAsksTheStore() {
    cached(1);
    otherWriter.put("k", "5");
    assertEquals(Optional.of(5L), ns.update("k", current -> current));
  }
}
