package io.kvstore.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvstore.KvRoundTrips;
import io.kvstore.testkit.redis.RedisExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The same flow as {@link WorkoutServiceTest}, on a real Redis started by the harness: indexed
 * listing gives the same program order as the embedded store.
 */
class WorkoutServiceRedisTest {
  @RegisterExtension
  static final RedisExtension REDIS = RedisExtension.server();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private WorkoutService service;

  @BeforeEach
  void start() {
    REDIS.flushAll();
    service = WorkoutService.start(ServiceOptions.parse(
        new String[] {"--redis", REDIS.uri(), "--port", "0"}, Map.of()));
  }

  @AfterEach
  void stop() {
    service.close();
  }

  @Test
  void sixtyFourCompletionsAreListedInAtMostTwoRoundTripsAndPagesWalkThemAll() {
    List<String> program = new ArrayList<>();
    for (int week = 1; week <= 16; week++) {
      for (int day = 1; day <= 4; day++) {
        program.add(week + "/" + day);
        HttpResponse<String> put = send("PUT", "/api/users/user-42/workouts/" + week + "/" + day,
            "{\"durationMinutes\": 40, \"notes\": \"ok\"}");
        assertEquals(200, put.statusCode(), put.body());
      }
    }

    AtomicReference<HttpResponse<String>> listing = new AtomicReference<>();
    long trips = KvRoundTrips.count(service.store(), () -> listing.set(
        send("GET", "/api/users/user-42/workouts/completed?limit=64", null)));
    assertEquals(200, listing.get().statusCode());
    assertEquals(program, weekDays(json(listing.get()).get("items")), "program order");
    assertTrue(trips <= 2, trips + " round trips");

    List<String> walked = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page = json(send("GET", "/api/users/user-42/workouts/completed?limit=10"
          + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)),
          null));
      page.get("items").forEach(n -> walked.add(n.get("week").asInt() + "/"
          + n.get("day").asInt()));
      cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
    } while (cursor != null);
    assertEquals(program, walked);

    assertEquals(204, send("DELETE", "/api/users/user-42/workouts/1/1", null).statusCode());
    assertEquals(63, json(send("GET", "/api/users/user-42/workouts/completed?limit=100", null))
        .get("items").size());
    assertEquals(200, send("GET", "/api/health", null).statusCode());
  }

  private static List<String> weekDays(JsonNode items) {
    List<String> out = new ArrayList<>();
    items.forEach(n -> out.add(n.get("week").asInt() + "/" + n.get("day").asInt()));
    return out;
  }

  private HttpResponse<String> send(String method, String path, String body) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(service.url() + path))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .method(method, body == null
            ? BodyPublishers.noBody() : BodyPublishers.ofString(body, StandardCharsets.UTF_8))
        .build();
    try {
      return HTTP.send(request, BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
