package io.kvstore.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.NamespaceOptions;
import io.kvstore.testkit.KvRoundTripBudget;
import io.kvstore.testkit.MaxRoundTrips;
import io.kvstore.testkit.redis.RedisExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The blocks of docs/testing.md, run as they are written there. */
// tag::checkout[]
class CheckoutTest {
  @RegisterExtension static RedisExtension redis = RedisExtension.server();
  @RegisterExtension KvRoundTripBudget budget = KvRoundTripBudget.of(redis::store);

  @Test
  @MaxRoundTrips(1)
  void readsTheCartInOneRoundTrip() {
    Checkout checkout = new Checkout(redis.store());   // or RedisKvStore.connect(redis.uri())
    assertEquals(Map.of(), checkout.cart(List.of("book", "pen")));
  }
}
// end::checkout[]

/** The code under test: reads a cart's items in one batch. */
record Checkout(KvStore store) {
  Map<String, Integer> cart(List<String> items) {
    KvNamespace<Integer> quantities =
        store.namespace(NamespaceOptions.builder("cart", Integer.class).build());
    return quantities.getAll(items).join();
  }
}
