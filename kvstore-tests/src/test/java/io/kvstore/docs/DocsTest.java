package io.kvstore.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the documentation true to the code: the build fails when a code block drifts from the
 * source that compiles it, or when a version number differs from the POM's.
 *
 * <p><b>Code blocks.</b> A fenced block in a Markdown file that is preceded by the line
 * {@code <!-- snippet: path/to/Source.java#name -->} must equal the lines between
 * {@code // tag::name[]} and {@code // end::name[]} in that source file (path from the
 * repository root, indentation of the region removed). The sources are ordinary test classes
 * (this package, and {@code io.kvstore.docs} in the Spring Boot module), so they compile with
 * the build and most of them run as tests: a renamed method breaks the compilation, a changed
 * snippet breaks this test. Every {@code java} block of {@code README.md} and {@code docs/}
 * carries such a marker or {@code <!-- fragment -->} (a shape that is not meant to compile on
 * its own, such as a method signature list), so no block escapes the rule by accident.
 *
 * <p>After editing a snippet's source, run this test with {@code -Dkvstore.docs.write=true} to
 * copy the regions into the Markdown files, then review the diff.
 *
 * <p><b>Versions.</b> In every Markdown file: an {@code io.kvstore} dependency's
 * {@code <version>} must be the project's version, and "Lettuce", "JUnit", "Jackson",
 * "Caffeine", "Micrometer", "OpenTelemetry", "Spring Boot", "Testcontainers" and "Javalin"
 * followed by a version must name the version the parent POM pins. A version managed by another
 * project (Spring Boot's choice of Lettuce, say) is written with {@code (Boot-managed)} right
 * after it and is not checked. The benchmark README is left out: each of its results names the
 * versions it was measured on.
 */
class DocsTest {
  private static final Pattern MARKER =
      Pattern.compile("^<!-- snippet: ([^#\\s]+)#([\\w-]+) -->$");
  private static final String FRAGMENT = "<!-- fragment -->";
  private static final Path ROOT = findRoot();

  @Test
  void everySnippetEqualsTheSourceThatCompilesIt() throws IOException {
    boolean write = Boolean.getBoolean("kvstore.docs.write");
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (Path md : markdownFiles()) {
      List<String> lines = Files.readAllLines(md, StandardCharsets.UTF_8);
      List<String> out = new ArrayList<>();
      boolean strict = isStrict(md);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        out.add(line);
        if (!line.startsWith("```")) {
          continue;
        }
        String previous = i > 0 ? lines.get(i - 1).trim() : "";
        int end = closingFence(lines, i, md);
        Matcher marker = MARKER.matcher(previous);
        String where = ROOT.relativize(md) + ":" + (i + 1);
        if (marker.matches()) {
          List<String> region = region(Path.of(marker.group(1)), marker.group(2));
          List<String> block = lines.subList(i + 1, end);
          checked++;
          if (!block.equals(region)) {
            problems.add(where + ": block differs from " + marker.group(1) + "#"
                + marker.group(2) + firstDifference(block, region));
          }
          if (write) {
            out.addAll(region);
          } else {
            out.addAll(block);
          }
          out.add(lines.get(end));
          i = end;
        } else {
          if (strict && line.equals("```java") && !previous.equals(FRAGMENT)) {
            problems.add(where + ": a java block needs a '<!-- snippet: File.java#name -->' or '"
                + FRAGMENT + "' line above it");
          }
          out.addAll(lines.subList(i + 1, end + 1));
          i = end;
        }
      }
      if (write && !out.equals(lines)) {
        Files.write(md, out, StandardCharsets.UTF_8);
      }
    }
    assertTrue(checked >= 10, "expected the README's and docs' snippets, found " + checked);
    if (!problems.isEmpty() && !write) {
      fail(problems.size() + " code block(s) out of date (rerun with -Dkvstore.docs.write=true"
          + " to copy the sources in):\n" + String.join("\n", problems));
    }
  }

  @Test
  void versionsInTheDocsAreThePomsVersions() throws IOException {
    String pom = Files.readString(ROOT.resolve("pom.xml"));
    String projectVersion = tag(pom, "version");
    Map<String, String> named = Map.of(
        "Lettuce", property(pom, "lettuce.version").replace(".RELEASE", ""),
        "JUnit", property(pom, "junit.version"),
        "Caffeine", property(pom, "caffeine.version"),
        "Micrometer", property(pom, "micrometer.version"),
        "OpenTelemetry", property(pom, "opentelemetry.version"),
        "Spring Boot", property(pom, "spring-boot.version"),
        "Testcontainers", property(pom, "testcontainers.version"),
        "Javalin", property(pom, "javalin.version"));
    String jackson2 = property(pom, "jackson.version");
    String jackson3 = property(pom, "jackson3.version");
    Pattern mention = Pattern.compile(
        "\\b(Lettuce|JUnit|Caffeine|Micrometer|OpenTelemetry|Spring Boot|Testcontainers|Javalin"
            + "|Jackson)(?: [A-Za-z-]+)? (\\d+\\.\\d+\\.\\d+)(\\.RELEASE)?( \\(Boot-managed\\))?");
    Pattern ourDependency = Pattern.compile(
        "<groupId>io\\.kvstore</groupId>\\s*<artifactId>[\\w-]+</artifactId>\\s*"
            + "<version>([^<]+)</version>");
    List<String> problems = new ArrayList<>();
    for (Path md : markdownFiles()) {
      String file = ROOT.relativize(md).toString();
      if (file.startsWith("kvstore-bench")) {
        continue;   // each result names the versions it was measured on, which may be older
      }
      String text = Files.readString(md);
      Matcher dependency = ourDependency.matcher(text);
      while (dependency.find()) {
        if (!dependency.group(1).equals(projectVersion)) {
          problems.add(file + ": io.kvstore dependency at " + dependency.group(1)
              + ", the project is " + projectVersion);
        }
      }
      Matcher m = mention.matcher(text);
      while (m.find()) {
        if (m.group(4) != null) {
          continue;
        }
        String version = m.group(2);
        String expected = m.group(1).equals("Jackson")
            ? (version.startsWith("3.") ? jackson3 : jackson2)
            : named.get(m.group(1));
        if (!version.equals(expected)) {
          problems.add(file + ": '" + m.group() + "', the parent POM pins " + expected
              + " (write '(Boot-managed)' after a version another project chooses)");
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  /** README.md and docs/ hold no java block that is not compiled or marked as a fragment. */
  private static boolean isStrict(Path md) {
    Path relative = ROOT.relativize(md);
    return relative.toString().equals("README.md") || relative.startsWith("docs");
  }

  static List<String> region(Path source, String name) {
    List<String> lines;
    try {
      lines = Files.readAllLines(ROOT.resolve(source), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("snippet source " + source, e);
    }
    int start = -1;
    int end = -1;
    for (int i = 0; i < lines.size(); i++) {
      String trimmed = lines.get(i).trim();
      if (trimmed.equals("// tag::" + name + "[]") || trimmed.equals("<!-- tag::" + name
          + "[] -->")) {
        start = i + 1;
      } else if (start >= 0 && (trimmed.equals("// end::" + name + "[]")
          || trimmed.equals("<!-- end::" + name + "[] -->"))) {
        end = i;
        break;
      }
    }
    if (start < 0 || end < 0) {
      throw new AssertionError(source + " has no region " + name);
    }
    List<String> region = new ArrayList<>(lines.subList(start, end));
    region.removeIf(l -> l.trim().startsWith("// tag::") || l.trim().startsWith("// end::"));
    int indent = region.stream().filter(l -> !l.isBlank())
        .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
    region.replaceAll(l -> l.isBlank() ? "" : l.substring(indent));
    return region;
  }

  private static int closingFence(List<String> lines, int open, Path md) {
    for (int j = open + 1; j < lines.size(); j++) {
      if (lines.get(j).startsWith("```")) {
        return j;
      }
    }
    throw new AssertionError(ROOT.relativize(md) + ": unclosed code block at line " + (open + 1));
  }

  private static String firstDifference(List<String> block, List<String> region) {
    for (int i = 0; i < Math.max(block.size(), region.size()); i++) {
      String b = i < block.size() ? block.get(i) : "<end of block>";
      String r = i < region.size() ? region.get(i) : "<end of source>";
      if (!b.equals(r)) {
        return ", line " + (i + 1) + " of the block:\n    doc:    " + b + "\n    source: " + r;
      }
    }
    return "";
  }

  static List<Path> markdownFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    files.add(ROOT.resolve("README.md"));
    try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    try (Stream<Path> modules = Files.list(ROOT)) {
      modules.map(m -> m.resolve("README.md")).filter(Files::isRegularFile).sorted()
          .forEach(files::add);
    }
    return files;
  }

  private static String property(String pom, String name) {
    return tag(pom, name);
  }

  private static String tag(String pom, String name) {
    Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
    if (!m.find()) {
      throw new AssertionError("pom.xml has no <" + name + ">");
    }
    return m.group(1).trim();
  }

  private static Path findRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("mvnw"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new AssertionError("no repository root above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}
