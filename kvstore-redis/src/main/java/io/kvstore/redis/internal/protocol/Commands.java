package io.kvstore.redis.internal.protocol;

import io.lettuce.core.GetExArgs;
import io.lettuce.core.SetArgs;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.output.ValueListOutput;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import java.util.List;
import java.util.function.Supplier;

/**
 * Every command the adapter sends, built in one place (as Lettuce's own {@code
 * RedisCommandBuilder}): its type, its arguments in the adapter's codec ({@link #CODEC}: keys as
 * UTF-8 strings, values as bytes) and the output that parses its reply. Each comes as a {@link
 * Routed} command of a batch, routed by its (first) key; its factory builds a fresh command for
 * each attempt, since a Cluster redirect re-sends it. The few that belong to no batch ({@code
 * ASKING} before a redirected command, {@code PING}) come as bare commands for the transport to
 * write. When to send a script as {@code EVAL} rather than {@code EVALSHA} is the transport's
 * {@code LuaScript}'s to decide; {@code SCAN} goes through the transport's own Lettuce API. This
 * package imports no other of the adapter's, so every one may import it. Thread-safe
 * (stateless).
 */
public final class Commands {
  /** Keys are UTF-8 strings; values are raw bytes, stored as plain Redis strings. */
  public static final RedisCodec<String, byte[]> CODEC =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  private Commands() {}

  /**
   * {@code GET key}.
   *
   * @param key a full Redis key
   * @return the command; its result is the value, or {@code null}
   */
  public static Routed<byte[]> get(String key) {
    return new Routed<>(key, () -> new Command<>(CommandType.GET,
        new ValueOutput<>(CODEC), keyArgs(key)));
  }

  /**
   * {@code MGET key...}, routed by the first key (in Cluster, the keys must share its slot).
   *
   * @param keys full Redis keys, at least one
   * @return the command; its result has one value (or {@code null}) per key
   */
  public static Routed<List<byte[]>> mget(List<String> keys) {
    return new Routed<>(keys.get(0), () -> new Command<>(CommandType.MGET,
        new ValueListOutput<>(CODEC), new CommandArgs<>(CODEC)
        .addKeys(keys)));
  }

  /**
   * {@code GETEX key PX millis}: a read that sets the key's TTL, in one command.
   *
   * @param key a full Redis key
   * @param millis the new TTL in milliseconds
   * @return the command; its result is the value, or {@code null}
   */
  public static Routed<byte[]> getex(String key, long millis) {
    return new Routed<>(key, () -> {
      CommandArgs<String, byte[]> args = keyArgs(key);
      GetExArgs.Builder.px(millis).build(args);
      return new Command<>(CommandType.GETEX, new ValueOutput<>(CODEC), args);
    });
  }

  /**
   * {@code PTTL key}; read the reply with {@link Pttl}.
   *
   * @param key a full Redis key
   * @return the command; its result is the reply
   */
  public static Routed<Long> pttl(String key) {
    return new Routed<>(key, () -> new Command<>(CommandType.PTTL,
        new IntegerOutput<>(CODEC), keyArgs(key)));
  }

  /**
   * {@code SET key value [options]}.
   *
   * @param key a full Redis key
   * @param value the value
   * @param options expiry and condition ({@code PX}, {@code PXAT}, {@code KEEPTTL}, {@code NX})
   * @return the command; its result is {@code "OK"}, or {@code null} if a condition kept the
   *     value from being written
   */
  public static Routed<String> set(String key, byte[] value, SetArgs options) {
    return new Routed<>(key, () -> {
      CommandArgs<String, byte[]> args = keyArgs(key).addValue(value);
      options.build(args);
      return new Command<>(CommandType.SET, new StatusOutput<>(CODEC), args);
    });
  }

  /**
   * {@code DEL key...}, routed by the first key (in Cluster, the keys must share its slot).
   *
   * @param keys full Redis keys, at least one
   * @return the command; its result is how many existed
   */
  public static Routed<Long> del(List<String> keys) {
    return new Routed<>(keys.get(0), () -> new Command<>(CommandType.DEL,
        new IntegerOutput<>(CODEC), new CommandArgs<>(CODEC)
        .addKeys(keys)));
  }

  /**
   * {@code PUBLISH channel payload}. A channel is no key, so the caller names the key that
   * routes it (in Cluster, any node forwards a message to every other).
   *
   * @param routingKey the key whose node the command goes to
   * @param channel the channel
   * @param payload the message
   * @return the command; its result is how many subscribers (of that node) received it
   */
  public static Routed<Long> publish(String routingKey, String channel, byte[] payload) {
    return new Routed<>(routingKey, () -> new Command<>(CommandType.PUBLISH,
        new IntegerOutput<>(CODEC), new CommandArgs<>(CODEC).add(channel)
        .addValue(payload)));
  }

  /**
   * {@code EVAL source numkeys key... arg...}: a script sent whole, which also caches it on the
   * server. Routed by the first key.
   *
   * @param <T> the reply type
   * @param source the Lua source
   * @param keys the declared keys, at least one
   * @param args the arguments
   * @param output makes the output that parses the reply, once per attempt
   * @return the command
   */
  public static <T> Routed<T> eval(String source, List<String> keys, List<byte[]> args,
      Supplier<CommandOutput<String, byte[], T>> output) {
    return script(CommandType.EVAL, source, keys, args, output);
  }

  /**
   * {@code EVALSHA sha numkeys key... arg...}: a script the server has cached, by its digest.
   * Routed by the first key.
   *
   * @param <T> the reply type
   * @param sha the script's SHA-1, 40 hex characters
   * @param keys the declared keys, at least one
   * @param args the arguments
   * @param output makes the output that parses the reply, once per attempt
   * @return the command; fails with {@code NOSCRIPT} where the server does not know the script
   */
  public static <T> Routed<T> evalsha(String sha, List<String> keys, List<byte[]> args,
      Supplier<CommandOutput<String, byte[], T>> output) {
    return script(CommandType.EVALSHA, sha, keys, args, output);
  }

  private static <T> Routed<T> script(CommandType type, String script, List<String> keys,
      List<byte[]> args, Supplier<CommandOutput<String, byte[], T>> output) {
    return new Routed<>(keys.get(0), () -> {
      CommandArgs<String, byte[]> a = new CommandArgs<>(CODEC).add(script).add(keys.size())
          .addKeys(keys);
      for (byte[] arg : args) {
        a.addValue(arg);
      }
      return new Command<>(type, output.get(), a);
    });
  }

  /**
   * {@code ASKING}: lets the next command on the same connection run on a node that is importing
   * its slot (the target of an {@code ASK} redirect). It belongs to no batch: the Cluster
   * transport writes it right before the redirected command.
   *
   * @return a fresh command
   */
  public static RedisCommand<String, byte[], String> asking() {
    return new Command<>(CommandType.ASKING, new StatusOutput<>(CODEC), new CommandArgs<>(CODEC));
  }

  /**
   * {@code PING}, to see that a server answers.
   *
   * @return a fresh command; its result is {@code "PONG"}
   */
  public static RedisCommand<String, byte[], String> ping() {
    return new Command<>(CommandType.PING, new StatusOutput<>(CODEC), new CommandArgs<>(CODEC));
  }

  private static CommandArgs<String, byte[]> keyArgs(String key) {
    return new CommandArgs<>(CODEC).addKey(key);
  }
}
