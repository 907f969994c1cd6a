package io.kvstore;

import org.jspecify.annotations.Nullable;

/**
 * Settings of the built-in JSON codec ({@link KvCodec#json(Class, JsonOptions)}): how strictly it
 * reads, and whether values carry a schema version and are migrated on read. They belong to the
 * codec, so a namespace with a codec of its own cannot ask for them. Immutable and thread-safe.
 *
 * <pre>{@code
 * JsonOptions json = JsonOptions.builder()
 *     .schema(SchemaOptions.version(2).migrate(1, v -> v).build())
 *     .build();
 * NamespaceOptions.builder("workout", KvCodec.json(Workout.class, json)).build();
 * }</pre>
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>option</th><th>default</th></tr>
 *   <tr><td>{@code strict}</td><td>{@value #DEFAULT_STRICT}</td></tr>
 *   <tr><td>{@code schema}</td><td>none (values carry no version)</td></tr>
 * </table>
 */
public final class JsonOptions {
  /** Whether reads fail on unknown and missing properties by default: no. */
  public static final boolean DEFAULT_STRICT = false;

  private static final JsonOptions DEFAULTS = builder().build();

  private final boolean strict;
  private final @Nullable SchemaOptions schema;

  private JsonOptions(Builder b) {
    this.strict = b.strict;
    this.schema = b.schema;
  }

  /**
   * Returns the defaults: lenient reads, no schema.
   *
   * @return the defaults
   */
  public static JsonOptions defaults() {
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
    return new Builder().strict(strict).schema(schema);
  }

  /**
   * Tells whether reads fail on unknown and missing properties.
   *
   * @return whether reads are strict
   */
  public boolean strict() {
    return strict;
  }

  /**
   * Returns the schema version and migrations of the values.
   *
   * @return the schema, or empty when values carry no version
   */
  public java.util.Optional<SchemaOptions> schema() {
    return java.util.Optional.ofNullable(schema);
  }

  @Override
  public String toString() {
    return "JsonOptions{strict=" + strict + ", schema=" + schema + "}";
  }

  /** Builds {@link JsonOptions}. Not thread-safe. */
  public static final class Builder {
    private boolean strict = DEFAULT_STRICT;
    private @Nullable SchemaOptions schema;

    private Builder() {}

    /**
     * Makes reads fail a value that has a property the type lacks or lacks a property the type
     * has, a null for a primitive, or a fraction for an integer. Off by default: lenient reads
     * let instances of two releases read each other's values during a rolling deploy, and follow
     * Jackson's coercions ({@code 1.9} read into an {@code int} is {@code 1}, {@code "12"} is
     * {@code 12}). Either way a number of more than 100,000 digits fails its key's read (such
     * numbers cost seconds of CPU to parse); writes do not check it.
     *
     * @param strict whether reads are strict
     * @return this builder
     */
    public Builder strict(boolean strict) {
      this.strict = strict;
      return this;
    }

    /**
     * Versions the values and migrates older ones on read; see {@link SchemaOptions}.
     *
     * @param schema the version and migrations, or {@code null} for unversioned values
     * @return this builder
     */
    public Builder schema(@Nullable SchemaOptions schema) {
      this.schema = schema;
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the immutable options
     */
    public JsonOptions build() {
      return new JsonOptions(this);
    }
  }
}
