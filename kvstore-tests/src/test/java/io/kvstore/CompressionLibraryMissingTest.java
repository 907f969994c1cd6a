package io.kvstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The compression libraries are optional dependencies: without one on the class path, asking for
 * its algorithm fails when the codec is made, with a {@link KvValidationException} naming the
 * artifact to add, and the other algorithm still works. kvstore is loaded in a class loader of
 * this test's class path minus the library's jar.
 */
class CompressionLibraryMissingTest {
  @ParameterizedTest(name = "without {1}")
  @CsvSource({"zstd, zstd-jni, com.github.luben:zstd-jni, lz4",
      "lz4, lz4-java, at.yawk.lz4:lz4-java, zstd"})
  void aMissingLibraryIsAClearErrorWhenTheCodecIsMade(String algorithm, String jar,
      String artifact, String other) throws Exception {
    try (URLClassLoader loader = new URLClassLoader(classPathWithout(jar),
        ClassLoader.getPlatformClassLoader())) {
      Class<?> codecs = loader.loadClass("io.kvstore.KvCodec");
      Class<?> compression = loader.loadClass("io.kvstore.Compression");
      Object utf8 = codecs.getMethod("utf8").invoke(null);
      Method compressed = codecs.getMethod("compressed", codecs, compression);

      InvocationTargetException e = assertThrows(InvocationTargetException.class,
          () -> compressed.invoke(null, utf8, compression.getMethod(algorithm).invoke(null)));
      assertEquals("io.kvstore.KvValidationException", e.getCause().getClass().getName());
      assertTrue(e.getCause().getMessage().contains(artifact), e.getCause().getMessage());

      Object working = compressed.invoke(null, utf8, compression.getMethod(other).invoke(null));
      byte[] bytes = (byte[]) codecs.getMethod("encode", Object.class)
          .invoke(working, "stretch first, ".repeat(40));
      assertEquals("stretch first, ".repeat(40),
          codecs.getMethod("decode", byte[].class).invoke(working, bytes));
    }
  }

  private static URL[] classPathWithout(String jar) {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !new File(entry).getName().startsWith(jar + "-"))
        .map(CompressionLibraryMissingTest::url)
        .toArray(URL[]::new);
  }

  private static URL url(String entry) {
    try {
      return new File(entry).toURI().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }
}
