package io.kvstore.bench;

import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** What the machine, the JVM and Redis spent while a probe ran: CPU, GC, load, Redis's own time. */
final class MachineStats {
  private MachineStats() {}

  /**
   * CPU nanoseconds used so far by the live threads whose names start with each prefix.
   *
   * @param groups thread-name prefixes
   */
  static Map<String, Long> cpuByGroup(String... groups) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<String, Long> cpu = new TreeMap<>();
    for (String group : groups) {
      cpu.put(group, 0L);
    }
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      for (String group : groups) {
        if (info.getThreadName().startsWith(group)) {
          long used = threads.getThreadCpuTime(info.getThreadId());
          if (used > 0) {
            cpu.merge(group, used, Long::sum);
          }
        }
      }
    }
    return cpu;
  }

  /** Pauses and milliseconds of every collector so far. */
  static long[] gc() {
    long[] total = new long[2];
    for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
      total[0] += Math.max(0, bean.getCollectionCount());
      total[1] += Math.max(0, bean.getCollectionTime());
    }
    return total;
  }

  /** Redis's CPU seconds so far, user and system ({@code INFO cpu}). */
  static double redisCpu(StatefulRedisConnection<String, String> stats) {
    double seconds = 0;
    for (String line : stats.sync().info("cpu").split("\r?\n")) {
      if (line.startsWith("used_cpu_user:") || line.startsWith("used_cpu_sys:")) {
        seconds += Double.parseDouble(line.substring(line.indexOf(':') + 1));
      }
    }
    return seconds;
  }

  static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** Redis's own microseconds per call of {@code command} ({@code INFO commandstats}). */
  static String usecPerCall(String commandStats, String command) {
    for (String line : commandStats.split("\r?\n")) {
      if (line.startsWith("cmdstat_" + command + ":")) {
        for (String field : line.substring(line.indexOf(':') + 1).split(",")) {
          if (field.startsWith("usec_per_call=")) {
            return field.substring("usec_per_call=".length());
          }
        }
      }
    }
    return "-";
  }
}
