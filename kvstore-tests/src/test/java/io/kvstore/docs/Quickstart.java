package io.kvstore.docs;

// tag::quickstart[]
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.KvStores;
import io.kvstore.KvValuePage;
import io.kvstore.ListOptions;
import io.kvstore.NamespaceOptions;
import io.kvstore.TtlPolicy;
import io.kvstore.redis.RedisKvStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

public class Quickstart {
  public record CompletedWorkout(String user, int week, int day, Instant completedAt) {}

  public static void main(String[] args) {
    // No argument: the embedded store. A URI such as redis://localhost:6379: Redis.
    try (KvStore store = args.length == 0 ? KvStores.inMemory() : RedisKvStore.connect(args[0])) {
      KvNamespace<CompletedWorkout> done = store.namespace(
          NamespaceOptions.builder("workout", CompletedWorkout.class)  // JSON via Jackson
              .ttl(TtlPolicy.fixed(Duration.ofDays(180)))             // every put expires
              .build());

      done.put("user-42:w01:d1", new CompletedWorkout("user-42", 1, 1, Instant.now())).join();
      done.put("user-42:w01:d2", new CompletedWorkout("user-42", 1, 2, Instant.now())).join();

      Map<String, CompletedWorkout> both =                              // one round trip
          done.getAll(List.of("user-42:w01:d1", "user-42:w01:d2", "user-42:w01:d3")).join();
      KvValuePage<CompletedWorkout> page =                              // one page of a prefix
          done.listValues(ListOptions.prefix("user-42:").limit(100)).join();
      // the next page: ListOptions.prefix("user-42:").limit(100).cursor(page.cursor().get())
      Optional<CompletedWorkout> one = done.blocking().get("user-42:w01:d1");  // blocking view

      System.out.println(both.size() + " read, " + page.entries().size() + " listed, "
          + "day 1 " + (one.isPresent() ? "done" : "missing"));
    }
  }
}
// end::quickstart[]
