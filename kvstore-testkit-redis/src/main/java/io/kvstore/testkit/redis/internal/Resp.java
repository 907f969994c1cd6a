package io.kvstore.testkit.redis.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal blocking RESP2 client for the harness's own admin commands (PING, FLUSHALL, CLUSTER
 * MEET, INFO). The harness must not depend on the client library under test.
 */
public final class Resp implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  /**
   * Connects to a server.
   *
   * @param port the port on 127.0.0.1
   * @throws IOException if it cannot connect
   */
  public Resp(int port) throws IOException {
    this("127.0.0.1", port);
  }

  /**
   * Connects to a server on another address, such as a container's mapped port.
   *
   * @param host the host name or address
   * @param port the port
   * @throws IOException if it cannot connect
   */
  public Resp(String host, int port) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress(host, port), 2000);
    socket.setSoTimeout(30_000);
    out = socket.getOutputStream();
    in = new BufferedInputStream(socket.getInputStream());
  }

  /**
   * Sends one command and reads its reply.
   *
   * @param args the command and its arguments
   * @return a String, Long, null, or List for arrays
   */
  public Object call(String... args) {
    try {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      buf.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
      for (String arg : args) {
        byte[] b = arg.getBytes(StandardCharsets.UTF_8);
        buf.write(("$" + b.length + "\r\n").getBytes(StandardCharsets.UTF_8));
        buf.write(b);
        buf.write("\r\n".getBytes(StandardCharsets.UTF_8));
      }
      out.write(buf.toByteArray());
      out.flush();
      return read();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Sends one command with binary arguments, streamed without an extra copy (values of 100 MB
   * are fine), and reads its reply.
   *
   * @param args the command and its arguments as bytes
   * @return a String, Long, null, or List for arrays
   */
  public Object call(byte[]... args) {
    try {
      OutputStream buffered = new java.io.BufferedOutputStream(out, 64 * 1024);
      buffered.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
      for (byte[] arg : args) {
        buffered.write(("$" + arg.length + "\r\n").getBytes(StandardCharsets.UTF_8));
        buffered.write(arg);
        buffered.write("\r\n".getBytes(StandardCharsets.UTF_8));
      }
      buffered.flush();
      return read();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Object read() throws IOException {
    int type = in.read();
    String line = line();
    switch (type) {
      case '+':
        return line;
      case '-':
        throw new IllegalStateException("redis error: " + line);
      case ':':
        return Long.parseLong(line);
      case '$': {
        int len = Integer.parseInt(line);
        if (len < 0) {
          return null;
        }
        byte[] b = in.readNBytes(len + 2);
        return new String(b, 0, len, StandardCharsets.UTF_8);
      }
      case '*': {
        int n = Integer.parseInt(line);
        if (n < 0) {
          return null;
        }
        List<Object> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          items.add(read());
        }
        return items;
      }
      default:
        throw new IOException("unexpected RESP type " + type);
    }
  }

  private String line() throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) != '\r') {
      if (c < 0) {
        throw new IOException("connection closed");
      }
      sb.append((char) c);
    }
    in.read();
    return sb.toString();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing a test connection: nothing to recover
    }
  }
}
