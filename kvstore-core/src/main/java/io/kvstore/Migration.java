package io.kvstore;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns a stored JSON object of one schema version into the shape of the next version: the step
 * {@code from -> from + 1} registered with {@link SchemaOptions.Builder#migrate(int, Migration)}.
 * Migrations are chained on read, so a value stored at version 1 passes through every step up to
 * the namespace's current version before it is bound to the value type.
 *
 * <p>A migration works on the JSON tree, never on the classes of older versions, which the code
 * no longer needs to keep. It may change {@code value} in place and return it, or return a new
 * object. It must be thread-safe and free of side effects: it runs on every read of an old value
 * (and once more for {@linkplain SchemaOptions.Builder#readRepair(boolean) read-repair}). A
 * migration that throws fails only the key being read, with a {@link KvCodecException} naming the
 * step.
 */
@FunctionalInterface
public interface Migration {
  /**
   * Migrates one stored value a single version forward.
   *
   * @param value the stored object, without the version property
   * @return the object in the next version's shape, never null
   */
  ObjectNode apply(ObjectNode value);
}
