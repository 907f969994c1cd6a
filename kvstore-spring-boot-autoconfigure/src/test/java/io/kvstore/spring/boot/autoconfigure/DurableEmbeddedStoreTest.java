package io.kvstore.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.NamespaceOptions;
import io.kvstore.sqlite.SqliteKvStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code kvstore.embedded.path}: the embedded store kept on disk, across context restarts. */
class DurableEmbeddedStoreTest {
  @TempDir
  Path dir;

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(KvStoreAutoConfiguration.class));

  private static KvNamespace<String> text(KvStore store) {
    return store.namespace(NamespaceOptions.builder("text", KvCodec.utf8()).build());
  }

  @Test
  void withAPathTheEmbeddedStoreKeepsItsDataAcrossRestarts() {
    ApplicationContextRunner durable = runner.withPropertyValues("kvstore.embedded.path=" + dir);
    durable.run(context -> {
      assertThat(context.getBean(KvStoreAutoConfiguration.AutoConfiguredStore.class).kind())
          .isEqualTo("embedded-durable");
      text(context.getBean(KvStore.class)).put("a", "1").join();
    });
    assertThat(Files.exists(dir.resolve("kvstore.db"))).isTrue();
    durable.run(context ->
        assertThat(text(context.getBean(KvStore.class)).get("a").join()).contains("1"));
  }

  @Test
  void theSimulatedEdgeGoesInFrontOfTheDurableStoreToo() {
    runner.withPropertyValues("kvstore.embedded.path=" + dir, "kvstore.embedded.latency=1ms",
            "kvstore.embedded.max-concurrent-requests=6")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(KvStoreAutoConfiguration.AutoConfiguredStore.class).kind())
              .isEqualTo("embedded-durable");
          KvStore store = context.getBean(KvStore.class);
          text(store).put("a", "1").join();
          assertThat(text(store).get("a").join()).contains("1");
        });
    assertThat(Files.exists(dir.resolve("kvstore.db"))).isTrue();
  }

  @Test
  void aPathWithoutKvstoreSqliteFailsNamingTheArtifact() {
    runner.withClassLoader(new FilteredClassLoader(SqliteKvStore.class))
        .withPropertyValues("kvstore.embedded.path=" + dir)
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause()
              .isInstanceOf(InvalidConfigurationPropertyValueException.class)
              .hasMessageContaining("kvstore.embedded.path")
              .hasMessageContaining("io.kvstore:kvstore-sqlite");
        });
    assertThat(Files.exists(dir.resolve("kvstore.db"))).isFalse();
  }
}
