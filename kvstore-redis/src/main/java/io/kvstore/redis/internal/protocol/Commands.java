package io.kvstore.redis.internal.protocol;

import io.kvstore.redis.internal.transport.Routed;
import io.kvstore.redis.internal.transport.Transport;
import io.lettuce.core.GetExArgs;
import io.lettuce.core.SetArgs;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.output.ValueListOutput;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.util.List;

/**
 * Every plain command the adapter sends, built in one place (as Lettuce's own {@code
 * RedisCommandBuilder}): its type, its arguments in the adapter's codec ({@link
 * Transport#CODEC}: keys as UTF-8 strings, values as bytes) and the output that parses its reply.
 * Each comes as a {@link Routed} command of a batch, routed by its (first) key; its factory builds
 * a fresh command for each attempt, since a Cluster redirect re-sends it. Scripts are {@link
 * io.kvstore.redis.internal.transport.LuaScript}'s; {@code SCAN} and {@code PING} go through the
 * transport's own Lettuce API. Thread-safe (stateless).
 */
public final class Commands {
  private Commands() {}

  /**
   * {@code GET key}.
   *
   * @param key a full Redis key
   * @return the command; its result is the value, or {@code null}
   */
  public static Routed<byte[]> get(String key) {
    return new Routed<>(key, () -> new Command<>(CommandType.GET,
        new ValueOutput<>(Transport.CODEC), keyArgs(key)));
  }

  /**
   * {@code MGET key...}, routed by the first key (in Cluster, the keys must share its slot).
   *
   * @param keys full Redis keys, at least one
   * @return the command; its result has one value (or {@code null}) per key
   */
  public static Routed<List<byte[]>> mget(List<String> keys) {
    return new Routed<>(keys.get(0), () -> new Command<>(CommandType.MGET,
        new ValueListOutput<>(Transport.CODEC), new CommandArgs<>(Transport.CODEC)
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
      return new Command<>(CommandType.GETEX, new ValueOutput<>(Transport.CODEC), args);
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
        new IntegerOutput<>(Transport.CODEC), keyArgs(key)));
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
      return new Command<>(CommandType.SET, new StatusOutput<>(Transport.CODEC), args);
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
        new IntegerOutput<>(Transport.CODEC), new CommandArgs<>(Transport.CODEC)
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
        new IntegerOutput<>(Transport.CODEC), new CommandArgs<>(Transport.CODEC).add(channel)
        .addValue(payload)));
  }

  private static CommandArgs<String, byte[]> keyArgs(String key) {
    return new CommandArgs<>(Transport.CODEC).addKey(key);
  }
}
