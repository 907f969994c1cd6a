package io.kvstore.internal;

/**
 * Builds cursors the way an attacker can without a store's cursor key: the format and the
 * public key of stores that have no secret one are in the source, so this is what anyone can
 * make. These cursors pass the integrity check of a store without a cursor key; what the store
 * then does with the token inside is what the forged-cursor tests examine.
 */
public final class CursorForger {
  private static final Cursors PUBLIC = Cursors.of(null);

  private CursorForger() {}

  /**
   * A cursor for {@code namespace} and {@code prefix} that carries {@code token}, signed with
   * the public key.
   *
   * @param namespace the namespace the cursor claims
   * @param prefix the prefix the cursor claims
   * @param token the backend token to smuggle in
   * @return the cursor
   */
  public static String forge(String namespace, String prefix, String token) {
    return PUBLIC.encode(namespace, prefix, token);
  }
}
