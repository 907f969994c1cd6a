package io.kvstore.internal;

import io.kvstore.KvValidationException;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The key checks a namespace runs before anything is sent, and how keys appear in messages and
 * logs: by position unless the store lets keys be logged, and then cut to
 * {@value #LOGGED_KEY_CHARS} characters followed by "…".
 */
final class Keys {
  /** Longer keys are cut to this many characters (then "…") in messages and logs. */
  static final int LOGGED_KEY_CHARS = 64;

  private Keys() {}

  /**
   * Validates every key, then returns them without repeats, in first-seen order. Repeats are
   * rare, so they are looked for in a table of positions probed by the keys' (cached) hash codes,
   * which allocates one int array instead of a set entry per key; the input's own copy is
   * returned unless one is found.
   *
   * @throws KvValidationException if {@code keys} is null or a key breaks a rule
   */
  static List<String> distinct(Collection<String> keys, String describe, boolean logKeys) {
    Validation.notNull(keys, "keys", describe);
    String[] array = keys.toArray(new String[0]);
    for (int i = 0; i < array.length; i++) {
      check(array[i], describe, i, logKeys);
    }
    if (array.length > 1) {
      // The least power of two at least twice the keys: at most half full, so probes stay
      // short, and 64 keys take 128 slots.
      int[] slots = new int[Integer.highestOneBit(2 * array.length - 1) << 1];
      int mask = slots.length - 1;
      for (int i = 0; i < array.length; i++) {
        int h = array[i].hashCode();
        int slot = (h ^ (h >>> 16)) & mask;
        while (slots[slot] != 0) {
          if (array[slots[slot] - 1].equals(array[i])) {
            return List.copyOf(new LinkedHashSet<>(Arrays.asList(array)));
          }
          slot = (slot + 1) & mask;
        }
        slots[slot] = i + 1;
      }
    }
    return Arrays.asList(array);
  }

  /**
   * Checks a key; the subject of the message ("keys[3]") is built only when the key breaks a
   * rule.
   *
   * @param index the key's position in a batch, or -1 for a single key
   */
  static void check(String key, String describe, int index, boolean logKeys) {
    if (!Validation.isPlainKey(key)) {
      Validation.key(key, describe + ": " + (index < 0 ? "key" : subject(key, index, logKeys)));
    }
  }

  /** Names a key of a batch by position; by value only when the store lets keys be logged. */
  static String subject(String key, int index, boolean logKeys) {
    String position = "keys[" + index + "]";
    return logKeys && key != null ? position + " '" + abbreviate(key) + "'" : position;
  }

  /** The key, cut to {@value #LOGGED_KEY_CHARS} characters and "…" when longer. */
  static String abbreviate(String key) {
    return key.length() <= LOGGED_KEY_CHARS ? key : key.substring(0, LOGGED_KEY_CHARS) + "…";
  }
}
