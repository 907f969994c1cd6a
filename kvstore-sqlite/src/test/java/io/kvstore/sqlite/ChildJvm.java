package io.kvstore.sqlite;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM on this test's class path running one of the test mains. The child speaks its
 * protocol on standard error, read line by line on a thread of its own, so the test can wait for
 * a line and still see every line the child printed before it died; its standard output, where
 * its log goes, is appended to a file.
 */
final class ChildJvm implements AutoCloseable {
  private static final String EOF = "\u0000eof";
  private static final java.util.regex.Pattern PROTOCOL =
      java.util.regex.Pattern.compile("OPEN|PUT \\d+|DEL \\d+");

  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> seen = new ArrayList<>();

  private ChildJvm(Process process) {
    this.process = process;
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          // Only the protocol lines matter here; the JVM itself may warn on stderr.
          if (PROTOCOL.matcher(line).matches()) {
            lines.add(line);
          }
        }
      } catch (IOException ignored) {
        // The child died mid-line: what it printed before is queued.
      } finally {
        lines.add(EOF);
      }
    }, "child-jvm-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  static ChildJvm start(Class<?> main, Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx64m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(List.of(args));
    return new ChildJvm(new ProcessBuilder(command)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start());
  }

  /** The next line, or null at end of output or after the timeout. */
  String nextLine(long timeout, TimeUnit unit) throws InterruptedException {
    String line = lines.poll(timeout, unit);
    if (line == null || line.equals(EOF)) {
      if (line != null) {
        lines.add(EOF);
      }
      return null;
    }
    seen.add(line);
    return line;
  }

  /** Waits for the child to end and returns every line it printed that was not yet taken. */
  List<String> drain() throws InterruptedException {
    List<String> rest = new ArrayList<>();
    for (String line; (line = lines.poll(30, TimeUnit.SECONDS)) != null && !line.equals(EOF); ) {
      rest.add(line);
    }
    return rest;
  }

  /** SIGKILL: no shutdown hook, no finally block, no close. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  Process process() {
    return process;
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
