package io.kvstore.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * One JMH result row, times in microseconds.
 *
 * @param benchmark the class and method, such as {@code FetchBenchmark.getAll}
 * @param mode the JMH mode, such as {@code sample} or {@code thrpt}
 * @param params the parameters
 * @param score the primary score: mean time per op (us), or ops/s for throughput
 * @param p50 the median (us), NaN if not sampled
 * @param p99 the 99th percentile (us), NaN if not sampled
 * @param allocBytes allocation per op in bytes ({@code -prof gc}), NaN if not profiled
 * @param secondary sampled secondary results of a group benchmark, by method
 */
record Result(String benchmark, String mode, Map<String, String> params, double score, double p50,
    double p99, double allocBytes, Map<String, Result> secondary) {

  /**
   * Reads one element of JMH's JSON array.
   *
   * @param node the element
   * @return the result
   */
  static Result of(JsonNode node) {
    String fqn = node.path("benchmark").asText();
    String[] parts = fqn.split("\\.");
    String name = parts[parts.length - 2] + "." + parts[parts.length - 1];
    Map<String, String> params = new TreeMap<>();
    node.path("params").properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
    Map<String, Result> secondary = new TreeMap<>();
    node.path("secondaryMetrics").properties().forEach(e -> {
      if (e.getValue().has("scorePercentiles") && !e.getKey().contains(".")) {
        secondary.put(e.getKey(), metric(name + ":" + e.getKey(), node.path("mode").asText(),
            params, e.getValue(), Double.NaN));
      }
    });
    double alloc = node.path("secondaryMetrics").path("gc.alloc.rate.norm").path("score")
        .asDouble(Double.NaN);
    Result primary = metric(name, node.path("mode").asText(), params, node.path("primaryMetric"),
        alloc);
    return new Result(primary.benchmark, primary.mode, params, primary.score, primary.p50,
        primary.p99, alloc, secondary);
  }

  private static Result metric(String name, String mode, Map<String, String> params,
      JsonNode metric, double alloc) {
    String unit = metric.path("scoreUnit").asText();
    double toMicros = unit.startsWith("ns") ? 1e-3 : unit.startsWith("ms") ? 1e3
        : unit.startsWith("s/") ? 1e6 : 1;
    boolean time = unit.endsWith("/op");
    double score = metric.path("score").asDouble() * (time ? toMicros : 1);
    JsonNode pct = metric.path("scorePercentiles");
    double p50 = pct.has("50.0") ? pct.get("50.0").asDouble() * toMicros : Double.NaN;
    double p99 = pct.has("99.0") ? pct.get("99.0").asDouble() * toMicros : Double.NaN;
    return new Result(name, mode, params, score, p50, p99, alloc, Map.of());
  }

  /**
   * Tells whether this row is the given benchmark with the given parameters.
   *
   * @param name class and method
   * @param keyValues parameter names and values, alternating
   * @return {@code true} if it matches
   */
  boolean is(String name, String... keyValues) {
    if (!benchmark.equals(name)) {
      return false;
    }
    for (int i = 0; i < keyValues.length; i += 2) {
      if (!keyValues[i + 1].equals(params.get(keyValues[i]))) {
        return false;
      }
    }
    return true;
  }
}
