package io.kvstore;

import java.util.Map;

/**
 * Turns a stored JSON object of one schema version into the shape of the next version: the step
 * {@code from -> from + 1} registered with {@link SchemaOptions.Builder#migrate(int, Migration)}.
 * Migrations are chained on read, so a value stored at version 1 passes through every step up to
 * the namespace's current version before it is bound to the value type.
 *
 * <p>A migration works on the stored object as plain Java values, never on the classes of older
 * versions (which the code no longer needs to keep) and never on a JSON library's types (so the
 * same migration serves a Jackson 2 or a Jackson 3 application): a mutable {@code Map} with
 * {@code String} keys whose values are {@code String}, {@code Number} ({@code Integer},
 * {@code Long} or {@code BigInteger} for integers, {@code Double} for decimals), {@code Boolean},
 * {@code null}, {@code List} and {@code Map} of the same. It may change {@code value} in place
 * and return it, or return a new map:
 *
 * <pre>{@code
 * SchemaOptions.version(2).migrate(1, v -> {
 *   v.put("week", v.remove("weekNumber"));
 *   return v;
 * })
 * }</pre>
 *
 * <p>It must be thread-safe and free of side effects: it runs on every read of an old value (and
 * once more for {@linkplain SchemaOptions.Builder#readRepair(boolean) read-repair}). A migration
 * that throws, whatever it throws, fails only the key being read, with a
 * {@link KvCodecException} naming the step.
 */
@FunctionalInterface
public interface Migration {
  /**
   * Migrates one stored value a single version forward.
   *
   * @param value the stored object, without the version property
   * @return the object in the next version's shape, never null
   */
  Map<String, Object> apply(Map<String, Object> value);
}
