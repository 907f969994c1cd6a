package io.kvstore.redis.internal.transport;

import io.lettuce.core.protocol.AsyncCommand;
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
public final class Routed<T> {
  final String routingKey;
  final Supplier<RedisCommand<String, byte[], T>> factory;
  /** The command's reply, or its failure. */
  public final CompletableFuture<T> result = new CompletableFuture<>();

  /**
   * A command for a batch.
   *
   * @param routingKey the key that routes it
   * @param factory makes the command, again for each attempt
   */
  public Routed(String routingKey, Supplier<RedisCommand<String, byte[], T>> factory) {
    this.routingKey = routingKey;
    this.factory = factory;
  }

  /** A fresh command whose reply or failure completes {@link #result}. */
  AsyncCommand<String, byte[], T> attempt() {
    AsyncCommand<String, byte[], T> command = new AsyncCommand<>(factory.get());
    command.whenComplete((value, error) -> {
      if (error != null) {
        result.completeExceptionally(error);
      } else {
        result.complete(value);
      }
    });
    return command;
  }
}
