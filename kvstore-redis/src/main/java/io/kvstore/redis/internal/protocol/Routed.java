package io.kvstore.redis.internal.protocol;

import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.RedisCommand;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One command of a batch with the key that routes it (in Cluster, every key of the command shares
 * that key's slot). The command is made by a factory because a Cluster redirect re-sends it as a
 * fresh command. Made by {@link Commands}; sent by the transport, which is why the ways to get a
 * command out of it are public.
 *
 * @param <T> the command's result type
 */
public final class Routed<T> {
  private final String routingKey;
  private final Supplier<RedisCommand<String, byte[], T>> factory;
  /** The command's reply, or its failure. */
  public final CompletableFuture<T> result = new CompletableFuture<>();

  /**
   * A command for a batch.
   *
   * @param routingKey the key that routes it
   * @param factory makes the command, again for each attempt
   */
  Routed(String routingKey, Supplier<RedisCommand<String, byte[], T>> factory) {
    this.routingKey = routingKey;
    this.factory = factory;
  }

  /** The key that routes the command: in Cluster, the one whose slot names its master. */
  public String routingKey() {
    return routingKey;
  }

  /**
   * A fresh command for one attempt, whose completion the caller reads (a Cluster redirect
   * decides from it whether to send the command again).
   *
   * @return a new command, not yet sent
   */
  public AsyncCommand<String, byte[], T> command() {
    return new AsyncCommand<>(factory.get());
  }

  /**
   * A fresh command whose reply or failure completes {@link #result}.
   *
   * @return a new command, not yet sent
   */
  public AsyncCommand<String, byte[], T> attempt() {
    AsyncCommand<String, byte[], T> command = command();
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
