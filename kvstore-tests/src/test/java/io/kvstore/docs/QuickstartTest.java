package io.kvstore.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvstore.testkit.RedisExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's quickstart runs as written, on the embedded store and on a real Redis. */
class QuickstartTest {
  @RegisterExtension static RedisExtension redis = RedisExtension.server();

  @Test
  void theQuickstartRunsOnTheEmbeddedStore() {
    assertEquals("2 read, 2 listed, day 1 done", run());
  }

  @Test
  void theQuickstartRunsOnRedis() {
    assertEquals("2 read, 2 listed, day 1 done", run(redis.uri()));
  }

  private static String run(String... args) {
    PrintStream out = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      Quickstart.main(args);
    } finally {
      System.setOut(out);
    }
    return printed.toString(StandardCharsets.UTF_8).strip();
  }
}
