package io.kvstore.examples;

import io.kvstore.SimulatedEdge;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the workout service runs: where it listens and which store it uses. Immutable.
 *
 * @param host the address to bind; {@code 127.0.0.1} by default so that the demo is not
 *     reachable from other machines
 * @param port the port to listen on, 0 for any free port
 * @param latency simulated delay per round trip of the embedded store, zero for none
 * @param maxConcurrentRequests cap on the embedded store's requests in flight, or
 *     {@link SimulatedEdge#UNBOUNDED}
 * @param redisUri the Redis store to use instead of the embedded one, or {@code null}
 * @param nearCache whether completions are read through a near cache (a bounded local cache
 *     that also remembers missing keys for a while, so a repeated program view costs no round
 *     trip)
 */
public record ServiceOptions(
    String host, int port, Duration latency, int maxConcurrentRequests, String redisUri,
    boolean nearCache) {
  /** The port when none is given. */
  public static final int DEFAULT_PORT = 7070;

  /** The address bound when none is given. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  /** The environment variable that selects Redis mode, as {@code --redis} does. */
  public static final String REDIS_URI_ENV = "KVSTORE_REDIS_URI";

  /** Command-line help, printed for {@code --help} and after a usage error. */
  public static final String USAGE = """
      usage: java -jar examples/target/kvstore-examples.jar [options]
        --port N             port to listen on (default 7070; 0 = any free port)
        --host ADDRESS       address to bind (default 127.0.0.1)
        --latency 20ms       simulated round-trip latency of the embedded store (ms or s)
        --max-concurrent N   cap on the embedded store's requests in flight (Workers: 6)
        --redis URI          use Redis instead of the embedded store (also: KVSTORE_REDIS_URI)
        --near-cache on      read completions through a near cache (default off)
        --help               print this help""";

  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s)");

  /**
   * Checks the components.
   *
   * @param host the address to bind
   * @param port the port to listen on, 0 for any free port
   * @param latency simulated delay per round trip of the embedded store, zero for none
   * @param maxConcurrentRequests cap on the embedded store's requests in flight
   * @param redisUri the Redis store to use instead of the embedded one, or {@code null}
   * @param nearCache whether completions are read through a near cache
   * @throws IllegalArgumentException if a component is out of range, or the embedded store's
   *     simulation options are combined with Redis
   */
  public ServiceOptions {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(latency, "latency");
    if (host.isBlank()) {
      throw new IllegalArgumentException("--host must not be blank");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("--port is " + port + "; it must be in 0..65535");
    }
    if (latency.isNegative()) {
      throw new IllegalArgumentException("--latency must not be negative");
    }
    if (maxConcurrentRequests < 1) {
      throw new IllegalArgumentException(
          "--max-concurrent is " + maxConcurrentRequests + "; it must be at least 1");
    }
    if (redisUri != null && (!latency.isZero()
        || maxConcurrentRequests != SimulatedEdge.UNBOUNDED)) {
      throw new IllegalArgumentException(
          "--latency and --max-concurrent simulate an edge network on the embedded store;"
              + " they do not apply to --redis");
    }
  }

  /**
   * Returns the defaults: the embedded store without simulated latency, on 127.0.0.1:7070.
   *
   * @return the default options
   */
  public static ServiceOptions defaults() {
    return new ServiceOptions(DEFAULT_HOST, DEFAULT_PORT, Duration.ZERO, SimulatedEdge.UNBOUNDED,
        null, false);
  }

  /**
   * Returns a copy listening on another port.
   *
   * @param port the port, 0 for any free port
   * @return the new options
   */
  public ServiceOptions withPort(int port) {
    return new ServiceOptions(host, port, latency, maxConcurrentRequests, redisUri, nearCache);
  }

  /**
   * Returns a copy whose embedded store simulates {@code latency} per round trip.
   *
   * @param latency the delay, zero for none
   * @return the new options
   */
  public ServiceOptions withLatency(Duration latency) {
    return new ServiceOptions(host, port, latency, maxConcurrentRequests, redisUri, nearCache);
  }

  /**
   * Returns a copy that runs on Redis.
   *
   * @param redisUri the Redis URI, such as {@code redis://127.0.0.1:6390}
   * @return the new options
   */
  public ServiceOptions withRedis(String redisUri) {
    return new ServiceOptions(host, port, latency, maxConcurrentRequests, redisUri, nearCache);
  }

  /**
   * Returns a copy with the near cache on or off.
   *
   * @param nearCache whether completions are read through a near cache
   * @return the new options
   */
  public ServiceOptions withNearCache(boolean nearCache) {
    return new ServiceOptions(host, port, latency, maxConcurrentRequests, redisUri, nearCache);
  }

  /**
   * Parses command-line arguments ({@code --name value} or {@code --name=value}) over the
   * defaults. {@code --redis} wins over the {@value #REDIS_URI_ENV} environment variable.
   *
   * @param args the arguments
   * @param env the environment, such as {@link System#getenv()}
   * @return the options
   * @throws IllegalArgumentException naming the option, if an option is unknown, lacks its value
   *     or has a bad one
   */
  public static ServiceOptions parse(String[] args, Map<String, String> env) {
    ServiceOptions d = defaults();
    String host = d.host();
    int port = d.port();
    Duration latency = d.latency();
    int maxConcurrent = d.maxConcurrentRequests();
    String redis = blankToNull(env.get(REDIS_URI_ENV));
    boolean nearCache = d.nearCache();
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      String value;
      int eq = name.indexOf('=');
      if (eq > 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException(name + " needs a value");
      }
      switch (name) {
        case "--host" -> host = value;
        case "--port" -> port = parseInt(name, value);
        case "--latency" -> latency = parseDuration(name, value);
        case "--max-concurrent" -> maxConcurrent = parseInt(name, value);
        case "--redis" -> redis = blankToNull(value);
        case "--near-cache" -> nearCache = parseSwitch(name, value);
        default -> throw new IllegalArgumentException("unknown option " + name);
      }
    }
    return new ServiceOptions(host, port, latency, maxConcurrent, redis, nearCache);
  }

  private static boolean parseSwitch(String name, String value) {
    return switch (value) {
      case "on" -> true;
      case "off" -> false;
      default -> throw new IllegalArgumentException(
          name + " is '" + value + "'; it must be on or off");
    };
  }

  private static int parseInt(String name, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " is '" + value + "'; it must be an integer", e);
    }
  }

  private static Duration parseDuration(String name, String value) {
    Matcher m = DURATION.matcher(value);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          name + " is '" + value + "'; give whole milliseconds or seconds, such as 20ms or 1s");
    }
    long amount = Long.parseLong(m.group(1));
    return m.group(2).equals("ms") ? Duration.ofMillis(amount) : Duration.ofSeconds(amount);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
