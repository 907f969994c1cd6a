package io.kvstore.internal;

import io.kvstore.KvValidationException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.CRC32C;

/**
 * Opaque listing cursors. A cursor wraps the backend's resume token with a checksum over the
 * namespace, the prefix and the token, so a cursor from another namespace or prefix, a truncated
 * one or an edited one is rejected with a clear error instead of silently listing something else.
 *
 * <p>The checksum is not a secret: cursors survive restarts and work across instances, and a
 * deliberately forged cursor can at worst skip keys of the same namespace and prefix, because
 * every listed key is still checked against the prefix.
 */
public final class Cursors {
  private static final char VERSION = '1';
  private static final int MAX_CURSOR_CHARS = 16_384;

  private Cursors() {}

  /**
   * Wraps a backend token.
   *
   * @param namespace the namespace listed
   * @param prefix the prefix listed
   * @param token the backend's resume token, or null when the listing is complete
   * @return the cursor, or null for a null token
   */
  public static String encode(String namespace, String prefix, String token) {
    if (token == null) {
      return null;
    }
    byte[] payload = token.getBytes(StandardCharsets.UTF_8);
    ByteBuffer buf = ByteBuffer.allocate(4 + payload.length);
    buf.putInt((int) checksum(namespace, prefix, payload)).put(payload);
    return VERSION + Base64.getUrlEncoder().withoutPadding().encodeToString(buf.array());
  }

  /**
   * Unwraps and checks a cursor.
   *
   * @param namespace the namespace being listed
   * @param prefix the prefix being listed
   * @param cursor the cursor a caller passed
   * @param subject how to name the operation in a message
   * @return the backend token
   * @throws KvValidationException if the cursor is not one of this listing's
   */
  public static String decode(String namespace, String prefix, String cursor, String subject) {
    String rule = "; pass the cursor of the previous page of the same namespace and prefix,"
        + " unchanged";
    if (cursor.length() > MAX_CURSOR_CHARS || cursor.charAt(0) != VERSION) {
      throw new KvValidationException("cursor", subject + ": cursor is not a kvstore cursor"
          + rule);
    }
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(cursor.substring(1));
    } catch (IllegalArgumentException e) {
      throw new KvValidationException("cursor", subject + ": cursor is not a kvstore cursor"
          + rule);
    }
    if (raw.length < 5) {
      throw new KvValidationException("cursor", subject + ": cursor is truncated" + rule);
    }
    ByteBuffer buf = ByteBuffer.wrap(raw);
    int expected = buf.getInt();
    byte[] payload = new byte[buf.remaining()];
    buf.get(payload);
    if ((int) checksum(namespace, prefix, payload) != expected) {
      throw new KvValidationException("cursor", subject
          + ": cursor belongs to another namespace or prefix, or was altered" + rule);
    }
    return new String(payload, StandardCharsets.UTF_8);
  }

  private static long checksum(String namespace, String prefix, byte[] payload) {
    CRC32C crc = new CRC32C();
    crc.update(namespace.getBytes(StandardCharsets.UTF_8));
    crc.update(0);
    crc.update(prefix.getBytes(StandardCharsets.UTF_8));
    crc.update(0);
    crc.update(payload);
    return crc.getValue();
  }
}
