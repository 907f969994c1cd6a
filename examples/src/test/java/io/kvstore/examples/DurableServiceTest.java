package io.kvstore.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service's default store is durable: what it recorded is there after it stops and starts
 * again on the same data directory (in this JVM; {@code WorkoutPageBrowserTest} stops a separate
 * process with SIGTERM and with {@code kill -9}).
 */
class DurableServiceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path data;

  @Test
  void recordedWorkoutsSurviveARestartOnTheSameDataDirectory() throws Exception {
    ServiceOptions options = ServiceOptions.defaults().withPort(0).withDataDir(data);
    try (WorkoutService service = WorkoutService.start(options)) {
      new ServiceClient(service).seed("dana", 7);
      assertTrue(service.dataLocation().startsWith(data.resolve("kvstore.db").toString()),
          service.dataLocation());
    }
    assertTrue(Files.isRegularFile(data.resolve("kvstore.db")));
    try (WorkoutService again = WorkoutService.start(options)) {
      JsonNode progress = JSON.readTree(new ServiceClient(again)
          .send("GET", "/api/users/dana/progress", null).body());
      assertEquals(7, progress.get("completions").size(), progress.toString());
    }
  }
}
