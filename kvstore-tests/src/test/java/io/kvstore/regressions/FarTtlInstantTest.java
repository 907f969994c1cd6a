package io.kvstore.regressions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.KvValidationException;
import io.kvstore.ListOptions;
import io.kvstore.NamespaceOptions;
import io.kvstore.PutOptions;
import io.kvstore.TtlPolicy;
import io.kvstore.contract.SharedRedis;
import io.kvstore.redis.RedisKvStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An expiry instant is held to the bound of every TTL ({@link TtlPolicy#MAX_TTL} from now),
 * checked in the call before anything is sent: {@code Instant.MAX} and the largest epoch
 * millisecond no longer fail later with an arithmetic overflow or list as year +292278994.
 */
@ExtendWith(SharedRedis.class)
class FarTtlInstantTest {
  static Stream<Named<Supplier<KvStore>>> stores() {
    return Stream.of(Named.of("embedded", KvStores::inMemory),
        Named.of("Redis", () -> {
          SharedRedis.server().flushAll();
          return RedisKvStore.connect(SharedRedis.server().uri());
        }));
  }

  @ParameterizedTest
  @MethodSource("stores")
  void instantsBeyondTheTtlBoundAreRejectedInTheCall(Supplier<KvStore> open) {
    try (KvStore store = open.get()) {
      KvNamespace<String> ns = store.namespace(
          NamespaceOptions.builder("far", String.class).build());
      for (Instant far : List.of(Instant.MAX, Instant.ofEpochMilli(Long.MAX_VALUE),
          Instant.now().plus(Duration.ofDays(300 * 365)))) {
        KvValidationException e = assertThrows(KvValidationException.class,
            () -> ns.put("k", "v", PutOptions.ttl(TtlPolicy.at(far))), far.toString());
        assertEquals("ttl", e.argument());
      }
      assertEquals(Optional.empty(), ns.blocking().get("k"));

      Instant fiftyYears = Instant.now().plus(Duration.ofDays(50 * 365));
      ns.blocking().put("k", "v", PutOptions.ttl(TtlPolicy.at(fiftyYears)));
      Instant listed = ns.blocking().list(ListOptions.prefix("")).keys().get(0).expiration()
          .orElseThrow();
      assertTrue(Duration.between(listed, fiftyYears).abs().toSeconds() < 5, listed.toString());
    }
  }
}
