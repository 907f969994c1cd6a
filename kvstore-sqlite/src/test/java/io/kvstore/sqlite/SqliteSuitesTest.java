package io.kvstore.sqlite;

import io.kvstore.testkit.KvStoreSuites;
import io.kvstore.testkit.StoreFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every suite of the test kit (contract, model-based properties, rolling deploys) on the durable
 * embedded store, without and with a near cache: the store's cell is one fixture class.
 */
@ParameterizedClass(name = "sqlite, near cache {0}")
@ValueSource(booleans = {false, true})
class SqliteSuitesTest extends KvStoreSuites {
  @TempDir
  static Path dir;

  @Parameter
  boolean nearCache;

  @Override
  protected StoreFixture fixture() {
    return new SqliteFixture(dir, nearCache);
  }
}
