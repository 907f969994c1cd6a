package io.kvstore.testkit.internal;

import static io.kvstore.testkit.internal.ModelInputs.show;
import static io.kvstore.testkit.internal.ModelSteps.assertValue;
import static io.kvstore.testkit.internal.ModelSteps.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.PutOptions;
import io.kvstore.testkit.internal.ModelChecker.Run;
import io.kvstore.testkit.internal.ModelSteps.Step;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The steps that let time pass: a hand-moved clock where the fixture has one, else a key written
 * with a TTL of a few milliseconds and waited out.
 */
final class TimeSteps {
  private TimeSteps() {}

  /** Moves the store's clock (stores with a movable clock). */
  record AdvanceClock(long millis) implements Step {
    @Override
    public void run(Run run) {
      run.checker().advanceTime(Duration.ofMillis(millis));
    }

    @Override
    public String toString() {
      return "advanceClock(" + millis + "ms)";
    }
  }

  /**
   * On stores that keep their own time: writes a key with a TTL of a few milliseconds, maybe
   * reads it while it expires (into the near cache, if any), waits until it has certainly
   * expired on the store, and then it must be gone for every read, near cache or not.
   */
  record ExpiringPut(String key, ModelInputs.Value value, long ttlMillis, Read read)
      implements Step {
    /** What is read while the key expires. */
    enum Read { NONE, GET, GET_ALL }

    @Override
    public void run(Run run) {
      await(run.ns.put(key, value.bytes(), PutOptions.ttl(Duration.ofMillis(ttlMillis))),
          toString());
      run.model.put(key, value, null, false);
      Optional<byte[]> during = switch (read) {
        case NONE -> Optional.empty();
        case GET -> await(run.ns.get(key), toString());
        case GET_ALL -> Optional.ofNullable(await(run.ns.getAll(List.of(key)), toString())
            .get(key));
      };
      during.ifPresent(v -> assertTrue(value.matches(v),
          () -> this + ": read " + ModelInputs.Value.describe(v) + " while it expired"));
      // The store applied the write before it answered, so after the TTL and a margin the key
      // has expired on the store's own clock: no timing is asserted, only the outcome.
      Fixtures.sleep(Duration.ofMillis(ttlMillis + 30));
      run.model.delete(key);
      String after = this + ", after the TTL";
      assertValue(Optional.empty(), await(run.ns.get(key), after + ": get"), after + ": get");
      assertTrue(await(run.ns.getAll(List.of(key)), after).isEmpty(), after + ": getAll");
    }

    @Override
    public String toString() {
      return "expiringPut(" + show(key) + ", " + value + ", ttl=" + ttlMillis + "ms, read "
          + read + " while it expires)";
    }
  }
}
