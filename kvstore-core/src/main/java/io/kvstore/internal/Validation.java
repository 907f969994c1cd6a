package io.kvstore.internal;

import io.kvstore.KvValidationException;
import io.kvstore.NamespaceOptions;

/**
 * The rules for keys, prefixes and namespace names, checked before anything is sent.
 *
 * <p>Lengths are counted in UTF-8 bytes without encoding the string (300 x "é" is 600 bytes),
 * since stores limit bytes, not chars. Unpaired surrogates are rejected because they have no UTF-8
 * form: two different Java strings would otherwise map to the same stored key.
 */
public final class Validation {
  /** The longest key, in UTF-8 bytes. */
  public static final int MAX_KEY_BYTES = 512;

  private Validation() {}

  /**
   * Checks that an argument is given.
   *
   * @param value the argument
   * @param argument its name
   * @param describe the operation, such as "put on namespace 'w'"
   * @throws KvValidationException if {@code value} is null
   */
  public static void notNull(Object value, String argument, String describe) {
    if (value == null) {
      throw new KvValidationException(argument, describe + ": " + argument + " is null");
    }
  }

  /**
   * Checks a key.
   *
   * @param key the key
   * @param subject how to name it in a message, such as "get on namespace 'w': key"
   * @return the key
   * @throws KvValidationException if it breaks a rule
   */
  public static String key(String key, String subject) {
    if (key == null) {
      throw new KvValidationException("key", subject + " is null");
    }
    if (key.isEmpty()) {
      throw new KvValidationException(
          "key", subject + " is empty; keys are 1 to " + MAX_KEY_BYTES + " UTF-8 bytes");
    }
    checkText("key", key, subject, "keys", MAX_KEY_BYTES, false);
    return key;
  }

  /**
   * Whether a key is 1 to {@link #MAX_KEY_BYTES} printable ASCII characters, which passes every
   * rule: one UTF-8 byte each, no control characters, no surrogates. Most keys are; the full
   * check, and its message, is for the others.
   *
   * @param key the key, may be null
   * @return true if the key is valid by this shortcut; false says only "check it fully"
   */
  public static boolean isPlainKey(String key) {
    if (key == null || key.isEmpty() || key.length() > MAX_KEY_BYTES) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x20 || c > 0x7E) {
        return false;
      }
    }
    return true;
  }

  /**
   * Checks a listing prefix; it follows the key rules but may be empty.
   *
   * @param prefix the prefix
   * @param subject how to name it in a message
   * @return the prefix
   * @throws KvValidationException if it breaks a rule
   */
  public static String prefix(String prefix, String subject) {
    if (prefix == null) {
      throw new KvValidationException("prefix", subject + " is null");
    }
    checkText("prefix", prefix, subject, "prefixes", MAX_KEY_BYTES, false);
    return prefix;
  }

  /**
   * Checks a namespace name.
   *
   * @param name the name
   * @return the name
   * @throws KvValidationException if it breaks a rule
   */
  public static String namespaceName(String name) {
    String subject = "namespace name" + (name == null ? "" : " '" + name + "'");
    if (name == null || name.isEmpty()) {
      throw new KvValidationException("name", subject + " is "
          + (name == null ? "null" : "empty") + "; names are 1 to "
          + NamespaceOptions.MAX_NAME_BYTES + " UTF-8 bytes");
    }
    checkText("name", name, subject, "namespace names", NamespaceOptions.MAX_NAME_BYTES, true);
    return name;
  }

  private static void checkText(String argument, String s, String subject, String plural,
      int maxBytes, boolean namespaceRules) {
    int bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c)) {
        throw new KvValidationException(argument, subject + " contains control character "
            + codePoint(c) + " at index " + i + "; " + plural + " must not contain control characters");
      }
      if (namespaceRules && (c == ':' || c == '{' || c == '}' || Character.isWhitespace(c))) {
        throw new KvValidationException(argument, subject + " contains " + codePoint(c)
            + " at index " + i + "; " + plural + " must not contain ':', '{', '}' or whitespace");
      }
      if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new KvValidationException(argument, subject + " contains an unpaired surrogate "
            + codePoint(c) + " at index " + i + "; " + plural + " must be valid Unicode");
      } else {
        bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
      }
    }
    if (bytes > maxBytes) {
      throw new KvValidationException(argument, subject + " is " + bytes + " bytes; " + plural
          + " are at most " + maxBytes + " UTF-8 bytes");
    }
  }

  private static String codePoint(char c) {
    return String.format("U+%04X", (int) c);
  }
}
