package io.kvstore.spring.boot.autoconfigure;

import io.kvstore.KvStore;
import io.kvstore.ObservabilityOptions;
import io.kvstore.SimulatedEdge;
import io.kvstore.sqlite.SqliteKvStore;
import io.kvstore.sqlite.SqliteOptions;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the durable embedded store when {@code kvstore.embedded.path} is set. The only class that
 * names kvstore-sqlite, an optional dependency: the auto-configuration loads it only once it has
 * checked that kvstore-sqlite is there.
 */
final class DurableEmbeddedStore {
  private static final Logger log = LoggerFactory.getLogger(DurableEmbeddedStore.class);
  /** The class whose presence says kvstore-sqlite is on the class path. */
  static final String ENTRY_POINT = "io.kvstore.sqlite.SqliteKvStore";

  private DurableEmbeddedStore() {}

  static KvStore open(Path path, ObservabilityOptions observability, boolean coalesceGets,
      @Nullable SimulatedEdge edge) {
    KvStore store = SqliteKvStore.open(path, SqliteOptions.builder()
        .observability(observability)
        .coalesceGets(coalesceGets)
        .simulatedEdge(edge)
        .build());
    log.info("kvstore: using the durable embedded store at {} (kvstore.embedded.path); its data"
        + " survives restarts", path.toAbsolutePath());
    return store;
  }
}
