package io.kvstore.testkit.internal;

import static io.kvstore.testkit.internal.ModelInputs.show;
import static io.kvstore.testkit.internal.ModelSteps.await;
import static io.kvstore.testkit.internal.ModelSteps.distinct;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvstore.PutOptions;
import io.kvstore.testkit.internal.ModelChecker.Run;
import io.kvstore.testkit.internal.ModelSteps.Step;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The steps that write: {@code put} (with or without {@code ifAbsent()}), {@code putIfAbsent},
 * {@code putAll}, a bulk {@code putAll} for listing volume, {@code delete} and {@code deleteAll}.
 * Each applies the write to the store and the model, and checks what the store answered.
 */
final class WriteSteps {
  private WriteSteps() {}

  /** {@code put(key, value, options)}, or with {@code ifAbsent()} on the options. */
  record Put(String key, ModelInputs.Value value, ModelInputs.Ttl ttl, boolean ifAbsent)
      implements Step {
    @Override
    public void run(Run run) {
      Instant now = run.model.now();
      PutOptions options = ttl.options(now);
      byte[] bytes = value.bytes();
      await(run.ns.put(key, bytes, ifAbsent ? options.ifAbsent() : options), toString());
      // The caller owns its array again once the write completed.
      ModelInputs.scribble(bytes);
      run.model.put(key, value, ttl.expiry(now, run.model.entry(key)), ifAbsent);
    }

    @Override
    public String toString() {
      return "put(" + show(key) + ", " + value + ", " + ttl + (ifAbsent ? ", ifAbsent" : "") + ")";
    }
  }

  /** {@code putIfAbsent(key, value, options)}: must tell whether it wrote. */
  record PutIfAbsent(String key, ModelInputs.Value value, ModelInputs.Ttl ttl) implements Step {
    @Override
    public void run(Run run) {
      Instant now = run.model.now();
      byte[] bytes = value.bytes();
      boolean written = await(run.ns.putIfAbsent(key, bytes, ttl.options(now)), toString());
      ModelInputs.scribble(bytes);
      boolean expected = run.model.put(key, value, ttl.expiry(now, run.model.entry(key)), true);
      assertEquals(expected, written, () -> this + " returned " + written);
    }

    @Override
    public String toString() {
      return "putIfAbsent(" + show(key) + ", " + value + ", " + ttl + ")";
    }
  }

  /** {@code putAll(entries[, options])}. */
  record PutAll(Map<String, ModelInputs.Value> entries, ModelInputs.Ttl ttl, boolean ifAbsent)
      implements Step {
    @Override
    public void run(Run run) {
      Instant now = run.model.now();
      Map<String, byte[]> batch = new LinkedHashMap<>();
      entries.forEach((k, v) -> batch.put(k, v.bytes()));
      PutOptions options = ttl.options(now);
      if (ttl.kind() == ModelInputs.Ttl.Kind.DEFAULT && !ifAbsent) {
        await(run.ns.putAll(batch), toString());
      } else {
        await(run.ns.putAll(batch, ifAbsent ? options.ifAbsent() : options), toString());
      }
      batch.values().forEach(ModelInputs::scribble);
      entries.forEach((k, v) -> run.model.put(k, v, ttl.expiry(now, run.model.entry(k)),
          ifAbsent));
    }

    @Override
    public String toString() {
      StringBuilder s = new StringBuilder("putAll({");
      entries.forEach((k, v) -> s.append(s.length() > 8 ? ", " : "").append(show(k))
          .append('=').append(v));
      return s.append("}, ").append(ttl).append(ifAbsent ? ", ifAbsent" : "").append(')')
          .toString();
    }
  }

  /**
   * {@code putAll} of {@code count} keys {@code prefix#0 .. prefix#n} in one batch: volume for
   * listing walks, so SCAN replies overflow pages and cursors carry (long) leftover keys.
   */
  record BulkPut(String prefix, int count, ModelInputs.Value value) implements Step {
    @Override
    public void run(Run run) {
      Map<String, byte[]> batch = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        batch.put(prefix + "#" + i, valueOf(i).bytes());
      }
      await(run.ns.putAll(batch), toString());
      for (int i = 0; i < count; i++) {
        run.model.put(prefix + "#" + i, valueOf(i), null, false);
      }
    }

    private ModelInputs.Value valueOf(int i) {
      return new ModelInputs.Value(value.id() + i, value.length());
    }

    @Override
    public String toString() {
      return "putAll(" + count + " keys " + show(prefix + "#0") + ".." + show(prefix + "#"
          + (count - 1)) + ", " + value + "..)";
    }
  }

  /** {@code delete(key)}: must tell whether the key existed. */
  record Delete(String key) implements Step {
    @Override
    public void run(Run run) {
      boolean existed = await(run.ns.delete(key), toString());
      boolean expected = run.model.delete(key);
      assertEquals(expected, existed, () -> this + " returned " + existed);
    }

    @Override
    public String toString() {
      return "delete(" + show(key) + ")";
    }
  }

  /** {@code deleteAll(keys)}: must count the distinct keys that existed. */
  record DeleteAll(List<String> keys) implements Step {
    @Override
    public void run(Run run) {
      long count = await(run.ns.deleteAll(keys), toString());
      long expected = distinct(keys).stream().filter(run.model::delete).count();
      assertEquals(expected, count, () -> this + " returned " + count);
    }

    @Override
    public String toString() {
      return "deleteAll(" + show(keys) + ")";
    }
  }
}
