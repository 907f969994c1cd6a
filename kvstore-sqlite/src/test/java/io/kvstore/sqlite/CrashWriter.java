package io.kvstore.sqlite;

import io.kvstore.KvCodec;
import io.kvstore.KvNamespace;
import io.kvstore.KvStore;
import io.kvstore.NamespaceOptions;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The child of the crash test: writes numbered batches, each a {@code putAll} of
 * {@value #BATCH} keys, and every third batch also deletes an older batch whole with one
 * {@code deleteAll}; prints {@code PUT n} or {@code DEL n} only once the call returned, that is,
 * was acknowledged, on standard error and then in an acknowledgement file of its own (one
 * {@code write} per line, which a {@code kill -9} cannot undo), so the parent can check that it
 * heard every acknowledgement. Runs until killed. Arguments: the database, the first batch, the
 * acknowledgement file.
 */
final class CrashWriter {
  static final int BATCH = 40;
  static final String NAMESPACE = "crash";

  private CrashWriter() {}

  static String key(int batch, int i) {
    return "b" + batch + ":" + i;
  }

  static List<String> keys(int batch) {
    List<String> keys = new ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      keys.add(key(batch, i));
    }
    return keys;
  }

  static NamespaceOptions<String> options() {
    return NamespaceOptions.builder(NAMESPACE, KvCodec.utf8()).build();
  }

  public static void main(String[] args) throws Exception {
    int first = Integer.parseInt(args[1]);
    try (KvStore store = SqliteKvStore.open(Path.of(args[0]));
        FileOutputStream acknowledged = new FileOutputStream(args[2], true)) {
      KvNamespace<String> ns = store.namespace(options());
      System.err.println("OPEN");
      System.err.flush();
      for (int batch = first; ; batch++) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < BATCH; i++) {
          // Values of a few hundred bytes, so a batch spans several pages.
          values.put(key(batch, i), ("batch " + batch + " ").repeat(40));
        }
        ns.blocking().putAll(values);
        // At once: the parent must know of this batch before the delete that follows starts.
        acknowledge("PUT " + batch, acknowledged);
        if (batch % 3 == 0 && batch - 2 >= first) {
          ns.blocking().deleteAll(keys(batch - 2));
          acknowledge("DEL " + (batch - 2), acknowledged);
        }
      }
    }
  }

  private static void acknowledge(String line, FileOutputStream file) throws IOException {
    System.err.println(line);
    System.err.flush();
    file.write((line + "\n").getBytes(StandardCharsets.UTF_8));
  }
}
