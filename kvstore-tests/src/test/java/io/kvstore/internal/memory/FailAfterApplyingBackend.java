package io.kvstore.internal.memory;

import io.kvstore.InMemoryOptions;
import io.kvstore.KvTimeoutException;
import io.kvstore.KvUnavailableException;
import io.kvstore.spi.BackendCall;
import io.kvstore.spi.BackendNamespace;
import io.kvstore.spi.RawValue;
import io.kvstore.spi.RawWrite;
import io.kvstore.spi.ReadRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The real embedded store behind a switch that turns its answers into the failures a network
 * gives: while {@link #failWrites} is on, a write or delete is applied and then reported as a
 * {@link KvTimeoutException} with an unknown outcome (the reply was lost); while
 * {@link #failReads} is on, a read fails with {@link KvUnavailableException}. Not a mock: every
 * call reaches the real store.
 */
public final class FailAfterApplyingBackend extends ForwardingBackend {
  public volatile boolean failWrites;
  public volatile boolean failReads;

  public FailAfterApplyingBackend(InMemoryOptions options) {
    super(new InMemoryBackend(options.clock()));
  }

  @Override
  public CompletableFuture<List<RawValue>> read(BackendCall call, BackendNamespace ns,
      ReadRequest request) {
    return store.read(call, ns, request).thenApply(values -> {
      if (failReads) {
        throw new KvUnavailableException(call.describe() + ": connection lost", null);
      }
      return values;
    });
  }

  @Override
  public CompletableFuture<List<Boolean>> write(BackendCall call, BackendNamespace ns,
      List<RawWrite> writes) {
    return store.write(call, ns, writes).thenApply(applied -> lostReply(call, applied));
  }

  @Override
  public CompletableFuture<Long> delete(BackendCall call, BackendNamespace ns,
      List<String> keys) {
    return store.delete(call, ns, keys).thenApply(deleted -> lostReply(call, deleted));
  }

  private <T> T lostReply(BackendCall call, T reply) {
    if (failWrites) {
      throw new KvTimeoutException(call.describe() + ": no reply; the outcome is unknown", true,
          null);
    }
    return reply;
  }
}
