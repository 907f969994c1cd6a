package io.kvstore.testkit.internal;

import io.kvstore.PutOptions;
import io.kvstore.TtlPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * What the model-based properties feed a store: keys, listing prefixes, values, TTLs and page
 * limits, each with a short readable form for shrunk counterexamples. Keys come from a small
 * universe of prefixes and suffixes, so that operations in one sequence meet the same keys and
 * listings meet shared prefixes, and they reach the limits: 1 to 512 UTF-8 bytes, ~480-character
 * keys, multi-byte characters, and SCAN's glob characters {@code * ? [ ] \}.
 */
final class ModelInputs {
  /** Key prefixes. */
  static final List<String> KEY_PREFIXES = List.of(
      "", "a", "a:", "a:b/", "*?[x]\\", "ü中😀:",
      "L".repeat(470) + ":",          // 471 characters: keys near the size users write, which made SCAN replies long
      "é".repeat(250));               // 500 UTF-8 bytes: with a 12-byte suffix, the 512 limit

  /** Key suffixes, each at most 12 UTF-8 bytes so every prefix + suffix stays within 512. */
  static final List<String> KEY_SUFFIXES = List.of(
      "0", "1", "2", "10", "x", "é", "中", "😀", "*", "?", "[a]", "\\", ":", "😀😀😀");

  /** Listing prefixes: every key prefix, parts of them, and glob characters on their own. */
  static final List<String> LIST_PREFIXES;

  static {
    List<String> prefixes = new ArrayList<>(KEY_PREFIXES);
    prefixes.addAll(List.of("a:b", "*", "[", "?", "ü", "L", "L".repeat(200), "é", "#", "a:1"));
    LIST_PREFIXES = List.copyOf(prefixes);
  }

  private ModelInputs() {}

  static <T> T pick(Random random, List<T> from) {
    return from.get(random.nextInt(from.size()));
  }

  static String key(Random random) {
    return pick(random, KEY_PREFIXES) + pick(random, KEY_SUFFIXES);
  }

  /** Up to {@code max} keys, duplicates possible (batch calls read and delete them once). */
  static List<String> keys(Random random, int max) {
    int size = random.nextInt(max + 1);
    List<String> keys = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      keys.add(key(random));
    }
    return keys;
  }

  /** Up to {@code max} distinct keys with values, in insertion order. */
  static Map<String, Value> entries(Random random, int min, int max) {
    int size = min + random.nextInt(max - min + 1);
    Map<String, Value> entries = new LinkedHashMap<>();
    for (int i = 0; i < size; i++) {
      entries.put(key(random), value(random));
    }
    return entries;
  }

  static String listPrefix(Random random) {
    return random.nextBoolean() ? pick(random, LIST_PREFIXES) : key(random);
  }

  /** A value: mostly small, some of a few hundred bytes, a few of several kilobytes. */
  static Value value(Random random) {
    int kind = random.nextInt(10);
    int length = kind < 6 ? random.nextInt(17)
        : kind < 9 ? 17 + random.nextInt(284) : 1000 + random.nextInt(7001);
    return new Value(random.nextInt(1000), length);
  }

  /** One to four page limits: mostly small, so walks take many pages and cursors carry keys. */
  static List<Integer> limits(Random random) {
    int size = 1 + random.nextInt(4);
    List<Integer> limits = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      int kind = random.nextInt(9);
      limits.add(kind < 6 ? 1 + random.nextInt(10)
          : kind < 8 ? 11 + random.nextInt(90) : 101 + random.nextInt(900));
    }
    return limits;
  }

  /**
   * A TTL. With a clock the test moves, TTLs are whole seconds plus 500 ms while the clock moves
   * in whole seconds, so "now" never equals an expiry and the model never has to guess which
   * side of the boundary a store takes. Without one, they are an hour: nothing expires during a
   * run unless a step waits for it explicitly.
   *
   * @param keep whether {@code keepTtl()} may be drawn (not with if-absent writes)
   */
  static Ttl ttl(Random random, boolean movableClock, boolean keep) {
    int kind = random.nextInt(keep ? 9 : 8);
    if (kind < 4) {
      return new Ttl(Ttl.Kind.DEFAULT, 0);
    }
    if (kind == 8) {
      return new Ttl(Ttl.Kind.KEEP, 0);
    }
    if (movableClock) {
      return kind < 7 ? new Ttl(Ttl.Kind.FIXED, pick(random, List.of(1_500L, 3_500L, 10_500L)))
          : new Ttl(Ttl.Kind.AT, pick(random, List.of(2_500L, 5_500L)));
    }
    return new Ttl(kind < 7 ? Ttl.Kind.FIXED : Ttl.Kind.AT, 3_600_000);
  }

  /**
   * Shows a key in a counterexample: short keys whole, long ones as head, length and tail, as
   * {@code "LLLLLLLL…(472)…LLLLLL:1"}.
   */
  static String show(String key) {
    int points = key.codePointCount(0, key.length());
    if (points <= 24) {
      return '"' + key + '"';
    }
    int head = key.offsetByCodePoints(0, 8);
    int tail = key.offsetByCodePoints(key.length(), -8);
    return '"' + key.substring(0, head) + "…(" + points + ")…" + key.substring(tail) + '"';
  }

  static String show(List<String> keys) {
    return keys.stream().map(ModelInputs::show).toList().toString();
  }

  /**
   * A value: {@code length} bytes derived from {@code id}, shown as {@code v3[12B]}.
   *
   * @param id which value
   * @param length its size in bytes
   */
  record Value(int id, int length) {
    /** Returns a fresh array holding the value, for the caller to keep or scribble over. */
    byte[] bytes() {
      byte[] bytes = new byte[length];
      for (int i = 0; i < length; i++) {
        bytes[i] = (byte) (id * 31 + i * 7 + (i >> 8));
      }
      return bytes;
    }

    boolean matches(byte[] actual) {
      return actual != null && Arrays.equals(bytes(), actual);
    }

    /** Describes what a store returned instead of this value, without printing it whole. */
    static String describe(byte[] actual) {
      if (actual == null) {
        return "null";
      }
      String head = HexFormat.of().formatHex(actual, 0, Math.min(actual.length, 8));
      return actual.length + " bytes starting 0x" + head
          + (actual.length > 0 && actual[0] == SCRIBBLE ? " (the caller's scribble)" : "");
    }

    @Override
    public String toString() {
      return "v" + id + "[" + length + "B]";
    }
  }

  /** What callers write over arrays a store handed out, so later reads show the mutation. */
  static final byte SCRIBBLE = (byte) 0xA5;

  static void scribble(byte[] bytes) {
    if (bytes != null) {
      Arrays.fill(bytes, SCRIBBLE);
    }
  }

  /**
   * A TTL a write asks for.
   *
   * @param kind the namespace's (none), fixed, at an instant, or keep the key's
   * @param millis the fixed TTL, or how far after the write the instant is
   */
  record Ttl(Kind kind, long millis) {
    /** The shape. */
    enum Kind { DEFAULT, FIXED, AT, KEEP }

    PutOptions options(Instant now) {
      return switch (kind) {
        case DEFAULT -> PutOptions.defaults();
        case FIXED -> PutOptions.ttl(Duration.ofMillis(millis));
        case AT -> PutOptions.ttl(TtlPolicy.at(now.plusMillis(millis)));
        case KEEP -> PutOptions.keepTtl();
      };
    }

    /** The expiry the model records for a write at {@code now} over the key's live entry. */
    Instant expiry(Instant now, Optional<KvModel.Entry> live) {
      return switch (kind) {
        case DEFAULT -> null;
        case FIXED, AT -> now.plusMillis(millis);
        case KEEP -> live.map(KvModel.Entry::expiresAt).orElse(null);
      };
    }

    @Override
    public String toString() {
      return switch (kind) {
        case DEFAULT -> "ttl=none";
        case FIXED -> "ttl=" + millis + "ms";
        case AT -> "ttl=at(now+" + millis + "ms)";
        case KEEP -> "ttl=keep";
      };
    }
  }
}
