package io.kvstore.examples;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.kvstore.KvConflictException;
import io.kvstore.KvException;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.KvTimeoutException;
import io.kvstore.KvUnavailableException;
import io.kvstore.KvValidationException;
import io.kvstore.ListOptions;
import io.kvstore.Listing;
import io.kvstore.NamespaceOptions;
import io.kvstore.NearCacheOptions;
import io.kvstore.TtlPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API of the workout service on Javalin: routes, input checks and error mapping.
 *
 * <p>A read makes one store call: a user's progress through the program is one {@code getAll}
 * of its 64 keys, the completed-workouts page one {@code listValues} call (a listing and one
 * batched read) however many workouts it shows, the summary one {@code get}. The one exception
 * is a demo endpoint that reads the 64 keys the old way, one {@code get} after another, so the
 * page can show both side by side. A record or an undo writes the completion, then changes the
 * user's {@link Summary} with {@code update}; if the second step fails the request fails (503)
 * and its retry repairs the summary, since both steps are idempotent. Every response that
 * touched the store carries a {@code Server-Timing} header with what the store did for it
 * ({@link StoreTiming}). Handlers never block: they start the store call and hand Javalin its
 * future. The page itself ({@code /}) is static files from {@code /public} on the classpath.
 *
 * <p>Input checks are {@link RequestInput}'s, error answers and the request log
 * {@link ApiErrors}'.
 */
final class WorkoutApi {
  /** The namespace that holds completions, keyed {@code user:wWW:dD}. */
  static final String NAMESPACE = "workout";

  /**
   * Listing by an ordered index partitioned per user: on Redis a page costs the page, not the
   * whole keyspace, comes in program order, and each user's completions share one Cluster slot.
   */
  static final Listing LISTING = Listing.indexedBy(Listing.firstSegment(':'));

  /**
   * A year of history, spread over its last 5% (about 18 days) so that a bulk import does not
   * expire, and disappear from users' histories, in the same second a year later.
   */
  static final TtlPolicy TTL = TtlPolicy.fixed(Duration.ofDays(365)).withJitter(0.05);

  /**
   * The near cache when it is on: room for the programs of about 1,500 active users (64 keys
   * each), missing keys remembered too (most of a user's 64 workouts are not done yet), and
   * writes through this service drop their key before they answer, so a user always sees their
   * own change.
   */
  static final NearCacheOptions NEAR_CACHE = NearCacheOptions.builder()
      .maximumSize(100_000)
      .negativeTtl(NearCacheOptions.DEFAULT_EXPIRE_AFTER_WRITE)
      .build();

  /** The namespace that holds each user's {@link Summary}, keyed by user id. */
  static final String SUMMARY_NAMESPACE = "summary";

  /** The demo endpoint that reads a user's progress the old way, one key after another. */
  static final String SEQUENTIAL_DEMO = "/api/demo/sequential-gets/users/{user}/progress";

  /** The largest request body accepted, in bytes; a larger one is answered 413. */
  static final long MAX_BODY_BYTES = 1_000_000;

  /** Completions per page when {@code limit} is not given. */
  static final int DEFAULT_LIMIT = 50;

  /** The largest {@code limit} accepted. */
  static final int MAX_LIMIT = 200;

  private static final Logger LOG = LoggerFactory.getLogger(WorkoutApi.class);
  /** The request attribute holding its {@link StoreTiming.Cost}, for the error answers. */
  static final String COST = "kvstore.cost";
  /** The request attribute set once a record or undo wrote the completion, before the summary. */
  static final String SAVED = "kvstore.saved";

  private final KvStore store;
  private final KvNamespace<WorkoutCompletion> completions;
  private final KvNamespace<Summary> summaries;
  /**
   * The same namespace, for the sequential demo only, with coalesced gets off. Coalescing cannot
   * shorten one request's loop that awaits each get; under load it would merge the loops of
   * concurrent requests into shared batches, each counted once, on whichever get led it, so a
   * request's {@code Server-Timing} would show only the batches its gets happened to lead.
   * Off, every request's header shows what its loop costs on its own: one round trip per get,
   * the point of the demo.
   */
  private final KvNamespace<WorkoutCompletion> oneByOne;
  private final Clock clock;

  private WorkoutApi(KvStore store, Clock clock, boolean nearCache) {
    this.store = store;
    this.completions = store.namespace(NamespaceOptions.builder(NAMESPACE, WorkoutCompletion.class)
        .ttl(TTL)
        .listing(LISTING)
        .nearCache(nearCache ? NEAR_CACHE : null)
        .build());
    this.oneByOne = store.namespace(completions.options().toBuilder().coalesceGets(false)
        .build());
    // A summary lives as long as the user's latest change: the TTL restarts on every update.
    this.summaries = store.namespace(NamespaceOptions.builder(SUMMARY_NAMESPACE, Summary.class)
        .ttl(TTL)
        .nearCache(nearCache ? NEAR_CACHE : null)
        .build());
    this.clock = clock;
  }

  /**
   * Creates the Javalin application, not yet started. The store stays the caller's to close.
   *
   * @param store the store completions live in, opened with a {@link StoreTiming} listener
   * @param clock the time given to completions sent without {@code completedAt}
   * @param nearCache whether completions are read through {@link #NEAR_CACHE}
   * @return the application
   */
  static Javalin create(KvStore store, Clock clock, boolean nearCache) {
    WorkoutApi api = new WorkoutApi(store, clock, nearCache);
    return Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.startup.showOldJavalinVersionWarning = false;
      config.jsonMapper(new JavalinJackson(RequestInput.MAPPER, false));
      // A known path with another method is 405 (with Allow), not 404.
      config.http.prefer405over404 = true;
      config.http.maxRequestSize = MAX_BODY_BYTES;
      // Requests Jetty rejects before any route sees them (a URL with an encoded control
      // character, an ambiguous path, a malformed header) get the same JSON as the API's errors.
      config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
      config.requestLogger.http(ApiErrors::logRequest);
      config.staticFiles.add(files -> {
        files.hostedPath = "/";
        files.directory = "/public";
        files.location = Location.CLASSPATH;
        // Served from the jar: revalidate so a new build's page is never mixed with old script.
        files.headers = Map.of("Cache-Control", "no-cache");
      });

      config.routes.get("/api/program", ctx -> ctx.json(TrainingProgram.workouts()));
      config.routes.get("/api/health", api::health);
      config.routes.get("/api/users/{user}/progress", api::progress);
      config.routes.get("/api/users/{user}/summary", api::summary);
      config.routes.get(SEQUENTIAL_DEMO, api::progressOneByOne);
      config.routes.get("/api/users/{user}/workouts/completed", api::completed);
      config.routes.put("/api/users/{user}/workouts/{week}/{day}", api::put);
      config.routes.delete("/api/users/{user}/workouts/{week}/{day}", api::delete);

      config.routes.error(404, ctx ->
          ctx.json(new ApiError("not_found", null, "no endpoint " + ctx.method() + " here")));
      config.routes.exception(HttpResponseException.class, ApiErrors::httpError);
      config.routes.exception(BadRequestException.class, (e, ctx) ->
          ctx.status(400).json(new ApiError("bad_request", e.field(), e.getMessage())));
      config.routes.exception(KvValidationException.class, (e, ctx) ->
          ctx.status(400).json(new ApiError("bad_request", e.argument(), e.getMessage())));
      config.routes.exception(KvUnavailableException.class, ApiErrors::storeDown);
      config.routes.exception(KvTimeoutException.class, ApiErrors::storeDown);
      config.routes.exception(KvConflictException.class, ApiErrors::conflict);
      config.routes.exception(Exception.class, ApiErrors::internal);
    });
  }

  /**
   * Returns the key of one completion. Zero-padded weeks make the namespace's lexicographic
   * order the program's order, so listing the prefix {@code user:} returns week 1 day 1 first.
   *
   * @param user the user id
   * @param week the week
   * @param day the day
   * @return the key, such as {@code user-42:w01:d1}
   */
  static String key(String user, int week, int day) {
    return String.format("%s:w%02d:d%d", user, week, day);
  }

  private void health(Context ctx) {
    StoreTiming.Cost cost = cost(ctx);
    CompletableFuture<Void> answered = StoreTiming.track(cost, this::ping).handle((ok, error) -> {
      ctx.header("Server-Timing", cost.serverTiming());
      if (error == null) {
        ctx.json(Map.of("store", "up"));
      } else {
        LOG.warn("health check: store is down: {}", error.toString());
        ctx.status(503).json(Map.of("store", "down"));
      }
      return null;
    });
    ctx.future(() -> answered);
  }

  /** Pings the store; a store that throws instead of failing the future counts as down. */
  private CompletableFuture<Void> ping() {
    try {
      return store.ping();
    } catch (KvException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** A user's completions over the whole program: one {@code getAll} of its 64 keys. */
  private void progress(Context ctx) {
    String user = RequestInput.user(ctx);
    List<String> keys = programKeys(user);
    StoreTiming.Cost cost = cost(ctx);
    CompletableFuture<Void> answered = StoreTiming.track(cost, () -> completions.getAll(keys))
        .thenAccept(found -> answer(ctx, cost, new Progress(user, keys.size(),
            List.copyOf(found.values()))));
    ctx.future(() -> answered);
  }

  /**
   * The same answer as {@link #progress}, read the way the page used to: one {@code get} per
   * workout, each waiting for the one before. Kept only to show the difference.
   */
  private void progressOneByOne(Context ctx) {
    String user = RequestInput.user(ctx);
    List<String> keys = programKeys(user);
    StoreTiming.Cost cost = cost(ctx);
    // Touched by one stage at a time; each stage happens-before the next.
    List<WorkoutCompletion> found = new ArrayList<>();
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    for (String key : keys) {
      chain = chain.thenCompose(previous -> StoreTiming.track(cost, () -> oneByOne.get(key)))
          .thenAccept(completion -> completion.ifPresent(found::add));
    }
    CompletableFuture<Void> answered = chain.thenRun(() ->
        answer(ctx, cost, new Progress(user, keys.size(), found)));
    ctx.future(() -> answered);
  }

  private void completed(Context ctx) {
    String user = RequestInput.user(ctx);
    ListOptions options = ListOptions.prefix(user + ":").limit(RequestInput.limit(ctx));
    String cursor = ctx.queryParam("cursor");
    if (cursor != null) {
      options = options.cursor(cursor);
    }
    ListOptions listing = options;
    StoreTiming.Cost cost = cost(ctx);
    CompletableFuture<Void> page =
        StoreTiming.track(cost, () -> completions.listValues(listing)).thenAccept(p -> {
          if (!p.failures().isEmpty()) {
            LOG.warn("{} stored completions could not be decoded and were left out",
                p.failures().size());
          }
          answer(ctx, cost, new CompletionPage(p.values(), p.cursor().orElse(null)));
        });
    ctx.future(() -> page);
  }

  private void put(Context ctx) {
    String user = RequestInput.user(ctx);
    int week = RequestInput.week(ctx);
    int day = RequestInput.day(ctx);
    WorkoutCompletion completion =
        RequestInput.body(ctx).toCompletion(user, week, day, clock.instant());
    StoreTiming.Cost cost = cost(ctx);
    CompletableFuture<Void> write =
        StoreTiming.track(cost, () -> completions.put(key(user, week, day), completion))
            .thenCompose(written -> markInSummary(ctx, cost, user, week, day, true))
            .thenRun(() -> answer(ctx, cost, completion));
    ctx.future(() -> write);
  }

  private void delete(Context ctx) {
    String user = RequestInput.user(ctx);
    int week = RequestInput.week(ctx);
    int day = RequestInput.day(ctx);
    StoreTiming.Cost cost = cost(ctx);
    CompletableFuture<Void> deletion =
        StoreTiming.track(cost, () -> completions.delete(key(user, week, day)))
            .thenCompose(existed -> markInSummary(ctx, cost, user, week, day, false))
            .thenAccept(summary -> {
              ctx.header("Server-Timing", cost.serverTiming());
              ctx.status(204);
            });
    ctx.future(() -> deletion);
  }

  /** A user's summary: one {@code get}; a user with nothing recorded has an empty one. */
  private void summary(Context ctx) {
    String user = RequestInput.user(ctx);
    StoreTiming.Cost cost = cost(ctx);
    CompletableFuture<Void> answered = StoreTiming.track(cost, () -> summaries.get(user))
        .thenAccept(found -> answer(ctx, cost, found.orElse(Summary.EMPTY).view(user)));
    ctx.future(() -> answered);
  }

  /**
   * Marks a workout done or not in the user's summary, with {@code update}: another request of
   * the same user changing it in between makes this one read again and retry, so no change is
   * lost. The function always returns a new summary, so the write happens even when the workout
   * already had that mark: every record and undo then costs the same round trips (the
   * completion's write, the summary's read and its conditional write), which is what each
   * response's {@code Server-Timing} reports.
   */
  private CompletableFuture<Optional<Summary>> markInSummary(Context ctx, StoreTiming.Cost cost,
      String user, int week, int day, boolean done) {
    ctx.attribute(SAVED, true);
    return StoreTiming.track(cost, () -> summaries.update(user,
        current -> Optional.of(current.orElse(Summary.EMPTY).with(week, day, done))));
  }

  /** The keys of a user's whole program, in program order. */
  private static List<String> programKeys(String user) {
    List<String> keys = new ArrayList<>(TrainingProgram.WEEKS * TrainingProgram.DAYS_PER_WEEK);
    for (TrainingProgram.PlannedWorkout w : TrainingProgram.workouts()) {
      keys.add(key(user, w.week(), w.day()));
    }
    return keys;
  }

  /** Starts accounting for what the store does for this request. */
  private static StoreTiming.Cost cost(Context ctx) {
    StoreTiming.Cost cost = new StoreTiming.Cost();
    ctx.attribute(COST, cost);
    return cost;
  }

  private static void answer(Context ctx, StoreTiming.Cost cost, Object body) {
    ctx.header("Server-Timing", cost.serverTiming());
    ctx.json(body);
  }
}
