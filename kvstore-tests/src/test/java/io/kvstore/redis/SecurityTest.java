package io.kvstore.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.kvstore.KvCodec;
import io.kvstore.KvException;
import io.kvstore.KvNamespace;
import io.kvstore.KvResult;
import io.kvstore.KvStore;
import io.kvstore.KvUnavailableException;
import io.kvstore.ListOptions;
import io.kvstore.NamespaceOptions;
import io.kvstore.ObservabilityOptions;
import io.kvstore.testkit.redis.RedisServer;
import io.kvstore.testing.Workout;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Glob characters stay literal, secrets stay out of logs and messages, TLS and ACL logins work,
 * and a stored {@code @class} cannot pick a class to instantiate.
 */
class SecurityTest {
  private static final String SECRET_KEY = "patient-7731-hiv-status";
  private static final String SECRET_VALUE = "positive-since-2019";
  private static final String PASSWORD = "pw-Xq81-correct";
  private static final String WRONG_PASSWORD = "pw-Zz07-wrong";

  // ------------------------------------------------------------------ glob characters

  private static final List<String> GLOB_KEYS = List.of("a", "a*", "a*b", "ab", "a?", "ax",
      "a[b]", "ab]", "a[", "a\\", "a\\*", "a\\b", "[", "]", "\\", "*", "?", "b*", "a]");

  @Test
  void globCharactersInPrefixesMatchOnlyLiterally() {
    try (RedisServer server = RedisServer.start(); KvStore store = RedisKvStore.connect(
        server.uri(), RedisKvOptions.builder().scanCount(5).build())) {
      KvNamespace<String> ns = store.namespace(NamespaceOptions.builder("g", KvCodec.utf8())
          .build());
      for (String key : GLOB_KEYS) {
        ns.blocking().put(key, key);
      }
      for (String prefix : List.of("a*", "a?", "a[b]", "a[", "a\\", "a\\*", "[", "]", "\\", "*",
          "?", "a]")) {
        List<String> expected = GLOB_KEYS.stream().filter(k -> k.startsWith(prefix)).sorted()
            .toList();
        List<String> listed = ns.blocking().scanValues(prefix).map(e -> e.key()).sorted()
            .toList();
        assertEquals(expected, listed, "prefix " + prefix);
      }
    }
  }

  @Test
  void namespacesWithGlobCharactersNeverSeeTheirLookalikes() {
    try (RedisServer server = RedisServer.start();
        KvStore store = RedisKvStore.connect(server.uri())) {
      List<String> names = List.of("t*", "t?", "t[2]", "t\\", "t2", "tx", "t[", "t");
      for (String name : names) {
        KvNamespace<String> ns = store.namespace(NamespaceOptions.builder(name, KvCodec.utf8())
            .build());
        ns.blocking().putAll(Map.of("k1", name, "k2", name));
      }
      for (String name : names) {
        KvNamespace<String> ns = store.namespace(NamespaceOptions.builder(name, KvCodec.utf8())
            .build());
        assertEquals(List.of("k1", "k2"), ns.blocking().list(ListOptions.all()).names().stream()
            .sorted().toList(), name);
        assertEquals(List.of(name, name), ns.blocking().scanValues("").map(e -> e.value())
            .toList(), name);
      }
    }
  }

  // ------------------------------------------------------------------ secrets

  /**
   * Drives every path that logs or throws (slow-operation log at a zero threshold, the
   * sequential-get detector, decode failures, validation errors, timeouts, outages) with a secret
   * key and value, and captures every io.kvstore logger at TRACE.
   */
  @Test
  void aSecretKeyAndValueNeverAppearInLogsOrExceptions() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger kvstore = context.getLogger("io.kvstore");
    Level level = kvstore.getLevel();
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.setContext(context);
    captured.start();
    kvstore.addAppender(captured);
    kvstore.setLevel(Level.TRACE);
    // logback-test.xml keeps the slow-operation log off the console (additivity off), so its
    // events do not reach io.kvstore's appenders: capture it on its own logger too.
    Logger slow = context.getLogger("io.kvstore.SlowOperations");
    slow.addAppender(captured);
    List<Throwable> thrown = new ArrayList<>();
    try (RedisServer server = RedisServer.start();
        KvStore store = RedisKvStore.connect(server.uri(), RedisKvOptions.builder()
            .timeout(Duration.ofMillis(300))
            .observability(ObservabilityOptions.builder()
                .slowOperationThresholds(Duration.ZERO, Duration.ZERO)
                .sequentialGetDetector(2, Duration.ofSeconds(10))
                .build())
            .build())) {
      KvNamespace<String> ns = store.namespace(NamespaceOptions.builder("s", KvCodec.utf8())
          .maxValueBytes(100).build());
      KvNamespace<Workout> typed = store.namespace(
          NamespaceOptions.builder("s", Workout.class).build());
      ns.blocking().put(SECRET_KEY, SECRET_VALUE);
      for (int i = 0; i < 5; i++) {
        assertEquals(Optional.of(SECRET_VALUE), ns.blocking().get(SECRET_KEY));
      }
      ns.blocking().getAll(List.of(SECRET_KEY, "other"));
      ns.blocking().list(ListOptions.prefix(SECRET_KEY));
      // The value is not JSON: decoding it as a Workout fails and is logged and reported.
      typed.blocking().getAll(List.of(SECRET_KEY));
      KvResult<Workout> failed = typed.blocking().getAllResults(List.of(SECRET_KEY))
          .get(SECRET_KEY);
      thrown.add(((KvResult.Failed<Workout>) failed).error());
      thrown.add(assertThrows(KvException.class, () -> typed.blocking().get(SECRET_KEY)));
      thrown.add(assertThrows(KvException.class,
          () -> ns.blocking().put(SECRET_KEY, SECRET_VALUE.repeat(10))));
      thrown.add(assertThrows(KvException.class,
          () -> ns.blocking().put(SECRET_KEY.repeat(30), SECRET_VALUE)));
      thrown.add(assertThrows(KvException.class,
          () -> ns.blocking().put(SECRET_KEY + "\n", SECRET_VALUE)));
      thrown.add(assertThrows(KvException.class,
          () -> ns.blocking().list(ListOptions.prefix(SECRET_KEY).cursor(SECRET_KEY))));
      server.freeze();
      thrown.add(assertThrows(KvException.class, () -> ns.blocking().get(SECRET_KEY)));
      thrown.add(assertThrows(KvException.class,
          () -> ns.blocking().put(SECRET_KEY, SECRET_VALUE)));
      server.kill();
      thrown.add(assertThrows(KvException.class, () -> ns.blocking().get(SECRET_KEY)));
      thrown.add(assertThrows(KvException.class,
          () -> ns.blocking().putAll(Map.of(SECRET_KEY, SECRET_VALUE))));
    } finally {
      kvstore.detachAppender(captured);
      slow.detachAppender(captured);
      kvstore.setLevel(level);
    }

    // Every logging path was taken: slow operations, sequential gets, decode failures.
    assertEquals(Set.of("io.kvstore.SlowOperations", "io.kvstore.SequentialGets",
        "io.kvstore.internal.DefaultKvNamespace"), captured.list.stream()
        .map(ILoggingEvent::getLoggerName).collect(Collectors.toSet()));
    for (ILoggingEvent event : captured.list) {
      assertNoSecret(event.getLoggerName() + ": " + event.getFormattedMessage());
      for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
        assertNoSecret(t.getClassName() + ": " + t.getMessage());
      }
    }
    assertEquals(10, thrown.size());
    for (Throwable e : thrown) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        assertNoSecret(t.toString());
      }
    }
  }

  private static void assertNoSecret(String text) {
    assertFalse(text.contains(SECRET_KEY) || text.contains(SECRET_VALUE)
        || text.contains("patient-7731"), text);
  }

  // ------------------------------------------------------------------ TLS and ACL

  /**
   * {@code rediss://} to a server with a self-signed certificate: refused while the JVM does not
   * trust it, accepted once the standard {@code javax.net.ssl.trustStore} properties name a
   * trust store holding it. Peer and host name are verified (the certificate names 127.0.0.1).
   */
  @Test
  void redissConnectsOnceTheJvmTrustsTheServerCertificate() throws Exception {
    Path dir = Files.createTempDirectory("kvstore-tls-");
    try {
      run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
          "-keyout", "key.pem", "-out", "cert.pem", "-subj", "/CN=localhost",
          "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost");
      int tlsPort = RedisServer.freePort();
      try (RedisServer server = RedisServer.start(List.of("--tls-port", Integer.toString(tlsPort),
          "--tls-cert-file", dir.resolve("cert.pem").toString(),
          "--tls-key-file", dir.resolve("key.pem").toString(),
          "--tls-ca-cert-file", dir.resolve("cert.pem").toString(),
          "--tls-auth-clients", "no"))) {
        String uri = "rediss://127.0.0.1:" + tlsPort;
        KvUnavailableException untrusted = assertThrows(KvUnavailableException.class,
            () -> RedisKvStore.connect(uri).close());
        assertTrue(chain(untrusted).contains("SSL"), chain(untrusted));

        Path trustStore = trustStoreWith(dir.resolve("cert.pem"), dir.resolve("trust.p12"));
        withTrustStore(trustStore, () -> {
          try (KvStore store = RedisKvStore.connect(uri)) {
            KvNamespace<String> ns = store.namespace(NamespaceOptions.builder("tls",
                KvCodec.utf8()).build());
            ns.blocking().put("k", "over tls");
            assertEquals(Optional.of("over tls"), ns.blocking().get("k"));
          }
          return null;
        });
        assertEquals("over tls", server.call("GET", "tls:k"));
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  private static Path trustStoreWith(Path certPem, Path target) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("redis", CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(certPem))));
    try (OutputStream out = Files.newOutputStream(target)) {
      store.store(out, "changeit".toCharArray());
    }
    return target;
  }

  private static <T> T withTrustStore(Path trustStore, Supplier<T> body) {
    String[] names = {"javax.net.ssl.trustStore", "javax.net.ssl.trustStorePassword",
        "javax.net.ssl.trustStoreType"};
    String[] saved = new String[names.length];
    for (int i = 0; i < names.length; i++) {
      saved[i] = System.getProperty(names[i]);
    }
    System.setProperty(names[0], trustStore.toString());
    System.setProperty(names[1], "changeit");
    System.setProperty(names[2], "PKCS12");
    try {
      return body.get();
    } finally {
      for (int i = 0; i < names.length; i++) {
        if (saved[i] == null) {
          System.clearProperty(names[i]);
        } else {
          System.setProperty(names[i], saved[i]);
        }
      }
    }
  }

  private static void run(Path dir, String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command)
        + ": " + out);
  }

  @Test
  void aclUsersLogInAndAWrongPasswordFailsWithoutEchoingIt() {
    try (RedisServer server = RedisServer.start()) {
      server.call("ACL", "SETUSER", "app", "on", ">" + PASSWORD, "~*", "+@all");
      String host = "@127.0.0.1:" + server.port();
      try (KvStore store = RedisKvStore.connect("redis://app:" + PASSWORD + host)) {
        KvNamespace<String> ns = store.namespace(NamespaceOptions.builder("acl", KvCodec.utf8())
            .build());
        ns.blocking().put("k", "v");
        assertEquals(Optional.of("v"), ns.blocking().get("k"));
      }
      KvUnavailableException wrong = assertThrows(KvUnavailableException.class,
          () -> RedisKvStore.connect("redis://app:" + WRONG_PASSWORD + host));
      assertFalse(chain(wrong).contains(WRONG_PASSWORD), chain(wrong));
      assertTrue(chain(wrong).contains("WRONGPASS"), chain(wrong));
    }
  }

  /** Every message of an exception and its causes. */
  private static String chain(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      sb.append(t).append(" <- ");
    }
    return sb.toString();
  }

  // ------------------------------------------------------------------ Jackson

  /** A class a default-typing attacker would name; counts its instances. */
  public static final class Gadget {
    static final AtomicInteger CREATED = new AtomicInteger();

    /** Counts the instance. */
    public Gadget() {
      CREATED.incrementAndGet();
    }
  }

  @Test
  void aStoredClassNameCannotChooseWhatIsInstantiated() {
    try (RedisServer server = RedisServer.start();
        KvStore store = RedisKvStore.connect(server.uri())) {
      KvNamespace<Object> ns = store.namespace(NamespaceOptions.builder("j", Object.class)
          .build());
      String gadget = Gadget.class.getName();
      server.call("SET", "j:property", "{\"@class\":\"" + gadget + "\"}");
      server.call("SET", "j:array", "[\"" + gadget + "\",{}]");
      server.call("SET", "j:object", "{\"" + gadget + "\":{}}");
      Map<String, Object> read = ns.blocking().getAll(List.of("property", "array", "object"));
      assertEquals(Map.of("@class", gadget), read.get("property"));
      assertEquals(List.of(gadget, Map.of()), read.get("array"));
      assertEquals(Map.of(gadget, Map.of()), read.get("object"));
      assertEquals(0, Gadget.CREATED.get());
    }
  }
}
