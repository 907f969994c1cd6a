package io.kvstore.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvstore.bench.Network;
import io.kvstore.bench.peers.Client;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * Writes {@code results.md} (tables of N x strategy x network, peer ratios against raw Lettuce
 * MGET, the G1-G9 targets met or missed) and {@code latency.svg} (p50 latency against N per
 * strategy and network) from a JMH JSON result file.
 *
 * <pre>
 * java -cp kvstore-bench/target/benchmarks.jar io.kvstore.bench.report.Report \
 *     kvstore-bench/results/jmh.json kvstore-bench/results
 * </pre>
 */
public final class Report {
  static final List<String> STRATEGIES = List.of("sequential", "parallel", "getAll", "listValues");
  static final List<Integer> SIZES = List.of(1, 10, 64, 100, 1000);

  private final List<Result> results;
  private final StringBuilder md = new StringBuilder();

  Report(List<Result> results) {
    this.results = results;
  }

  /**
   * Reads the JMH JSON and writes the Markdown and the SVG.
   *
   * @param args the JMH JSON file and the output directory
   * @throws IOException if a file cannot be read or written
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: Report <jmh.json> <out-dir>");
      System.exit(2);
    }
    Report report = new Report(read(Path.of(args[0])));
    Path out = Files.createDirectories(Path.of(args[1]));
    Files.writeString(out.resolve("results.md"), report.markdown());
    Files.writeString(out.resolve("latency.svg"), new LatencyChart(report.results).svg());
    System.out.println("wrote " + out.resolve("results.md") + " and " + out.resolve("latency.svg"));
  }

  static List<Result> read(Path json) throws IOException {
    List<Result> results = new ArrayList<>();
    for (JsonNode node : new ObjectMapper().readTree(json.toFile())) {
      results.add(Result.of(node));
    }
    return results;
  }

  String markdown() {
    fetchTables();
    peerTables();
    otherTables();
    targets();
    return md.toString();
  }

  private void fetchTables() {
    md.append("### Fetch strategies: p50 / p99 per operation (mean in brackets)\n\n"
        + "Coalesced gets on (the default); the last column is `parallel` with them off.\n\n");
    for (Network network : Network.values()) {
      md.append("**").append(network).append("**\n\n| N |");
      STRATEGIES.forEach(s -> md.append(' ').append(s).append(" |"));
      md.append(" parallel, coalescing off |");
      md.append("\n|---:|").append("---:|".repeat(STRATEGIES.size() + 1)).append('\n');
      for (int n : SIZES) {
        md.append("| ").append(n).append(" |");
        for (String s : STRATEGIES) {
          md.append(' ').append(cell(fetch(s, network, n))).append(" |");
        }
        md.append(' ').append(cell(fetch("parallel", network, n, false))).append(" |");
        md.append('\n');
      }
      md.append('\n');
    }
  }

  private static String cell(Optional<Result> result) {
    return result.map(r -> time(r.p50()) + " / " + time(r.p99()) + " (" + time(r.score()) + ")")
        .orElse("-");
  }

  private void peerTables() {
    md.append("### Peers, loopback: getAll(N) p50 and ratio to raw Lettuce MGET + same decode\n\n")
        .append("| N |");
    for (Client c : Client.values()) {
      md.append(' ').append(c).append(" |");
    }
    md.append("\n|---:|").append("---:|".repeat(Client.values().length)).append('\n');
    for (int n : SIZES) {
      md.append("| ").append(n).append(" |");
      Optional<Result> base = find("PeerBenchmark.getAll", "client", "LETTUCE_MGET", "n", "" + n);
      for (Client c : Client.values()) {
        Optional<Result> r = find("PeerBenchmark.getAll", "client", c.name(), "n", "" + n);
        md.append(' ').append(r.map(x -> time(x.p50()) + " (" + ratio(x, base, Result::p50)
            + "x)").orElse("-")).append(" |");
      }
      md.append('\n');
    }
    md.append("\nAllocation per getAll(N), bytes (`-prof gc`, ratio to raw Lettuce):\n\n| N |");
    for (Client c : Client.values()) {
      md.append(' ').append(c).append(" |");
    }
    md.append("\n|---:|").append("---:|".repeat(Client.values().length)).append('\n');
    for (int n : SIZES) {
      md.append("| ").append(n).append(" |");
      Optional<Result> base = find("PeerBenchmark.getAll", "client", "LETTUCE_MGET", "n", "" + n);
      for (Client c : Client.values()) {
        Optional<Result> r = find("PeerBenchmark.getAll", "client", c.name(), "n", "" + n);
        md.append(' ').append(r.filter(x -> !Double.isNaN(x.allocBytes()))
            .map(x -> String.format(Locale.ROOT, "%,.0f (%sx)", x.allocBytes(),
                ratio(x, base, Result::allocBytes))).orElse("-")).append(" |");
      }
      md.append('\n');
    }
    md.append("\n### Throughput, getAll(64), 4 threads, loopback (ops/s)\n\n| client | ops/s |"
        + " vs raw Lettuce |\n|---|---:|---:|\n");
    Optional<Result> base = find("PeerThroughputBenchmark.getAll64", "client", "LETTUCE_MGET");
    for (Client c : Client.values()) {
      find("PeerThroughputBenchmark.getAll64", "client", c.name()).ifPresent(r -> md.append("| ")
          .append(c).append(" | ").append(String.format(Locale.ROOT, "%,.0f", r.score()))
          .append(" | ").append(ratio(r, base, Result::score)).append("x |\n"));
    }
    md.append('\n');
  }

  private void otherTables() {
    md.append("### Redis Cluster, 3 masters: getAll(100)\n\n| client | p50 | p99 | mean |\n"
        + "|---|---:|---:|---:|\n");
    for (String c : List.of("KVSTORE", "LETTUCE_MGET")) {
      find("ClusterBenchmark.getAll", "client", c).ifPresent(r -> md.append("| ").append(c)
          .append(" | ").append(time(r.p50())).append(" | ").append(time(r.p99())).append(" | ")
          .append(time(r.score())).append(" |\n"));
    }
    md.append("\n### Head-of-line: single-key get alone and beside 10,000-key getAlls\n\n"
        + "| loop | p50 | p99 | mean |\n|---|---:|---:|---:|\n");
    find("InterferenceBenchmark.alone").ifPresent(r -> row("get alone", r));
    find("InterferenceBenchmark.withBulk").ifPresent(g -> {
      Optional.ofNullable(g.secondary().get("single")).ifPresent(r -> row("get beside bulk", r));
      Optional.ofNullable(g.secondary().get("bulk")).ifPresent(r -> row("getAll(10000)", r));
    });
    md.append('\n');
  }

  private void row(String name, Result r) {
    md.append("| ").append(name).append(" | ").append(time(r.p50())).append(" | ")
        .append(time(r.p99())).append(" | ").append(time(r.score())).append(" |\n");
  }

  private void targets() {
    md.append("### Targets\n\n| | target | measured | |\n|---|---|---|---|\n");
    Optional<Result> one = fetch("sequential", Network.LOOPBACK, 1);
    target("G1", "getAll(64) p50 <= 1.5x single get p50, loopback",
        q(fetch("getAll", Network.LOOPBACK, 64), one, Result::p50), v -> v <= 1.5);
    target("G2", "sequential/getAll at N=64 >= 30x, loopback (mean)",
        q(fetch("sequential", Network.LOOPBACK, 64), fetch("getAll", Network.LOOPBACK, 64),
            Result::score), v -> v >= 30);
    for (int n : List.of(10, 64, 100, 1000)) {
      double goal = 0.8 * n;
      target("G3", "sequential/getAll >= 0.8 x N = " + fmt(goal) + " at N=" + n + ", 1 ms (mean)",
          q(fetch("sequential", Network.PROXY_1MS, n), fetch("getAll", Network.PROXY_1MS, n),
              Result::score), v -> v >= goal);
    }
    target("G4", "getAll(64) p50 <= 1.25x single get p50, 1 ms",
        q(fetch("getAll", Network.PROXY_1MS, 64), fetch("sequential", Network.PROXY_1MS, 1),
            Result::p50), v -> v <= 1.25);
    target("G4", "getAll(64) p50 <= 1.1x single get p50, 10 ms",
        q(fetch("getAll", Network.PROXY_10MS, 64), fetch("sequential", Network.PROXY_10MS, 1),
            Result::p50), v -> v <= 1.1);
    Optional<Result> ours = peer("KVSTORE");
    Optional<Result> raw = peer("LETTUCE_MGET");
    target("G5", "getAll(64) p50 <= 1.10x raw Lettuce MGET + decode", q(ours, raw, Result::p50),
        v -> v <= 1.10);
    target("G5", "getAll(64) allocation <= 1.25x raw Lettuce", q(ours, raw, Result::allocBytes),
        v -> v <= 1.25);
    target("G6", "parallel/getAll at N=64 >= 1.5x, loopback (mean), coalescing off",
        q(fetch("parallel", Network.LOOPBACK, 64, false), fetch("getAll", Network.LOOPBACK, 64),
            Result::score), v -> v >= 1.5);
    target("C1", "64 gets + allOf p50 <= 1.25x getAll(64) p50, loopback, coalescing on",
        q(fetch("parallel", Network.LOOPBACK, 64), fetch("getAll", Network.LOOPBACK, 64),
            Result::p50), v -> v <= 1.25);
    target("C2", "64 gets + allOf p50 <= 2x getAll(64) p50, edge 20 ms cap 6, coalescing on",
        q(fetch("parallel", Network.EDGE_20MS_CAP6, 64),
            fetch("getAll", Network.EDGE_20MS_CAP6, 64), Result::p50), v -> v <= 2);
    for (Network network : List.of(Network.LOOPBACK, Network.MEMORY_1MS)) {
      target("C3", "lone get p50 on/off <= 1.05, " + network,
          q(fetch("sequential", network, 1), fetch("sequential", network, 1, false),
              Result::p50), v -> v <= 1.05);
    }
    target("G7", "get p99 beside 10,000-key getAll <= 3x alone",
        q(find("InterferenceBenchmark.withBulk").map(g -> g.secondary().get("single")),
            find("InterferenceBenchmark.alone"), Result::p99), v -> v <= 3);
    for (String peer : List.of("REDISSON", "JEDIS_MGET", "SPRING_DATA")) {
      target("G8", "getAll(64) p50 ahead of " + peer + " (ours/theirs < 1)",
          q(ours, peer(peer), Result::p50), v -> v < 1);
      target("G8", "4-thread throughput ahead of " + peer + " (ours/theirs > 1)",
          q(find("PeerThroughputBenchmark.getAll64", "client", "KVSTORE"),
              find("PeerThroughputBenchmark.getAll64", "client", peer), Result::score), v -> v > 1);
    }
    target("G9", "Cluster getAll(100) p50 <= 0.5x raw Lettuce cluster mget",
        q(find("ClusterBenchmark.getAll", "client", "KVSTORE"),
            find("ClusterBenchmark.getAll", "client", "LETTUCE_MGET"), Result::p50), v -> v <= 0.5);
    md.append('\n');
  }

  private interface Check {
    boolean met(double value);
  }

  private void target(String id, String goal, double value, Check check) {
    md.append("| ").append(id).append(" | ").append(goal).append(" | ")
        .append(Double.isNaN(value) ? "not run" : fmt(value) + "x").append(" | ")
        .append(Double.isNaN(value) ? "-" : check.met(value) ? "met" : "**missed**")
        .append(" |\n");
  }

  /** A fetch result with coalesced gets on, or from a run that predates the switch. */
  private Optional<Result> fetch(String strategy, Network network, int n) {
    return fetch(strategy, network, n, true)
        .or(() -> find("FetchBenchmark." + strategy, "network", network.name(), "n", "" + n));
  }

  private Optional<Result> fetch(String strategy, Network network, int n, boolean coalesce) {
    return find("FetchBenchmark." + strategy, "network", network.name(), "n", "" + n,
        "coalesce", "" + coalesce);
  }

  private Optional<Result> peer(String client) {
    return find("PeerBenchmark.getAll", "client", client, "n", "64");
  }

  Optional<Result> find(String name, String... keyValues) {
    return results.stream().filter(r -> r.is(name, keyValues)).findFirst();
  }

  private static double q(Optional<Result> a, Optional<Result> b, ToDoubleFunction<Result> f) {
    return a.isPresent() && b.isPresent()
        ? f.applyAsDouble(a.get()) / f.applyAsDouble(b.get()) : Double.NaN;
  }

  private static String ratio(Result r, Optional<Result> base, ToDoubleFunction<Result> f) {
    return fmt(q(Optional.of(r), base, f));
  }

  static String fmt(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.2f", v);
  }

  /** Formats microseconds as us or ms with three significant digits. */
  static String time(double micros) {
    if (Double.isNaN(micros)) {
      return "-";
    }
    return micros < 1000 ? String.format(Locale.ROOT, "%.0f us", micros)
        : String.format(Locale.ROOT, micros < 100_000 ? "%.2f ms" : "%.0f ms", micros / 1000);
  }
}
