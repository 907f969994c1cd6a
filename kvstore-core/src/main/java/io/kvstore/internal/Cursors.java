package io.kvstore.internal;

import io.kvstore.KvValidationException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque listing cursors, one instance per store. Thread-safe.
 *
 * <p>A cursor is {@code '2'} followed by base64url (no padding) of a 16-byte tag and the
 * backend's resume token. The tag is HMAC-SHA256, cut to 128 bits, over the namespace, the prefix
 * and the token, each length-prefixed so no two triples read alike. A cursor from another
 * namespace or prefix, a truncated one and an edited one are therefore refused with a
 * {@link KvValidationException} before the backend is asked anything.
 *
 * <p><b>Why a cursor cannot reach outside its listing, whatever the key.</b> Applications hand
 * cursors to HTTP clients, so a cursor is attacker input. Two layers answer that:
 *
 * <ol>
 *   <li>Every backend checks every key a token names against the namespace and the prefix before
 *       anything is read or touched, and bounds the work a token can ask for (the SCAN
 *       {@code COUNT}), refusing a token that fails with {@link KvValidationException} and
 *       nothing sent. This alone makes a forged cursor harmless: at worst it skips or repeats keys
 *       of the same namespace and prefix, which the caller could list anyway.
 *   <li>The tag. With a secret cursor key ({@link io.kvstore.StoreOptions.Builder#cursorKey}),
 *       nobody without the key can make a cursor the store accepts, so not even that skipping is
 *       possible. Without one, the tag is computed under a fixed, public key: it still catches a
 *       cursor used with the wrong namespace or prefix, or damaged on the way, but anyone who
 *       reads this source can make one.
 * </ol>
 *
 * <p><b>Why the key is not random by default.</b> A service runs as several instances behind a
 * load balancer, and the next page of a listing often reaches another instance, or the same one
 * after a restart. A random per-process key would refuse every such cursor. So the default keeps
 * cursors valid across instances and restarts (the first layer is what protects data), and a
 * deployment that wants unforgeable cursors gives every instance the same secret. Changing the
 * secret invalidates the cursors issued under the old one: their holders get a
 * {@link KvValidationException} and start the listing again.
 */
public final class Cursors {
  private static final char VERSION = '2';
  private static final char PREVIOUS_VERSION = '1';
  private static final int TAG_BYTES = 16;
  private static final int MAX_CURSOR_CHARS = 16_384;
  private static final String ALGORITHM = "HmacSHA256";

  /** The key of stores without a cursor key: public, so the tag is an integrity check only. */
  private static final byte[] PUBLIC_KEY =
      "io.kvstore listing cursor, no secret".getBytes(StandardCharsets.UTF_8);

  /** The fewest bytes a secret cursor key may have. */
  public static final int MIN_KEY_BYTES = 16;

  private final SecretKeySpec key;
  private final boolean secret;

  private Cursors(byte[] key, boolean secret) {
    this.key = new SecretKeySpec(key, ALGORITHM);
    this.secret = secret;
    mac(); // fail at store creation, not at the first listing, if the JDK lacks HmacSHA256
  }

  /**
   * The cursors of a store.
   *
   * @param secretKey the store's cursor key, or {@code null} for the public one
   * @return the cursors
   */
  public static Cursors of(byte[] secretKey) {
    return secretKey == null ? new Cursors(PUBLIC_KEY, false)
        : new Cursors(secretKey.clone(), true);
  }

  /**
   * Wraps a backend token.
   *
   * @param namespace the namespace listed
   * @param prefix the prefix listed
   * @param token the backend's resume token, or null when the listing is complete
   * @return the cursor, or null for a null token
   */
  public String encode(String namespace, String prefix, String token) {
    if (token == null) {
      return null;
    }
    byte[] payload = token.getBytes(StandardCharsets.UTF_8);
    ByteBuffer buf = ByteBuffer.allocate(TAG_BYTES + payload.length);
    buf.put(tag(namespace, prefix, payload)).put(payload);
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
  public String decode(String namespace, String prefix, String cursor, String subject) {
    String rule = "; pass the cursor of the previous page of the same namespace and prefix,"
        + " unchanged";
    if (cursor.length() > MAX_CURSOR_CHARS) {
      throw new KvValidationException("cursor", subject + ": cursor is not a kvstore cursor"
          + rule);
    }
    if (cursor.charAt(0) == PREVIOUS_VERSION) {
      throw new KvValidationException("cursor", subject + ": cursor was issued by an earlier"
          + " kvstore version, whose cursors are no longer accepted; start the listing again"
          + " without a cursor");
    }
    if (cursor.charAt(0) != VERSION) {
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
    if (raw.length <= TAG_BYTES) {
      throw new KvValidationException("cursor", subject + ": cursor is truncated" + rule);
    }
    byte[] payload = Arrays.copyOfRange(raw, TAG_BYTES, raw.length);
    byte[] expected = tag(namespace, prefix, payload);
    if (!MessageDigest.isEqual(expected, Arrays.copyOf(raw, TAG_BYTES))) {
      throw new KvValidationException("cursor", subject + ": cursor belongs to another"
          + " namespace or prefix, or was altered"
          + (secret ? ", or was issued by a store with another cursor key" : "") + rule);
    }
    return new String(payload, StandardCharsets.UTF_8);
  }

  private byte[] tag(String namespace, String prefix, byte[] payload) {
    byte[] ns = namespace.getBytes(StandardCharsets.UTF_8);
    byte[] pre = prefix.getBytes(StandardCharsets.UTF_8);
    Mac mac = mac();
    mac.update((byte) VERSION);
    mac.update(ByteBuffer.allocate(4).putInt(ns.length).array());
    mac.update(ns);
    mac.update(ByteBuffer.allocate(4).putInt(pre.length).array());
    mac.update(pre);
    mac.update(payload);
    return Arrays.copyOf(mac.doFinal(), TAG_BYTES);
  }

  /** A fresh MAC per use: {@link Mac} is not thread-safe, and creating one costs microseconds. */
  private Mac mac() {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK provides no " + ALGORITHM, e);
    }
  }
}
