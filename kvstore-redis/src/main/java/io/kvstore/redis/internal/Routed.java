package io.kvstore.redis.internal;

import io.lettuce.core.protocol.RedisCommand;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One command of a batch with the key that routes it (in Cluster, every key of the command shares
 * that key's slot). The command is made by a factory because a Cluster redirect re-sends it as a
 * fresh command.
 *
 * @param <T> the command's result type
 */
final class Routed<T> {
  final String routingKey;
  final Supplier<RedisCommand<String, byte[], T>> factory;
  final CompletableFuture<T> result = new CompletableFuture<>();

  Routed(String routingKey, Supplier<RedisCommand<String, byte[], T>> factory) {
    this.routingKey = routingKey;
    this.factory = factory;
  }
}
