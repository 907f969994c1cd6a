package io.kvstore.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.BlockingKvNamespace;
import io.kvstore.KvCodec;
import io.kvstore.KvException;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.KvSwap;
import io.kvstore.KvValidationException;
import io.kvstore.KvVersion;
import io.kvstore.NamespaceOptions;
import io.kvstore.testkit.internal.linearizability.RegisterWorkload;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The recorder on the embedded store: what it records, what it leaves out, and misuse. */
class KvHistoryRecorderTest {
  private final KvStore store = KvStores.inMemory();
  private final KvNamespace<String> ns =
      store.namespace(NamespaceOptions.builder("h", KvCodec.utf8()).build());

  @Test
  void everyVerbIsRecordedAndASequentialHistoryIsLinearizable() {
    KvHistoryRecorder history = KvHistoryRecorder.of(ns);
    assertEquals(Optional.empty(), history.get("k"));
    assertTrue(history.putIfAbsent("k", "a"));
    KvVersion a = history.getVersioned("k").orElseThrow().version();
    assertEquals(KvSwap.APPLIED, history.replace("k", a, "b"));
    assertEquals(KvSwap.CHANGED, history.deleteIf("k", a));
    history.put("k", "c");
    assertTrue(history.delete("k"));
    assertEquals(7, history.operations());
    LinearizabilityReport report = history.check();
    assertTrue(report.linearizable(), report::toString);
    assertEquals("LINEARIZABLE: 7 operations on 1 key (0 of unknown outcome)", report.toString());
  }

  /** The README's example, compiled and run here (DocsTest keeps the two equal). */
  @Test
  void theReadmeExampleRuns() {
    // tag::history[]
    KvHistoryRecorder history = KvHistoryRecorder.of(ns);          // a KvNamespace<String>
    // from several threads, each writing values of its own ("t3-17"):
    history.put("k1", "t3-17");
    history.getVersioned("k1").ifPresent(r -> history.replace("k1", r.version(), "t3-18"));
    // once they are done:
    LinearizabilityReport report = history.check();
    assertTrue(report.linearizable(), report::toString);
    // end::history[]
    assertEquals(3, report.operations());
  }

  @Test
  void aFailedWriteIsPossiblyAppliedAFailedReadIsLeftOutAndRejectedInputIsNotRecorded() {
    KvHistoryRecorder history = KvHistoryRecorder.of(ns);
    history.put("k", "a");
    assertThrows(KvValidationException.class, () -> history.put("", "x"));
    store.close();
    assertThrows(KvException.class, () -> history.put("k", "b"));
    assertThrows(KvException.class, () -> history.get("k"));
    LinearizabilityReport report = history.check();
    assertTrue(report.linearizable(), report::toString);
    assertEquals(2, report.operations());
    assertEquals(1, report.unknown());
  }

  /**
   * End to end, on a real store: a namespace whose blocking {@code get} answers from a cache that
   * writes never invalidate (a broken near cache) must be caught. Each thread reads a key, writes
   * it and reads it again many times over, so stale reads are certain, not likely.
   */
  @Test
  void aReadCacheThatWritesNeverInvalidateIsCaught() throws Exception {
    RegisterWorkload.Result result = RegisterWorkload.run(staleReads(ns),
        new RegisterWorkload.Settings(4, 40, 2, 1), new RegisterWorkload.Hooks() {});
    LinearizabilityReport report = result.report();
    assertEquals(LinearizabilityReport.Verdict.NOT_LINEARIZABLE, report.verdict(),
        report::toString);
    assertTrue(report.key().isPresent());
    assertTrue(report.excerpt().stream().anyMatch(line -> line.contains(" get(")),
        report::toString);
  }

  /** {@code ns} with its blocking view's {@code get} answered from a never-invalidated cache. */
  @SuppressWarnings("unchecked")
  private static KvNamespace<String> staleReads(KvNamespace<String> ns) {
    BlockingKvNamespace<String> real = ns.blocking();
    Map<String, Optional<String>> cache = new ConcurrentHashMap<>();
    BlockingKvNamespace<String> blocking = (BlockingKvNamespace<String>) Proxy.newProxyInstance(
        BlockingKvNamespace.class.getClassLoader(), new Class<?>[] {BlockingKvNamespace.class},
        (proxy, method, args) -> method.getName().equals("get") && args.length == 1
            ? cache.computeIfAbsent((String) args[0], real::get)
            : invoke(method, real, args));
    return (KvNamespace<String>) Proxy.newProxyInstance(KvNamespace.class.getClassLoader(),
        new Class<?>[] {KvNamespace.class}, (proxy, method, args) ->
            method.getName().equals("blocking") ? blocking : invoke(method, ns, args));
  }

  private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Test
  void aVersionNotReadThroughTheRecorderIsRefused() {
    KvHistoryRecorder history = KvHistoryRecorder.of(ns);
    ns.blocking().put("k", "a");
    KvVersion elsewhere = ns.blocking().getVersioned("k").orElseThrow().version();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> history.replace("k", elsewhere, "b"));
    assertTrue(e.getMessage().contains("getVersioned"), e.getMessage());
    assertEquals(0, history.operations());
  }
}
