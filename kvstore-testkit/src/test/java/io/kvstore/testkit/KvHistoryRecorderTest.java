package io.kvstore.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvCodec;
import io.kvstore.KvException;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.KvSwap;
import io.kvstore.KvValidationException;
import io.kvstore.KvVersion;
import io.kvstore.NamespaceOptions;
import java.util.Optional;
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
