package io.kvstore.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.KvUnavailableException;
import io.kvstore.SimulatedEdge;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServiceOptionsTest {
  private static ServiceOptions parse(Map<String, String> env, String... args) {
    return ServiceOptions.parse(args, env);
  }

  @Test
  void noArgumentsMeanTheEmbeddedStoreOnPort7070() {
    ServiceOptions o = parse(Map.of());
    assertEquals(ServiceOptions.defaults(), o);
    assertEquals(7070, o.port());
    assertEquals("127.0.0.1", o.host());
    assertEquals(Duration.ZERO, o.latency());
    assertEquals(SimulatedEdge.UNBOUNDED, o.maxConcurrentRequests());
    assertNull(o.redisUri());
  }

  @Test
  void parsesEveryOptionInBothForms() {
    ServiceOptions o = parse(Map.of(),
        "--latency", "20ms", "--max-concurrent=6", "--port", "0", "--host=0.0.0.0",
        "--near-cache", "on");
    assertEquals(new ServiceOptions("0.0.0.0", 0, Duration.ofMillis(20), 6, null, true), o);
    assertFalse(parse(Map.of(), "--near-cache=off").nearCache());
    assertEquals(Duration.ofSeconds(2), parse(Map.of(), "--latency=2s").latency());
  }

  @Test
  void redisComesFromTheEnvironmentUnlessTheFlagOverridesIt() {
    Map<String, String> env = Map.of(ServiceOptions.REDIS_URI_ENV, "redis://env:6379");
    assertEquals("redis://env:6379", parse(env).redisUri());
    assertEquals("redis://flag:6379", parse(env, "--redis", "redis://flag:6379").redisUri());
    assertNull(parse(Map.of(ServiceOptions.REDIS_URI_ENV, " ")).redisUri());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--latency 20         | --latency",
      "--latency -5ms       | --latency",
      "--latency 1h         | --latency",
      "--port 70000         | --port",
      "--port abc           | --port",
      "--max-concurrent 0   | --max-concurrent",
      "--verbose yes        | unknown option --verbose",
      "--near-cache yes     | --near-cache is 'yes'; it must be on or off",
      "--port               | --port needs a value",
      "--host=              | --host",
      "--redis redis://h:1 --latency 20ms | do not apply to --redis",
  })
  void rejectsBadArgumentsNamingTheOption(String args, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> parse(Map.of(), args.trim().split(" +")));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void redisModeFailsClearlyWhenRedisIsUnreachable() {
    ServiceOptions redis = parse(Map.of(), "--redis", "redis://127.0.0.1:1", "--port", "0");
    KvUnavailableException e =
        assertThrows(KvUnavailableException.class, () -> WorkoutService.start(redis));
    assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
  }
}
