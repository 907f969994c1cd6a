package io.kvstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kvstore.KvCodec;
import io.kvstore.KvEntry;
import io.kvstore.KvException;
import io.kvstore.KvKey;
import io.kvstore.KvNamespace;
import io.kvstore.KvRoundTrips;
import io.kvstore.KvStore;
import io.kvstore.KvValidationException;
import io.kvstore.ListOptions;
import io.kvstore.Listing;
import io.kvstore.NamespaceOptions;
import io.kvstore.PutOptions;
import io.kvstore.TtlPolicy;
import io.kvstore.contract.SharedRedis;
import io.kvstore.internal.CursorForger;
import io.kvstore.testkit.redis.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A cursor is handed to HTTP clients, so it is attacker input. Namespace {@code tenantA}, listing
 * prefix {@code card:} under a sliding TTL, is given forged cursors that pass the cursor's
 * integrity check and whose token names other tenants' keys ({@code tenantB:card:4111}), other
 * applications' keys ({@code session:card:admin}), its own keys outside the prefix, an invalid
 * SCAN position and a {@code COUNT} of 999,999,999. On every listing strategy (SCAN, indexed,
 * indexed by partition) on one server and on a 3-master Cluster: no key or value outside the
 * namespace and prefix comes back, the server never sees a command that names one (so no
 * {@code GETEX} slides a foreign TTL, nothing foreign is read or deleted), every key the token
 * names outside them gets a {@link KvValidationException} before anything is sent, and no SCAN is
 * sent with a {@code COUNT} above the store's {@code scanCount}. Server-side evidence comes from
 * the slow log at a zero threshold, which records every command with its arguments.
 *
 * <p>Stores given a shared secret cursor key continue each other's walks and refuse cursors
 * made without it.
 */
@ExtendWith(SharedRedis.class)
class ForgedCursorTest {
  private static final String NS = "tenantA";
  private static final String PREFIX = "card:";
  private static final int SCAN_COUNT = 50;
  private static final Map<String, String> OWN = Map.of("card:1", "a1", "card:2", "a2",
      "card:3", "a3");

  /** Where the keys live. */
  enum Topology { SERVER, CLUSTER }

  /** The listing of {@code tenantA}. */
  enum Strategy {
    SCAN(Listing.UNINDEXED),
    INDEXED(Listing.INDEXED),
    INDEXED_BY_SEGMENT(Listing.indexedBy(Listing.firstSegment(':')));

    final Listing listing;

    Strategy(Listing listing) {
      this.listing = listing;
    }

    boolean indexed() {
      return this != SCAN;
    }
  }

  /**
   * One forged token: how to build it for a node count, and whether the strategy may accept it
   * (only tokens that name nothing outside the namespace and prefix may be accepted).
   */
  record Attack(String name, IntFunction<String> token, boolean acceptedByScan,
      boolean acceptedByIndexed) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static String done(int nodes) {
    return String.join("\n", Collections.nCopies(nodes, "-"));
  }

  private static String positions(int nodes, String position) {
    return String.join("\n", Collections.nCopies(nodes, position));
  }

  private static final List<Attack> ATTACKS = List.of(
      new Attack("leftovers of another tenant and another application",
          n -> done(n) + "\ntenantB:card:4111\nsession:card:admin", false, false),
      new Attack("a leftover of the namespace outside the prefix",
          n -> done(n) + "\ntenantA:other:9", false, false),
      new Attack("an own leftover, then a foreign one",
          n -> done(n) + "\ntenantA:card:1\ntenantB:card:4111", false, false),
      new Attack("a leftover in the indexed layout",
          n -> done(n) + "\n{tenantB}:card:4111", false, false),
      new Attack("a resume key outside the namespace",
          n -> positions(n, "0/1 session:card:admin"), false, false),
      new Attack("a SCAN position beyond 64 bits",
          n -> positions(n, "18446744073709551616"), false, false),
      new Attack("a COUNT of 999,999,999",
          n -> positions(n, "0/999999999"), true, false),
      new Attack("an own leftover in the prefix",
          n -> done(n) + "\ntenantA:card:2", true, false),
      new Attack("an indexed resume key outside the prefix", n -> "i:other:9", false, false),
      new Attack("an empty indexed resume key", n -> "i:", false, false),
      new Attack("an indexed resume key in the prefix", n -> "i:card:1", false, true));

  static Stream<Arguments> cells() {
    List<Arguments> cells = new ArrayList<>();
    for (Topology topology : Topology.values()) {
      for (Strategy strategy : Strategy.values()) {
        cells.add(Arguments.of(topology, strategy));
      }
    }
    return cells.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cells")
  void forgedCursorsNeverReachOutsideTheNamespaceAndPrefix(Topology topology,
      Strategy strategy) {
    List<RedisServer> nodes = nodes(topology);
    try (KvStore store = open(topology)) {
      KvNamespace<String> tenantA = store.namespace(NamespaceOptions.builder(NS, KvCodec.utf8())
          .ttl(TtlPolicy.sliding(Duration.ofMinutes(10))).listing(strategy.listing).build());
      KvNamespace<String> tenantB = plain(store, "tenantB");
      KvNamespace<String> session = plain(store, "session");
      tenantA.blocking().putAll(OWN);
      tenantA.blocking().put("other:9", "a9", PutOptions.ttl(Duration.ofHours(5)));
      tenantB.blocking().put("card:4111", "b-secret");
      session.blocking().put("card:admin", "s-secret");

      List<String> failures = new ArrayList<>();
      List<List<String>> commands;
      startRecording(nodes);
      try {
        for (Attack attack : ATTACKS) {
          String cursor = CursorForger.forge(NS, PREFIX, attack.token.apply(nodes.size()));
          boolean accepted = strategy.indexed() ? attack.acceptedByIndexed
              : attack.acceptedByScan;
          attempt(store, attack, accepted, failures, () -> tenantA.blocking().list(
              ListOptions.prefix(PREFIX).cursor(cursor)).keys().stream()
              .map(KvKey::key).toList());
          attempt(store, attack, accepted, failures, () -> tenantA.blocking().listValues(
              ListOptions.prefix(PREFIX).cursor(cursor)).entries().stream()
              .map(e -> checkedValue(e)).toList());
        }
      } finally {
        commands = stopRecording(nodes);
      }

      for (List<String> command : commands) {
        String line = String.join(" ", command);
        if (line.contains("tenantB") || line.contains("session:") || line.contains("other:9")) {
          failures.add("the server was sent a command naming a foreign key: " + line);
        }
        if (command.get(0).equalsIgnoreCase("SCAN")) {
          int at = command.stream().map(String::toUpperCase).toList().indexOf("COUNT");
          if (at < 0 || Long.parseLong(command.get(at + 1)) > SCAN_COUNT) {
            failures.add("SCAN sent with a COUNT above scanCount " + SCAN_COUNT + ": " + line);
          }
        }
      }
      assertEquals(List.of(), failures);

      // Foreign keys keep their values and stay without TTL; the namespace's own key outside the
      // prefix keeps its 5-hour TTL (a GETEX of the sliding policy would have cut it to minutes).
      assertForeignUntouched(tenantB, "card:4111", "b-secret");
      assertForeignUntouched(session, "card:admin", "s-secret");
      KvKey other = tenantA.blocking().list(ListOptions.prefix("other:")).keys().get(0);
      assertTrue(other.expiration().orElseThrow()
          .isAfter(Instant.now().plus(Duration.ofHours(4))), "other:9's TTL changed: " + other);
    }
  }

  /**
   * Stores that share a cursor key accept each other's cursors, as instances of one service
   * behind a load balancer must: a walk whose pages alternate between two stores lists every key
   * exactly once. A store with another key, or with none, refuses them, and a keyed store
   * refuses cursors anyone can make; each refusal is a {@link KvValidationException} before one
   * round trip. On one server and on Cluster, SCAN and indexed.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cells")
  void storesSharingACursorKeyContinueEachOthersWalks(Topology topology, Strategy strategy) {
    byte[] shared = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    byte[] other = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.UTF_8);
    try (KvStore a = open(topology, shared); KvStore b = open(topology, shared, false);
        KvStore stranger = open(topology, other, false);
        KvStore unkeyed = open(topology, null, false)) {
      Map<String, String> data = new TreeMap<>();
      for (int i = 0; i < 40; i++) {
        data.put(String.format("card:%02d", i), "v" + i);
      }
      tenant(a, strategy).blocking().putAll(data);
      Map<String, String> listed = new TreeMap<>();
      List<String> cursors = new ArrayList<>();
      String cursor = null;
      int page = 0;
      do {
        KvStore serving = page++ % 2 == 0 ? a : b;
        ListOptions options = ListOptions.prefix(PREFIX).limit(7);
        var result = tenant(serving, strategy).blocking().listValues(
            cursor == null ? options : options.cursor(cursor));
        for (KvEntry<String> e : result.entries()) {
          assertEquals(null, listed.put(e.key(), e.value()), "listed twice: " + e.key());
        }
        cursor = result.cursor().orElse(null);
        if (cursor != null) {
          cursors.add(cursor);
        }
        assertTrue(page < 1000, "the walk does not end");
      } while (cursor != null);
      assertEquals(data, listed);
      assertTrue(!cursors.isEmpty(), "the walk had one page only");

      String issued = cursors.get(0);
      String forged = CursorForger.forge(NS, PREFIX, strategy.indexed() ? "i:card:00"
          : positions(nodes(topology).size(), "0"));
      for (var refusal : List.of(Map.entry(stranger, issued), Map.entry(unkeyed, issued),
          Map.entry(a, forged))) {
        KvNamespace<String> ns = tenant(refusal.getKey(), strategy);
        long roundTrips = KvRoundTrips.count(refusal.getKey(), () -> assertThrows(
            KvValidationException.class, () -> ns.blocking().list(
                ListOptions.prefix(PREFIX).cursor(refusal.getValue()))));
        assertEquals(0, roundTrips);
      }
    }
  }

  /**
   * {@code scanCount} is the most one SCAN call asks for, also below the pager's usual floor of
   * 10: with {@code scanCount(1)} every call sends {@code COUNT 1}, and the walk is still
   * complete.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(Topology.class)
  void scanCountBoundsEveryScanCallEvenBelowTen(Topology topology) {
    List<RedisServer> nodes = nodes(topology);
    RedisKvOptions options = RedisKvOptions.builder().scanCount(1).build();
    if (topology == Topology.SERVER) {
      SharedRedis.server().flushAll();
    } else {
      SharedRedis.cluster().flushAll();
    }
    try (KvStore store = topology == Topology.SERVER
        ? RedisKvStore.connect(SharedRedis.server().uri(), options)
        : RedisKvStore.connectCluster(SharedRedis.cluster().clusterUris(), options)) {
      KvNamespace<String> ns = plain(store, NS);
      Map<String, String> data = new TreeMap<>();
      for (int i = 0; i < 30; i++) {
        data.put("card:" + i, "v" + i);
      }
      ns.blocking().putAll(data);
      plain(store, "tenantB").blocking().putAll(data);
      List<List<String>> commands;
      Map<String, String> listed = new TreeMap<>();
      startRecording(nodes);
      try {
        ns.blocking().scanValues(PREFIX).forEach(e -> listed.put(e.key(), e.value()));
      } finally {
        commands = stopRecording(nodes);
      }
      assertEquals(data, listed);
      List<String> scans = commands.stream().filter(c -> c.get(0).equalsIgnoreCase("SCAN"))
          .map(c -> String.join(" ", c)).toList();
      assertTrue(!scans.isEmpty(), "no SCAN recorded");
      for (String scan : scans) {
        assertTrue(scan.endsWith(" COUNT 1"), scan);
      }
    }
  }

  private static KvNamespace<String> tenant(KvStore store, Strategy strategy) {
    return store.namespace(NamespaceOptions.builder(NS, KvCodec.utf8())
        .listing(strategy.listing).build());
  }

  /** A listed entry's value must be the namespace's own value for that key. */
  private static String checkedValue(KvEntry<String> entry) {
    if (!OWN.containsKey(entry.key()) || !OWN.get(entry.key()).equals(entry.value())) {
      return "foreign entry " + entry.key();
    }
    return entry.key();
  }

  private interface Listed {
    List<String> keys();
  }

  /**
   * One listing with a forged cursor. Accepted: only the prefix's own keys come back. Rejected: a
   * {@link KvValidationException}, and not one round trip made.
   */
  private static void attempt(KvStore store, Attack attack, boolean accepted,
      List<String> failures, Listed listing) {
    if (accepted) {
      try {
        List<String> keys = listing.keys();
        for (String key : keys) {
          if (!OWN.containsKey(key)) {
            failures.add(attack + ": listed " + key);
          }
        }
      } catch (KvException e) {
        failures.add(attack + ": a harmless cursor was refused: " + e);
      }
      return;
    }
    List<String> listed = new ArrayList<>();
    long roundTrips;
    try {
      roundTrips = KvRoundTrips.count(store, () -> {
        KvException error = assertThrows(KvException.class, () -> listed.addAll(listing.keys()));
        if (!(error instanceof KvValidationException)) {
          failures.add(attack + ": failed with " + error + " instead of a validation error");
        }
      });
    } catch (AssertionError e) {
      failures.add(attack + ": accepted, listed " + listed);
      return;
    }
    if (roundTrips != 0) {
      failures.add(attack + ": " + roundTrips + " round trips before the cursor was refused");
    }
  }

  private static void assertForeignUntouched(KvNamespace<String> ns, String key, String value) {
    assertEquals(Optional.of(value), ns.blocking().get(key), "a foreign key changed or vanished");
    List<KvKey> keys = ns.blocking().list(ListOptions.prefix(key)).keys();
    assertEquals(1, keys.size());
    assertEquals(Optional.empty(), keys.get(0).expiration(), "a foreign key got a TTL: " + key);
  }

  private static KvNamespace<String> plain(KvStore store, String name) {
    return store.namespace(NamespaceOptions.builder(name, KvCodec.utf8()).build());
  }

  private static KvStore open(Topology topology) {
    return open(topology, null);
  }

  private static KvStore open(Topology topology, byte[] cursorKey) {
    return open(topology, cursorKey, true);
  }

  /** A store with {@code scanCount} 50 and the cursor key given, if any. */
  private static KvStore open(Topology topology, byte[] cursorKey, boolean flush) {
    RedisKvOptions.Builder builder = RedisKvOptions.builder().scanCount(SCAN_COUNT);
    if (cursorKey != null) {
      builder.cursorKey(cursorKey);
    }
    RedisKvOptions options = builder.build();
    if (topology == Topology.SERVER) {
      if (flush) {
        SharedRedis.server().flushAll();
      }
      return RedisKvStore.connect(SharedRedis.server().uri(), options);
    }
    if (flush) {
      SharedRedis.cluster().flushAll();
    }
    return RedisKvStore.connectCluster(SharedRedis.cluster().clusterUris(), options);
  }

  private static List<RedisServer> nodes(Topology topology) {
    return topology == Topology.SERVER ? List.of(SharedRedis.server().process())
        : SharedRedis.cluster().redisCluster().masters();
  }

  /** Every command from now on goes to each node's slow log, arguments included. */
  private static void startRecording(List<RedisServer> nodes) {
    for (RedisServer node : nodes) {
      node.call("CONFIG", "SET", "slowlog-max-len", "100000");
      node.call("CONFIG", "SET", "slowlog-log-slower-than", "0");
      node.call("SLOWLOG", "RESET");
    }
  }

  /** Stops recording (back to the server defaults) and returns every command recorded. */
  private static List<List<String>> stopRecording(List<RedisServer> nodes) {
    List<List<String>> commands = new ArrayList<>();
    for (RedisServer node : nodes) {
      node.call("CONFIG", "SET", "slowlog-log-slower-than", "10000");
      Object log = node.call("SLOWLOG", "GET", "-1");
      node.call("SLOWLOG", "RESET");
      node.call("CONFIG", "SET", "slowlog-max-len", "128");
      for (Object entry : (List<?>) log) {
        List<?> fields = (List<?>) entry;
        List<String> args = ((List<?>) fields.get(3)).stream().map(String::valueOf).toList();
        if (Set.of("CONFIG", "SLOWLOG").contains(args.get(0).toUpperCase())) {
          continue;
        }
        commands.add(args);
      }
    }
    if (commands.isEmpty()) {
      fail("the slow log recorded nothing: the recording does not work");
    }
    return commands;
  }
}
