package io.kvstore.examples;

import io.javalin.Javalin;
import io.javalin.util.JavalinBindException;
import io.kvstore.KvException;
import io.kvstore.KvStore;
import java.time.Clock;
import java.util.Arrays;

/**
 * The workout-completion service: a 16-week program of 4 workouts a week, each user's completed
 * workouts, and the page that shows them at {@code /}. A user's whole program is one
 * {@code getAll} and each page of completed workouts one {@code listValues} call, rather than 64
 * single reads; every response says what the store did for it in a {@code Server-Timing} header.
 *
 * <pre>
 * java -jar examples/target/kvstore-examples.jar --latency 20ms
 * curl -s localhost:7070/api/users/user-42/workouts/completed
 * </pre>
 *
 * <p>A running service owns its store and its HTTP server; {@link #close()} stops both.
 * Thread-safe.
 */
public final class WorkoutService implements AutoCloseable {
  private final KvStore store;
  private final Javalin app;
  private final ServiceOptions options;

  private WorkoutService(KvStore store, Javalin app, ServiceOptions options) {
    this.store = store;
    this.app = app;
    this.options = options;
  }

  /**
   * Runs the service until the process is stopped. Prints the URL it serves.
   *
   * @param args options, see {@link ServiceOptions#USAGE}
   */
  public static void main(String[] args) {
    if (Arrays.asList(args).contains("--help")) {
      System.out.println(ServiceOptions.USAGE);
      return;
    }
    WorkoutService service;
    try {
      service = start(ServiceOptions.parse(args, System.getenv()));
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(ServiceOptions.USAGE);
      System.exit(2);
      return;
    } catch (JavalinBindException e) {
      System.err.println("error: cannot listen there (" + e.getMessage()
          + "); pick another --port, or 0 for any free port");
      System.exit(1);
      return;
    } catch (IllegalStateException | KvException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(service::close, "workout-service-stop"));
    System.out.println("Workout service on " + service.url() + ": open " + service.url()
        + "/?user=user-42 in a browser (Ctrl-C stops it)");
    System.out.println("Data: " + service.dataLocation());
  }

  /**
   * Opens the store the options select and starts serving on it.
   *
   * @param options where to listen and which store to use
   * @return the running service; close it to stop
   * @throws io.kvstore.KvException if the store cannot be opened (Redis unreachable, the data
   *     directory not writable or in use by another process)
   */
  public static WorkoutService start(ServiceOptions options) {
    KvStore store = StoreFactory.open(options, new StoreTiming());
    try {
      Javalin app = WorkoutApi.create(store, Clock.systemUTC(), options.nearCache())
          .start(options.host(), options.port());
      return new WorkoutService(store, app, options);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /**
   * Returns the store the service runs on, so tests can count its round trips.
   *
   * @return the store, owned by this service
   */
  public KvStore store() {
    return store;
  }

  /**
   * Returns the port the service listens on (the one chosen when started with port 0).
   *
   * @return the port
   */
  public int port() {
    return app.port();
  }

  /**
   * Returns the base URL of the service.
   *
   * @return such as {@code http://127.0.0.1:7070}
   */
  public String url() {
    String host = options.host();
    String h = host.contains(":") ? "[" + host + "]" : host;
    return "http://" + h + ":" + port();
  }

  /**
   * Says where the service keeps its data, for its start-up banner.
   *
   * @return such as {@code /srv/kvstore-data/kvstore.db (SQLite; kept across restarts)}
   */
  public String dataLocation() {
    if (options.redisUri() != null) {
      return "Redis (--redis)";
    }
    if (options.dataDir() == null) {
      return "in memory (lost when the service stops; drop --store memory to keep it)";
    }
    return options.dataDir().toAbsolutePath().normalize().resolve("kvstore.db")
        + " (SQLite; kept across restarts)";
  }

  /** Stops the HTTP server, then closes the store. Idempotent. */
  @Override
  public void close() {
    app.stop();
    store.close();
  }
}
