package io.kvstore.redis.testing;

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
import java.util.function.Consumer;

/**
 * A loopback TCP proxy that adds latency, like Toxiproxy's latency toxic: every chunk of bytes is
 * released at its arrival time plus half the round trip, in each direction, in order. Delays do
 * not add up: a chunk that arrives while an earlier one waits is released at its own arrival plus
 * the delay, so pipelined commands share one round trip, as they do on a real network.
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
        pump(client, server, upstreamObservers, "up");
        pump(server, client, downstreamObservers, "down");
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
  private void pump(Socket from, Socket to, List<Consumer<byte[]>> observers, String name) {
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
          observers.forEach(o -> o.accept(chunk.bytes));
          out.write(chunk.bytes);
          out.flush();
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

  /** Resets every open connection, as a network failure would. */
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
