package io.kvstore.bench.peers;

import io.kvstore.bench.WorkoutCompletion;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * Spring Data Redis {@code opsForValue().multiGet} on its Lettuce driver (the lettuce-core the
 * parent pins), raw bytes, then the shared decode.
 */
final class SpringDataFetcher implements Fetcher {
  private final LettuceConnectionFactory factory;
  private final RedisTemplate<String, byte[]> template;
  private final List<String> keys;

  SpringDataFetcher(String host, int port, List<String> redisKeys) {
    this.factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(host, port));
    factory.afterPropertiesSet();
    factory.start();
    this.template = new RedisTemplate<>();
    template.setConnectionFactory(factory);
    template.setKeySerializer(RedisSerializer.string());
    template.setValueSerializer(RedisSerializer.byteArray());
    template.afterPropertiesSet();
    this.keys = List.copyOf(redisKeys);
  }

  @Override
  public Collection<WorkoutCompletion> fetch() {
    List<byte[]> values = template.opsForValue().multiGet(keys);
    List<WorkoutCompletion> out = new ArrayList<>(values.size());
    for (byte[] value : values) {
      if (value != null) {
        out.add(Client.CODEC.decode(value));
      }
    }
    return out;
  }

  @Override
  public void close() {
    factory.destroy();
  }
}
