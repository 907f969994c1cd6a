package io.kvstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.Listing;
import io.kvstore.NamespaceOptions;
import io.kvstore.PutOptions;
import io.kvstore.testkit.redis.RedisExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code reindex()} never brings back a value the indexed namespace deleted or overwrote: a key
 * deleted through the indexed namespace before the migration, and keys deleted, overwritten, or
 * overwritten with a short TTL while it runs, stay as the application left them; every other key
 * is migrated with its value. On one server and on Cluster, with one partition and with many.
 */
class ReindexDoesNotResurrectTest {
  @RegisterExtension
  static final RedisExtension SERVER = RedisExtension.server();

  @RegisterExtension
  static final RedisExtension CLUSTER = RedisExtension.cluster();

  private static final int KEYS = 6000;
  private static final Duration SHORT_TTL = Duration.ofMillis(50);

  private static KvStore open(ListingCase c, Duration timeout) {
    RedisKvOptions options = RedisKvOptions.builder().timeout(timeout).build();
    return c.cluster ? RedisKvStore.connectCluster(CLUSTER.clusterUris(), options)
        : RedisKvStore.connect(SERVER.uri(), options);
  }

  private static KvNamespace<String> namespace(KvStore store, Listing listing) {
    return store.namespace(NamespaceOptions.builder("mig", KvCodec.utf8()).listing(listing)
        .build());
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = ListingCase.class, names = {"SERVER_ONE_PARTITION", "SERVER_BY_USER",
      "CLUSTER_ONE_PARTITION", "CLUSTER_BY_USER"})
  void keysDeletedOrOverwrittenThroughTheIndexedNamespaceStayThatWay(ListingCase c)
      throws Exception {
    (c.cluster ? CLUSTER : SERVER).flushAll();
    Map<String, String> old = new TreeMap<>();
    for (int i = 0; i < KEYS; i++) {
      old.put("u" + (i % 50) + ":" + i, "old-" + i);
    }
    // The bulk load gets a generous timeout on a busy machine; reindex waits its store's timeout.
    try (KvStore scanStore = open(c, Duration.ofSeconds(30));
        KvStore store = open(c, Duration.ofSeconds(5))) {
      namespace(scanStore, Listing.UNINDEXED).blocking().putAll(old);
      KvNamespace<String> ns = namespace(store, c.listing);

      // Before the migration: deleted through the indexed namespace.
      Set<String> deleted = new HashSet<>();
      Map<String, String> overwritten = new HashMap<>();
      Set<String> expiring = new HashSet<>();
      ns.blocking().delete("u0:0");
      deleted.add("u0:0");
      ns.blocking().put("u1:1", "new-1", PutOptions.ttl(SHORT_TTL));
      expiring.add("u1:1");

      // While it runs: deletes, overwrites and short-lived overwrites of keys not yet touched.
      CompletableFuture<Long> reindex = ns.reindex();
      Random random = new Random(21);
      List<String> keys = new ArrayList<>(old.keySet());
      int operations = 0;
      while (!reindex.isDone() && operations < 3000) {
        String key = keys.get(random.nextInt(keys.size()));
        if (deleted.contains(key) || overwritten.containsKey(key) || expiring.contains(key)) {
          continue;
        }
        switch (operations++ % 3) {
          case 0 -> {
            ns.blocking().delete(key);
            deleted.add(key);
          }
          case 1 -> {
            ns.blocking().put(key, "new-" + key);
            overwritten.put(key, "new-" + key);
          }
          default -> {
            ns.blocking().put(key, "short-" + key, PutOptions.ttl(SHORT_TTL));
            expiring.add(key);
          }
        }
      }
      reindex.join();
      assertTrue(operations >= 20, "too few writes overlapped the migration: " + operations);
      Thread.sleep(SHORT_TTL.toMillis() * 4);

      Map<String, String> expected = new TreeMap<>(old);
      deleted.forEach(expected::remove);
      expiring.forEach(expected::remove);
      expected.putAll(overwritten);

      Map<String, String> read = new TreeMap<>(ns.blocking().getAll(old.keySet()));
      List<String> resurrected = new ArrayList<>();
      for (String key : deleted) {
        if (read.containsKey(key)) {
          resurrected.add(key);
        }
      }
      for (String key : expiring) {
        if (read.containsKey(key)) {
          resurrected.add(key);
        }
      }
      assertEquals(List.of(), resurrected, resurrected.size() + " of " + deleted.size()
          + " deleted and " + expiring.size() + " short-lived keys came back");
      assertEquals(expected, read);
      assertEquals(expected.keySet(), new TreeMap<>(listAll(ns, c)).keySet());
      assertEquals(Optional.empty(), ns.blocking().get("u0:0"));
    }
  }

  /** Every listed key and value, walking each user's partition. */
  private static Map<String, String> listAll(KvNamespace<String> ns, ListingCase c) {
    Map<String, String> listed = new LinkedHashMap<>();
    for (int user = 0; user < 50; user++) {
      ns.blocking().scanValues("u" + user + ":").forEach(e -> listed.put(e.key(), e.value()));
    }
    if (c.listing == Listing.INDEXED) {
      assertEquals(listed.keySet(), new HashSet<>(ns.blocking().scanValues("")
          .map(e -> e.key()).toList()));
    }
    return listed;
  }
}
