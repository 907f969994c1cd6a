package io.kvstore;

/**
 * Options of the embedded in-memory store: the settings every store shares ({@link StoreOptions}),
 * of which {@link StoreOptions.Builder#simulatedEdge(SimulatedEdge)} makes it behave like a
 * remote store for demos and tests. Immutable and thread-safe.
 *
 * <pre>{@code
 * KvStore edge = KvStores.inMemory(InMemoryOptions.builder()
 *     .simulatedEdge(SimulatedEdge.latency(Duration.ofMillis(20)).withMaxConcurrentRequests(6))
 *     .build());
 * }</pre>
 */
public final class InMemoryOptions extends StoreOptions {
  private static final InMemoryOptions DEFAULTS = builder().build();

  private InMemoryOptions(Builder b) {
    super(b);
  }

  /**
   * Returns the default options: no simulated edge, the system clock.
   *
   * @return the defaults
   */
  public static InMemoryOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Starts a builder with the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder holding these options.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Builds {@link InMemoryOptions}. Not thread-safe. */
  public static final class Builder extends StoreOptions.Builder<InMemoryOptions, Builder> {
    private Builder() {}

    private Builder(InMemoryOptions from) {
      super(from);
    }

    @Override
    public InMemoryOptions build() {
      return new InMemoryOptions(this);
    }

    @Override
    protected Builder self() {
      return this;
    }
  }
}
