package io.kvstore.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvstore.KvNamespace;
import io.kvstore.KvRoundTrips;
import io.kvstore.NamespaceOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * The workout service over real HTTP, on the embedded store with 20 ms simulated latency per
 * round trip, started on a free port for each test and stopped after it.
 */
class WorkoutServiceTest {
  private static final Duration LATENCY = Duration.ofMillis(20);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private WorkoutService service;

  @BeforeEach
  void start() {
    service = WorkoutService.start(ServiceOptions.defaults().withPort(0).withInMemoryStore()
        .withLatency(LATENCY));
  }

  @AfterEach
  void stop() {
    service.close();
  }

  @Test
  void listingSixtyFourCompletionsTakesAtMostTwoStoreRoundTrips() {
    seedWholeProgram("user-42");
    seedWholeProgram("warm-up");
    get("/api/users/warm-up/workouts/completed?limit=64"); // JIT and connection warm-up

    AtomicReference<HttpResponse<String>> listing = new AtomicReference<>();
    long start = System.nanoTime();
    long trips = KvRoundTrips.count(service.store(),
        () -> listing.set(get("/api/users/user-42/workouts/completed?limit=64")));
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertEquals(200, listing.get().statusCode());
    JsonNode page = json(listing.get());
    assertEquals(64, page.get("items").size());
    assertEquals(programOrder(), weekDays(page.get("items")));
    page.get("items").forEach(item -> assertEquals("user-42", item.get("user").asText()));
    assertTrue(page.get("nextCursor").isNull());
    assertTrue(trips <= 2, "listing 64 completions took " + trips + " round trips");

    // The page this example replaces: one get per workout, measured on the same store.
    KvNamespace<WorkoutCompletion> ns = service.store().namespace(
        NamespaceOptions.builder(WorkoutApi.NAMESPACE, WorkoutCompletion.class)
            .listing(WorkoutApi.LISTING).build());
    long loopStart = System.nanoTime();
    long loopTrips = KvRoundTrips.count(service.store(), () -> programOrder().forEach(wd -> {
      String[] p = wd.split("/");
      assertTrue(ns.get(WorkoutApi.key("user-42", Integer.parseInt(p[0]),
          Integer.parseInt(p[1]))).join().isPresent());
    }));
    long loopMillis = (System.nanoTime() - loopStart) / 1_000_000;
    assertEquals(64, loopTrips);

    System.out.printf("GET /api/users/user-42/workouts/completed?limit=64 at %d ms latency:"
        + " %d store round trips, %d ms (64 single gets: %d round trips, %d ms)%n",
        LATENCY.toMillis(), trips, millis, loopTrips, loopMillis);
  }

  @Test
  void defaultPageHoldsFiftyThenTheRest() {
    seedWholeProgram("user-7");
    JsonNode first = json(get("/api/users/user-7/workouts/completed"));
    assertEquals(WorkoutApi.DEFAULT_LIMIT, first.get("items").size());
    assertFalse(first.get("nextCursor").isNull());
    JsonNode second = json(get("/api/users/user-7/workouts/completed?cursor="
        + encode(first.get("nextCursor").asText())));
    assertEquals(64 - WorkoutApi.DEFAULT_LIMIT, second.get("items").size());
    assertTrue(second.get("nextCursor").isNull());
  }

  @Test
  void pagesOfTenWalkEveryCompletionExactlyOnceInOrder() {
    seedWholeProgram("walker");
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      String query = "?limit=10" + (cursor == null ? "" : "&cursor=" + encode(cursor));
      HttpResponse<String> response = get("/api/users/walker/workouts/completed" + query);
      assertEquals(200, response.statusCode(), response.body());
      JsonNode page = json(response);
      assertTrue(page.get("items").size() <= 10);
      seen.addAll(weekDays(page.get("items")));
      cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
      pages++;
    } while (cursor != null && pages < 20);
    assertEquals(7, pages);
    assertEquals(programOrder(), seen);
    assertEquals(64, new HashSet<>(seen).size());
  }

  @Test
  void listingIsPerUserEvenWhenOneIdPrefixesAnother() {
    assertEquals(200, put("/api/users/user-4/workouts/1/1", completion(30)).statusCode());
    assertEquals(200, put("/api/users/user-42/workouts/2/3", completion(40)).statusCode());
    JsonNode items = json(get("/api/users/user-4/workouts/completed")).get("items");
    assertEquals(List.of("1/1"), weekDays(items));
    assertEquals(List.of(), weekDays(
        json(get("/api/users/nobody/workouts/completed")).get("items")));
  }

  @Test
  void putStoresTheCompletionAndIsIdempotent() throws IOException {
    String body = """
        {"durationMinutes": 55, "notes": "PR on squat",
         "completedAt": "2026-03-02T07:15:00Z",
         "exercises": [{"name": "Back squat", "sets": 5, "reps": 5, "weightKg": 102.5}]}""";
    HttpResponse<String> first = put("/api/users/user-9/workouts/9/1", body);
    HttpResponse<String> second = put("/api/users/user-9/workouts/9/1", body);
    assertEquals(200, first.statusCode(), first.body());
    assertEquals(200, second.statusCode());
    assertEquals(json(first), json(second));

    JsonNode items = json(get("/api/users/user-9/workouts/completed")).get("items");
    assertEquals(1, items.size());
    JsonNode stored = items.get(0);
    assertEquals(json(first), stored);
    assertEquals(9, stored.get("week").asInt());
    assertEquals(1, stored.get("day").asInt());
    assertEquals(55, stored.get("durationMinutes").asInt());
    assertEquals("2026-03-02T07:15:00Z", stored.get("completedAt").asText());
    assertEquals("PR on squat", stored.get("notes").asText());
    assertEquals(102.5, stored.get("exercises").get(0).get("weightKg").asDouble());

    // A later PUT replaces the completion rather than adding a second one.
    put("/api/users/user-9/workouts/9/1", completion(60));
    items = json(get("/api/users/user-9/workouts/completed")).get("items");
    assertEquals(1, items.size());
    assertEquals(60, items.get(0).get("durationMinutes").asInt());
    assertTrue(items.get(0).get("completedAt").isTextual(), "completedAt defaults to now");
  }

  @Test
  void deletedCompletionIsNoLongerListed() {
    put("/api/users/user-5/workouts/3/2", completion(30));
    put("/api/users/user-5/workouts/3/3", completion(30));
    assertEquals(204, delete("/api/users/user-5/workouts/3/2").statusCode());
    assertEquals(List.of("3/3"),
        weekDays(json(get("/api/users/user-5/workouts/completed")).get("items")));
    assertEquals(204, delete("/api/users/user-5/workouts/3/2").statusCode(), "idempotent");
  }

  @Test
  void programHasSixteenWeeksOfFourWorkoutsInOrder() {
    HttpResponse<String> response = get("/api/program");
    assertEquals(200, response.statusCode());
    JsonNode program = json(response);
    assertEquals(programOrder(), weekDays(program));
    program.forEach(w -> {
      assertFalse(w.get("title").asText().isBlank());
      assertEquals(3, w.get("exercises").size());
      w.get("exercises").forEach(e -> assertTrue(e.get("sets").asInt() > 0));
    });
  }

  static Stream<Arguments> badRequests() {
    String ok = completion(30);
    return Stream.of(
        Arguments.of("PUT", "/api/users/u/workouts/17/1", ok, "week"),
        Arguments.of("PUT", "/api/users/u/workouts/0/1", ok, "week"),
        Arguments.of("PUT", "/api/users/u/workouts/one/1", ok, "week"),
        Arguments.of("PUT", "/api/users/u/workouts/1/5", ok, "day"),
        Arguments.of("PUT", "/api/users/u/workouts/1/0", ok, "day"),
        Arguments.of("DELETE", "/api/users/u/workouts/1/9", null, "day"),
        Arguments.of("PUT", "/api/users/u/workouts/1/1", "{\"durationMinutes\": 30", "body"),
        Arguments.of("PUT", "/api/users/u/workouts/1/1", "", "body"),
        Arguments.of("PUT", "/api/users/u/workouts/1/1", "[1, 2]", "body"),
        Arguments.of("PUT", "/api/users/u/workouts/1/1", "{}", "durationMinutes"),
        Arguments.of("PUT", "/api/users/u/workouts/1/1", "{\"durationMinutes\": -5}",
            "durationMinutes"),
        Arguments.of("PUT", "/api/users/u/workouts/1/1", "{\"durationMinutes\": \"long\"}",
            "durationMinutes"),
        Arguments.of("PUT", "/api/users/u/workouts/1/1",
            "{\"durationMinutes\": 30, \"notes\": \"" + "n".repeat(2001) + "\"}", "notes"),
        Arguments.of("PUT", "/api/users/u/workouts/1/1",
            "{\"durationMinutes\": 30, \"completedAt\": \"last tuesday\"}", "completedAt"),
        Arguments.of("PUT", "/api/users/u/workouts/1/1",
            "{\"durationMinutes\": 30, \"mood\": \"great\"}", "mood"),
        Arguments.of("PUT", "/api/users/u/workouts/1/1",
            "{\"durationMinutes\": 30, \"completedAt\": \"+999999-01-01T00:00:00Z\"}",
            "completedAt"),
        Arguments.of("PUT", "/api/users/u/workouts/1/1",
            "{\"durationMinutes\": 30, \"completedAt\": \"1970-01-01T00:00:00Z\"}",
            "completedAt"),
        Arguments.of("PUT", "/api/users/u/workouts/1/1",
            "{\"durationMinutes\": 30, \"notes\": \"" + "\uD83D\uDCAA".repeat(2001) + "\"}",
            "notes"),
        Arguments.of("PUT", "/api/users/u/workouts/1/1", "{\"durationMinutes\": 30, \"exercises\":"
            + " [{\"name\": \"Squat\", \"sets\": 3, \"reps\": 0, \"weightKg\": 60}]}",
            "exercises[0].reps"),
        Arguments.of("PUT", "/api/users/u/workouts/1/1", "{\"durationMinutes\": 30, \"exercises\":"
            + " [{\"sets\": 3, \"reps\": 5, \"weightKg\": 60}]}", "exercises[0].name"),
        Arguments.of("PUT", "/api/users/bad.user/workouts/1/1", ok, "user"),
        Arguments.of("PUT", "/api/users/" + "u".repeat(65) + "/workouts/1/1", ok, "user"),
        Arguments.of("GET", "/api/users/%C3%A9/workouts/completed", null, "user"),
        Arguments.of("GET", "/api/users/u/workouts/completed?limit=0", null, "limit"),
        Arguments.of("GET", "/api/users/u/workouts/completed?limit=201", null, "limit"),
        Arguments.of("GET", "/api/users/u/workouts/completed?limit=ten", null, "limit"),
        Arguments.of("GET", "/api/users/u/workouts/completed?cursor=not-a-cursor", null, "cursor"),
        Arguments.of("GET", "/api/users/u/workouts/completed?cursor=", null, "cursor"));
  }

  @ParameterizedTest(name = "{0} {1} -> 400 naming {3}")
  @MethodSource("badRequests")
  void badInputIsRejectedNamingTheFieldAndWritesNothing(
      String method, String path, String body, String field) {
    long operationsBefore = service.store().stats().operations();
    HttpResponse<String> response = send(method, path, body);
    assertEquals(400, response.statusCode(), response.body());
    assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
    JsonNode error = json(response);
    assertEquals("bad_request", error.get("error").asText());
    assertEquals(field, error.get("field").asText());
    assertTrue(error.get("message").asText().contains(field), error.get("message").asText());
    assertEquals(operationsBefore, service.store().stats().operations(),
        "no store call was made");
  }

  @Test
  void cursorOfAnotherUsersListingIsRejected() {
    seedWholeProgram("alice");
    String cursor = json(get("/api/users/alice/workouts/completed?limit=10"))
        .get("nextCursor").asText();
    HttpResponse<String> response =
        get("/api/users/bob/workouts/completed?limit=10&cursor=" + encode(cursor));
    assertEquals(400, response.statusCode(), response.body());
    assertEquals("cursor", json(response).get("field").asText());
  }

  @Test
  void theProgramsExercisesCanBeSentBackAsTheyAre() throws Exception {
    JsonNode first = json(get("/api/program")).get(0);
    String body = "{\"durationMinutes\": 45, \"exercises\": "
        + JSON.writeValueAsString(first.get("exercises")) + "}";
    HttpResponse<String> response = put("/api/users/u/workouts/"
        + first.get("week").asInt() + "/" + first.get("day").asInt(), body);
    assertEquals(200, response.statusCode(), response.body());
    assertEquals(0.0, json(response).get("exercises").get(0).get("weightKg").asDouble());
  }

  @Test
  void notesAreCountedInCharactersAsPeopleSeeThem() {
    String emoji = "\uD83D\uDCAA".repeat(CompletionRequest.MAX_NOTES_CHARS);  // 2 UTF-16 units each
    HttpResponse<String> response = put("/api/users/u/workouts/1/1",
        "{\"durationMinutes\": 30, \"notes\": \"" + emoji + "\"}");
    assertEquals(200, response.statusCode(), response.body());
  }

  @Test
  void aKnownPathWithAnotherMethodIsJson405() {
    HttpResponse<String> response = send("POST", "/api/users/u/workouts/1/1", completion(30));
    assertEquals(405, response.statusCode(), response.body());
    assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
    assertEquals("method_not_allowed", json(response).get("error").asText());
  }

  @Test
  void aBodyOverTheLimitIsJson413() {
    String notes = "n".repeat((int) WorkoutApi.MAX_BODY_BYTES);
    HttpResponse<String> response = put("/api/users/u/workouts/1/1",
        "{\"durationMinutes\": 30, \"notes\": \"" + notes + "\"}");
    assertEquals(413, response.statusCode(), response.body());
    assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
    assertEquals("body_too_large", json(response).get("error").asText());
  }

  @Test
  void aUrlJettyRefusesIsJson400() {
    HttpResponse<String> response = get("/api/users/user%00/progress");
    assertEquals(400, response.statusCode(), response.body());
    assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
    assertEquals("bad_request", json(response).get("error").asText());
  }

  @Test
  void healthSaysWhatTheStoreDidInServerTiming() {
    HttpResponse<String> response = get("/api/health");
    assertEquals(200, response.statusCode());
    String timing = response.headers().firstValue("Server-Timing").orElse("");
    assertTrue(timing.startsWith("store;dur="), timing);
    assertTrue(timing.contains("1 operation"), timing);
  }

  @Test
  void unknownRouteIsJson404() {
    HttpResponse<String> response = get("/api/nothing-here");
    assertEquals(404, response.statusCode());
    assertEquals("not_found", json(response).get("error").asText());
  }

  @Test
  void storeOutageAnswers503AndHealthSaysDown() {
    HttpResponse<String> healthy = get("/api/health");
    assertEquals(200, healthy.statusCode());
    assertEquals("up", json(healthy).get("store").asText());

    service.store().close();

    HttpResponse<String> health = get("/api/health");
    assertEquals(503, health.statusCode());
    assertEquals("down", json(health).get("store").asText());
    for (HttpResponse<String> response : List.of(
        get("/api/users/user-42/workouts/completed"),
        put("/api/users/user-42/workouts/1/1", completion(30)),
        delete("/api/users/user-42/workouts/1/1"))) {
      assertEquals(503, response.statusCode(), response.body());
      JsonNode error = json(response);
      assertEquals("store_unavailable", error.get("error").asText());
      assertTrue(error.get("message").asText().contains("unavailable"));
    }
  }

  @Test
  void logsNeverHoldUserIdsBodiesOrValues() {
    Logger logger = (Logger) LoggerFactory.getLogger(WorkoutApi.class);
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    logger.addAppender(events);
    Level level = logger.getLevel();
    logger.setLevel(Level.INFO);
    try {
      String body = "{\"durationMinutes\": 30, \"notes\": \"secret-note-71\"}";
      assertEquals(200, put("/api/users/secret-user-71/workouts/1/1", body).statusCode());
      assertEquals(200, get("/api/users/secret-user-71/workouts/completed").statusCode());
      assertEquals(400, put("/api/users/secret-user-71/workouts/1/1",
          "{\"durationMinutes\": \"secret-value-71\"}").statusCode());
      service.store().close();
      assertEquals(503, put("/api/users/secret-user-71/workouts/1/2", body).statusCode());
    } finally {
      logger.detachAppender(events);
      logger.setLevel(level);
    }
    assertTrue(events.list.size() >= 4, "one line per request: " + events.list);
    for (ILoggingEvent event : events.list) {
      String line = event.getFormattedMessage();
      assertFalse(line.contains("secret"), line);
    }
  }

  @Test
  void closeStopsTheServer() {
    String url = service.url();
    assertEquals(200, get("/api/program").statusCode());
    service.close();
    assertThrows(ConnectException.class, () -> HTTP.send(
        HttpRequest.newBuilder(URI.create(url + "/api/program")).build(),
        BodyHandlers.ofString()));
  }

  // ---------------------------------------------------------------------------------------------

  /** Seeds one completion per workout through the HTTP API, last workout first. */
  private void seedWholeProgram(String user) {
    List<String> reversed = new ArrayList<>(programOrder());
    Collections.reverse(reversed);
    for (String wd : reversed) {
      HttpResponse<String> response =
          put("/api/users/" + user + "/workouts/" + wd, completion(45));
      assertEquals(200, response.statusCode(), response.body());
    }
  }

  private static String completion(int minutes) {
    return "{\"durationMinutes\": " + minutes + ", \"exercises\": [{\"name\": \"Back squat\","
        + " \"sets\": 3, \"reps\": 10, \"weightKg\": 80}], \"notes\": \"ok\"}";
  }

  /** "1/1", "1/2", ... "16/4": the program's order. */
  private static List<String> programOrder() {
    List<String> order = new ArrayList<>();
    for (int week = 1; week <= TrainingProgram.WEEKS; week++) {
      for (int day = 1; day <= TrainingProgram.DAYS_PER_WEEK; day++) {
        order.add(week + "/" + day);
      }
    }
    return order;
  }

  private static List<String> weekDays(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.get("week").asInt() + "/" + n.get("day").asInt()));
    return out;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private HttpResponse<String> get(String path) {
    return send("GET", path, null);
  }

  private HttpResponse<String> put(String path, String body) {
    return send("PUT", path, body);
  }

  private HttpResponse<String> delete(String path) {
    return send("DELETE", path, null);
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
      JsonNode node = JSON.readTree(response.body());
      assertNotNull(node, "empty body");
      return node;
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + response.body(), e);
    }
  }
}
