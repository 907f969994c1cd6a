package io.kvstore.testkit.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a {@code redis-server} to run: the one on PATH, else the binary that the
 * {@code com.github.codemonstur:embedded-redis} artifact ships (Redis 6.2 for Linux and macOS).
 * Set {@code KVSTORE_REDIS_BINARY=embedded} to force the shipped binary, or to a path to use
 * another one.
 *
 * @param path the executable
 * @param version its version, such as {@code 7.0.15}
 * @param source where it came from: {@code PATH}, {@code embedded-redis} or {@code env}
 */
public record RedisBinary(Path path, String version, String source) {
  private static final String ENV = "KVSTORE_REDIS_BINARY";
  private static volatile RedisBinary found;

  /**
   * Returns the binary to use, found once per JVM.
   *
   * @return the binary
   * @throws IllegalStateException if none can be found
   */
  public static RedisBinary find() {
    RedisBinary binary = found;
    if (binary == null) {
      synchronized (RedisBinary.class) {
        if (found == null) {
          found = locate();
        }
        binary = found;
      }
    }
    return binary;
  }

  /**
   * Tells whether this Redis is at least the given major version.
   *
   * @param major the major version
   * @return {@code true} if at least that version
   */
  public boolean atLeast(int major) {
    return Integer.parseInt(version.split("\\.")[0]) >= major;
  }

  /**
   * Returns the binary that the {@code embedded-redis} artifact ships, whatever is on PATH: the
   * fallback for machines without {@code redis-server}.
   *
   * @return the shipped binary
   */
  public static RedisBinary shipped() {
    Path shipped = extractShipped();
    return new RedisBinary(shipped, version(shipped), "embedded-redis");
  }

  private static RedisBinary locate() {
    String forced = System.getenv(ENV);
    if (forced != null && !forced.isBlank() && !forced.equals("embedded")) {
      Path path = Path.of(forced);
      return new RedisBinary(path, version(path), "env");
    }
    if (!"embedded".equals(forced)) {
      Optional<RedisBinary> onPath = onPath(System.getenv().getOrDefault("PATH", ""));
      if (onPath.isPresent()) {
        return onPath.get();
      }
    }
    return shipped();
  }

  /**
   * Returns the first {@code redis-server} on a search path.
   *
   * @param searchPath directories separated by the platform's path separator, like {@code PATH}
   * @return the binary, or empty if none of the directories holds an executable
   *     {@code redis-server}
   */
  public static Optional<RedisBinary> onPath(String searchPath) {
    for (String dir : searchPath.split(java.io.File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, "redis-server");
      if (Files.isExecutable(candidate)) {
        return Optional.of(new RedisBinary(candidate, version(candidate), "PATH"));
      }
    }
    return Optional.empty();
  }

  private static Path extractShipped() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    boolean arm = arch.contains("aarch64") || arch.contains("arm");
    String resource;
    if (os.contains("linux")) {
      resource = arm ? "/redis-server-6.2.7-linux-arm64" : "/redis-server-6.2.6-v5-linux-amd64";
    } else if (os.contains("mac")) {
      resource = arm ? "/redis-server-6.2.6-v5-darwin-arm64" : "/redis-server-6.2.6-v5-darwin-amd64";
    } else {
      throw new IllegalStateException("no redis-server on PATH and no shipped binary for " + os);
    }
    // Through the class loader: the binaries sit outside any package of another module.
    try (InputStream in = RedisBinary.class.getClassLoader()
        .getResourceAsStream(resource.substring(1))) {
      if (in == null) {
        throw new IllegalStateException("no redis-server on PATH and " + resource
            + " is not on the class path (com.github.codemonstur:embedded-redis)");
      }
      Path target = Files.createTempFile("kvstore-redis-server-", "");
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      target.toFile().setExecutable(true);
      target.toFile().deleteOnExit();
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String version(Path binary) {
    try {
      Process p = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true)
          .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(10, TimeUnit.SECONDS);
      Matcher m = Pattern.compile("v=(\\d+\\.\\d+\\.\\d+)").matcher(out);
      if (!m.find()) {
        throw new IllegalStateException(binary + " --version printed no version: " + out);
      }
      return m.group(1);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + binary, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
