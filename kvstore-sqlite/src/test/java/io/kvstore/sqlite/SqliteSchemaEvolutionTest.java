package io.kvstore.sqlite;

import io.kvstore.KvStore;
import io.kvstore.testkit.SchemaEvolutionContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rolling-deploy suite on the durable embedded store: every release in one process, one store
 * (one process holds a file at a time).
 */
class SqliteSchemaEvolutionTest extends SchemaEvolutionContract {
  @TempDir
  Path dir;

  @Override
  protected KvStore openStore() {
    return SqliteKvStore.open(dir);
  }
}
