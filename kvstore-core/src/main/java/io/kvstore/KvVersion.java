package io.kvstore;

/**
 * The version of a stored value: the SHA-1 of its stored bytes, as 40 lower-case hex characters.
 * Read with {@link KvNamespace#getVersioned}, passed back to {@link KvNamespace#replace} and
 * {@link KvNamespace#deleteIf}.
 *
 * <p><b>Why a digest.</b> It versions values written by any client (another release, another
 * language, {@code redis-cli}) without storing anything beside the value, every store computes
 * it from what it holds ({@code redis.sha1hex} in a Redis script), and it can travel as an HTTP
 * {@code ETag}. Two writes of the same bytes have the same version: a conditional write checks
 * that the value is still the one the caller saw, not that nobody wrote it meanwhile (the
 * "ABA" case), which is what a read-modify-write needs. Immutable and thread-safe.
 *
 * @param hex the SHA-1 of the stored bytes, 40 lower-case hex characters
 */
public record KvVersion(String hex) {
  /**
   * Checks the digest.
   *
   * @param hex the SHA-1 of the stored bytes, 40 lower-case hex characters
   * @throws KvValidationException if {@code hex} is not 40 lower-case hex characters
   */
  public KvVersion {
    if (hex == null || hex.length() != 40 || !hex.chars().allMatch(KvVersion::isLowerHex)) {
      throw new KvValidationException("version", "version must be 40 lower-case hex characters"
          + " (the SHA-1 of the stored bytes), as KvVersion.toString() gives it");
    }
  }

  /**
   * Returns the version a {@link #toString()} printed, such as an {@code ETag} sent back.
   *
   * @param hex 40 lower-case hex characters
   * @return the version
   * @throws KvValidationException if {@code hex} is not 40 lower-case hex characters
   */
  public static KvVersion of(String hex) {
    return new KvVersion(hex);
  }

  private static boolean isLowerHex(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  }

  /**
   * Returns the 40 hex characters.
   *
   * @return the hex digest
   */
  @Override
  public String toString() {
    return hex;
  }
}
