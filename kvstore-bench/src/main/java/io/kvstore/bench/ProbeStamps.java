package io.kvstore.bench;

import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Stamps the armed sample's write and first reply read on the store's main channel: the first
 * channel its client opens (the bulk and pub/sub ones open later).
 */
final class ProbeStamps implements NettyCustomizer {
  volatile Sample armed;
  private volatile Channel main;

  @Override
  public void afterChannelInitialized(Channel channel) {
    if (main == null) {
      main = channel;
    }
    channel.pipeline().addFirst("probe-stamps", new ChannelDuplexHandler() {
      @Override
      public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        // On the I/O thread, as it writes the encoded command to the socket.
        Sample sample = armed;
        if (sample != null && ctx.channel() == main && sample.written == 0) {
          sample.written = System.nanoTime();
        }
        ctx.write(msg, promise);
      }

      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        Sample sample = armed;
        if (sample != null && ctx.channel() == main && sample.written != 0
            && sample.read == 0) {
          sample.read = System.nanoTime();
        }
        ctx.fireChannelRead(msg);
      }
    });
  }

  /** One small get's stamps, in {@link System#nanoTime()}. */
  static final class Sample {
    volatile long called;
    volatile long written;
    volatile long read;
    volatile long completed;
    volatile long woke;
  }
}
