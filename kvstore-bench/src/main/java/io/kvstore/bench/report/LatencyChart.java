package io.kvstore.bench.report;

import io.kvstore.bench.Network;
import java.util.List;
import java.util.Locale;

/**
 * Draws p50 latency against N, one line per fetch strategy, one panel per network, both axes
 * logarithmic, as plain SVG.
 */
final class LatencyChart {
  private static final int PANEL_W = 420;
  private static final int PANEL_H = 300;
  private static final int LEFT = 70;
  private static final int TOP = 40;
  private static final int PLOT_W = PANEL_W - LEFT - 20;
  private static final int PLOT_H = PANEL_H - TOP - 45;
  private static final String[] COLORS = {"#d62728", "#ff7f0e", "#2ca02c", "#1f77b4"};

  private final List<Result> results;
  private final StringBuilder svg = new StringBuilder();

  LatencyChart(List<Result> results) {
    this.results = results;
  }

  String svg() {
    int width = 2 * PANEL_W;
    int height = 2 * PANEL_H + 40;
    svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\""
        + " height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n",
        width, height, width, height));
    svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n",
        width, height));
    text(10, 20, "p50 latency per operation against N (log-log), kvstore fetch strategies", 14,
        "start");
    for (int s = 0; s < Report.STRATEGIES.size(); s++) {
      int x = 470 + s * 95;
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"16\" x2=\"%d\" y2=\"16\" "
          + "stroke=\"%s\" stroke-width=\"3\"/>%n", x, x + 18, COLORS[s]));
      text(x + 22, 20, Report.STRATEGIES.get(s), 11, "start");
    }
    Network[] networks = Network.values();
    for (int i = 0; i < networks.length; i++) {
      panel(networks[i], (i % 2) * PANEL_W, 40 + (i / 2) * PANEL_H);
    }
    return svg.append("</svg>\n").toString();
  }

  private void panel(Network network, int ox, int oy) {
    double lo = Double.MAX_VALUE;
    double hi = 0;
    for (Result r : results) {
      if (r.benchmark().startsWith("FetchBenchmark.") && network.name().equals(
          r.params().get("network")) && r.p50() > 0) {
        lo = Math.min(lo, r.p50());
        hi = Math.max(hi, r.p50());
      }
    }
    text(ox + LEFT + PLOT_W / 2, oy + TOP - 12, network.name(), 12, "middle");
    if (hi == 0) {
      text(ox + LEFT + PLOT_W / 2, oy + TOP + PLOT_H / 2, "not run", 12, "middle");
      return;
    }
    double yMin = Math.floor(Math.log10(lo));
    double yMax = Math.ceil(Math.log10(hi));
    if (yMax == yMin) {
      yMax++;
    }
    int px = ox + LEFT;
    int py = oy + TOP;
    svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
        + "fill=\"none\" stroke=\"#999\"/>%n", px, py, PLOT_W, PLOT_H));
    for (double e = yMin; e <= yMax; e++) {
      double y = py + PLOT_H - (e - yMin) / (yMax - yMin) * PLOT_H;
      svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
          + "stroke=\"#eee\"/>%n", px, y, px + PLOT_W, y));
      text(px - 5, (int) y + 4, Report.time(Math.pow(10, e)), 10, "end");
    }
    for (int n : Report.SIZES) {
      double x = xOf(n, px);
      svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
          + "stroke=\"#eee\"/>%n", x, py, x, py + PLOT_H));
      text((int) x, py + PLOT_H + 14, Integer.toString(n), 10, "middle");
    }
    text(px + PLOT_W / 2, py + PLOT_H + 30, "N (records per operation)", 10, "middle");
    for (int s = 0; s < Report.STRATEGIES.size(); s++) {
      StringBuilder points = new StringBuilder();
      for (int n : Report.SIZES) {
        for (Result r : results) {
          if (r.is("FetchBenchmark." + Report.STRATEGIES.get(s), "network", network.name(),
              "n", Integer.toString(n)) && r.p50() > 0) {
            double y = py + PLOT_H - (Math.log10(r.p50()) - yMin) / (yMax - yMin) * PLOT_H;
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", xOf(n, px), y));
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" "
                + "fill=\"%s\"/>%n", xOf(n, px), y, COLORS[s]));
          }
        }
      }
      svg.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\""
          + " stroke-width=\"2\"/>%n", points.toString().trim(), COLORS[s]));
    }
  }

  private static double xOf(int n, int px) {
    return px + 10 + Math.log10(n) / 3 * (PLOT_W - 20);
  }

  private void text(int x, int y, String s, int size, String anchor) {
    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"%d\" "
        + "text-anchor=\"%s\">%s</text>%n", x, y, size, anchor, s));
  }
}
