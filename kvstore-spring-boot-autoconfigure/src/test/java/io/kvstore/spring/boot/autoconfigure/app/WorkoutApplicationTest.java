package io.kvstore.spring.boot.autoconfigure.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvstore.testkit.redis.RedisExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The starter in a real web application on a real Redis: writes and reads over HTTP through an
 * injected namespace, then reads Actuator's health and metrics over HTTP.
 */
@SpringBootTest(classes = WorkoutApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
        "management.endpoints.web.exposure.include=health,metrics,info",
        "management.endpoint.health.show-details=always"})
@DirtiesContext
class WorkoutApplicationTest {
  /** Started before Spring builds the context, which reads its URI lazily below. */
  @RegisterExtension
  static final RedisExtension redis = RedisExtension.server();

  /** Tomcat's work folder, which Boot would otherwise leave behind as /tmp/tomcat.* . */
  @TempDir
  static Path tomcatDir;

  private static final JsonMapper json = JsonMapper.builder().build();

  @Value("${local.server.port}")
  private int port;

  @DynamicPropertySource
  static void redisUri(DynamicPropertyRegistry registry) {
    registry.add("kvstore.redis.uri", redis::uri);
    registry.add("server.tomcat.basedir", () -> tomcatDir.toString());
  }

  /** A status and body over plain HttpURLConnection (java.base: no extra module to read). */
  private record Response(int status, String body) {}

  private Response send(String method, String path, String body) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) URI.create(
        "http://127.0.0.1:" + port + path).toURL().openConnection();
    try {
      connection.setRequestMethod(method);
      if (body != null) {
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", "application/json");
        try (OutputStream out = connection.getOutputStream()) {
          out.write(body.getBytes(StandardCharsets.UTF_8));
        }
      }
      int status = connection.getResponseCode();
      try (InputStream in = status < 400 ? connection.getInputStream()
          : connection.getErrorStream()) {
        return new Response(status, in == null ? ""
            : new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    } finally {
      connection.disconnect();
    }
  }

  private JsonNode getJson(String path) throws IOException {
    Response response = send("GET", path, null);
    assertThat(response.status()).as(path).isEqualTo(200);
    return json.readTree(response.body());
  }

  @Test
  void writesAndReadsThroughTheNamespaceAndReportsHealthAndMetrics() throws IOException {
    assertThat(send("PUT", "/workouts/ada:w01:d1", "{\"user\":\"ada\",\"week\":1,\"day\":1}")
        .status()).isEqualTo(200);
    assertThat(String.valueOf(redis.process().call("GET", "workout:ada:w01:d1")))
        .isEqualTo("{\"user\":\"ada\",\"week\":1,\"day\":1}");

    assertThat(getJson("/workouts/ada:w01:d1"))
        .isEqualTo(json.readTree("{\"user\":\"ada\",\"week\":1,\"day\":1}"));
    assertThat(send("GET", "/workouts/bob:w01:d1", null).status()).isEqualTo(404);
    assertThat(getJson("/workouts?ids=ada:w01:d1,bob:w01:d1").propertyNames())
        .containsExactly("ada:w01:d1");

    JsonNode kvstore = getJson("/actuator/health").path("components").path("kvstore");
    assertThat(kvstore.path("status").asString()).isEqualTo("UP");
    assertThat(kvstore.path("details").path("store").asString()).isEqualTo("redis");

    assertThat(getJson("/actuator/info").path("kvstore").path("store").asString())
        .isEqualTo("redis");

    assertThat(getJson("/actuator/metrics").path("names").valueStream()
        .map(JsonNode::asString)).contains("kvstore.operations", "kvstore.round.trips");
    JsonNode gets = getJson("/actuator/metrics/kvstore.operations"
        + "?tag=namespace:workout&tag=operation:get");
    assertThat(gets.path("measurements").get(0).path("statistic").asString()).isEqualTo("COUNT");
    assertThat(gets.path("measurements").get(0).path("value").asDouble()).isEqualTo(2.0);
  }
}
