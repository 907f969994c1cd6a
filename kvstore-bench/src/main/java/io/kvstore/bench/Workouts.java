package io.kvstore.bench;

import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.ListOptions;
import io.kvstore.NamespaceOptions;
import io.kvstore.TtlPolicy;
import io.kvstore.bench.WorkoutCompletion.ExerciseLog;
import io.kvstore.bench.WorkoutCompletion.SetLog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark data set: users {@code user-1, user-2, ...}, each with the 64 completions of the
 * program at keys {@code user-42:w01:d1} to {@code user-42:w16:d4}. The first {@code n} keys
 * are user 1's program, then user 2's, and so on, so {@code keys(64)} is one user's program.
 */
public final class Workouts {
  /** The namespace every benchmark reads; Redis keys are {@code workout:user-1:w01:d1}. */
  public static final String NAMESPACE = "workout";

  /** Completions per user: 16 weeks of 4 days. */
  public static final int PER_USER = 64;

  /** Records seeded for the fetch and peer benchmarks: 16 users, enough for N = 1000. */
  public static final int SEEDED = 16 * PER_USER;

  private static final Instant PROGRAM_START = Instant.parse("2026-03-02T06:30:00Z");
  private static final String[][] DAYS = {
      {"back squat", "bench press", "barbell row"},
      {"deadlift", "overhead press", "pull-up"},
      {"front squat", "incline bench press", "romanian deadlift"},
      {"power clean", "weighted dip", "farmer carry"}};

  private Workouts() {}

  /**
   * Returns the options of the benchmark namespace: JSON, and a one-day TTL so that data seeded
   * into an existing server ({@code -Dkvstore.redis}) goes away by itself.
   *
   * @return the options
   */
  public static NamespaceOptions<WorkoutCompletion> namespace() {
    return NamespaceOptions.builder(NAMESPACE, WorkoutCompletion.class)
        .ttl(TtlPolicy.fixed(Duration.ofDays(1)))
        .build();
  }

  /** Records per seeding {@code putAll}: a cold JVM on a loaded machine stays within 2 s. */
  private static final int SEED_BATCH = 1000;

  /**
   * Writes the first {@code n} records into a store, {@value #SEED_BATCH} per {@code putAll}.
   *
   * @param store the store
   * @param n how many
   */
  public static void seed(KvStore store, int n) {
    KvNamespace<WorkoutCompletion> ns = store.namespace(namespace());
    Map<String, WorkoutCompletion> batch = new LinkedHashMap<>();
    for (Map.Entry<String, WorkoutCompletion> e : records(n).entrySet()) {
      batch.put(e.getKey(), e.getValue());
      if (batch.size() == SEED_BATCH) {
        ns.putAll(batch).join();
        batch.clear();
      }
    }
    ns.putAll(batch).join();
  }

  /**
   * Returns the first {@code n} keys of the data set.
   *
   * @param n how many
   * @return keys in data-set order
   */
  public static List<String> keys(int n) {
    List<String> keys = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      keys.add(key(1 + i / PER_USER, 1 + (i % PER_USER) / 4, 1 + i % 4));
    }
    return keys;
  }

  /**
   * Returns the first {@code n} records of the data set with their keys.
   *
   * @param n how many
   * @return keys and records in data-set order
   */
  public static Map<String, WorkoutCompletion> records(int n) {
    Map<String, WorkoutCompletion> records = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      int user = 1 + i / PER_USER;
      int week = 1 + (i % PER_USER) / 4;
      int day = 1 + i % 4;
      records.put(key(user, week, day), completion(user, week, day));
    }
    return records;
  }

  /**
   * Returns the page a service lists to show {@code n} completions: one user's program,
   * {@code prefix("user-1:").limit(n)}. A user has 64 completions, so for {@code n > 64} the
   * listing is widened to every user ({@code prefix("user-")}) to still return {@code n}.
   *
   * @param n the page size
   * @return the listing options
   */
  public static ListOptions listing(int n) {
    return ListOptions.prefix(n <= PER_USER ? "user-1:" : "user-").limit(n);
  }

  /**
   * Returns a key: {@code user-42:w01:d1}.
   *
   * @param user the user number
   * @param week the week, 1 to 16
   * @param day the day, 1 to 4
   * @return the key
   */
  public static String key(int user, int week, int day) {
    return "user-" + user + ":w" + (week < 10 ? "0" : "") + week + ":d" + day;
  }

  /**
   * Makes the record of one completion: three exercises of three to four sets, progressing
   * week by week.
   *
   * @param user the user number
   * @param week the week
   * @param day the day
   * @return the record
   */
  public static WorkoutCompletion completion(int user, int week, int day) {
    List<ExerciseLog> exercises = new ArrayList<>(3);
    for (int e = 0; e < 3; e++) {
      List<SetLog> sets = new ArrayList<>(4);
      int setCount = e == 0 ? 4 : 3;
      for (int s = 0; s < setCount; s++) {
        sets.add(new SetLog(e == 0 ? 5 : 8, 40.0 + 10 * (2 - e) + 2.5 * week + (user % 5)));
      }
      exercises.add(new ExerciseLog(DAYS[day - 1][e], List.copyOf(sets)));
    }
    Instant completed = PROGRAM_START.plus(Duration.ofDays(7L * (week - 1) + 2L * (day - 1)))
        .plusSeconds(97L * user + 3600);
    String id = String.format("c-%05d-%02d-%d-%08x", user, week, day, (user * 64 + week * 4 + day)
        * 0x9E3779B1);
    return new WorkoutCompletion(id, "user-" + user, "strength-16w-4d", week, day, completed,
        2700 + 60 * ((user + week + day) % 20), List.copyOf(exercises));
  }
}
