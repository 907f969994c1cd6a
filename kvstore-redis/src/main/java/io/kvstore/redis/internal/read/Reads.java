package io.kvstore.redis.internal.read;

import io.kvstore.redis.RedisKvOptions;
import io.kvstore.redis.internal.protocol.Commands;
import io.kvstore.redis.internal.protocol.Pttl;
import io.kvstore.redis.internal.protocol.RedisKeys;
import io.kvstore.redis.internal.protocol.Routed;
import io.kvstore.redis.internal.transport.LuaScript;
import io.kvstore.redis.internal.transport.Transport;
import io.kvstore.spi.BackendCall;
import io.kvstore.spi.RawValue;
import io.lettuce.core.output.NestedMultiOutput;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The read path: where a {@code get}/{@code getAll} reaches Redis. Every namespace reads the
 * same way, whatever its listing; only the key names differ ({@link RedisKeys#value}).
 *
 * <ul>
 *   <li>{@code MGET} in chunks of {@code maxKeysPerCommand}, at most 500 on the bulk connection
 *       ({@link Transport#keysPerCommand}; in Cluster, per slot; a slot with one key gets a plain
 *       {@code GET}), all chunks in one dispatch: one round trip.
 *   <li>Under a sliding TTL, one {@code GETEX key PX ttl} per key, so the read and the TTL
 *       extension are one command and one round trip.
 *   <li>When expirations are wanted (near cache, {@code listValues}), one small Lua script per
 *       chunk ({@code read-with-ttl.lua}) reads each value with its {@code PTTL} in one atomic
 *       step instead.
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class Reads {
  /**
   * KEYS: value keys (one slot in Cluster). ARGV: the sliding TTL in ms, or empty. Returns per
   * key its value (nil if missing or not a string) and its PTTL, read in one atomic step, so a
   * key cannot expire between the two.
   */
  private static final LuaScript READ_WITH_TTL =
      new LuaScript(LuaScript.source(Reads.class, "read-with-ttl.lua"));

  private final Transport transport;
  private final RedisKvOptions options;

  /**
   * The read path of one store.
   *
   * @param transport the store's connection
   * @param options tuning
   */
  public Reads(Transport transport, RedisKvOptions options) {
    this.transport = transport;
    this.options = options;
  }

  /**
   * Reads full keys in one round trip; a missing key reads as {@code null}.
   *
   * @param call the call
   * @param keys full Redis keys
   * @param slide the sliding TTL to extend each key by, or {@code null}
   * @param withExpiration whether each value needs its expiration
   * @return one element per key: its value, or {@code null}
   */
  public CompletableFuture<List<RawValue>> read(BackendCall call, List<String> keys,
      Duration slide, boolean withExpiration) {
    if (withExpiration) {
      return readWithExpiration(call, keys, slide);
    }
    byte[][] values = new byte[keys.size()][];
    List<Routed<?>> commands = new ArrayList<>();
    List<Runnable> collect = new ArrayList<>();
    if (slide != null) {
      long millis = slide.toMillis();
      for (int i = 0; i < keys.size(); i++) {
        int index = i;
        String key = keys.get(i);
        Routed<byte[]> getex = Commands.getex(key, millis);
        commands.add(getex);
        collect.add(() -> values[index] = getex.result.join());
      }
    } else {
      for (List<Integer> group : transport.groups(keys,
          transport.keysPerCommand(call, options.maxKeysPerCommand()))) {
        if (group.size() == 1) {
          int index = group.get(0);
          String key = keys.get(index);
          Routed<byte[]> get = Commands.get(key);
          commands.add(get);
          collect.add(() -> values[index] = get.result.join());
        } else {
          List<String> chunk = group.stream().map(keys::get).toList();
          Routed<List<byte[]>> mget = Commands.mget(chunk);
          commands.add(mget);
          collect.add(() -> {
            List<byte[]> reply = mget.result.join();
            for (int j = 0; j < group.size(); j++) {
              values[group.get(j)] = reply.get(j);
            }
          });
        }
      }
    }
    return transport.dispatch(call, commands).thenApply(done -> {
      collect.forEach(Runnable::run);
      List<RawValue> result = new ArrayList<>(keys.size());
      for (byte[] value : values) {
        result.add(value == null ? null : new RawValue(value, null));
      }
      return result;
    });
  }

  /**
   * Reads values with their expirations: one script per chunk ({@link #READ_WITH_TTL}), so each
   * value and its PTTL come from the same instant, and a batch costs one command per chunk, not
   * one per key. A value without a live TTL reading (the key vanished) reads as missing: a
   * near cache must never keep it longer than the key lived.
   */
  private CompletableFuture<List<RawValue>> readWithExpiration(BackendCall call,
      List<String> keys, Duration slide) {
    byte[] slideArg = slide == null ? new byte[0] : RedisKeys.bytes(Long.toString(
        slide.toMillis()));
    List<List<Integer>> groups = transport.groups(keys,
        transport.keysPerCommand(call, options.maxKeysPerCommand()));
    List<LuaScript.Invocation<List<Object>>> scripts = new ArrayList<>(groups.size());
    for (List<Integer> group : groups) {
      scripts.add(READ_WITH_TTL.invoke(group.stream().map(keys::get).toList(),
          List.of(slideArg), () -> new NestedMultiOutput<>(Commands.CODEC)));
    }
    return LuaScript.run(transport, call, scripts).thenApply(done -> {
      Instant now = options.clock().instant();
      RawValue[] values = new RawValue[keys.size()];
      for (int s = 0; s < scripts.size(); s++) {
        List<Object> reply = scripts.get(s).result.join();
        List<Integer> group = groups.get(s);
        for (int j = 0; j < group.size(); j++) {
          values[group.get(j)] = liveValue(now, reply.get(2 * j), (Long) reply.get(2 * j + 1));
        }
      }
      return Arrays.asList(values);
    });
  }

  /**
   * A value and its PTTL as one reading: a key gone by its PTTL has no value, whatever was read
   * with it.
   */
  private static RawValue liveValue(Instant now, Object value, long pttl) {
    if (value == null || !Pttl.exists(pttl)) {
      return null;
    }
    return new RawValue((byte[]) value, Pttl.expiration(pttl, now));
  }
}
