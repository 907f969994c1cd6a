package io.kvstore.internal;

import io.kvstore.TtlPolicy;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/** How a namespace's TTL policy becomes durations: jitter on writes, the slide of a read. */
final class Ttls {
  private Ttls() {}

  /**
   * The read-time TTL extension of a namespace, chosen once from its policy: nothing unless the
   * policy slides, a constant without jitter, a fresh jittered duration per read with it.
   *
   * @return supplies the extension, or {@code null} when reads do not extend the TTL
   */
  static Supplier<Duration> slide(TtlPolicy policy) {
    if (policy.kind() != TtlPolicy.Kind.SLIDING) {
      return () -> null;
    }
    if (policy.jitter() == 0) {
      Duration ttl = policy.ttl().orElseThrow();
      return () -> ttl;
    }
    return () -> jittered(policy);
  }

  /** The policy's duration, shortened by a random part of its jitter so expiries spread. */
  static Duration jittered(TtlPolicy policy) {
    Duration ttl = policy.ttl().orElseThrow();
    if (policy.jitter() == 0) {
      return ttl;
    }
    long millis = ttl.toMillis();
    long cut = (long) (ThreadLocalRandom.current().nextDouble() * policy.jitter() * millis);
    return Duration.ofMillis(Math.max(1, millis - cut));
  }
}
