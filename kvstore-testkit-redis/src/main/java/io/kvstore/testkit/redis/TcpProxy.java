package io.kvstore.testkit.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A loopback TCP proxy that adds latency and injects network faults, like Toxiproxy's toxics.
 *
 * <p>Latency: every chunk of bytes is
 * released at its arrival time plus half the round trip, in each direction, in order. Delays do
 * not add up: a chunk that arrives while an earlier one waits is released at its own arrival plus
 * the delay, so pipelined commands share one round trip, as they do on a real network.
 *
 * <p>Faults: {@link #resetConnections()} (RST on every connection), {@link #blackHole(boolean)}
 * (connections stay open and accept bytes, but nothing is forwarded in either direction, as when a
 * firewall drops packets or a peer vanishes without a FIN) and {@link #cutRepliesAfter(long)} (the
 * connection is reset in the middle of a reply).
 *
 * <p>Observers see each chunk as it is released, so a test can tell whether a client wrote a
 * whole batch before the first reply came back. Only loopback addresses are used.
 */
public final class TcpProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int targetPort;
  private final long oneWayNanos;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<Consumer<byte[]>> upstreamObservers = new CopyOnWriteArrayList<>();
  private final List<Consumer<byte[]>> downstreamObservers = new CopyOnWriteArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong replyBudget = new AtomicLong(-1);
  private volatile boolean blackHole;

  private TcpProxy(int targetPort, Duration addedRoundTrip) throws IOException {
    this.targetPort = targetPort;
    this.oneWayNanos = addedRoundTrip.toNanos() / 2;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-accept-" + port());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * Starts a proxy in front of a loopback port.
   *
   * @param targetPort the port on 127.0.0.1 to forward to
   * @param addedRoundTrip latency to add per round trip, split evenly between directions
   * @return the running proxy
   * @throws IOException if it cannot listen
   */
  public static TcpProxy start(int targetPort, Duration addedRoundTrip) throws IOException {
    return new TcpProxy(targetPort, addedRoundTrip);
  }

  /**
   * Returns the port clients connect to.
   *
   * @return the proxy's port on 127.0.0.1
   */
  public int port() {
    return listener.getLocalPort();
  }

  /**
   * Returns a Redis URI that goes through the proxy.
   *
   * @return {@code redis://127.0.0.1:port}
   */
  public String uri() {
    return "redis://127.0.0.1:" + port();
  }

  /**
   * Observes bytes sent by clients, as they are released to the server.
   *
   * @param observer receives each chunk
   */
  public void onUpstream(Consumer<byte[]> observer) {
    upstreamObservers.add(observer);
  }

  /**
   * Observes bytes sent by the server, as they are released to clients.
   *
   * @param observer receives each chunk
   */
  public void onDownstream(Consumer<byte[]> observer) {
    downstreamObservers.add(observer);
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
        pump(client, server, upstreamObservers, false);
        pump(server, client, downstreamObservers, true);
      } catch (IOException e) {
        if (!closed.get()) {
          continue;
        }
        return;
      }
    }
  }

  private record Chunk(byte[] bytes, long releaseAt) implements Delayed {
    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(releaseAt - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      return Long.compare(releaseAt, ((Chunk) other).releaseAt);
    }
  }

  private static final Chunk END = new Chunk(new byte[0], 0);

  /** A reader that stamps chunks on arrival, and a writer that releases them when due. */
  private void pump(Socket from, Socket to, List<Consumer<byte[]>> observers, boolean replies) {
    String name = replies ? "down" : "up";
    BlockingQueue<Chunk> queue = new DelayQueue<>();
    Thread reader = new Thread(() -> {
      byte[] buf = new byte[64 * 1024];
      try (InputStream in = from.getInputStream()) {
        int n;
        while ((n = in.read(buf)) >= 0) {
          queue.add(new Chunk(Arrays.copyOf(buf, n), System.nanoTime() + oneWayNanos));
        }
      } catch (IOException ignored) {
        // the peer closed or reset: forward the end
      }
      queue.add(new Chunk(END.bytes, System.nanoTime() + oneWayNanos));
    }, "tcp-proxy-" + name + "-read");
    Thread writer = new Thread(() -> {
      try (OutputStream out = to.getOutputStream()) {
        while (true) {
          Chunk chunk = queue.take();
          if (chunk.bytes.length == 0) {
            break;
          }
          if (blackHole) {
            continue;
          }
          byte[] bytes = replies ? withinBudget(chunk.bytes) : chunk.bytes;
          observers.forEach(o -> o.accept(bytes));
          out.write(bytes);
          out.flush();
          if (bytes.length < chunk.bytes.length) {
            resetConnections();
            break;
          }
        }
      } catch (IOException | InterruptedException ignored) {
        // the connection is gone; the reader side ends too
      } finally {
        closeQuietly(to);
        closeQuietly(from);
      }
    }, "tcp-proxy-" + name + "-write");
    reader.setDaemon(true);
    writer.setDaemon(true);
    reader.start();
    writer.start();
  }

  /**
   * Cuts a chunk to what the reply budget still allows, spending the budget; once it is spent the
   * caller resets the connections and the cut is disarmed.
   */
  private byte[] withinBudget(byte[] bytes) {
    long budget = replyBudget.get();
    if (budget < 0) {
      return bytes;
    }
    if (budget >= bytes.length) {
      replyBudget.addAndGet(-bytes.length);
      return bytes;
    }
    replyBudget.set(-1);
    return Arrays.copyOf(bytes, (int) budget);
  }

  /**
   * Starts or stops dropping every byte in both directions. Connections, old and new, stay open:
   * clients see no error, only silence, until their own timeouts fire. Bytes dropped while the
   * black hole is on are never delivered later, which TCP itself never does on a connection that
   * lives on: end a black hole with {@link #resetConnections()} (as a keepalive or retransmission
   * timeout would), or a client's replies no longer line up with its commands.
   *
   * @param on {@code true} to drop, {@code false} to forward again
   */
  public void blackHole(boolean on) {
    blackHole = on;
  }

  /**
   * Lets only this many more reply bytes through (server to client, across connections), then
   * resets every connection: the client sees a reply cut in the middle.
   *
   * @param bytes how many bytes to deliver before the cut
   */
  public void cutRepliesAfter(long bytes) {
    replyBudget.set(bytes);
  }

  /** Resets every open connection (RST), as a network failure would. */
  public void resetConnections() {
    for (Socket s : sockets) {
      try {
        s.setSoLinger(true, 0);
      } catch (IOException ignored) {
        // already closed
      }
      closeQuietly(s);
    }
    sockets.clear();
  }

  /**
   * Closes every open connection gracefully (FIN), as a restarting server or a load balancer
   * draining connections would.
   */
  public void closeConnections() {
    sockets.forEach(TcpProxy::closeQuietly);
    sockets.clear();
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
      try {
        listener.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      resetConnections();
    }
  }
}
