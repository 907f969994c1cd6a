package io.kvstore.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A loopback TCP proxy in front of a Redis server that can hold back a client's {@code
 * SUBSCRIBE}: the first chunk a client sends that contains one, and everything that connection
 * sends after it, wait at the gate until {@link #release()}; every other connection, and the
 * replies, pass at once. So a test decides when Redis runs the subscription, and can make a
 * store's pub/sub subscription arrive after another store's write without timing anything.
 * {@link #held()} completes when a {@code SUBSCRIBE} reaches the gate. Closing it resets every
 * connection through it.
 */
final class SubscribeGate implements AutoCloseable {
  private static final byte[] SUBSCRIBE = "SUBSCRIBE".getBytes(StandardCharsets.US_ASCII);

  private final ServerSocket listener;
  private final int targetPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Void> held = new CompletableFuture<>();
  private final CompletableFuture<Void> released = new CompletableFuture<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  private SubscribeGate(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "subscribe-gate-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A closed gate (it holds the first {@code SUBSCRIBE}) in front of 127.0.0.1:port. */
  static SubscribeGate start(int targetPort) throws IOException {
    return new SubscribeGate(targetPort);
  }

  /** {@code redis://127.0.0.1:port} of the gate. */
  String uri() {
    return "redis://127.0.0.1:" + listener.getLocalPort();
  }

  /** Completes once a {@code SUBSCRIBE} waits at the gate (it has not reached Redis). */
  CompletableFuture<Void> held() {
    return held;
  }

  /** Lets what the gate holds through, and everything after it. */
  void release() {
    released.complete(null);
  }

  private void acceptLoop() {
    while (!closed.get()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket();
        server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2000);
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(server);
        pump(client, server, true);
        pump(server, client, false);
      } catch (IOException e) {
        if (closed.get()) {
          return;
        }
      }
    }
  }

  private void pump(Socket from, Socket to, boolean upstream) {
    Thread thread = new Thread(() -> {
      byte[] buf = new byte[64 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buf)) >= 0) {
          if (upstream && !released.isDone() && contains(buf, n, SUBSCRIBE)) {
            held.complete(null);
            released.join();
          }
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException ignored) {
        // a side closed or was reset: the other side goes too
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "subscribe-gate-" + (upstream ? "up" : "down"));
    thread.setDaemon(true);
    thread.start();
  }

  private static boolean contains(byte[] buf, int length, byte[] word) {
    outer:
    for (int i = 0; i + word.length <= length; i++) {
      for (int j = 0; j < word.length; j++) {
        if (buf[i + j] != word[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      released.complete(null);
      try {
        listener.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      sockets.forEach(SubscribeGate::closeQuietly);
    }
  }
}
