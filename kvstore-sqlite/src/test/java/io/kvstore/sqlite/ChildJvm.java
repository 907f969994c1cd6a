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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * A second JVM on this test's class path running one of the test mains. The child speaks its
 * protocol on standard error, read line by line on a thread of its own (started by the first
 * {@link #nextLine} or {@link #drain}), so the test can wait for a line and still see every line
 * the child printed before it died; its standard output, where its log goes, is appended to a
 * file.
 *
 * <p><b>Why {@link #kill()} signals through {@link ProcessHandle}.</b> {@link
 * Process#destroyForcibly()} sends SIGKILL and then <em>closes the parent's ends of the child's
 * pipes</em> (OpenJDK's {@code ProcessImpl.destroy}: {@code stdin.close(); stdout.close();
 * stderr.close();}). Whatever the child wrote that the reader thread had not read yet is thrown
 * away and the reader ends with "Stream closed". That was {@link CrashTest}'s intermittent
 * failure: the child acknowledged {@code PUT 240}, then ran and acknowledged the delete of batch
 * 238 that follows it, was killed, and the parent, whose reader was a few lines behind on a loaded
 * machine, never saw those two lines, so it expected 238 present. {@link
 * ProcessHandle#destroyForcibly()} only sends the signal: the pipe stays open until the reader
 * has read it to its end. {@link ChildJvmTest} shows the difference deterministically.
 */
final class ChildJvm implements AutoCloseable {
  private static final String EOF = "\u0000eof";
  private static final Pattern PROTOCOL = Pattern.compile("OPEN|PUT \\d+|DEL \\d+");

  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final Thread reader;
  private final AtomicBoolean reading = new AtomicBoolean();

  private ChildJvm(Process process) {
    this.process = process;
    this.reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          // Only the protocol lines matter here; the JVM itself may warn on stderr.
          if (PROTOCOL.matcher(line).matches()) {
            lines.add(line);
          }
        }
      } catch (IOException e) {
        // Not expected: kill() leaves the pipe open, so the child's death is an end of stream.
        lines.add("reading the child's standard error failed: " + e);
      } finally {
        lines.add(EOF);
      }
    }, "child-jvm-stderr");
    reader.setDaemon(true);
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

  private void startReading() {
    if (reading.compareAndSet(false, true)) {
      reader.start();
    }
  }

  /** The next line, or null at end of output or after the timeout. */
  String nextLine(long timeout, TimeUnit unit) throws InterruptedException {
    startReading();
    String line = lines.poll(timeout, unit);
    if (line == null || line.equals(EOF)) {
      if (line != null) {
        lines.add(EOF);
      }
      return null;
    }
    return line;
  }

  /**
   * Waits for the child's standard error to end (call after {@link #kill()}) and returns every
   * line it printed that was not yet taken.
   */
  List<String> drain() throws InterruptedException {
    startReading();
    List<String> rest = new ArrayList<>();
    for (String line; (line = lines.poll(1, TimeUnit.MINUTES)) != null && !line.equals(EOF); ) {
      rest.add(line);
    }
    return rest;
  }

  /**
   * SIGKILL: no shutdown hook, no finally block, no close. The pipes stay open, so lines the
   * child printed before it died can still be read.
   */
  void kill() throws InterruptedException {
    process.toHandle().destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
