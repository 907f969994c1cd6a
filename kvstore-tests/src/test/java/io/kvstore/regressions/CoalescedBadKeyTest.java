package io.kvstore.regressions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.KvValidationException;
import io.kvstore.Listing;
import io.kvstore.NamespaceOptions;
import io.kvstore.TtlPolicy;
import io.kvstore.contract.SharedRedis;
import io.kvstore.redis.RedisKvOptions;
import io.kvstore.redis.RedisKvStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One caller's bad key in a coalesced batch fails that caller alone: the 39 other gets of the
 * batch are answered, whether the adapter refuses the key (a partition function that throws)
 * or Redis does (a key of another type under a sliding TTL).
 */
@ExtendWith(SharedRedis.class)
class CoalescedBadKeyTest {
  private static final int GETS = 40;

  @Test
  void aKeyThePartitionFunctionFailsOnFailsOnlyItsCaller() throws Exception {
    SharedRedis.server().flushAll();
    try (KvStore store = coalescing()) {
      KvNamespace<String> ns = store.namespace(NamespaceOptions.builder("parts", String.class)
          .listing(Listing.indexedBy(key -> {
            if (key.startsWith("bad")) {
              throw new IllegalStateException("no partition");
            }
            return key.substring(0, 1);
          })).build());
      putGood(ns);
      List<CompletableFuture<Optional<String>>> gets = burst(() -> startGets(ns, "bad"));
      assertOnlyTheBadKeyFailed(gets, KvValidationException.class);
    }
  }

  @Test
  void aKeyOfAnotherTypeUnderASlidingTtlFailsOnlyItsCaller() throws Exception {
    SharedRedis.server().flushAll();
    try (KvStore store = coalescing()) {
      KvNamespace<String> ns = store.namespace(NamespaceOptions.builder("sliding", String.class)
          .ttl(TtlPolicy.sliding(Duration.ofMinutes(5))).build());
      putGood(ns);
      SharedRedis.server().process().call("HSET", "sliding:bad", "field", "value");
      List<CompletableFuture<Optional<String>>> gets = burst(() -> startGets(ns, "bad"));
      assertOnlyTheBadKeyFailed(gets, null);
    }
  }

  private static KvStore coalescing() {
    return RedisKvStore.connect(SharedRedis.server().uri(),
        RedisKvOptions.builder().coalesceGets(true).build());
  }

  private static void putGood(KvNamespace<String> ns) {
    for (int i = 0; i < GETS; i++) {
      if (i != GETS / 2) {
        ns.blocking().put("k" + i, "v" + i);
      }
    }
  }

  /** The gets of the burst: "k0".."k39", with the bad key in the middle. */
  private static List<CompletableFuture<Optional<String>>> startGets(KvNamespace<String> ns,
      String bad) {
    List<CompletableFuture<Optional<String>>> gets = new ArrayList<>();
    for (int i = 0; i < GETS; i++) {
      String key = i == GETS / 2 ? bad : "k" + i;
      try {
        gets.add(ns.get(key));
      } catch (KvValidationException e) {
        gets.add(CompletableFuture.failedFuture(e)); // thrown from the call: as good
      }
    }
    return gets;
  }

  /** Issues the gets while the server is paused, so they surely queue behind the first. */
  private static <T> T burst(Supplier<T> issue) {
    SharedRedis.server().process().call("CLIENT", "PAUSE", "300", "ALL");
    return issue.get();
  }

  private static void assertOnlyTheBadKeyFailed(List<CompletableFuture<Optional<String>>> gets,
      Class<? extends Throwable> expected) throws Exception {
    for (int i = 0; i < GETS; i++) {
      CompletableFuture<Optional<String>> get = gets.get(i);
      if (i == GETS / 2) {
        CompletionException e = assertThrows(
            CompletionException.class, get::join);
        if (expected != null) {
          assertInstanceOf(expected, e.getCause());
        }
      } else {
        assertEquals(Optional.of("v" + i), get.get(30, TimeUnit.SECONDS), "get " + i);
      }
    }
  }
}
