package io.kvstore.bench.peers;

import io.kvstore.bench.WorkoutCompletion;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.Jackson2JsonRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * Spring Data Redis {@code opsForValue().multiGet} on its Lettuce driver (the lettuce-core the
 * parent pins): raw bytes then the plain mapper, or its {@code Jackson2JsonRedisSerializer} on
 * that mapper as the template's value serializer.
 */
final class SpringDataFetcher implements Fetcher {
  private final LettuceConnectionFactory factory;
  private final RedisTemplate<String, Object> template;
  private final List<String> keys;
  private final boolean ownSerializer;

  @SuppressWarnings("removal")
  SpringDataFetcher(String host, int port, List<String> redisKeys, boolean ownSerializer) {
    this.factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(host, port));
    factory.afterPropertiesSet();
    factory.start();
    this.ownSerializer = ownSerializer;
    this.template = new RedisTemplate<>();
    template.setConnectionFactory(factory);
    template.setKeySerializer(RedisSerializer.string());
    template.setValueSerializer(ownSerializer
        ? new Jackson2JsonRedisSerializer<>(Client.PLAIN_MAPPER, WorkoutCompletion.class)
        : RedisSerializer.byteArray());
    template.afterPropertiesSet();
    this.keys = List.copyOf(redisKeys);
  }

  @Override
  public Collection<?> fetch() {
    List<Object> values = template.opsForValue().multiGet(keys);
    List<Object> out = new ArrayList<>(values.size());
    for (Object value : values) {
      if (value != null) {
        out.add(ownSerializer ? value : Client.decode((byte[]) value));
      }
    }
    return out;
  }

  @Override
  public void close() {
    factory.destroy();
  }
}
