package io.kvstore.examples;

import io.kvstore.KvStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One step of {@link WorkoutLoad}: wrk with a number of connections for a fixed time, and what
 * the service did meanwhile (its store's stats, the connections it had open, the CPU of the
 * service, wrk and Redis, read from /proc on Linux), as one row of the table.
 */
final class LoadStep {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final Pattern FIELD = Pattern.compile("(\\w+)=(\\d+)");
  private final WorkoutService service;
  private final Path script;
  private final int connections;
  private final long redisPid;
  private final Map<String, Long> result = new LinkedHashMap<>();
  private int peakConnections;
  private KvStats before;
  private KvStats after;
  private double serviceCpu;
  private double wrkCpu;
  private double redisCpu;

  LoadStep(WorkoutService service, Path script, int connections, long redisPid) {
    this.service = service;
    this.script = script;
    this.connections = connections;
    this.redisPid = redisPid;
  }

  void run(Duration time) throws IOException, InterruptedException {
    List<String> command = List.of("wrk", "-t", "2", "-c", Integer.toString(connections),
        "-d", time.toSeconds() + "s", "--timeout", REQUEST_TIMEOUT.toSeconds() + "s",
        "-s", script.toString(), service.url());
    before = service.store().stats();
    long serviceCpuBefore = processCpuNanos();
    long redisCpuBefore = cpuNanosOf(redisPid);
    long start = System.nanoTime();
    Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
    CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
      try {
        return new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    long wrkCpuNanos = 0;
    // Once a second: reading the kernel's connection table costs CPU in this (the service's) JVM.
    while (!wrk.waitFor(1, TimeUnit.SECONDS)) {
      peakConnections = Math.max(peakConnections, establishedTo(service.port()));
      wrkCpuNanos = Math.max(wrkCpuNanos, cpuNanosOf(wrk.pid()));
      if (System.nanoTime() - start > time.toNanos() + REQUEST_TIMEOUT.toNanos() * 3) {
        wrk.destroyForcibly();
        throw new IOException("wrk did not finish in time: " + command);
      }
    }
    double wall = (System.nanoTime() - start) / 1e9;
    after = service.store().stats();
    serviceCpu = (processCpuNanos() - serviceCpuBefore) / 1e9 / wall * 100;
    redisCpu = (cpuNanosOf(redisPid) - redisCpuBefore) / 1e9 / wall * 100;
    // Sampled while it ran: wrk's last second of CPU is not counted.
    wrkCpu = wrkCpuNanos / 1e9 / wall * 100;
    String text = output.join();
    String line = text.lines().filter(l -> l.startsWith("RESULT ")).findFirst()
        .orElseThrow(() -> new IOException("wrk printed no RESULT line:\n" + text));
    Matcher m = FIELD.matcher(line);
    while (m.find()) {
      result.put(m.group(1), Long.parseLong(m.group(2)));
    }
  }

  long failed() {
    return get("connect") + get("read") + get("write") + get("timeout") + get("status");
  }

  private long get(String field) {
    return result.getOrDefault(field, 0L);
  }

  String row() {
    long requests = get("requests");
    double seconds = get("duration_us") / 1e6;
    long hits = after.nearCacheHits() - before.nearCacheHits();
    long misses = after.nearCacheMisses() - before.nearCacheMisses();
    long trips = after.roundTrips() - before.roundTrips();
    Map<String, Long> errors = new TreeMap<>();
    result.forEach((k, v) -> {
      if (v > 0 && (k.startsWith("http_") || List.of("connect", "read", "write", "timeout")
          .contains(k))) {
        errors.put(k, v);
      }
    });
    String errorText = errors.isEmpty() ? "0" : errors.toString();
    if (get("unknown") > 0) {
      errorText += " (" + get("unknown") + " responses without attributed round trips)";
    }
    return String.format(Locale.ROOT,
        "| %,d | %,d | %,.0f | %.1f | %.1f | %.1f | %.1f | %s | %s | %.2f; %.2f | %,d"
            + " | %.0f, %.0f, %.0f |",
        connections, requests, requests / seconds, ms(get("p50")), ms(get("p95")),
        ms(get("p99")), ms(get("max")), errorText,
        hits + misses == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f%%",
            100.0 * hits / (hits + misses)),
        (double) trips / Math.max(1, requests),
        (double) get("rt_sum") / Math.max(1, get("rt_n")), peakConnections,
        serviceCpu, wrkCpu, redisCpu);
  }

  private static double ms(long micros) {
    return micros / 1000.0;
  }

  /** CPU time of this JVM (the service and its store client). */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** CPU time of another process, from /proc (Linux); 0 if it cannot be read. */
  private static long cpuNanosOf(long pid) {
    if (pid <= 0) {
      return 0;
    }
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
      return ticks * 10_000_000L; // USER_HZ is 100 on Linux
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** Established TCP connections whose local port is the service's, from /proc (Linux). */
  private static int establishedTo(int port) {
    String hexPort = String.format(":%04X ", port);
    int n = 0;
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      try {
        for (String line : Files.readAllLines(Path.of(table))) {
          String[] f = line.trim().split("\\s+");
          if (f.length > 3 && (f[1] + " ").endsWith(hexPort) && f[3].equals("01")) {
            n++;
          }
        }
      } catch (IOException e) {
        return -1;
      }
    }
    return n;
  }
}
