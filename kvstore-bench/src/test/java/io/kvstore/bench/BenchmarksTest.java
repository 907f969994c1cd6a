package io.kvstore.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvCodec;
import io.kvstore.bench.ClusterBenchmark.ClusterClient;
import io.kvstore.bench.peers.Client;
import io.kvstore.bench.peers.Peer;
import io.kvstore.bench.schema.SchemaBenchmark;
import io.kvstore.bench.tracing.SpanCostBenchmark;
import io.kvstore.bench.tracing.TracingBenchmark;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each benchmark's trial set-up, one invocation per client or strategy, and tear-down: every
 * invocation must return the N records it claims to read. Correctness only; speed is JMH's.
 */
class BenchmarksTest {
  private static final Map<String, WorkoutCompletion> DATA = Workouts.records(Workouts.SEEDED);

  @Test
  void recordsAreRealisticJsonOf300To600Bytes() {
    KvCodec<WorkoutCompletion> json = KvCodec.json(WorkoutCompletion.class);
    for (WorkoutCompletion record : DATA.values()) {
      int size = json.encode(record).length;
      assertTrue(size >= 300 && size <= 600, record.id() + " is " + size + " bytes");
      assertEquals(record, json.decode(json.encode(record)));
    }
    assertEquals(List.of("user-1:w01:d1", "user-1:w01:d2"), Workouts.keys(2));
    assertEquals("user-2:w01:d1", Workouts.keys(65).get(64));
  }

  @ParameterizedTest
  @CsvSource({"LOOPBACK,64,true", "LOOPBACK,64,false", "LOOPBACK,100,true", "PROXY_1MS,10,true",
      "PROXY_10MS,10,false", "MEMORY_1MS,64,true", "MEMORY_1MS,100,false",
      "EDGE_20MS_CAP6,10,true"})
  void fetchStrategiesReturnTheNRecords(Network network, int n, boolean coalesce) {
    FetchBenchmark bench = new FetchBenchmark();
    bench.network = network;
    bench.n = n;
    bench.coalesce = coalesce;
    bench.setUp();
    try {
      Set<WorkoutCompletion> expected = expected(Workouts.keys(n));
      assertEquals(expected, new HashSet<>(bench.sequential()));
      assertEquals(expected, new HashSet<>(bench.parallel()));
      assertEquals(Workouts.keys(n), List.copyOf(bench.getAll().keySet()));
      assertEquals(expected, new HashSet<>(bench.getAll().values()));
      List<WorkoutCompletion> listed = bench.listValues().values();
      assertEquals(n, listed.size());
      assertTrue(DATA.values().containsAll(listed));
      if (n <= Workouts.PER_USER) {
        assertTrue(listed.stream().allMatch(w -> w.user().equals("user-1")));
      }
    } finally {
      bench.tearDown();
    }
  }

  @ParameterizedTest
  @EnumSource(Client.class)
  void everyPeerReadsTheNRecords(Client client) {
    PeerBenchmark bench = new PeerBenchmark();
    bench.client = client;
    bench.n = 64;
    bench.setUp();
    try {
      assertRecords(Workouts.keys(64), Client.records(bench.getAll()));
    } finally {
      bench.tearDown();
    }
    PeerThroughputBenchmark throughput = new PeerThroughputBenchmark();
    throughput.client = client;
    throughput.setUp();
    try {
      assertRecords(Workouts.keys(PeerThroughputBenchmark.N),
          Client.records(throughput.getAll64Threads1()));
    } finally {
      throughput.tearDown();
    }
  }

  @ParameterizedTest
  @EnumSource(ClusterClient.class)
  void clusterClientsReadTheHundredRecords(ClusterClient client) {
    ClusterBenchmark bench = new ClusterBenchmark();
    bench.client = client;
    bench.setUp();
    try {
      assertRecords(Workouts.keys(ClusterBenchmark.N), bench.getAll());
    } finally {
      bench.tearDown();
    }
  }

  @ParameterizedTest
  @EnumSource(SchemaBenchmark.Schema.class)
  void schemaBenchmarkReadsTheSameRecordsWhateverTheStoredVersion(SchemaBenchmark.Schema schema) {
    SchemaBenchmark bench = new SchemaBenchmark();
    bench.schema = schema;
    bench.setUp();
    try {
      assertEquals(DATA.get(Workouts.key(1, 1, 1)), bench.decode());
      Map<String, WorkoutCompletion> read = bench.getAll64();
      assertEquals(SchemaBenchmark.N, read.size());
      read.forEach((key, value) -> assertEquals(DATA.get(key), value, key));
    } finally {
      bench.tearDown();
    }
  }

  @ParameterizedTest
  @EnumSource(Peer.class)
  void interferenceReadsAndWritesTheSingleKeyAndTheBulk(Peer client) {
    InterferenceBenchmark bench = new InterferenceBenchmark();
    bench.client = client;
    bench.setUp();
    try {
      WorkoutCompletion first = DATA.get(Workouts.key(1, 1, 1));
      assertEquals(first, bench.alone());
      assertEquals(first, bench.single());
      assertEquals(InterferenceBenchmark.BULK, bench.bulk());
      bench.putAlone();
      bench.singlePut();
      bench.bulkPut();
      assertEquals(first, bench.alone());
      assertEquals(InterferenceBenchmark.BULK, bench.bulk());
    } finally {
      bench.tearDown();
    }
  }

  @ParameterizedTest
  @CsvSource({"MEMORY,NONE", "MEMORY,NOOP", "MEMORY,SDK", "REDIS,NONE", "REDIS,SDK"})
  void tracingSetUpsReadThe64Records(TracingBenchmark.Store store,
      TracingBenchmark.Tracing tracing) {
    TracingBenchmark bench = new TracingBenchmark();
    bench.store = store;
    bench.tracing = tracing;
    bench.setUp();
    try {
      assertRecords(Workouts.keys(64), bench.getAll64().values());
    } finally {
      bench.tearDown();
    }
  }

  @ParameterizedTest
  @EnumSource(TracingBenchmark.Tracing.class)
  void spanCostStartsAndEndsASpanExceptWithoutATracer(TracingBenchmark.Tracing tracing) {
    SpanCostBenchmark bench = new SpanCostBenchmark();
    bench.tracing = tracing;
    bench.setUp();
    try {
      assertEquals(tracing == TracingBenchmark.Tracing.NONE, bench.startAndEnd() == null);
    } finally {
      bench.tearDown();
    }
  }

  private static void assertRecords(List<String> keys, Collection<WorkoutCompletion> actual) {
    assertEquals(keys.size(), actual.size());
    assertEquals(expected(keys), new HashSet<>(actual));
  }

  private static Set<WorkoutCompletion> expected(List<String> keys) {
    Set<WorkoutCompletion> expected = new HashSet<>();
    keys.forEach(k -> expected.add(DATA.get(k)));
    return expected;
  }
}
