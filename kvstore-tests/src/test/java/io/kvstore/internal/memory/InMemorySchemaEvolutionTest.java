package io.kvstore.internal.memory;

import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.testkit.SchemaEvolutionContract;

/** The rolling-deploy suite on the embedded store: every release in one process, one store. */
class InMemorySchemaEvolutionTest extends SchemaEvolutionContract {
  @Override
  protected KvStore openStore() {
    return KvStores.inMemory();
  }
}
