package io.kvstore.testkit.redis.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Free loopback ports for the servers the harness starts. */
public final class Ports {
  private Ports() {}

  /**
   * A free port whose cluster bus port (port + 10000) is free too, chosen at random so parallel
   * builds rarely collide; a collision makes the start fail and is retried.
   *
   * @return a port that was free a moment ago, with its bus port
   */
  public static int freePair() {
    for (int i = 0; i < 100; i++) {
      int port = ThreadLocalRandom.current().nextInt(20_000, 30_000);
      if (free(port) && free(port + 10_000)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port pair found");
  }

  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
