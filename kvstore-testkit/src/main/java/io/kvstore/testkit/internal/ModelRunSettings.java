package io.kvstore.testkit.internal;

/**
 * How many sequences a model-based property runs, how long they are and from which seed. In the
 * build: the checker's count for its fixture, of up to 30 steps, from the fixed seed
 * {@value #BUILD_SEED}, so the build is repeatable. With {@code -Dkvstore.model.long=true} (the
 * {@code model-long} Maven profile): ten times the sequences, twice as long, from a random seed,
 * printed with the run's counts and in any failure. {@code -Dkvstore.model.tries=N},
 * {@code -Dkvstore.model.steps=N} and {@code -Dkvstore.model.seed=S} override either. The build
 * stops at its first failing sequence; the long run keeps going and reports every kind of
 * failure it met, each shrunk once ({@code -Dkvstore.model.keepGoing} overrides).
 *
 * @param tries sequences per property
 * @param steps the most steps of one sequence
 * @param seed the seed all sequences of a property derive from
 * @param keepGoing whether to run every sequence and report every kind of failure
 */
record ModelRunSettings(int tries, int steps, long seed, boolean keepGoing) {
  /** The seed of the build's run. */
  static final long BUILD_SEED = 20261201L;

  /**
   * Reads the settings from the system properties.
   *
   * @param tries the build's sequences for this fixture
   * @param steps the build's most steps per sequence
   * @return the settings
   */
  static ModelRunSettings of(int tries, int steps) {
    boolean isLong = Boolean.getBoolean("kvstore.model.long");
    long randomSeed = new java.security.SecureRandom().nextLong();
    return new ModelRunSettings(
        Integer.getInteger("kvstore.model.tries", isLong ? tries * 10 : tries),
        Integer.getInteger("kvstore.model.steps", isLong ? steps * 2 : steps),
        Long.getLong("kvstore.model.seed", isLong ? randomSeed : BUILD_SEED),
        Boolean.parseBoolean(System.getProperty("kvstore.model.keepGoing",
            Boolean.toString(isLong))));
  }
}
