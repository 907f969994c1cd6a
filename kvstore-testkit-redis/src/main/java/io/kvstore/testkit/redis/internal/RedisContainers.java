package io.kvstore.testkit.redis.internal;

import io.kvstore.testkit.redis.RedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * Redis in Docker containers through Testcontainers: one server, or the masters of a Cluster.
 *
 * <p>With host networking each {@code redis-server} binds 127.0.0.1 on a free port of the host,
 * so nothing is reachable on any other address and a Cluster's nodes announce addresses the test
 * can reach; that is the only way a Cluster runs here. With the default bridge network the
 * server listens on 6379 inside the container and Docker maps it to a free host port.
 *
 * <p>Containers are stopped by {@link #close()}, and by a JVM shutdown hook if a test run dies
 * (Testcontainers' own reaper, Ryuk, may be disabled, as it is where no registry is reachable).
 */
public final class RedisContainers implements AutoCloseable {
  private static final Duration STARTUP = Duration.ofSeconds(60);
  private static final Set<RedisContainers> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(
        () -> RUNNING.forEach(RedisContainers::close), "kvstore-redis-containers-cleanup"));
  }

  private final List<GenericContainer<?>> containers;
  private final List<Endpoint> endpoints;
  private final String description;

  private RedisContainers(List<GenericContainer<?>> containers, List<Endpoint> endpoints,
      String description) {
    this.containers = List.copyOf(containers);
    this.endpoints = List.copyOf(endpoints);
    this.description = description;
  }

  /** Where a container's server answers, seen from the test. */
  private record Endpoint(String host, int port) {
    String uri() {
      return "redis://" + host + ":" + port;
    }
  }

  /**
   * Finds out whether a Docker engine answers, as Testcontainers looks for one (DOCKER_HOST,
   * {@code ~/.testcontainers.properties}, the default socket).
   *
   * @return {@code null} if containers can be started, else why not
   */
  public static String whyNoDocker() {
    try {
      DockerClientFactory.instance().client();
      return null;
    } catch (RuntimeException | LinkageError e) {
      return "no Docker engine answers (" + e.getMessage() + ")";
    }
  }

  /**
   * Starts one Redis server.
   *
   * @param image the image, such as {@code redis:7.4}
   * @param hostNetwork share the host's network, binding 127.0.0.1 only
   * @return the running container
   * @throws IllegalStateException if it does not start and answer within 60 s
   */
  public static RedisContainers server(String image, boolean hostNetwork) {
    List<GenericContainer<?>> started = new ArrayList<>();
    try {
      GenericContainer<?> container;
      Endpoint endpoint;
      if (hostNetwork) {
        int port = RedisServer.freePort();
        container = start(image, port, List.of());
        endpoint = new Endpoint("127.0.0.1", port);
      } else {
        container = new GenericContainer<>(DockerImageName.parse(image))
            .withCommand("redis-server", "--save", "", "--appendonly", "no",
                "--protected-mode", "no")
            .withExposedPorts(6379)
            .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*", 1)
                .withStartupTimeout(STARTUP));
        container.start();
        endpoint = new Endpoint(container.getHost(), container.getMappedPort(6379));
      }
      started.add(container);
      return running(started, List.of(endpoint),
          image + (hostNetwork ? " (host network)" : ""));
    } catch (RuntimeException e) {
      started.forEach(GenericContainer::stop);
      throw new IllegalStateException("Redis container " + image + " did not start: " + e, e);
    }
  }

  /**
   * Starts the masters of a Redis Cluster, one container each, and joins them.
   *
   * @param image the image, such as {@code redis:7.4}
   * @param masters how many masters, at least 3
   * @return the running containers, every slot served
   * @throws IllegalStateException if they do not start, or the cluster is not ready in time
   */
  public static RedisContainers cluster(String image, int masters) {
    List<GenericContainer<?>> started = new ArrayList<>();
    List<Integer> ports = new ArrayList<>();
    try {
      for (int i = 0; i < masters; i++) {
        int port = RedisServer.freePort();
        started.add(start(image, port, List.of("--cluster-enabled", "yes",
            "--cluster-config-file", "nodes-" + port + ".conf", "--cluster-node-timeout", "3000")));
        ports.add(port);
      }
      ClusterJoin.join(ports, List.of());
      return running(started, ports.stream().map(p -> new Endpoint("127.0.0.1", p)).toList(),
          masters + "-master Cluster of " + image + " (host network)");
    } catch (RuntimeException e) {
      started.forEach(GenericContainer::stop);
      throw new IllegalStateException("Redis Cluster containers of " + image
          + " did not start: " + e, e);
    }
  }

  private static GenericContainer<?> start(String image, int port, List<String> extraArgs) {
    List<String> command = new ArrayList<>(List.of("redis-server", "--port",
        Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--protected-mode", "no", "--dir", "/tmp"));
    command.addAll(extraArgs);
    GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(image))
        .withNetworkMode("host")
        .withCommand(command.toArray(String[]::new))
        .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*", 1)
            .withStartupTimeout(STARTUP));
    container.start();
    return container;
  }

  private static RedisContainers running(List<GenericContainer<?>> containers,
      List<Endpoint> endpoints, String description) {
    RedisContainers running = new RedisContainers(containers, endpoints, description);
    RUNNING.add(running);
    return running;
  }

  /**
   * Returns the URIs: the server's, or one per Cluster master.
   *
   * @return {@code redis://host:port} URIs
   */
  public List<String> uris() {
    return endpoints.stream().map(Endpoint::uri).toList();
  }

  /**
   * Tells whether every container still runs and its server answers {@code PING}: Docker may
   * report a container as running for a moment after its server exited.
   *
   * @return {@code false} once one has stopped
   */
  public boolean isRunning() {
    for (Endpoint endpoint : endpoints) {
      try (Resp resp = new Resp(endpoint.host(), endpoint.port())) {
        if (!"PONG".equals(resp.call("PING"))) {
          return false;
        }
      } catch (IOException | RuntimeException e) {
        return false;
      }
    }
    return containers.stream().allMatch(GenericContainer::isRunning);
  }

  /** Deletes every key on every container. */
  public void flushAll() {
    for (Endpoint endpoint : endpoints) {
      try (Resp resp = new Resp(endpoint.host(), endpoint.port())) {
        resp.call("FLUSHALL");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * Returns the last lines each container logged, for failure messages.
   *
   * @return the logs' tails
   */
  public String logTail() {
    StringBuilder b = new StringBuilder();
    for (GenericContainer<?> container : containers) {
      try {
        String logs = container.getLogs();
        b.append(logs, Math.max(0, logs.length() - 2000), logs.length());
      } catch (RuntimeException e) {
        b.append("(no logs: ").append(e.getMessage()).append(')');
      }
    }
    return b.toString();
  }

  /** Stops and removes every container. Idempotent. */
  @Override
  public void close() {
    RUNNING.remove(this);
    containers.forEach(GenericContainer::stop);
  }

  @Override
  public String toString() {
    return description;
  }
}
