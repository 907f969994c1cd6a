package io.kvstore.testkit;

import io.kvstore.KvStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Nested;

/**
 * The behaviour every {@link KvStore} promises, written once and run on a {@link StoreFixture}.
 * To run it against your own store, give it your fixture (or run every suite at once with
 * {@link KvStoreSuites}):
 *
 * <pre>{@code
 * class MyStoreContractTest extends KvStoreContract {
 *   @Override
 *   protected StoreFixture fixture() {
 *     return new MyStoreFixture();   // opens a new store per test; the suite closes it
 *   }
 * }
 * }</pre>
 *
 * <p>Where stores differ, the fixture says so, never an override: listing order and round trips
 * per write follow its {@link StoreFixture.Capability capabilities}, TTL tests move its
 * {@link StoreFixture#clock() clock} (or sleep briefly without one), and every namespace gets its
 * {@link StoreFixture#configure options} (a near cache, a listing strategy).
 *
 * <p>The tests are grouped by section in {@link Nested @Nested} classes ({@code GetAndPut},
 * {@code GetAll}, {@code Delete}, {@code Expiry}, {@code Listings}, {@code Isolation},
 * {@code Validation}, {@code RoundTrips}, {@code StatsAndLifecycle}, {@code ConditionalWrites},
 * {@code Counters}),
 * which JUnit runs for every concrete subclass, so reports read by section; each section's tests
 * are written in a file of
 * their own beside this one ({@code GetAndPutSection}, ...). To run the suite over several
 * fixtures in one class, put JUnit's {@code @ParameterizedClass} on the subclass and return the
 * parameter from {@code fixture()}: each invocation runs every section.
 *
 * <p>Every test works in namespaces of its own, so a store may be shared by the tests of a class
 * (a Redis server, for example) without one test seeing another's keys. Not thread-safe: JUnit
 * creates one instance per test.
 */
public abstract class KvStoreContract {
  /** For subclasses. */
  protected KvStoreContract() {}

  /**
   * The store under test.
   *
   * @return the fixture; asked once per test
   */
  protected abstract StoreFixture fixture();

  /**
   * The value the suite stores: a JSON record with a timestamp and nested records.
   *
   * @param user the user id
   * @param week the program week
   * @param day the day of the week
   * @param at when it happened
   * @param parts its parts
   */
  public record Sample(String user, int week, int day, Instant at, List<Part> parts) {
    /**
     * One part of a sample.
     *
     * @param name the part's name
     * @param weight a fractional number
     */
    public record Part(String name, double weight) {}

    static Sample of(String user, int week, int day) {
      Instant at = Instant.parse("2026-03-01T07:30:00Z").plus(Duration.ofDays(week * 7L + day));
      return new Sample(user, week, day, at, List.of(new Part("squat", 100.5 + week)));
    }

    /** The key the suite stores it at: {@code user:wWW:dD}. */
    String key() {
      return String.format("%s:w%02d:d%d", user, week, day);
    }
  }

  /** {@code get}, {@code put}, {@code putIfAbsent} and the codecs. */
  @Nested
  class GetAndPut extends GetAndPutSection {
    @Override
    StoreFixture fixture() {
      return KvStoreContract.this.fixture();
    }
  }

  /** {@code getAll} and {@code getAllResults}. */
  @Nested
  class GetAll extends GetAllSection {
    @Override
    StoreFixture fixture() {
      return KvStoreContract.this.fixture();
    }
  }

  /** {@code delete} and {@code deleteAll}. */
  @Nested
  class Delete extends DeleteSection {
    @Override
    StoreFixture fixture() {
      return KvStoreContract.this.fixture();
    }
  }

  /** {@code getVersioned}, {@code replace}, {@code deleteIf} and {@code update}. */
  @Nested
  class ConditionalWrites extends ConditionalWritesSection {
    @Override
    StoreFixture fixture() {
      return KvStoreContract.this.fixture();
    }
  }

  /** {@code increment}: counters, bounded and not. */
  @Nested
  class Counters extends CountersSection {
    @Override
    StoreFixture fixture() {
      return KvStoreContract.this.fixture();
    }
  }

  /** TTL policies, per-call TTLs, jitter. */
  @Nested
  class Expiry extends ExpirySection {
    @Override
    StoreFixture fixture() {
      return KvStoreContract.this.fixture();
    }
  }

  /** {@code list}, {@code listValues}, {@code scanValues}: prefixes, pages, cursors. */
  @Nested
  class Listings extends ListingsSection {
    @Override
    StoreFixture fixture() {
      return KvStoreContract.this.fixture();
    }
  }

  /** Namespaces never see each other's keys. */
  @Nested
  class Isolation extends IsolationSection {
    @Override
    StoreFixture fixture() {
      return KvStoreContract.this.fixture();
    }
  }

  /** Bad keys and arguments are rejected before anything is sent. */
  @Nested
  class Validation extends ValidationSection {
    @Override
    StoreFixture fixture() {
      return KvStoreContract.this.fixture();
    }
  }

  /** Round trips per call: batches are one, N single gets are N. */
  @Nested
  class RoundTrips extends RoundTripsSection {
    @Override
    StoreFixture fixture() {
      return KvStoreContract.this.fixture();
    }
  }

  /** {@code stats()}, {@code ping()}, {@code close()} and concurrent writers. */
  @Nested
  class StatsAndLifecycle extends StatsAndLifecycleSection {
    @Override
    StoreFixture fixture() {
      return KvStoreContract.this.fixture();
    }
  }
}
