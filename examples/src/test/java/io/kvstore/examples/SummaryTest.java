package io.kvstore.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvstore.testkit.redis.RedisExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The per-user summary: its counts and streak follow records and undos, repeated requests change
 * nothing, and under concurrent completions and undos of the same users no update is lost
 * ({@link SummaryCheck}, which {@code WorkoutLoad} also runs after its load), on the embedded
 * store with latency and on a real Redis with the near cache on.
 */
class SummaryTest {
  @RegisterExtension
  static final RedisExtension REDIS = RedisExtension.server();

  private static final ObjectMapper JSON = new ObjectMapper();

  private WorkoutService service;

  @AfterEach
  void stop() {
    if (service != null) {
      service.close();
    }
  }

  @Test
  void theSummaryCountsCompletionsAndTheStreakEndingAtTheLastOne() throws Exception {
    service = WorkoutService.start(ServiceOptions.defaults().withPort(0).withInMemoryStore());
    ServiceClient client = new ServiceClient(service);
    assertEquals(List.of(0, 0), summary(client, "user-42"));
    client.seed("user-42", 6);                               // weeks 1 and 2 up to w2d2
    assertEquals(List.of(6, 6), summary(client, "user-42"));
    put(client, "user-42", 3, 1);                            // a gap: the streak starts again
    assertEquals(List.of(7, 1), summary(client, "user-42"));
    put(client, "user-42", 3, 1);                            // again: changes nothing
    assertEquals(List.of(7, 1), summary(client, "user-42"));
    assertEquals(204, client.send("DELETE", "/api/users/user-42/workouts/3/1", null)
        .statusCode());
    assertEquals(List.of(6, 6), summary(client, "user-42"));
    assertEquals(204, client.send("DELETE", "/api/users/user-42/workouts/1/2", null)
        .statusCode());
    assertEquals(List.of(5, 4), summary(client, "user-42"));
    assertEquals(204, client.send("DELETE", "/api/users/user-42/workouts/1/2", null)
        .statusCode());
    assertEquals(List.of(5, 4), summary(client, "user-42"));
    assertEquals(400, client.send("GET", "/api/users/bad.user/summary", null).statusCode());
  }

  @Test
  void concurrentCompletionsAndUndosLoseNoUpdateOnTheEmbeddedStore() throws Exception {
    service = WorkoutService.start(ServiceOptions.defaults().withPort(0).withInMemoryStore()
        .withLatency(Duration.ofMillis(1)));
    check();
  }

  @Test
  void concurrentCompletionsAndUndosLoseNoUpdateOnRedisWithANearCache() throws Exception {
    REDIS.flushAll();
    service = WorkoutService.start(ServiceOptions.defaults().withPort(0).withRedis(REDIS.uri())
        .withNearCache(true));
    check();
  }

  private void check() throws Exception {
    SummaryCheck.Result result = SummaryCheck.run(service.url(), "racer-", 4, 8, 100);
    System.out.println(result.line());
    assertEquals(800, result.records() + result.undos());
    assertEquals(List.of(), result.mismatches());
  }

  private static void put(ServiceClient client, String user, int week, int day) {
    HttpResponse<String> r = client.send("PUT", "/api/users/" + user + "/workouts/" + week + "/"
        + day, "{\"durationMinutes\": 30}");
    assertEquals(200, r.statusCode(), r.body());
  }

  private static List<Integer> summary(ServiceClient client, String user) throws Exception {
    HttpResponse<String> r = client.send("GET", "/api/users/" + user + "/summary", null);
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = JSON.readTree(r.body());
    assertEquals(user, body.get("user").asText());
    return List.of(body.get("completed").asInt(), body.get("currentStreak").asInt());
  }
}
