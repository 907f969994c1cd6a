package io.kvstore;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The schema version of a namespace's JSON values and the migrations that bring older values up
 * to it. Immutable and thread-safe; build with {@link #version(int)} and hand to the JSON codec,
 * {@link JsonOptions.Builder#schema(SchemaOptions)}.
 *
 * <pre>{@code
 * SchemaOptions schema = SchemaOptions.version(3)
 *     .migrate(1, v -> { v.put("coachNote", ""); return v; })                   // 1 -> 2
 *     .migrate(2, v -> { v.put("weekNumber", v.remove("week")); return v; })    // 2 -> 3
 *     .build();
 * KvCodec<Workout> codec = KvCodec.json(Workout.class,
 *     JsonOptions.builder().schema(schema).build());
 * }</pre>
 *
 * <p><b>How the version is stored.</b> Inside the value, as the first property of the JSON object:
 * {@code {"_v":3,"user":"ada","weekNumber":7}}. The value stays plain JSON that {@code redis-cli}
 * and other languages read, one key holds one value (no second key or hash field to read), and
 * old values keep their keys. A value without the property is version 1: values written before
 * the namespace declared a schema read as version 1.
 *
 * <p><b>What it costs.</b> A write adds the property in front of the encoded object (a few
 * bytes). A read of a current value looks at the first property, then binds the rest of the same
 * parse to the value type: no second parse and no tree. A value of an older version (or one whose
 * version is not its first property) is read as a tree, migrated step by step and then bound,
 * which costs about one more parse per step; {@linkplain Builder#readRepair(boolean)
 * read-repair} pays that once per key instead of on every read.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>option</th><th>default</th></tr>
 *   <tr><td>{@code migrate}</td><td>none (only the current version reads)</td></tr>
 *   <tr><td>{@code readRepair}</td><td>{@value #DEFAULT_READ_REPAIR}</td></tr>
 *   <tr><td>{@code versionProperty}</td><td>{@value #DEFAULT_VERSION_PROPERTY}</td></tr>
 * </table>
 */
public final class SchemaOptions {
  /** Whether migrated values are written back by default: no. */
  public static final boolean DEFAULT_READ_REPAIR = false;

  /** The JSON property that holds the version by default. */
  public static final String DEFAULT_VERSION_PROPERTY = "_v";

  /** The version of values stored without a version property. */
  public static final int UNVERSIONED = 1;

  private final int current;
  private final int oldest;
  private final Map<Integer, Migration> migrations;
  private final boolean readRepair;
  private final String versionProperty;

  private SchemaOptions(Builder b) {
    this.current = b.current;
    this.oldest = b.migrations.isEmpty() ? b.current : b.migrations.firstKey();
    this.migrations = Collections.unmodifiableMap(new TreeMap<>(b.migrations));
    this.readRepair = b.readRepair;
    this.versionProperty = b.versionProperty;
  }

  /**
   * Starts a builder for values whose current schema version is {@code current}.
   *
   * @param current the version this code writes, at least 1
   * @return a new builder
   * @throws KvValidationException if {@code current < 1}
   */
  public static Builder version(int current) {
    if (current < 1) {
      throw new KvValidationException("version",
          "schema version is " + current + "; versions start at 1");
    }
    return new Builder(current);
  }

  /**
   * Returns the version this namespace writes and reads values as.
   *
   * @return the current version, as given to {@link #version(int)}
   */
  public int version() {
    return current;
  }

  /**
   * Returns the oldest version a stored value may have and still be read: the first step of the
   * migration chain, or the current version when there is none.
   *
   * @return the oldest readable version
   */
  public int oldest() {
    return oldest;
  }

  /**
   * Returns the migrations by the version they start from ({@code from -> from + 1}).
   *
   * @return an unmodifiable map, in version order
   */
  public Map<Integer, Migration> migrations() {
    return migrations;
  }

  /**
   * Tells whether a read that migrated a value writes the migrated value back.
   *
   * @return whether read-repair is on
   */
  public boolean readRepair() {
    return readRepair;
  }

  /**
   * Returns the JSON property that holds the version.
   *
   * @return the property name
   */
  public String versionProperty() {
    return versionProperty;
  }

  @Override
  public String toString() {
    return "SchemaOptions{current=" + current + ", migrations from " + migrations.keySet()
        + ", readRepair=" + readRepair + ", versionProperty=" + versionProperty + "}";
  }

  /** Builds {@link SchemaOptions}. Not thread-safe. */
  public static final class Builder {
    private final int current;
    private final NavigableMap<Integer, Migration> migrations = new TreeMap<>();
    private boolean readRepair = DEFAULT_READ_REPAIR;
    private String versionProperty = DEFAULT_VERSION_PROPERTY;

    private Builder(int current) {
      this.current = current;
    }

    /**
     * Registers the step from version {@code from} to {@code from + 1}.
     *
     * @param from the version the migration reads, 1 to {@code current - 1}
     * @param migration the step
     * @return this builder
     * @throws KvValidationException if {@code migration} is null, {@code from} is out of range, or
     *     a step from {@code from} is already registered
     */
    public Builder migrate(int from, Migration migration) {
      if (migration == null) {
        throw new KvValidationException("migration", "migration " + from + " -> " + (from + 1)
            + " is null");
      }
      if (from < 1 || from >= current) {
        throw new KvValidationException("migration", "migration " + from + " -> " + (from + 1)
            + " is outside versions 1 to " + current + "; the current version is " + current);
      }
      if (migrations.containsKey(from)) {
        throw new KvValidationException("migration", "migration " + from + " -> " + (from + 1)
            + " is registered twice");
      }
      migrations.put(from, migration);
      return this;
    }

    /**
     * Writes a value a read had to migrate back in the current version, so the next read of that
     * key needs no migration. Off by default. The write never overwrites a newer write: it only
     * replaces the exact bytes the read saw (compare-and-set in the store), keeps the key's TTL,
     * and adds one round trip to the read that repaired, once per key. Stores without
     * compare-and-set skip it.
     *
     * <p>Turn it on only once no instance runs code older than the current version: a repaired
     * value is of the current version, which those instances cannot read.
     *
     * @param readRepair whether to write migrated values back
     * @return this builder
     */
    public Builder readRepair(boolean readRepair) {
      this.readRepair = readRepair;
      return this;
    }

    /**
     * Names the JSON property that holds the version, for stores shared with code that already
     * uses another name. Values of the type must not have a property of that name.
     *
     * @param versionProperty the property name, not blank
     * @return this builder
     * @throws KvValidationException if {@code versionProperty} is null or blank
     */
    public Builder versionProperty(String versionProperty) {
      if (versionProperty == null || versionProperty.isBlank()) {
        throw new KvValidationException("versionProperty",
            "version property must not be null or blank");
      }
      this.versionProperty = versionProperty;
      return this;
    }

    /**
     * Builds the options, checking that the migrations form one chain up to the current version.
     *
     * @return the immutable options
     * @throws KvValidationException if the chain has a gap, such as steps {@code 1 -> 2} and
     *     {@code 3 -> 4} without {@code 2 -> 3}
     */
    public SchemaOptions build() {
      if (!migrations.isEmpty()) {
        for (int v = migrations.firstKey(); v < current; v++) {
          if (!migrations.containsKey(v)) {
            throw new KvValidationException("migration", "migrations to version " + current
                + " have a gap: " + migrations.keySet().stream().map(f -> f + " -> " + (f + 1))
                .toList() + " has no step " + v + " -> " + (v + 1));
          }
        }
      }
      return new SchemaOptions(this);
    }
  }

}
