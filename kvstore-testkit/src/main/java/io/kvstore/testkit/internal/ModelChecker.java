package io.kvstore.testkit.internal;

import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.Listing;
import io.kvstore.NamespaceOptions;
import io.kvstore.testkit.StoreFixture;
import io.kvstore.testkit.StoreFixture.Capability;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The engine of {@code KvStoreModelProperties}: random sequences of operations (writes with TTLs
 * and if-absent, deletes, reads, batch reads, listing walks with a limit that changes between
 * pages, time passing, reindex and migration, close) applied to a fixture's store and to
 * {@link KvModel}, a sorted map with expiries; every answer must be the model's. A failing
 * sequence is shrunk (steps removed while it still fails) and reported one readable step per
 * line, with the seed that replays it.
 *
 * <p>Everything that differs between stores comes from the fixture: with a clock, TTLs are
 * seconds long and sequences move the clock; without, TTLs are an hour long and only an explicit
 * short-TTL step waits for a key to expire, and listed expirations may be off by a minute. On a
 * store with {@link Capability#LISTING_STRATEGIES}, a fixture whose namespaces are indexed has
 * each sequence start under SCAN and migrate partway through; with
 * {@link Capability#SHARED_DATA}, other namespaces' long keys lie beside the sequences' own (so
 * SCAN walks skip keys and see long ones in every reply) and each sequence deletes its keys.
 *
 * <p>The generator is a seeded {@link Random} rather than a property-testing library: the steps
 * depend on the state (no step after close, reindex only where it applies), which a plain loop
 * draws directly, and replaying a recorded list of steps is all shrinking needs.
 */
public final class ModelChecker {
  private static final AtomicInteger RUNS = new AtomicInteger();

  /** Most replays spent shrinking one failure. */
  private static final int SHRINK_REPLAYS = 400;

  /** Most seconds spent shrinking one failure. */
  private static final int SHRINK_SECONDS = 30;

  /** The most steps of one sequence in the build's run. */
  private static final int STEPS = 30;

  /** Keys of another namespace on a shared store, as long as the longest keys users write. */
  private static final int NOISE_KEYS = 500;

  private final StoreFixture fixture;
  private final String testName;
  private final String testClass;
  private final boolean nearCache;
  private final Listing firstListing;
  private final Listing migratesTo;
  private final boolean buildsIndexes;
  private final boolean sharesData;
  private final Duration expirationTolerance;
  private final int tries;

  /**
   * Reads what the sequences need from a fixture.
   *
   * @param fixture the store under test
   * @param testClass the test class's simple name, for the replay command
   */
  public ModelChecker(StoreFixture fixture, String testClass) {
    Fixtures.requireJUnit();
    this.fixture = fixture;
    this.testClass = testClass;
    this.testName = testClass + " [" + fixture + "]";
    this.nearCache = Fixtures.nearCache(fixture);
    this.buildsIndexes = fixture.has(Capability.LISTING_STRATEGIES);
    this.sharesData = fixture.has(Capability.SHARED_DATA);
    Listing listing = Fixtures.listing(fixture);
    this.migratesTo = buildsIndexes && listing.indexed() ? listing : null;
    this.firstListing = migratesTo != null ? Listing.UNINDEXED : listing;
    this.expirationTolerance = fixture.clock().isPresent() ? Duration.ZERO : Duration.ofMinutes(1);
    // An in-process store with a hand-moved clock runs a sequence in milliseconds; a server's
    // sequences each connect and clean up, and each migration waits out a command timeout.
    this.tries = fixture.clock().isPresent() ? 100 : migratesTo != null ? 15 : 30;
  }

  /** How far a listed expiration may be from the model's: exact with a hand-moved clock. */
  Duration expirationTolerance() {
    return expirationTolerance;
  }

  /** Whether a walk under {@code listing} returns keys in UTF-8 byte order. */
  boolean listsInOrder(Listing listing) {
    return Fixtures.listsInOrder(fixture, listing);
  }

  /** Whether {@code reindex()} builds an index on this store. */
  boolean buildsIndexes() {
    return buildsIndexes;
  }

  /** The indexed listing sequences migrate to, or {@code null}. */
  Listing migratesTo() {
    return migratesTo;
  }

  /** Moves the store's clock, or waits. */
  void advanceTime(Duration duration) {
    Fixtures.advance(fixture, duration);
  }

  /**
   * Runs the sequences with the fixture's options; on the first that fails (or, in the long
   * run, on every kind of failure), shrinks it and fails with the shrunk counterexample.
   *
   * @throws AssertionError if the store disagreed with the model
   */
  public void check() {
    if (!sharesData) {
      run();
      return;
    }
    String noise = "model-noise-" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet();
    Map<String, String> keys = new LinkedHashMap<>();
    for (int i = 0; i < NOISE_KEYS; i++) {
      keys.put("n".repeat(470) + ":" + i, "noise");
    }
    try (KvStore store = fixture.open()) {
      KvNamespace<String> ns = store.namespace(fixture.configure(
          NamespaceOptions.builder(noise, KvCodec.utf8())).build());
      ns.blocking().putAll(keys);
      try {
        run();
      } finally {
        ns.blocking().deleteAll(keys.keySet());
      }
    }
  }

  /** Runs the sequences; see {@link #check()}. */
  private void run() {
    ModelRunSettings settings = ModelRunSettings.of(tries, STEPS);
    String property = testName;
    Random seeds = new Random(settings.seed());
    long started = System.nanoTime();
    int steps = 0;
    int closed = 0;
    int migrated = 0;
    int failed = 0;
    Map<String, AssertionError> kinds = new LinkedHashMap<>();
    for (int i = 0; i < settings.tries(); i++) {
      long sequenceSeed = seeds.nextLong();
      Random random = new Random(sequenceSeed);
      int length = 1 + random.nextInt(settings.steps());
      List<ModelSteps.Step> done = new ArrayList<>(length);
      Run run = new Run(nearCache);
      Throwable failure = execute(run, () -> {
        while (done.size() < length && !run.closed) {
          ModelSteps.Step step = next(random, run);
          done.add(step);
          step.run(run);
        }
      });
      steps += done.size();
      closed += run.closed ? 1 : 0;
      migrated += run.migrated ? 1 : 0;
      if (failure != null) {
        failed++;
        if (!settings.keepGoing()) {
          throw counterexample(property, settings, i, nearCache, done, failure);
        }
        String kind = kind(done, failure);
        if (!kinds.containsKey(kind)) {
          kinds.put(kind, counterexample(property, settings, i, nearCache, done, failure));
        }
      }
    }
    System.out.printf("model run %s: %d sequences, %d steps (%d ended by close(), %d migrated),"
        + " max %d steps, seed %d, %d failed (%d kinds), %d ms%n", property, settings.tries(),
        steps, closed, migrated, settings.steps(), settings.seed(), failed, kinds.size(),
        (System.nanoTime() - started) / 1_000_000);
    if (!kinds.isEmpty()) {
      StringBuilder all = new StringBuilder(property + ": " + failed + " of "
          + settings.tries() + " sequences failed, " + kinds.size() + " kinds of failure:");
      kinds.values().forEach(e -> all.append("\n\n").append(e.getMessage()));
      throw new AssertionError(all.toString(), kinds.values().iterator().next());
    }
  }

  /**
   * Groups failures for a run that keeps going: the failing step's kind and the message with its
   * quoted keys and numbers left out, so one bug met by many sequences is shrunk once.
   */
  private static String kind(List<ModelSteps.Step> done, Throwable failure) {
    String step = done.isEmpty() ? "start" : done.get(done.size() - 1).getClass().getSimpleName();
    String message = String.valueOf(failure.getMessage()).replaceAll("\"[^\"]*\"", "\"\"")
        .replaceAll("0x[0-9a-f]+", "0x").replaceAll("\\d+", "#").replaceAll("v#\\[#B\\]", "v");
    int colon = message.indexOf(": ");
    return step + " " + (colon < 0 ? message : message.substring(colon + 2));
  }

  /** Runs a sequence's body, then closes its store and cleans up; returns the first failure. */
  private Throwable execute(Run run, Runnable body) {
    Throwable failure = null;
    try {
      body.run();
    } catch (AssertionError | RuntimeException e) {
      failure = e;
    }
    try {
      finish(run);
    } catch (AssertionError | RuntimeException e) {
      if (failure == null) {
        failure = e;
      } else {
        failure.addSuppressed(e);
      }
    }
    return failure;
  }

  /** Replays steps on a fresh store, skipping those that do not apply; returns the failure. */
  private Throwable replay(List<ModelSteps.Step> steps, boolean nearCache,
      List<ModelSteps.Step> ran) {
    Run run = new Run(nearCache);
    return execute(run, () -> {
      for (ModelSteps.Step step : steps) {
        if (run.closed) {
          return;
        }
        if (step.appliesTo(run)) {
          ran.add(step);
          step.run(run);
        }
      }
    });
  }

  /**
   * Shrinks a failing sequence by removing runs of steps, halving their length (delta
   * debugging), keeping every removal after which a replay still fails the same way; stops after
   * {@value #SHRINK_REPLAYS} replays or {@value #SHRINK_SECONDS} s. A failure that a replay does
   * not reproduce (a race) is reported as it happened.
   */
  private AssertionError counterexample(String property, ModelRunSettings settings, int index,
      boolean nearCache, List<ModelSteps.Step> original, Throwable failure) {
    List<ModelSteps.Step> shortest = original;
    Throwable shortestFailure = failure;
    long deadline = System.nanoTime() + SHRINK_SECONDS * 1_000_000_000L;
    int replays = 0;
    int chunk = Math.max(1, original.size() / 2);
    while (chunk >= 1 && replays < SHRINK_REPLAYS && System.nanoTime() < deadline) {
      boolean removed = false;
      for (int from = 0; from < shortest.size() && replays < SHRINK_REPLAYS
          && System.nanoTime() < deadline; ) {
        List<ModelSteps.Step> candidate = new ArrayList<>(shortest.subList(0, from));
        candidate.addAll(shortest.subList(Math.min(shortest.size(), from + chunk),
            shortest.size()));
        List<ModelSteps.Step> ran = new ArrayList<>();
        Throwable again = replay(candidate, nearCache, ran);
        replays++;
        if (again != null && again.getClass() == failure.getClass()) {
          shortest = ran;
          shortestFailure = again;
          removed = true;
        } else {
          from += chunk;
        }
      }
      if (!removed) {
        chunk /= 2;
      }
    }
    StringBuilder message = new StringBuilder(property).append(": the store disagreed with the"
        + " model in sequence ").append(index).append(" of seed ").append(settings.seed())
        .append(".\nShrunk counterexample (").append(shortest.size()).append(" of ")
        .append(original.size()).append(" steps, ").append(replays).append(" replays")
        .append(shortest == original && replays > 0 ? "; no shorter replay failed" : "")
        .append("):\n");
    for (int i = 0; i < shortest.size(); i++) {
      message.append(String.format("  %3d. %s%n", i + 1, shortest.get(i)));
    }
    message.append("Failure: ").append(shortestFailure.getMessage())
        .append("\nReplay: -Dkvstore.model.seed=").append(settings.seed())
        .append(" -Dtest='").append(testClass).append("'");
    return new AssertionError(message.toString(), shortestFailure);
  }

  /** Draws the next step by weight among those that apply to the run's state. */
  private ModelSteps.Step next(Random random, Run run) {
    List<Choice> choices = choices();
    int total = choices.stream().mapToInt(Choice::weight).sum();
    while (true) {
      int at = random.nextInt(total);
      for (Choice choice : choices) {
        at -= choice.weight();
        if (at < 0) {
          ModelSteps.Step step = choice.draw().apply(random);
          if (step.appliesTo(run)) {
            return step;
          }
          break;
        }
      }
    }
  }

  /** A kind of step, its weight and how to draw one. */
  private record Choice(int weight, Function<Random, ModelSteps.Step> draw) {}

  private List<Choice> choices() {
    boolean clock = fixture.clock().isPresent();
    List<Choice> choices = new ArrayList<>(List.of(
        new Choice(8, r -> new ModelSteps.Put(ModelInputs.key(r), ModelInputs.value(r),
            ModelInputs.ttl(r, clock, true), false)),
        new Choice(2, r -> new ModelSteps.Put(ModelInputs.key(r), ModelInputs.value(r),
            ModelInputs.ttl(r, clock, false), true)),
        new Choice(3, r -> new ModelSteps.PutIfAbsent(ModelInputs.key(r), ModelInputs.value(r),
            ModelInputs.ttl(r, clock, false))),
        new Choice(3, r -> new ModelSteps.PutAll(ModelInputs.entries(r, 1, 8),
            ModelInputs.ttl(r, clock, false), r.nextBoolean())),
        new Choice(2, r -> new ModelSteps.BulkPut(ModelInputs.pick(r, ModelInputs.KEY_PREFIXES),
            10 + r.nextInt(111), ModelInputs.value(r))),
        new Choice(4, r -> new ModelSteps.Delete(ModelInputs.key(r))),
        new Choice(2, r -> new ModelSteps.DeleteAll(ModelInputs.keys(r, 8))),
        new Choice(6, r -> new ModelSteps.Get(ModelInputs.key(r))),
        new Choice(3, r -> new ModelSteps.GetAll(ModelInputs.keys(r, 10))),
        new Choice(2, r -> new ModelSteps.GetAllResults(ModelInputs.keys(r, 10))),
        new Choice(4, r -> new ModelSteps.Walk(ModelInputs.listPrefix(r), ModelInputs.limits(r),
            r.nextBoolean())),
        new Choice(1, r -> new ModelSteps.Reindex()),
        new Choice(1, r -> new ModelSteps.Close(r.nextInt(7), ModelInputs.key(r),
            ModelInputs.value(r)))));
    if (clock) {
      choices.add(new Choice(2, r -> new ModelSteps.AdvanceClock(1000L * (1 + r.nextInt(12)))));
    } else {
      choices.add(new Choice(1, r -> new ModelSteps.ExpiringPut(ModelInputs.key(r),
          ModelInputs.value(r), ModelInputs.pick(r, List.of(1L, 5L, 20L, 50L)),
          ModelInputs.pick(r, List.of(ModelSteps.ExpiringPut.Read.values())))));
    }
    if (migratesTo != null) {
      choices.add(new Choice(3, r -> new ModelSteps.Migrate(ModelInputs.keys(r, 4),
          ModelInputs.entries(r, 0, 4), ModelInputs.keys(r, 12), ModelInputs.entries(r, 0, 4))));
    }
    return choices;
  }

  /** Whether a run may call {@code reindex()} now: on an indexed namespace, or a store without indexes. */
  boolean reindexes(Run run) {
    return run.listing.indexed() || !buildsIndexes;
  }

  /** Closes the run's store if the sequence did not, and deletes its keys from shared data. */
  private void finish(Run run) {
    if (!run.closed) {
      run.store.close();
    }
    if (!sharesData || run.model.touched().isEmpty()) {
      return;
    }
    try (KvStore cleaner = fixture.open()) {
      KvNamespace<byte[]> ns = cleaner.namespace(run.options(run.listing, false));
      List<String> keys = new ArrayList<>(run.model.touched());
      for (int from = 0; from < keys.size(); from += 500) {
        ModelSteps.await(ns.deleteAll(keys.subList(from, Math.min(keys.size(), from + 500))),
            "clean-up deleteAll");
      }
    }
  }

  /**
   * One sequence's world: its store, its namespace and the model. Created by the chain's
   * initial-state supplier; the steps in {@link ModelSteps} act on it.
   */
  final class Run {
    final KvStore store = fixture.open();
    final String name = "model-" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet();
    final boolean nearCache;
    final KvModel model = new KvModel(() -> Fixtures.now(fixture));
    Listing listing = firstListing;
    KvNamespace<byte[]> ns;
    boolean migrated;
    boolean closed;

    Run(boolean nearCache) {
      this.nearCache = nearCache;
      this.ns = store.namespace(options(listing, nearCache));
    }

    /** The fixture's options for the namespace, with this listing, near cache on or off. */
    NamespaceOptions<byte[]> options(Listing listing, boolean withNearCache) {
      NamespaceOptions.Builder<byte[]> builder =
          fixture.configure(NamespaceOptions.builder(name, KvCodec.bytes())).listing(listing);
      if (!withNearCache) {
        builder.nearCache(null);
      }
      return builder.build();
    }

    ModelChecker checker() {
      return ModelChecker.this;
    }

    @Override
    public String toString() {
      return "Run{" + name + ", " + listing + (nearCache ? ", near cache" : "") + "}";
    }
  }
}
