package io.kvstore.spring.boot.autoconfigure.app;

import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.NamespaceOptions;
import io.kvstore.TtlPolicy;
import io.kvstore.spring.boot.autoconfigure.KvJsonCodecs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A web application as a user writes it: one namespace bean, one controller. */
// tag::application[]
@SpringBootApplication
public class WorkoutApplication {
  /** A completed workout. */
  public record Workout(String user, int week, int day) {}

  /**
   * The namespace, on the application's Jackson 3 mapper.
   *
   * @param store the auto-configured store
   * @param json codecs on the application's JsonMapper
   * @return the namespace
   */
  @Bean
  KvNamespace<Workout> workouts(KvStore store, KvJsonCodecs json) {
    return store.namespace(NamespaceOptions.builder("workout", json.codec(Workout.class))
        .ttl(TtlPolicy.fixed(Duration.ofDays(180)))
        .build());
  }

  /** Writes and reads workouts through the namespace. */
  @RestController
  static class WorkoutController {
    private final KvNamespace<Workout> workouts;

    WorkoutController(KvNamespace<Workout> workouts) {
      this.workouts = workouts;
    }

    @PutMapping("/workouts/{id}")
    void put(@PathVariable String id, @RequestBody Workout workout) {
      workouts.blocking().put(id, workout);
    }

    @GetMapping("/workouts/{id}")
    ResponseEntity<Workout> get(@PathVariable String id) {
      return ResponseEntity.of(workouts.blocking().get(id));
    }

    @GetMapping("/workouts")
    Map<String, Workout> getAll(@RequestParam List<String> ids) {
      return workouts.blocking().getAll(ids);
    }
  }
}
// end::application[]
