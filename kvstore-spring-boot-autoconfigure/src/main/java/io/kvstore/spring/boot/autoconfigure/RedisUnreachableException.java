package io.kvstore.spring.boot.autoconfigure;

import io.kvstore.KvUnavailableException;

/**
 * Redis did not answer at start-up and {@code kvstore.redis.fail-fast} is true; explained by
 * {@link KvStoreFailureAnalyzer}.
 */
final class RedisUnreachableException extends RuntimeException {
  private final transient RedisTarget target;

  RedisUnreachableException(RedisTarget target, KvUnavailableException cause) {
    super("kvstore: " + target.describe() + " (from " + target.property() + ") is unreachable",
        cause);
    this.target = target;
  }

  RedisTarget target() {
    return target;
  }
}
