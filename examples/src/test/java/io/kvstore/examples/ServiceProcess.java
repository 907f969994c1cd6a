package io.kvstore.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The workout service in a JVM of its own, as {@code java -jar} runs it (its {@code main}, its
 * shutdown hook), so a test can stop it the ways a process is stopped: SIGTERM, or SIGKILL with
 * nothing closed. Its output goes to a log file, where the start-up banner gives its URL.
 */
final class ServiceProcess implements AutoCloseable {
  private static final Pattern BANNER = Pattern.compile("Workout service on (http://\\S+): open");

  private final Process process;
  private final Path log;
  private final String url;

  private ServiceProcess(Process process, Path log, String url) {
    this.process = process;
    this.log = log;
    this.url = url;
  }

  /**
   * Starts {@code WorkoutService.main} with {@code args} on any free port and waits for its
   * banner.
   *
   * @param log where its standard output and error go
   */
  static ServiceProcess start(Path log, Duration timeout, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        WorkoutService.class.getName(), "--port", "0"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Matcher m = BANNER.matcher(Files.readString(log));
      if (m.find()) {
        return new ServiceProcess(process, log, m.group(1));
      }
      if (!process.isAlive()) {
        break;
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    process.toHandle().destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    throw new AssertionError("the service did not start within " + timeout + ":\n"
        + Files.readString(log));
  }

  String url() {
    return url;
  }

  /** What the service printed so far. */
  String output() throws IOException {
    return Files.readString(log);
  }

  /** SIGTERM, as {@code kill PID} or a container stop sends it; waits for the JVM to exit. */
  int terminate() throws InterruptedException {
    process.toHandle().destroy();
    return awaitExit();
  }

  /** SIGKILL: no shutdown hook runs, nothing is closed or flushed by the service. */
  int kill() throws InterruptedException {
    process.toHandle().destroyForcibly();
    return awaitExit();
  }

  private int awaitExit() throws InterruptedException {
    if (!process.waitFor(1, TimeUnit.MINUTES)) {
      throw new AssertionError("the service did not exit within a minute of its signal");
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
