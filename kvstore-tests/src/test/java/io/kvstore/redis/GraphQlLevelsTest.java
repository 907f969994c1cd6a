package io.kvstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.schema.DataFetcher;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import io.kvstore.KvEvent;
import io.kvstore.KvNamespace;
import io.kvstore.KvOperation;
import io.kvstore.KvRoundTrips;
import io.kvstore.KvStore;
import io.kvstore.NamespaceOptions;
import io.kvstore.testkit.redis.RedisExtension;
import io.kvstore.testkit.redis.RedisServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.dataloader.DataLoader;
import org.dataloader.DataLoaderFactory;
import org.dataloader.DataLoaderRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real GraphQL query ({@code com.graphql-java:graphql-java}) three levels deep, users, their
 * workouts and each workout's exercise, resolved from three namespaces on one Redis server
 * (issue 31).
 *
 * <p>With a java-dataloader {@code MappedBatchLoader} over {@code getAll} per namespace, and
 * graphql-java dispatching the loaders once per level, 8 users of 8 workouts each cost exactly
 * one round trip per level: three {@code MGET}s, where resolvers that awaited each read would
 * make 8 + 64 + 63. Without loaders, the same resolvers' plain {@code get}s are coalesced into
 * fewer round trips than gets, with the same answers; how they fall into batches depends on
 * when each resolver runs, so only the accounting is checked exactly there: the round trips
 * the store reports are the {@code GET}s and {@code MGET}s Redis executed.
 */
class GraphQlLevelsTest {
  @RegisterExtension
  static final RedisExtension REDIS = RedisExtension.server();

  private static final String SCHEMA = """
      type Query { users(ids: [ID!]!): [User] }
      type User { id: ID!, name: String!, workouts: [Workout]! }
      type Workout { id: ID!, reps: Int!, exercise: Exercise }
      type Exercise { id: ID!, name: String! }
      """;

  private static final String QUERY = """
      query ($ids: [ID!]!) {
        users(ids: $ids) { id name workouts { id reps exercise { id name } } }
      }
      """;

  private static final List<String> EXERCISE_NAMES =
      List.of("squat", "bench press", "deadlift", "row", "overhead press", "pull-up");

  /**
   * A user as stored: the keys of the workouts are in the record, as a document store keeps them.
   *
   * @param id the user's key
   * @param name the user's name
   * @param workoutIds the keys of the user's workouts
   */
  public record User(String id, String name, List<String> workoutIds) {}

  /**
   * A workout as stored.
   *
   * @param id the workout's key
   * @param reps reps done
   * @param exerciseId the key of its exercise
   */
  public record Workout(String id, int reps, String exerciseId) {}

  /**
   * An exercise as stored.
   *
   * @param id the exercise's key
   * @param name its name
   */
  public record Exercise(String id, String name) {}

  private KvStore store;
  private KvNamespace<User> users;
  private KvNamespace<Workout> workouts;
  private KvNamespace<Exercise> exercises;
  private final Map<String, User> userData = new LinkedHashMap<>();
  private final Map<String, Workout> workoutData = new LinkedHashMap<>();
  private final Map<String, Exercise> exerciseData = new LinkedHashMap<>();

  @BeforeEach
  void open() {
    REDIS.flushAll();
    store = RedisKvStore.connect(REDIS.uri(),
        RedisKvOptions.builder().coalesceGets(true).build());
    users = store.namespace(NamespaceOptions.builder("user", User.class).build());
    workouts = store.namespace(NamespaceOptions.builder("workout", Workout.class).build());
    exercises = store.namespace(NamespaceOptions.builder("exercise", Exercise.class).build());

    for (int e = 0; e < EXERCISE_NAMES.size(); e++) {
      exerciseData.put("ex-" + e, new Exercise("ex-" + e, EXERCISE_NAMES.get(e)));
    }
    for (int u = 1; u <= 8; u++) {
      List<String> ids = new ArrayList<>();
      for (int w = 1; w <= 8; w++) {
        String id = "user-" + u + ":w" + w;
        ids.add(id);
        workoutData.put(id, new Workout(id, 5 + (u + w) % 4, "ex-" + (u * 8 + w) % 6));
      }
      userData.put("user-" + u, new User("user-" + u, "User " + u, ids));
    }
    // Listed by its user but never stored (deleted, say): the query must answer null for it.
    workoutData.remove("user-3:w5");
    users.blocking().putAll(userData);
    workouts.blocking().putAll(workoutData);
    exercises.blocking().putAll(exerciseData);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static RedisServer server() {
    return REDIS.process();
  }

  /** The schema wired to the given fetchers, one per level. */
  private static GraphQL graphQl(DataFetcher<?> users, DataFetcher<?> workouts,
      DataFetcher<?> exercise) {
    RuntimeWiring wiring = RuntimeWiring.newRuntimeWiring()
        .type("Query", t -> t.dataFetcher("users", users))
        .type("User", t -> t.dataFetcher("workouts", workouts))
        .type("Workout", t -> t.dataFetcher("exercise", exercise))
        .build();
    GraphQLSchema schema = new SchemaGenerator()
        .makeExecutableSchema(new SchemaParser().parse(SCHEMA), wiring);
    return GraphQL.newGraphQL(schema).build();
  }

  private static ExecutionInput.Builder query(List<String> ids) {
    return ExecutionInput.newExecutionInput().query(QUERY).variables(Map.of("ids", ids));
  }

  /** The answer computed from the stored maps, in the shape graphql-java returns it. */
  private Map<String, Object> expected(List<String> ids) {
    List<Object> answer = new ArrayList<>();
    for (String id : ids) {
      User user = userData.get(id);
      List<Object> done = new ArrayList<>();
      for (String workoutId : user.workoutIds()) {
        Workout w = workoutData.get(workoutId);
        if (w == null) {
          done.add(null);
          continue;
        }
        Exercise e = exerciseData.get(w.exerciseId());
        done.add(Map.of("id", w.id(), "reps", w.reps(),
            "exercise", Map.of("id", e.id(), "name", e.name())));
      }
      answer.add(Map.of("id", user.id(), "name", user.name(), "workouts", done));
    }
    return Map.of("users", answer);
  }

  @Test
  void withAMappedBatchLoaderPerNamespaceEachLevelIsOneMget() {
    GraphQL graphQl = graphQl(
        env -> env.<String, User>getDataLoader("user")
            .loadMany(env.<List<String>>getArgument("ids")),
        env -> env.<String, Workout>getDataLoader("workout")
            .loadMany(env.<User>getSource().workoutIds()),
        env -> env.<String, Exercise>getDataLoader("exercise")
            .load(env.<Workout>getSource().exerciseId()));
    List<String> ids = List.copyOf(userData.keySet());

    long gets = server().commandCalls("get");
    long mgets = server().commandCalls("mget");
    ExecutionResult[] result = new ExecutionResult[1];
    KvRoundTrips.Recording r = KvRoundTrips.record(store, () -> {
      // A registry per request, as java-dataloader's cache is per request: graphql-java 26
      // takes it from the ExecutionInput and dispatches it per level with no instrumentation.
      DataLoaderRegistry registry = DataLoaderRegistry.newRegistry()
          .register("user", loader(users))
          .register("workout", loader(workouts))
          .register("exercise", loader(exercises))
          .build();
      result[0] = graphQl.execute(query(ids).dataLoaderRegistry(registry));
    });

    assertEquals(List.of(), result[0].getErrors());
    assertEquals(expected(ids), result[0].getData());
    assertEquals(3, r.roundTrips(), r::summary);
    assertEquals(List.of(KvOperation.GET_ALL, KvOperation.GET_ALL, KvOperation.GET_ALL),
        r.operations().stream().map(KvEvent::operation).toList(), r::summary);
    // Level by level: 8 users, their 64 workouts (one missing), the 6 exercises those name.
    assertEquals(List.of("user", "workout", "exercise"),
        r.operations().stream().map(KvEvent::namespace).toList(), r::summary);
    assertEquals(List.of(8, 64, 6),
        r.operations().stream().map(KvEvent::keyCount).toList(), r::summary);
    assertEquals(mgets + 3, server().commandCalls("mget"));
    assertEquals(gets, server().commandCalls("get"));
  }

  @Test
  void withPlainGetsTheSameQueryCostsFewerRoundTripsThanGetsAndEachIsACommand() {
    AtomicInteger issued = new AtomicInteger();
    GraphQL graphQl = graphQl(
        env -> getEach(users, env.<List<String>>getArgument("ids"), issued),
        env -> getEach(workouts, env.<User>getSource().workoutIds(), issued),
        env -> {
          issued.incrementAndGet();
          return exercises.get(env.<Workout>getSource().exerciseId())
              .thenApply(e -> e.orElse(null));
        });
    List<String> ids = List.copyOf(userData.keySet());

    long gets = server().commandCalls("get");
    long mgets = server().commandCalls("mget");
    ExecutionResult[] result = new ExecutionResult[1];
    KvRoundTrips.Recording r = KvRoundTrips.record(store,
        () -> result[0] = graphQl.execute(query(ids)));

    assertEquals(List.of(), result[0].getErrors());
    assertEquals(expected(ids), result[0].getData());
    // 8 users, 64 workouts, and an exercise for each of the 63 workouts found.
    assertEquals(8 + 64 + 63, issued.get());
    long commands = server().commandCalls("get") - gets + server().commandCalls("mget") - mgets;
    assertEquals(commands, r.roundTrips(), r::summary);
    assertTrue(r.roundTrips() < issued.get(), r::summary);
  }

  private static <V> DataLoader<String, V> loader(KvNamespace<V> ns) {
    // getAll omits missing keys, which a mapped loader hands to their callers as null.
    return DataLoaderFactory.newMappedDataLoader(keys -> ns.getAll(keys));
  }

  /** What a resolver without a loader does for a list: a get per key, all awaited together. */
  private static <V> CompletableFuture<List<V>> getEach(KvNamespace<V> ns, List<String> keys,
      AtomicInteger issued) {
    List<CompletableFuture<Optional<V>>> gets = keys.stream().map(ns::get).toList();
    issued.addAndGet(gets.size());
    return CompletableFuture.allOf(gets.toArray(CompletableFuture[]::new))
        .thenApply(v -> gets.stream().map(g -> g.join().orElse(null)).toList());
  }
}
