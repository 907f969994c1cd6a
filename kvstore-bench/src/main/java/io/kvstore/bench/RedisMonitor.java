package io.kvstore.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Redis's own stamp of each small get: a {@code MONITOR} connection, whose lines carry the
 * server's wall-clock time (microseconds) of each command it ran, mapped onto {@link
 * System#nanoTime()} (same machine, same clock). Only the probe's small gets are {@code GET}s:
 * the bulk reads are {@code MGET}s of 500 keys. It costs Redis the formatting of every bulk
 * command, so this configuration's bulk reads are slower than the others'.
 */
final class RedisMonitor implements AutoCloseable {
  final BlockingQueue<Long> executed =
      new LinkedBlockingQueue<>();
  private final Socket socket;
  private final long wallMinusNanoMicros;

  RedisMonitor(String uri) throws IOException {
    URI at = URI.create(uri);
    socket = new Socket(at.getHost(), at.getPort());
    socket.getOutputStream().write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
    BufferedReader in = new BufferedReader(new InputStreamReader(
        socket.getInputStream(), StandardCharsets.UTF_8), 1 << 16);
    String ok = in.readLine();
    if (!"+OK".equals(ok)) {
      throw new IllegalStateException("MONITOR answered " + ok);
    }
    Instant now = Instant.now();
    long nano = System.nanoTime();
    wallMinusNanoMicros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1000
        - nano / 1000;
    Thread reader = new Thread(() -> {
      try {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          int command = line.indexOf("] \"");
          if (command > 0 && line.startsWith("\"GET\"", command + 2)) {
            String[] stamp = line.substring(1, line.indexOf(' ')).split("\\.");
            executed.add(Long.parseLong(stamp[0]) * 1_000_000 + Long.parseLong(stamp[1]));
          }
        }
      } catch (IOException closed) {
        // the probe closed the socket
      }
    }, "probe-monitor");
    reader.setDaemon(true);
    reader.start();
  }

  /** The next small get's execution, in {@link System#nanoTime()}. */
  long next() throws InterruptedException {
    Long micros = executed.poll(10, TimeUnit.SECONDS);
    if (micros == null) {
      throw new IllegalStateException("MONITOR did not show a small get");
    }
    return (micros - wallMinusNanoMicros) * 1000;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
