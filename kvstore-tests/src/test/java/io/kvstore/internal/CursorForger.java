package io.kvstore.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.CRC32C;

/**
 * Builds cursors the way an attacker would, from the public format alone: {@code '1'} then
 * base64url of the CRC32C over namespace, prefix and token, followed by the token. Nothing in
 * this checksum is secret, so these cursors pass the store's check; what the store does with the
 * token inside is what the forged-cursor tests examine.
 */
public final class CursorForger {
  private CursorForger() {}

  /**
   * A cursor for {@code namespace} and {@code prefix} that carries {@code token}.
   *
   * @param namespace the namespace the cursor claims
   * @param prefix the prefix the cursor claims
   * @param token the backend token to smuggle in
   * @return the cursor
   */
  public static String forge(String namespace, String prefix, String token) {
    byte[] payload = token.getBytes(StandardCharsets.UTF_8);
    CRC32C crc = new CRC32C();
    crc.update(namespace.getBytes(StandardCharsets.UTF_8));
    crc.update(0);
    crc.update(prefix.getBytes(StandardCharsets.UTF_8));
    crc.update(0);
    crc.update(payload);
    ByteBuffer buf = ByteBuffer.allocate(4 + payload.length);
    buf.putInt((int) crc.getValue()).put(payload);
    return '1' + Base64.getUrlEncoder().withoutPadding().encodeToString(buf.array());
  }
}
