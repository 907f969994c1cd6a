package io.kvstore.redis.internal.transport;

import io.kvstore.redis.internal.protocol.Commands;
import io.kvstore.redis.internal.protocol.Routed;
import io.kvstore.spi.BackendCall;
import io.kvstore.spi.Failures;
import io.lettuce.core.output.CommandOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A Lua script run by {@code EVALSHA}, so a batch sends the 40-character digest, not the source.
 *
 * <p>A server that does not know the script (restarted, {@code SCRIPT FLUSH}ed, or a Cluster
 * master this store never sent it to) answers {@code NOSCRIPT}; those invocations are sent once
 * more as {@code EVAL}, which also caches the script there: one extra round trip, once per such
 * server. The first invocation a store sends to each node goes as {@code EVAL} straight away, so
 * a freshly opened store (or one reaching a Cluster master for the first time) does not pay that
 * extra round trip on a server that never saw the script.
 *
 * <p>Thread-safe.
 */
public final class LuaScript {
  private final String source;
  private final String sha;

  /**
   * A script of this source.
   *
   * @param source the Lua source
   */
  public LuaScript(String source) {
    this.source = source;
    this.sha = sha1(source.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The source of a script kept as a resource file next to {@code owner}'s class file, so the
   * Lua reads as Lua (and diffs as Lua). A resource of the module's own, non-exported package is
   * readable by the module itself.
   *
   * @param owner a class of the package that holds the script
   * @param name the file name, such as {@code write.lua}
   * @return the source text
   */
  public static String source(Class<?> owner, String name) {
    try (InputStream in = owner.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing Lua script resource " + name + " next to "
            + owner.getName());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("reading Lua script resource " + name, e);
    }
  }

  /**
   * One invocation: declared keys (the first routes it) and arguments.
   *
   * @param <T> the reply type
   * @param keys the declared keys
   * @param args the arguments
   * @param output makes the reply's output
   * @return the invocation, to run with {@link #run}
   */
  public <T> Invocation<T> invoke(List<String> keys, List<byte[]> args,
      Supplier<CommandOutput<String, byte[], T>> output) {
    return new Invocation<>(this, keys, args, output);
  }

  /**
   * One script call of a batch. {@link #result} completes once it ran, after a NOSCRIPT retry if
   * one was needed.
   *
   * @param <T> the script's reply type
   */
  public static final class Invocation<T> {
    private final LuaScript script;
    private final List<String> keys;
    private final List<byte[]> args;
    private final Supplier<CommandOutput<String, byte[], T>> output;
    /** The script's reply, or its failure. */
    public final CompletableFuture<T> result = new CompletableFuture<>();

    private Invocation(LuaScript script, List<String> keys, List<byte[]> args,
        Supplier<CommandOutput<String, byte[], T>> output) {
      this.script = script;
      this.keys = List.copyOf(keys);
      this.args = List.copyOf(args);
      this.output = output;
    }

    private Routed<T> routed(boolean eval) {
      return eval ? Commands.eval(script.source, keys, args, output)
          : Commands.evalsha(script.sha, keys, args, output);
    }
  }

  /**
   * Runs invocations in one dispatch (one round trip), then the ones that met {@code NOSCRIPT}
   * once more as {@code EVAL} in a second.
   *
   * @param transport where to send them
   * @param call the call they belong to
   * @param invocations the scripts
   * @return completes when every invocation has its result; fails if any failed
   */
  public static CompletableFuture<Void> run(Transport transport, BackendCall call,
      List<? extends Invocation<?>> invocations) {
    return run(transport, call, invocations, List.of());
  }

  /**
   * Runs invocations as {@link #run(Transport, BackendCall, List)} does, with plain commands
   * written in the same first dispatch (no extra round trip).
   *
   * @param transport where to send them
   * @param call the call they belong to
   * @param invocations the scripts
   * @param alongside plain commands of the same dispatch
   * @return completes when every invocation and every command has its result; fails if any
   *     failed
   */
  public static CompletableFuture<Void> run(Transport transport, BackendCall call,
      List<? extends Invocation<?>> invocations, List<? extends Routed<?>> alongside) {
    List<Routed<?>> first = new ArrayList<>(invocations.size() + alongside.size());
    List<String> nodes = new ArrayList<>(invocations.size());
    for (Invocation<?> invocation : invocations) {
      String node = invocation.script.sha + "@" + transport.nodeOf(invocation.keys.get(0));
      nodes.add(node);
      first.add(invocation.routed(!transport.scriptsRun().contains(node)));
    }
    first.addAll(alongside);
    CompletableFuture<Void> scripts = runFirst(transport, call, invocations, first, nodes);
    if (alongside.isEmpty()) {
      return scripts;
    }
    return scripts.thenCompose(done -> CompletableFuture.allOf(alongside.stream()
        .map(r -> r.result).toArray(CompletableFuture[]::new)));
  }

  private static CompletableFuture<Void> runFirst(Transport transport, BackendCall call,
      List<? extends Invocation<?>> invocations, List<Routed<?>> first, List<String> nodes) {
    return transport.dispatch(call, first).handle((ignored, error) -> null).thenCompose(x -> {
      List<Invocation<?>> again = new ArrayList<>();
      for (int i = 0; i < invocations.size(); i++) {
        Invocation<?> invocation = invocations.get(i);
        Throwable failure = failure(first.get(i).result);
        if (failure != null && isNoScript(failure)) {
          again.add(invocation);
        } else {
          settle(transport, invocation, first.get(i), failure, nodes.get(i));
        }
      }
      if (again.isEmpty()) {
        return all(invocations);
      }
      List<Routed<?>> retries = new ArrayList<>(again.size());
      List<String> retryNodes = new ArrayList<>(again.size());
      for (Invocation<?> invocation : again) {
        retryNodes.add(invocation.script.sha + "@" + transport.nodeOf(invocation.keys.get(0)));
        retries.add(invocation.routed(true));
      }
      return transport.dispatch(call, retries).handle((ignored, error) -> null).thenCompose(y -> {
        for (int i = 0; i < again.size(); i++) {
          settle(transport, again.get(i), retries.get(i), failure(retries.get(i).result),
              retryNodes.get(i));
        }
        return all(invocations);
      });
    });
  }

  @SuppressWarnings("unchecked")
  private static <T> void settle(Transport transport, Invocation<T> invocation, Routed<?> routed,
      Throwable failure, String node) {
    if (failure != null) {
      invocation.result.completeExceptionally(failure);
    } else {
      transport.scriptsRun().add(node);
      invocation.result.complete((T) routed.result.join());
    }
  }

  private static CompletableFuture<Void> all(List<? extends Invocation<?>> invocations) {
    return CompletableFuture.allOf(invocations.stream().map(i -> i.result)
        .toArray(CompletableFuture[]::new));
  }

  private static Throwable failure(CompletableFuture<?> future) {
    if (!future.isCompletedExceptionally()) {
      return null;
    }
    try {
      future.join();
      return null;
    } catch (RuntimeException e) {
      return Failures.cause(e);
    }
  }

  private static boolean isNoScript(Throwable failure) {
    return failure.getMessage() != null && failure.getMessage().startsWith("NOSCRIPT");
  }

  /**
   * The lowercase hex SHA-1 of bytes, as Redis names scripts and {@code redis.sha1hex} gives.
   *
   * @param bytes what to digest
   * @return 40 hex characters
   */
  public static String sha1(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-1", e);
    }
  }
}
