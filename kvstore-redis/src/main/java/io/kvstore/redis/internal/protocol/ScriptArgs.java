package io.kvstore.redis.internal.protocol;

import io.kvstore.spi.Expiry;
import java.util.List;

/**
 * Arguments of kvstore's Lua scripts in the form the scripts read them: numbers as decimal
 * text, and a write's expiry as a mode letter and its milliseconds. One place, since the
 * listing, migration and compare-and-set scripts all parse the same encoding.
 */
public final class ScriptArgs {
  private ScriptArgs() {}

  /**
   * A number as a script argument.
   *
   * @param n the number
   * @return its decimal text, UTF-8
   */
  public static byte[] number(long n) {
    return RedisKeys.bytes(Long.toString(n));
  }

  /**
   * Adds a write's expiry: a mode (N none, P px, A pxat, K keepttl) and its milliseconds (0 when
   * it has none).
   *
   * @param args the script's arguments
   * @param expiry the write's expiry
   */
  public static void addExpiry(List<byte[]> args, Expiry expiry) {
    if (expiry instanceof Expiry.After after) {
      args.add(RedisKeys.bytes("P"));
      args.add(number(after.ttl().toMillis()));
    } else if (expiry instanceof Expiry.At at) {
      args.add(RedisKeys.bytes("A"));
      args.add(number(at.instant().toEpochMilli()));
    } else {
      args.add(RedisKeys.bytes(expiry instanceof Expiry.Keep ? "K" : "N"));
      args.add(number(0));
    }
  }
}
